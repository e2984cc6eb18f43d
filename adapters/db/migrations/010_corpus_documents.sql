-- The knowledge documents as operators edit them: the shipped corpus seeds this table, and a console edit
-- stands until the shipped copy of that document changes. Every saved version is kept.
CREATE TABLE corpus_documents (
  id text PRIMARY KEY,
  markdown text NOT NULL,
  -- The hash of the shipped copy last seeded; null for a document added in the console.
  shipped_hash text,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL
);

CREATE TABLE corpus_document_versions (
  id bigserial PRIMARY KEY,
  document_id text NOT NULL,
  markdown text NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  saved_at timestamptz NOT NULL DEFAULT now(),
  saved_by text NOT NULL
);
CREATE INDEX corpus_document_versions_by_document ON corpus_document_versions (document_id, id DESC);
