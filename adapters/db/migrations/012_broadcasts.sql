-- Opt-in news by topic, and the broadcasts operators send to the subscribers.
CREATE TABLE subscriptions (
  channel text NOT NULL,
  user_id text NOT NULL,
  chat_id text NOT NULL,
  topic text NOT NULL CHECK (topic IN ('festivals', 'policies', 'products')),
  language text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, user_id, topic)
);
CREATE INDEX subscriptions_by_topic ON subscriptions (topic, channel);

CREATE TABLE broadcasts (
  id bigserial PRIMARY KEY,
  topic text NOT NULL,
  text_vi text NOT NULL,
  text_en text NOT NULL,
  channels text[] NOT NULL,
  forced boolean NOT NULL DEFAULT false,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Not before this time (the quiet hours push an unforced broadcast to 07:00 Vietnam time).
  send_at timestamptz NOT NULL,
  queued_at timestamptz,
  recipients integer NOT NULL DEFAULT 0,
  unsubscribed integer NOT NULL DEFAULT 0
);

-- Which broadcast an outbox message belongs to, to count what was sent and what failed; and messages given up
-- because the chat can no longer be written to (the user blocked the bot).
ALTER TABLE outbox ADD COLUMN broadcast_id bigint REFERENCES broadcasts (id);
ALTER TABLE outbox ADD COLUMN abandoned_at timestamptz;
CREATE INDEX outbox_by_broadcast ON outbox (broadcast_id) WHERE broadcast_id IS NOT NULL;
