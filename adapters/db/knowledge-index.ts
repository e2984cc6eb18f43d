import pgvector from "pgvector";
import type { KnowledgeDocument } from "../../knowledge/corpus.ts";
import type { ChunkHit, KnowledgeIndex } from "../../knowledge/ports.ts";
import type { Database } from "./database.ts";

// BM25's length normalisation: 0 ignores chunk length, 1 divides fully by it.
const LENGTH_NORMALISATION = 0.4;

// Trigram similarity a corpus word needs to stand in for a misspelt query word.
const MIN_WORD_SIMILARITY = 0.45;

/**
 * The breadth of every HNSW search (pgvector's `hnsw.ef_search`, default 40): it caps the rows one search
 * returns and sets its recall; measured against an exact scan by `npm run bench:retrieval`. On 100,000 chunks
 * with the offline embedder's 128-dimension vectors, 0.96 of the exact 10 nearest at 100 with a vector search
 * p95 of about 8 ms; 120 reached 0.968 but took that p95 to 9.4–10 ms (docs/retrieval.md). Every session
 * starts with it (database.ts); a search asked for another breadth sets its own in a transaction.
 */
export const HNSW_EF_SEARCH = 100;

const HIT_COLUMNS = `c.id, c.document_id, d.title_vi, d.title_en, d.aliases, c.section, c.language, c.content`;

interface HitRow {
  id: string;
  document_id: string;
  title_vi: string;
  title_en: string;
  aliases: string[];
  section: string;
  language: "vi" | "en";
  content: string;
  score: number;
}

function toHit(row: HitRow): ChunkHit {
  return {
    chunkId: Number(row.id),
    documentId: row.document_id,
    title: { vi: row.title_vi, en: row.title_en },
    aliases: row.aliases,
    section: row.section,
    language: row.language,
    content: row.content,
    score: Number(row.score),
  };
}

/** Search terms are folded letters, digits and "_", so quoting them is all a tsquery needs. */
function anyOf(terms: readonly string[]): string {
  return terms.map((term) => `'${term.replace(/[^\p{L}\p{N}_]/gu, "")}'`).join(" | ");
}

/** The knowledge index in the database (same SQL on PostgreSQL and PGlite). */
export function createKnowledgeIndex(db: Database): KnowledgeIndex {
  return {
    async documentStates() {
      const { rows } = await db.pool.query<{ id: string; content_hash: string; embedder: string }>(
        "SELECT id, content_hash, embedder FROM knowledge_documents",
      );
      return new Map(rows.map((row) => [row.id, { contentHash: row.content_hash, embedder: row.embedder }]));
    },

    async replaceDocument(document: KnowledgeDocument, chunks, embedder) {
      await db.transaction(async (client) => {
        await client.query("DELETE FROM knowledge_documents WHERE id = $1", [document.id]);
        await client.query(
          `INSERT INTO knowledge_documents (id, title_vi, title_en, aliases, sources, date, confidence, content_hash, embedder)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [document.id, document.title.vi, document.title.en, [...document.aliases], JSON.stringify(document.sources), document.date,
            document.confidence ?? null, document.contentHash, embedder],
        );
        for (const chunk of chunks) {
          await client.query(
            `INSERT INTO knowledge_chunks (document_id, ordinal, section, language, content, terms, term_count, embedding, embedder)
             VALUES ($1, $2, $3, $4, $5, array_to_tsvector($6::text[]), $7, $8, $9)`,
            [document.id, chunk.ordinal, chunk.section, chunk.language, chunk.content, [...new Set(chunk.terms)],
              chunk.terms.length, pgvector.toSql([...chunk.embedding]), embedder],
          );
        }
      });
    },

    async deleteDocuments(ids) {
      await db.pool.query("DELETE FROM knowledge_documents WHERE id = ANY($1::text[])", [ids]);
    },

    async refreshStatistics() {
      await db.transaction(async (client) => {
        await client.query("DELETE FROM knowledge_terms");
        await client.query(
          `INSERT INTO knowledge_terms (term, folded, chunk_count)
           SELECT lexeme, lower(unaccent(lexeme)), count(*) FROM knowledge_chunks, unnest(terms) GROUP BY lexeme`,
        );
        await client.query("DELETE FROM knowledge_stats");
        await client.query(
          `INSERT INTO knowledge_stats (chunk_count, avg_term_count)
           SELECT count(*), coalesce(avg(term_count), 1) FROM knowledge_chunks`,
        );
      });
      // Fresh planner statistics, or PostgreSQL may pick the trigram index for exact term look-ups.
      await db.pool.query("ANALYZE knowledge_terms, knowledge_chunks, knowledge_documents, knowledge_stats");
    },

    async termStatistics(terms) {
      const [stats, frequencies] = await Promise.all([
        db.pool.query<{ chunk_count: number }>("SELECT chunk_count FROM knowledge_stats"),
        db.pool.query<{ term: string; chunk_count: number }>(
          "SELECT term, chunk_count FROM knowledge_terms WHERE term = ANY($1::text[])",
          [terms],
        ),
      ]);
      return {
        chunkCount: stats.rows[0]?.chunk_count ?? 0,
        documentFrequency: new Map(frequencies.rows.map((row) => [row.term, row.chunk_count])),
      };
    },

    async accentedForms(words) {
      if (words.length === 0) return new Map();
      const { rows } = await db.pool.query<{ folded: string; term: string; chunk_count: number }>(
        `SELECT folded, term, chunk_count FROM knowledge_terms
         WHERE folded = ANY($1::text[])
         ORDER BY folded, chunk_count DESC, term`,
        [words],
      );
      const forms = new Map<string, { term: string; chunkCount: number }[]>();
      for (const row of rows) {
        forms.set(row.folded, [...(forms.get(row.folded) ?? []), { term: row.term, chunkCount: row.chunk_count }]);
      }
      return forms;
    },

    async closestWords(words) {
      if (words.length === 0) return new Map();
      // `strpos(t.term, '_') = 0` (single words) is the predicate of the partial trigram index: keep it as written.
      const { rows } = await db.pool.query<{ word: string; replacement: string }>(
        `SELECT q.word, best.term AS replacement
         FROM unnest($1::text[]) AS q(word)
         CROSS JOIN LATERAL (
           SELECT t.term FROM knowledge_terms t
           WHERE lower(t.term) % q.word AND strpos(t.term, '_') = 0 AND similarity(t.term, q.word) >= $2
           ORDER BY similarity(t.term, q.word) DESC, t.chunk_count DESC, t.term
           LIMIT 1
         ) AS best`,
        [words, MIN_WORD_SIMILARITY],
      );
      return new Map(rows.map((row) => [row.word, row.replacement]));
    },

    async lexicalSearch(query, limit) {
      if (query.required.length === 0) return [];
      // Each query term becomes a one-word tsquery, parsed once; a chunk's score sums the weights of those it
      // contains. A chunk's terms are read (and decompressed) once by strip() behind the OFFSET 0 fence, not
      // once per query term; only the best `limit` chunks are joined to their documents.
      const { rows } = await db.pool.query<HitRow>(
        `WITH q AS MATERIALIZED (
           SELECT quote_literal(term)::tsquery AS query, weight FROM unnest($1::text[], $2::float8[]) AS q(term, weight)
         ), candidates AS (
           SELECT id, term_count, strip(terms) AS terms FROM knowledge_chunks WHERE terms @@ $3::tsquery OFFSET 0
         ), best AS (
           SELECT k.id,
                  (SELECT sum(q.weight) FROM q WHERE k.terms @@ q.query) / (1 - $5::float8 + $5::float8 * k.term_count / s.avg_term_count) AS score
           FROM candidates k CROSS JOIN knowledge_stats s
           ORDER BY score DESC, k.id
           LIMIT $4
         )
         SELECT ${HIT_COLUMNS}, best.score
         FROM best JOIN knowledge_chunks c ON c.id = best.id JOIN knowledge_documents d ON d.id = c.document_id
         ORDER BY best.score DESC, c.id`,
        [query.terms, query.weights, anyOf(query.required), limit, LENGTH_NORMALISATION],
      );
      return rows.map(toHit);
    },

    async documentChunks(documentId) {
      const { rows } = await db.pool.query<HitRow>(
        `SELECT ${HIT_COLUMNS}, 0 AS score FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
         WHERE c.document_id = $1 ORDER BY c.ordinal`,
        [documentId],
      );
      return rows.map(toHit);
    },

    async vectorSearch(embedding, limit, options = {}) {
      const sql = `SELECT ${HIT_COLUMNS}, 1 - c.distance AS score
         FROM (SELECT id, document_id, section, language, content, embedding <=> $1::vector AS distance FROM knowledge_chunks
               ORDER BY embedding <=> $1::vector LIMIT $2) c
         JOIN knowledge_documents d ON d.id = c.document_id
         ORDER BY c.distance, c.id`;
      const params = [pgvector.toSql([...embedding]), limit];
      if (!options.exact && (options.efSearch ?? HNSW_EF_SEARCH) === HNSW_EF_SEARCH) return (await db.pool.query<HitRow>(sql, params)).rows.map(toHit);
      return db.transaction(async (client) => {
        // Without index scans the planner falls back to an exact sequential scan.
        if (options.exact) await client.query("SET LOCAL enable_indexscan = off");
        else await client.query(`SET LOCAL hnsw.ef_search = ${Math.trunc(options.efSearch!)}`);
        return (await client.query<HitRow>(sql, params)).rows.map(toHit);
      });
    },
  };
}
