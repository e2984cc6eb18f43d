-- The HNSW index on the vectors in half precision: 156 MB instead of 260 MB on 100,000 chunks, so more of it
-- stays in PostgreSQL's buffers (a search reads thousands of its pages, and the default 128 MB cannot hold
-- the full-precision graph), and a distance costs less. The search orders by this expression (written the
-- same in knowledge-index.ts) and scores its rows by the exact distance. Measured on 100,000 chunks
-- (`npm run bench:retrieval`): recall@10 against the exact scan 0.898 at ef_search 100 (full precision 0.873),
-- 0.958 at 250. m 16 made a smaller graph (130 MB) that needed ef_search 400 for 0.945, no faster.
DROP INDEX knowledge_chunks_embedding;

-- A chunk's search terms (about 1.4 kB) were moved out of the row with the 2 kB vector in it: the lexical
-- search read each candidate's terms through the TOAST table's index, half of its time on 3,000 candidates.
-- Kept in the row (compressed when that helps), they are read with the row.
ALTER TABLE knowledge_chunks ALTER COLUMN terms SET STORAGE MAIN;
-- Rows already stored keep their out-of-line terms until the value is written anew (before the index is
-- built, so that rewriting the rows does not insert each into the graph).
UPDATE knowledge_chunks SET terms = terms || ''::tsvector;

CREATE INDEX knowledge_chunks_embedding ON knowledge_chunks USING hnsw ((embedding::halfvec(512)) halfvec_cosine_ops)
  WITH (m = 32, ef_construction = 200);
