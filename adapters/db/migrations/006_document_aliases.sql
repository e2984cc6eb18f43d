-- The other names of each knowledge document (front matter `aliases`), which answers use to tell the
-- words that pick the document from the words that pick its sentence.
ALTER TABLE knowledge_documents ADD COLUMN aliases text[] NOT NULL DEFAULT '{}';

-- Documents stored before this column must be ingested again to fill it.
UPDATE knowledge_documents SET content_hash = '';
