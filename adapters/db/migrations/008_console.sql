-- The operator console: accounts, their sessions, failed sign-ins, the audit log, and every turn of every conversation.

CREATE TABLE operators (
  id bigserial PRIMARY KEY,
  -- Stored lower-cased: one account per address however it is typed.
  email text NOT NULL UNIQUE,
  -- Argon2id, in its PHC string form (algorithm, parameters, salt and hash together).
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'editor', 'producer')),
  producer_id text REFERENCES producers (id),
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at timestamptz,
  CONSTRAINT operators_producer_role CHECK ((role = 'producer') = (producer_id IS NOT NULL))
);

-- Only the hash of a session id is stored: a copy of this table opens no session.
CREATE TABLE operator_sessions (
  id_hash text PRIMARY KEY,
  operator_id bigint NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX operator_sessions_by_operator ON operator_sessions (operator_id);

-- Failed sign-ins, counted per account and per client address (an opaque token of it) over a window.
CREATE TABLE sign_in_failures (
  id bigserial PRIMARY KEY,
  email text NOT NULL,
  origin text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_by_email ON sign_in_failures (email, at);
CREATE INDEX sign_in_failures_by_origin ON sign_in_failures (origin, at);

-- Every change an operator makes: who, when, what, and the value before and after.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  operator_id bigint REFERENCES operators (id) ON DELETE SET NULL,
  operator_email text NOT NULL,
  action text NOT NULL,
  target text NOT NULL,
  before jsonb,
  after jsonb
);
CREATE INDEX audit_log_by_time ON audit_log (at DESC);

-- Which operator changed an order's status from the console (null when the producer's chat did).
ALTER TABLE order_status_history ADD COLUMN operator_email text;

-- One row per answered message: what was asked, what was answered, how it was understood and how long it took.
CREATE TABLE turns (
  id bigserial PRIMARY KEY,
  channel text NOT NULL,
  user_id text NOT NULL,
  chat_id text NOT NULL,
  event_id text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  text text NOT NULL,
  replies jsonb NOT NULL,
  intent text NOT NULL,
  understanding jsonb,
  sources jsonb NOT NULL,
  language text NOT NULL,
  latency_ms integer NOT NULL,
  -- A turn answered again after a crash or a lost race is recorded once.
  CONSTRAINT turns_event_unique UNIQUE (channel, event_id)
);
CREATE INDEX turns_by_user ON turns (channel, user_id, id);
CREATE INDEX turns_by_time ON turns (at);
