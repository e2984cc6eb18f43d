import { chunkDocument, type Chunk } from "./chunker.ts";
import type { KnowledgeDocument } from "./corpus.ts";
import type { NamedEmbeddings } from "./embeddings.ts";
import type { KnowledgeIndex } from "./ports.ts";
import { accentedWords, searchTerms } from "./vietnamese.ts";

/** What an ingest changed. */
export interface IngestReport {
  readonly added: string[];
  readonly updated: string[];
  readonly removed: string[];
  unchanged: number;
  chunks: number;
}

/** The text a chunk is embedded from: its document title and section give it context. */
export function chunkContext(document: KnowledgeDocument, chunk: Chunk): string {
  return `${document.title.vi}. ${document.title.en}. ${chunk.section}. ${chunk.content}`;
}

/** The lexical terms of a chunk: folded terms and accented words of its context, plus the document's aliases. */
export function chunkTerms(document: KnowledgeDocument, chunk: Chunk): string[] {
  const context = chunkContext(document, chunk);
  return [...searchTerms(context), ...accentedWords(context), ...searchTerms(document.aliases.join(" . "))];
}

/**
 * Brings the index in line with `documents`: new and changed documents (by content hash) are chunked,
 * embedded and stored; documents embedded by another embedder are re-embedded; missing ones are removed.
 */
export async function ingestCorpus(
  index: KnowledgeIndex,
  embedder: NamedEmbeddings,
  documents: readonly KnowledgeDocument[],
): Promise<IngestReport> {
  const stored = await index.documentStates();
  const report: IngestReport = { added: [], updated: [], removed: [], unchanged: 0, chunks: 0 };
  for (const document of documents) {
    const state = stored.get(document.id);
    stored.delete(document.id);
    if (state && state.contentHash === document.contentHash && state.embedder === embedder.id) {
      report.unchanged++;
      continue;
    }
    report.chunks += await indexDocument(index, embedder, document);
    (state ? report.updated : report.added).push(document.id);
  }
  report.removed.push(...stored.keys());
  if (report.removed.length > 0) await index.deleteDocuments(report.removed);
  if (report.added.length + report.updated.length + report.removed.length > 0) await index.refreshStatistics();
  return report;
}

/** Chunks, embeds and stores one document in place of its earlier version, leaving the others; resolves to its chunk count. */
export async function indexDocument(index: KnowledgeIndex, embedder: NamedEmbeddings, document: KnowledgeDocument): Promise<number> {
  const chunks = chunkDocument(document);
  const embeddings = await embedder.embedDocuments(chunks.map((chunk) => chunkContext(document, chunk)));
  const indexed = chunks.map((chunk, i) => ({ ...chunk, terms: chunkTerms(document, chunk), embedding: embeddings[i]! }));
  await index.replaceDocument(document, indexed, embedder.id);
  return chunks.length;
}

/** Re-indexes one document edited in the console (the others are left as they are). */
export async function ingestDocument(index: KnowledgeIndex, embedder: NamedEmbeddings, document: KnowledgeDocument): Promise<number> {
  const chunks = await indexDocument(index, embedder, document);
  await index.refreshStatistics();
  return chunks;
}

/** Takes a document deleted in the console out of the index. */
export async function removeDocument(index: KnowledgeIndex, id: string): Promise<void> {
  await index.deleteDocuments([id]);
  await index.refreshStatistics();
}
