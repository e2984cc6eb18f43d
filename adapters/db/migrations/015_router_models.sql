-- The intent router's trained parameters, under a hash of everything they were trained from (examples,
-- lexicon, code): a start finds them here instead of spending a second or two training again, and
-- instances sharing PostgreSQL train once between them.
CREATE TABLE router_models (
  key text PRIMARY KEY,
  labels jsonb NOT NULL,
  vocabulary jsonb NOT NULL,
  -- Float64 arrays as bytes, little-endian (the byte order of every platform Node runs on here).
  weights bytea NOT NULL,
  bias bytea NOT NULL,
  trained_at timestamptz NOT NULL DEFAULT now()
);
