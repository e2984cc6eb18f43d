-- The offline embedder now projects its 512 hashed features onto the corpus's 128 principal directions
-- (knowledge/projection.ts), and an OpenAI-compatible model is asked for 128 dimensions too. Hashed features
-- spread every text over all 512 dimensions, so a question's nearest chunks stood out so little that HNSW
-- had to walk most of a 100,000-chunk graph to find them (recall@10 0.88 at ef_search 100); projected, they
-- stand out and the walk stays short (docs/retrieval.md). A row's vector also shrinks from 2 kB to 520 bytes,
-- so the graph fits in PostgreSQL's default shared buffers.
--
-- Vectors of one size cannot be cast to the other: the index is emptied here and the next start (or
-- `npm run ingest`) embeds every document again from corpus_documents, as it does for a new embedder.
DROP INDEX knowledge_chunks_embedding;
DELETE FROM knowledge_documents;
ALTER TABLE knowledge_chunks ALTER COLUMN embedding TYPE vector(128);
-- Changing the type resets the column's storage to pgvector's default (EXTERNAL), and a row of text, terms
-- and vector passes 2 kB often enough that the vector went out of line first: an exact scan then read
-- 100,000 vectors through the TOAST table (250 ms instead of 100). Kept in the row, as migration 013 had it.
ALTER TABLE knowledge_chunks ALTER COLUMN embedding SET STORAGE PLAIN;
CREATE INDEX knowledge_chunks_embedding ON knowledge_chunks USING hnsw (embedding vector_cosine_ops)
  WITH (m = 32, ef_construction = 200);
