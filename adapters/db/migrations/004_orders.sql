-- The product catalogue: operator data, seeded from knowledge/data and reloaded only when those files change.
CREATE TABLE producers (
  id text PRIMARY KEY,
  name text NOT NULL,
  place text
);

CREATE TABLE products (
  id text PRIMARY KEY,
  producer_id text NOT NULL REFERENCES producers (id),
  name text NOT NULL,
  name_en text NOT NULL,
  aliases text[] NOT NULL DEFAULT '{}',
  -- Everything a buyer may type for the product, folded, for fuzzy (trigram) search.
  search_text text NOT NULL,
  product_group text NOT NULL,
  stars smallint CHECK (stars BETWEEN 1 AND 5),
  unit text NOT NULL,
  unit_en text NOT NULL,
  price_vnd bigint NOT NULL CHECK (price_vnd >= 0),
  price_is_sample boolean NOT NULL,
  available boolean NOT NULL,
  source text NOT NULL
);
CREATE INDEX products_search_trgm ON products USING gin (search_text gin_trgm_ops);

-- Which version of the catalogue files was loaded.
CREATE TABLE catalogue_loads (
  name text PRIMARY KEY,
  content_hash text NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now()
);

-- One order per producer. The idempotency key (the buyer's draft + the producer) makes a repeated
-- or concurrent confirmation of the same draft find the order instead of creating a second one.
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  idempotency_key text NOT NULL UNIQUE,
  producer_id text NOT NULL REFERENCES producers (id),
  buyer_channel text NOT NULL,
  buyer_user_id text NOT NULL,
  buyer_chat_id text NOT NULL,
  recipient_name text NOT NULL,
  phone text NOT NULL,
  address text NOT NULL,
  language text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'confirmed', 'shipping', 'completed', 'cancelled')),
  total_vnd bigint NOT NULL,
  prices_are_sample boolean NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_by_buyer ON orders (buyer_channel, buyer_user_id, id);
CREATE INDEX orders_by_producer ON orders (producer_id, id);

-- Prices are copied at ordering time, so a later price change does not rewrite a placed order.
CREATE TABLE order_items (
  order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  line smallint NOT NULL,
  product_id text NOT NULL REFERENCES products (id),
  product_name text NOT NULL,
  product_name_en text NOT NULL,
  unit text NOT NULL,
  unit_en text NOT NULL,
  quantity numeric(8, 1) NOT NULL CHECK (quantity > 0),
  unit_price_vnd bigint NOT NULL,
  line_total_vnd bigint NOT NULL,
  PRIMARY KEY (order_id, line)
);

CREATE TABLE order_status_history (
  id bigserial PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  status text NOT NULL,
  actor text NOT NULL CHECK (actor IN ('buyer', 'producer')),
  note text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_status_history_by_order ON order_status_history (order_id, id);

-- One-time codes an operator hands to a producer; only their hash is stored.
CREATE TABLE producer_link_codes (
  code_hash text PRIMARY KEY,
  producer_id text NOT NULL REFERENCES producers (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

-- The chats where a producer receives its orders and answers with status commands.
CREATE TABLE producer_chats (
  channel text NOT NULL,
  user_id text NOT NULL,
  chat_id text NOT NULL,
  producer_id text NOT NULL REFERENCES producers (id),
  linked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, user_id)
);
CREATE INDEX producer_chats_by_producer ON producer_chats (producer_id);
