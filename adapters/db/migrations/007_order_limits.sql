-- Limits on orders from the public web chat: where an order came from (an opaque token of the
-- client's address, never the address), so orders per address can be counted.
ALTER TABLE orders ADD COLUMN buyer_origin text;
CREATE INDEX orders_by_buyer_time ON orders (buyer_channel, buyer_user_id, created_at);
CREATE INDEX orders_by_origin_time ON orders (buyer_origin, created_at) WHERE buyer_origin IS NOT NULL;

-- Buyers a producer will not take orders from (by the buyer's chat identity).
CREATE TABLE buyer_blocks (
  producer_id text NOT NULL REFERENCES producers (id),
  buyer_channel text NOT NULL,
  buyer_user_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (producer_id, buyer_channel, buyer_user_id)
);
