-- A 512-dimension vector takes 2,056 bytes, just over PostgreSQL's 2 kB threshold for moving values out of
-- the row: stored out of line, each one an exact scan read came from the TOAST table through its index
-- (1.5–2 s on 100,000 chunks). Kept in the row, a scan reads it in place.
ALTER TABLE knowledge_chunks ALTER COLUMN embedding SET STORAGE PLAIN;
-- Rows already stored keep their out-of-line vectors until the value is written anew.
UPDATE knowledge_chunks SET embedding = embedding::real[]::vector;

-- The HNSW graph denser and built wider than pgvector's defaults (m 16, ef_construction 64), for recall on
-- large corpora; the search breadth is HNSW_EF_SEARCH in knowledge-index.ts (`npm run bench:retrieval`).
DROP INDEX knowledge_chunks_embedding;
CREATE INDEX knowledge_chunks_embedding ON knowledge_chunks USING hnsw (embedding vector_cosine_ops)
  WITH (m = 32, ef_construction = 200);

-- Typos are corrected to single words only, and word pairs are nearly all of the terms of a large corpus
-- (550,000 terms, 2,600 words, on 100,000 chunks): without them the trigram index has a few candidates
-- to check for a word instead of thousands.
DROP INDEX knowledge_terms_trigram;
CREATE INDEX knowledge_terms_trigram ON knowledge_terms USING gin (lower(term) gin_trgm_ops) WHERE strpos(term, '_') = 0;
