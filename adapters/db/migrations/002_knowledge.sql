-- The knowledge index: documents, their chunks with folded search terms and vectors.
CREATE TABLE knowledge_documents (
  id text PRIMARY KEY,
  title_vi text NOT NULL,
  title_en text NOT NULL,
  sources jsonb NOT NULL,
  date text NOT NULL,
  confidence text,
  content_hash text NOT NULL,
  embedder text NOT NULL,
  ingested_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE knowledge_chunks (
  id bigserial PRIMARY KEY,
  document_id text NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
  ordinal integer NOT NULL,
  section text NOT NULL,
  language text NOT NULL,
  content text NOT NULL,
  -- Diacritic-folded words and word pairs, built by the application so PostgreSQL and PGlite match alike.
  terms tsvector NOT NULL,
  term_count integer NOT NULL,
  embedding vector(512) NOT NULL,
  embedder text NOT NULL,
  CONSTRAINT knowledge_chunks_ordinal_unique UNIQUE (document_id, ordinal)
);
CREATE INDEX knowledge_chunks_terms ON knowledge_chunks USING gin (terms);
CREATE INDEX knowledge_chunks_embedding ON knowledge_chunks USING hnsw (embedding vector_cosine_ops);

-- Inverse-document-frequency inputs, refreshed after each ingest.
CREATE TABLE knowledge_terms (
  term text PRIMARY KEY,
  -- The term without diacritics, to restore them in questions typed without ("diem" → "điểm").
  folded text NOT NULL,
  chunk_count integer NOT NULL
);
CREATE INDEX knowledge_terms_folded ON knowledge_terms (folded);
-- Trigram index for correcting typos in query words ("prodcts" → "product"). It is on an expression
-- so that exact look-ups keep using the primary key: PostgreSQL would otherwise pick it for `term = ANY(…)`.
CREATE INDEX knowledge_terms_trigram ON knowledge_terms USING gin (lower(term) gin_trgm_ops);
CREATE TABLE knowledge_stats (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  chunk_count integer NOT NULL,
  avg_term_count double precision NOT NULL
);
