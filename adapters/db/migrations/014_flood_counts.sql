-- Messages per user in fixed windows, shared by every instance on one PostgreSQL (the flood guard).
-- Unlogged: the counts matter for seconds, and a crash that empties them only forgives a flood.
CREATE UNLOGGED TABLE flood_counts (
  user_key text NOT NULL,
  bucket bigint NOT NULL,
  hits integer NOT NULL,
  PRIMARY KEY (user_key, bucket)
);
