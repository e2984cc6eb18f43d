import { createHash } from "node:crypto";
import type { Database } from "./database.ts";

const SHIPPED = "(shipped)";
// Any constant works; it only has to be the same for every instance of the service.
const SEED_LOCK_KEY = 4_726_020;

const hashOf = (markdown: string) => createHash("sha256").update(markdown.normalize("NFC")).digest("hex");

/** A document as the console lists it. */
export interface StoredDocument {
  readonly id: string;
  readonly markdown: string;
  /** shipped: as in knowledge/corpus; edited: a shipped document changed in the console; console: added there. */
  readonly origin: "shipped" | "edited" | "console";
  readonly updatedAt: Date;
  readonly updatedBy: string;
}

/** One saved version of a document. */
export interface DocumentVersion {
  readonly version: number;
  readonly savedAt: Date;
  readonly savedBy: string;
  readonly deleted: boolean;
  readonly markdown: string;
}

interface Row {
  id: string;
  markdown: string;
  shipped_hash: string | null;
  updated_at: Date;
  updated_by: string;
}

const toStored = (row: Row): StoredDocument => ({
  id: row.id,
  markdown: row.markdown,
  origin: row.shipped_hash === null ? "console" : row.shipped_hash === hashOf(row.markdown) ? "shipped" : "edited",
  updatedAt: row.updated_at,
  updatedBy: row.updated_by,
});

/**
 * The knowledge documents in the database. The shipped corpus seeds them: a shipped document is taken
 * when it is new or its shipped copy changed since the last seed; otherwise the database's version (a
 * console edit, or a deletion) stands. Documents added in the console are the database's alone.
 */
export function createCorpusDocuments(db: Database) {
  async function saveVersion(client: Pick<Database["pool"], "query">, id: string, by: string): Promise<void> {
    await client.query(
      `INSERT INTO corpus_document_versions (document_id, markdown, deleted, saved_by) SELECT id, markdown, deleted, $2 FROM corpus_documents WHERE id = $1`,
      [id, by],
    );
  }

  return {
    /** Brings the shipped copies in and returns every live document's Markdown, by id. */
    async seed(shipped: readonly { id: string; markdown: string }[]): Promise<StoredDocument[]> {
      return db.transaction(async (client) => {
        await client.query("SELECT pg_advisory_xact_lock($1)", [SEED_LOCK_KEY]);
        const { rows } = await client.query<Row & { deleted: boolean }>("SELECT * FROM corpus_documents");
        const stored = new Map(rows.map((row) => [row.id, row]));
        for (const { id, markdown: written } of shipped) {
          // Stored composed (NFC), as the documents are read: a file saved with combining accents shows the same.
          const markdown = written.normalize("NFC");
          const row = stored.get(id);
          const hash = hashOf(markdown);
          if (row && row.shipped_hash === hash) continue;
          if (row) await saveVersion(client, id, SHIPPED);
          await client.query(
            `INSERT INTO corpus_documents (id, markdown, shipped_hash, deleted, updated_by) VALUES ($1, $2, $3, false, $4)
             ON CONFLICT (id) DO UPDATE SET markdown = excluded.markdown, shipped_hash = excluded.shipped_hash, deleted = false,
               updated_by = excluded.updated_by, updated_at = now()`,
            [id, markdown, hash, SHIPPED],
          );
        }
        // A document no longer shipped goes, unless it was added in the console.
        const ids = shipped.map((document) => document.id);
        await client.query("UPDATE corpus_documents SET deleted = true WHERE shipped_hash IS NOT NULL AND NOT (id = ANY($1))", [ids]);
        const live = await client.query<Row>("SELECT * FROM corpus_documents WHERE NOT deleted ORDER BY id");
        return live.rows.map(toStored);
      });
    },

    async list(): Promise<StoredDocument[]> {
      return (await db.pool.query<Row>("SELECT * FROM corpus_documents WHERE NOT deleted ORDER BY id")).rows.map(toStored);
    },

    async get(id: string): Promise<(StoredDocument & { history: DocumentVersion[] }) | undefined> {
      const { rows } = await db.pool.query<Row>("SELECT * FROM corpus_documents WHERE id = $1 AND NOT deleted", [id]);
      if (!rows[0]) return undefined;
      const history = await db.pool.query<{ id: string; saved_at: Date; saved_by: string; deleted: boolean; markdown: string }>(
        "SELECT id, saved_at, saved_by, deleted, markdown FROM corpus_document_versions WHERE document_id = $1 ORDER BY id DESC LIMIT 50",
        [id],
      );
      return { ...toStored(rows[0]), history: history.rows.map((row) => ({ version: Number(row.id), savedAt: row.saved_at, savedBy: row.saved_by, deleted: row.deleted, markdown: row.markdown })) };
    },

    /**
     * Saves a document: `create` refuses an id that exists (a deleted one may be added again), otherwise
     * the id must exist. The version it replaces goes to the history. Resolves false when refused.
     */
    async save(id: string, written: string, by: string, create: boolean): Promise<boolean> {
      const markdown = written.normalize("NFC");
      return db.transaction(async (client) => {
        const { rows } = await client.query<{ deleted: boolean }>("SELECT deleted FROM corpus_documents WHERE id = $1 FOR UPDATE", [id]);
        const live = rows[0] !== undefined && !rows[0].deleted;
        if (create ? live : !live) return false;
        if (rows[0]) {
          await saveVersion(client, id, by);
          await client.query("UPDATE corpus_documents SET markdown = $2, deleted = false, updated_by = $3, updated_at = now() WHERE id = $1", [id, markdown, by]);
        } else {
          await client.query("INSERT INTO corpus_documents (id, markdown, updated_by) VALUES ($1, $2, $3)", [id, markdown, by]);
        }
        return true;
      });
    },

    /** Deletes a document (its last version stays in the history); false when there is none. */
    async remove(id: string, by: string): Promise<boolean> {
      return db.transaction(async (client) => {
        const { rows } = await client.query("SELECT 1 FROM corpus_documents WHERE id = $1 AND NOT deleted FOR UPDATE", [id]);
        if (rows.length === 0) return false;
        await saveVersion(client, id, by);
        await client.query("UPDATE corpus_documents SET deleted = true, updated_by = $2, updated_at = now() WHERE id = $1", [id, by]);
        return true;
      });
    },

    /** The Markdown of one saved version of a document. */
    async version(id: string, version: number): Promise<string | undefined> {
      const { rows } = await db.pool.query<{ markdown: string }>("SELECT markdown FROM corpus_document_versions WHERE document_id = $1 AND id = $2", [id, version]);
      return rows[0]?.markdown;
    },
  };
}

/** The knowledge documents in the database. */
export type CorpusDocuments = ReturnType<typeof createCorpusDocuments>;
