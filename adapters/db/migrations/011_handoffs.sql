-- Conversations handed to a person: waiting for an operator, held by one, or given back (released).
CREATE TABLE handoffs (
  id bigserial PRIMARY KEY,
  channel text NOT NULL,
  user_id text NOT NULL,
  chat_id text NOT NULL,
  language text NOT NULL,
  state text NOT NULL CHECK (state IN ('waiting', 'held', 'released')),
  first_message text NOT NULL,
  operator_email text,
  requested_at timestamptz NOT NULL DEFAULT now(),
  taken_at timestamptz,
  last_activity_at timestamptz NOT NULL DEFAULT now(),
  released_at timestamptz,
  released_by text
);
-- At most one open handoff per conversation.
CREATE UNIQUE INDEX handoffs_open ON handoffs (channel, user_id) WHERE state <> 'released';
