-- Messages per user in fixed windows, shared by every instance on one PostgreSQL (the flood guard).
-- Unlogged: the counts matter for seconds, and a crash that empties them only forgives a flood.
CREATE UNLOGGED TABLE flood_counts (
  user_key text NOT NULL,
  bucket bigint NOT NULL,
  hits integer NOT NULL,
  PRIMARY KEY (user_key, bucket)
);

-- Each running instance of the service and the chat jobs it is serving, written every few seconds: a job
-- left "active" by an instance that died, or whose completion was lost with the database connection, is
-- listed by no live instance and is handed back at once instead of after the queue's expiry.
CREATE UNLOGGED TABLE service_instances (
  id uuid PRIMARY KEY,
  seen_at timestamptz NOT NULL,
  jobs uuid[] NOT NULL
);
