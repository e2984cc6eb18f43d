-- Extensions used by the knowledge base (vectors, diacritic folding, fuzzy matching).
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Every inbound event, once: a redelivered webhook hits the unique key and is not processed again.
CREATE TABLE inbox (
  id bigserial PRIMARY KEY,
  channel text NOT NULL,
  event_id text NOT NULL,
  user_id text NOT NULL,
  chat_id text NOT NULL,
  text text NOT NULL,
  received_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  CONSTRAINT inbox_event_unique UNIQUE (channel, event_id)
);
CREATE INDEX inbox_unprocessed ON inbox (recorded_at) WHERE processed_at IS NULL;

-- One row per user and channel; `version` guards against two instances saving the same turn.
CREATE TABLE conversations (
  channel text NOT NULL,
  user_id text NOT NULL,
  state jsonb NOT NULL,
  version integer NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, user_id)
);
