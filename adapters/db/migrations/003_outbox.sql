-- Replies waiting to be sent: written before any send, marked when the channel accepted them,
-- so an outage or a restart delays a reply instead of losing it. Sent in id order per chat.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  channel text NOT NULL,
  chat_id text NOT NULL,
  reply jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text
);
CREATE INDEX outbox_pending ON outbox (channel, chat_id, id) WHERE delivered_at IS NULL;

CREATE INDEX inbox_pending_by_chat ON inbox (channel, chat_id, id) WHERE processed_at IS NULL;
