import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CORE_SCHEMA, load } from "js-yaml";
import { z } from "zod";

/** The shipped corpus folder: one Markdown document per topic. */
export const CORPUS_DIR = fileURLToPath(new URL("./corpus/", import.meta.url));

const frontMatterSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.object({ vi: z.string().min(1), en: z.string().min(1) }),
  sources: z.array(z.string().min(1)).min(1),
  date: z.coerce.string(),
  confidence: z.enum(["C2", "S1", "U"]).optional(),
  aliases: z.array(z.string()).default([]),
});

/** One knowledge document: front matter plus its Markdown body. */
export interface KnowledgeDocument {
  readonly id: string;
  readonly title: { readonly vi: string; readonly en: string };
  readonly sources: readonly string[];
  readonly date: string;
  readonly confidence?: "C2" | "S1" | "U";
  readonly aliases: readonly string[];
  readonly body: string;
  /** SHA-256 of the whole file, so a re-ingest touches only documents that changed. */
  readonly contentHash: string;
}

/** Parses one document; throws with the file name when the front matter is missing or malformed. */
export function parseDocument(raw: string, fileName: string): KnowledgeDocument {
  const text = raw.normalize("NFC");
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text.replace(/\r\n/g, "\n"));
  if (!match) throw new Error(`${fileName}: missing front matter between --- lines`);
  // YAML's core schema, as in YAML 1.2: `date: 2024-05-01` stays text rather than becoming a Date.
  const parsed = frontMatterSchema.safeParse(load(match[1]!, { schema: CORE_SCHEMA }));
  if (!parsed.success) throw new Error(`${fileName}: bad front matter: ${parsed.error.message}`);
  const { confidence, ...meta } = parsed.data;
  return {
    ...meta,
    ...(confidence ? { confidence } : {}),
    body: match[2]!.trim(),
    contentHash: createHash("sha256").update(text).digest("hex"),
  };
}

/** Loads every `*.md` document of a corpus folder, sorted by id. */
export function loadCorpus(dir: string = CORPUS_DIR): KnowledgeDocument[] {
  return readCorpusFiles(dir).map((file) => file.document);
}

/** Every `*.md` document of a corpus folder with its Markdown as written, sorted by id. */
export function readCorpusFiles(dir: string = CORPUS_DIR): { readonly markdown: string; readonly document: KnowledgeDocument }[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".md"))
    .map((file) => {
      const markdown = readFileSync(join(dir, file), "utf8");
      return { markdown, document: parseDocument(markdown, file) };
    })
    .sort((a, b) => a.document.id.localeCompare(b.document.id));
}
