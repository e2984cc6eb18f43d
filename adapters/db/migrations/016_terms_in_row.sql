-- A chunk's search terms (about 1.4 kB) were moved out of the row with the 2 kB vector in it: the lexical
-- search read each candidate's terms through the TOAST table's index, about half of its time on 3,000
-- candidates of 100,000 chunks. Kept in the row (compressed when that helps), they are read with it; the
-- table grows from 260 + 192 MB (TOAST) to 391 + 45 MB there.
ALTER TABLE knowledge_chunks ALTER COLUMN terms SET STORAGE MAIN;
-- Rows already stored keep their out-of-line terms until the value is written anew. The HNSW index is
-- dropped meanwhile and rebuilt as migration 013 defines it: rewriting a row inserts it into the graph anew,
-- one search of the graph per row.
--
-- A half-precision HNSW index (`(embedding::halfvec(512)) halfvec_cosine_ops`, 156 MB instead of 260) was
-- measured too: recall@10 0.898 at ef_search 100 and 0.945 at 200, searches about a quarter faster, but
-- ingesting the shipped corpus on PGlite (WebAssembly, no hardware half-float conversion) took 102 s
-- instead of 12 s.
DROP INDEX knowledge_chunks_embedding;
UPDATE knowledge_chunks SET terms = terms || ''::tsvector;
CREATE INDEX knowledge_chunks_embedding ON knowledge_chunks USING hnsw (embedding vector_cosine_ops)
  WITH (m = 32, ef_construction = 200);
