/**
 * The knowledge documents as the console edits them: saved in the database (with their history) and
 * re-indexed one at a time in the background, so a new or changed document is answered from within
 * seconds, without a restart. Citations' titles and the retriever's names are updated in place.
 */
import type { CorpusDocuments, StoredDocument } from "../adapters/db/corpus-documents.ts";
import type { DocumentEditor, DocumentSave, DocumentSummary, IndexingStatus } from "../adapters/http/admin/services.ts";
import type { Logger } from "../adapters/logger.ts";
import { parseDocument, type KnowledgeDocument } from "../knowledge/corpus.ts";
import type { NamedEmbeddings } from "../knowledge/embeddings.ts";
import { ingestDocument, removeDocument } from "../knowledge/ingest.ts";
import type { KnowledgeIndex } from "../knowledge/ports.ts";

/** What the editor keeps current when a document changes. */
export interface LiveKnowledge {
  readonly index: KnowledgeIndex;
  readonly embedder: NamedEmbeddings;
  /** Document titles by id, for citations: updated in place. */
  readonly titles: Map<string, { vi: string; en: string }>;
  /** Names the retriever keeps whole (documents' aliases): updated in place. */
  readonly names: string[];
}

/** Parses a document's Markdown, or says why it is not one. */
function parse(markdown: string, label: string): KnowledgeDocument | string {
  try {
    return parseDocument(markdown, label);
  } catch (error) {
    return (error as Error).message;
  }
}

/** The editor over the documents `loaded` at start (whose names it may later replace). */
export function createDocumentEditor(store: CorpusDocuments, live: LiveKnowledge, loaded: readonly KnowledgeDocument[], logger: Logger): DocumentEditor {
  const status = new Map<string, IndexingStatus>();
  const aliases = new Map<string, readonly string[]>(loaded.map((document) => [document.id, document.aliases]));
  let pending: Promise<unknown> = Promise.resolve();

  const summary = (stored: StoredDocument, document: KnowledgeDocument): DocumentSummary => ({
    id: stored.id,
    title: document.title,
    origin: stored.origin,
    updatedAt: stored.updatedAt,
    updatedBy: stored.updatedBy,
    status: status.get(stored.id) ?? "ready",
  });

  /** Takes a document's names out of the retriever's list. */
  function forgetNames(id: string): void {
    for (const alias of aliases.get(id) ?? []) {
      const at = live.names.indexOf(alias);
      if (at >= 0) live.names.splice(at, 1);
    }
    aliases.delete(id);
  }

  /** Makes a document's title and names current. */
  function publish(document: KnowledgeDocument): void {
    live.titles.set(document.id, document.title);
    forgetNames(document.id);
    aliases.set(document.id, document.aliases);
    live.names.push(...document.aliases);
  }

  /** Re-indexes one document after the ones already waiting. */
  function reindex(document: KnowledgeDocument): void {
    status.set(document.id, "indexing");
    pending = pending.then(async () => {
      try {
        const chunks = await ingestDocument(live.index, live.embedder, document);
        publish(document);
        status.set(document.id, "ready");
        logger.info({ document: document.id, chunks }, "knowledge document re-indexed");
      } catch (error) {
        status.set(document.id, "failed");
        logger.error({ document: document.id, err: { message: (error as Error).message } }, "re-indexing a knowledge document failed");
      }
    });
  }

  async function save(markdown: string, by: string, mode: { create: true } | { create: false; id: string }): Promise<DocumentSave> {
    const document = parse(markdown, mode.create ? "new document" : mode.id);
    if (typeof document === "string") return { kind: "invalid", error: document };
    if (!mode.create && document.id !== mode.id) return { kind: "invalid", error: `the front matter's id (${document.id}) is not this document's (${mode.id})` };
    if (!(await store.save(document.id, markdown, by, mode.create))) return { kind: mode.create ? "exists" : "not_found" };
    reindex(document);
    const stored = (await store.get(document.id))!;
    return { kind: "saved", document: summary(stored, document) };
  }

  return {
    async list() {
      return (await store.list()).flatMap((stored) => {
        const document = parse(stored.markdown, stored.id);
        return typeof document === "string" ? [] : [summary(stored, document)];
      });
    },
    async get(id) {
      const stored = await store.get(id);
      const document = stored && parse(stored.markdown, id);
      if (!stored || !document || typeof document === "string") return undefined;
      return { ...summary(stored, document), markdown: stored.markdown, history: stored.history.map(({ markdown: _, ...version }) => version) };
    },
    create: (markdown, by) => save(markdown, by, { create: true }),
    update: (id, markdown, by) => save(markdown, by, { create: false, id }),
    async revert(id, version, by) {
      const markdown = await store.version(id, version);
      return markdown === undefined ? { kind: "not_found" } : save(markdown, by, { create: false, id });
    },
    async remove(id, by) {
      if (!(await store.remove(id, by))) return false;
      status.set(id, "indexing");
      pending = pending.then(async () => {
        await removeDocument(live.index, id);
        live.titles.delete(id);
        forgetNames(id);
        status.delete(id);
      });
      return true;
    },
    async settled() {
      await pending;
    },
  };
}
