import type { KnowledgeDocument } from "./corpus.ts";
import { sentences } from "./vietnamese.ts";

/** A passage of a document: whole sentences from one section. */
export interface Chunk {
  readonly documentId: string;
  readonly ordinal: number;
  readonly section: string;
  /** "en" for every section after the "# English" heading, "vi" before it. */
  readonly language: "vi" | "en";
  readonly content: string;
}

/** Soft upper bound on a chunk's length; a single longer sentence still stays whole. */
export const MAX_CHUNK_CHARS = 700;

/** The heading after which a document's body is in English (its translation of the Vietnamese). */
const ENGLISH_BODY = /^english$/i;

/** Splits a document into chunks that keep sections and sentences whole. */
export function chunkDocument(document: KnowledgeDocument): Chunk[] {
  const chunks: Chunk[] = [];
  for (const { heading, text, english } of sections(document.body)) {
    const language = english ? "en" : "vi";
    let current: string[] = [];
    const flush = () => {
      if (current.length === 0) return;
      chunks.push({ documentId: document.id, ordinal: chunks.length, section: heading, language, content: current.join(" ") });
      current = [];
    };
    for (const paragraph of text.split(/\n\s*\n/)) {
      for (const sentence of sentences(paragraph.replace(/\s*\n\s*/g, " ").replace(/^[-•*]\s+/, ""))) {
        if (current.length > 0 && [...current, sentence].join(" ").length > MAX_CHUNK_CHARS) flush();
        current.push(sentence);
      }
    }
    flush();
  }
  return chunks;
}

function sections(body: string): { heading: string; text: string; english: boolean }[] {
  const result: { heading: string; text: string; english: boolean }[] = [];
  let heading = "";
  let lines: string[] = [];
  let english = false;
  const push = () => {
    const text = lines.join("\n").trim();
    if (text) result.push({ heading, text, english });
  };
  for (const line of body.split("\n")) {
    const title = /^#{1,3}\s+(.*)$/.exec(line);
    if (title) {
      push();
      heading = title[1]!.trim();
      english ||= ENGLISH_BODY.test(heading);
      lines = [];
    } else {
      lines.push(line);
    }
  }
  push();
  return result;
}
