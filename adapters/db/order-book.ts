import { createHash, randomInt } from "node:crypto";
import type pg from "pg";
import type { Buyer, ChannelDirectory, ChatAddress, NoticeWriter, Order, OrderBook, OrderLine, OrderStatus, Placement, StatusActor } from "../../bot/ports.ts";
import type { ChannelName, Language } from "../../bot/types.ts";
import type { Database } from "./database.ts";

// Letters and digits that cannot be misread for each other (no 0/O, 1/I).
const CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const LINK_CODE_TTL_DAYS = 7;
const CODE_ATTEMPTS = 5;

/** Which statuses each change may start from, per actor. */
const ALLOWED_FROM: Record<StatusActor["kind"], Partial<Record<OrderStatus, readonly OrderStatus[]>>> = {
  buyer: { cancelled: ["pending", "confirmed"] },
  producer: {
    confirmed: ["pending"],
    shipping: ["pending", "confirmed"],
    completed: ["confirmed", "shipping"],
    cancelled: ["pending", "confirmed", "shipping"],
  },
};

function randomCode(length: number): string {
  return Array.from({ length }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
}

/** A fresh order code such as DH-7K3Q9. */
function newOrderCode(): string {
  return `DH-${randomCode(5)}`;
}

const hashLinkCode = (code: string) => createHash("sha256").update(code.trim().toUpperCase()).digest("hex");

/** Called after a commit with the chats that were sent a notice, so they can be delivered now. */
export type NoticeListener = (chats: readonly ChatAddress[]) => void;

interface OrderRow {
  id: string;
  code: string;
  producer_id: string;
  producer_name: string;
  producer_name_en: string | null;
  buyer_channel: ChannelName;
  buyer_user_id: string;
  buyer_chat_id: string;
  status: OrderStatus;
  total_vnd: string;
  prices_are_sample: boolean;
  recipient_name: string;
  phone: string;
  address: string;
  language: Language;
  created_at: Date;
}

type Queryable = Pick<pg.PoolClient, "query">;

/** Reads orders matching `where` with their lines and history, newest first. */
async function readOrders(client: Queryable, where: string, values: unknown[], limit: number): Promise<Order[]> {
  const { rows } = await client.query<OrderRow>(
    `SELECT o.*, r.name AS producer_name, r.name_en AS producer_name_en FROM orders o JOIN producers r ON r.id = o.producer_id
     WHERE ${where} ORDER BY o.id DESC LIMIT ${Math.trunc(limit)}`,
    values,
  );
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const items = await client.query<{ order_id: string; product_id: string; product_name: string; product_name_en: string; unit: string; unit_en: string; quantity: string; unit_price_vnd: string; line_total_vnd: string }>(
    "SELECT * FROM order_items WHERE order_id = ANY($1) ORDER BY order_id, line",
    [ids],
  );
  const history = await client.query<{ order_id: string; status: OrderStatus; actor: "buyer" | "producer"; note: string | null; at: Date; operator_email: string | null }>(
    "SELECT order_id, status, actor, note, at, operator_email FROM order_status_history WHERE order_id = ANY($1) ORDER BY id",
    [ids],
  );
  return rows.map((row) => ({
    code: row.code,
    producer: { id: row.producer_id, name: row.producer_name, nameEn: row.producer_name_en ?? row.producer_name },
    buyer: { channel: row.buyer_channel, userId: row.buyer_user_id, chatId: row.buyer_chat_id },
    status: row.status,
    lines: items.rows
      .filter((item) => item.order_id === row.id)
      .map((item) => ({
        productId: item.product_id,
        name: item.product_name,
        nameEn: item.product_name_en,
        unit: item.unit,
        unitEn: item.unit_en,
        quantity: Number(item.quantity),
        unitPriceVnd: Number(item.unit_price_vnd),
        lineTotalVnd: Number(item.line_total_vnd),
      })),
    totalVnd: Number(row.total_vnd),
    pricesAreSample: row.prices_are_sample,
    recipientName: row.recipient_name,
    phone: row.phone,
    address: row.address,
    language: row.language,
    createdAt: row.created_at,
    history: history.rows.filter((entry) => entry.order_id === row.id).map(({ status, actor, note, at, operator_email }) => ({ status, actor, note, at, operator: operator_email })),
  }));
}

/** Whose orders are read: a buyer's (by channel and user) or a producer's. */
type Viewer = { readonly kind: "buyer"; readonly buyer: Pick<Buyer, "channel" | "userId"> } | { readonly kind: "producer"; readonly producerId: string };

/** The SQL condition (and its value) that limits orders to what `viewer` may see. */
function visibleTo(actor: Viewer, firstParam: number): [string, unknown[]] {
  return actor.kind === "buyer"
    ? [`o.buyer_channel = $${firstParam} AND o.buyer_user_id = $${firstParam + 1}`, [actor.buyer.channel, actor.buyer.userId]]
    : [`o.producer_id = $${firstParam}`, [actor.producerId]];
}

/** Queues `text` in the outbox of each chat its channel can push to; returns those chats. */
async function queueNotices(client: Queryable, channels: ChannelDirectory, chats: readonly ChatAddress[], text: string): Promise<ChatAddress[]> {
  const pushable = chats.filter((chat) => channels.canPush(chat.channel));
  for (const chat of pushable) {
    await client.query("INSERT INTO outbox (channel, chat_id, reply) VALUES ($1, $2, $3)", [chat.channel, chat.chatId, { text }]);
  }
  return pushable;
}

async function producerChats(client: Queryable, producerId: string): Promise<ChatAddress[]> {
  const { rows } = await client.query<{ channel: ChannelName; chat_id: string }>("SELECT channel, chat_id FROM producer_chats WHERE producer_id = $1", [producerId]);
  return rows.map((row) => ({ channel: row.channel, chatId: row.chat_id }));
}

/**
 * Creates a one-time code that links a producer's chat to the producer; it expires after a week.
 * Undefined for an unknown producer id.
 */
export async function createProducerLinkCode(db: Database, producerId: string): Promise<{ code: string; producerName: string } | undefined> {
  const code = `LK-${randomCode(4)}-${randomCode(4)}`;
  const { rows } = await db.pool.query<{ name: string }>(
    `WITH producer AS (SELECT id, name FROM producers WHERE id = $2),
          created AS (INSERT INTO producer_link_codes (code_hash, producer_id, expires_at)
                      SELECT $1, id, now() + make_interval(days => $3) FROM producer)
     SELECT name FROM producer`,
    [hashLinkCode(code), producerId, LINK_CODE_TTL_DAYS],
  );
  return rows[0] && { code, producerName: rows[0].name };
}

/** The order tables of the database; `onNotice` learns of every notice committed to the outbox. */
/** How many orders a buyer, and an origin (a client address), may place in 24 hours on the channels that do not vouch for their users. */
export interface OrderLimits {
  readonly channels: readonly ChannelName[];
  readonly perBuyerPerDay: number;
  readonly perOriginPerDay: number;
}

/** The public web chat: a person orders a few times a day; a script, many. */
export const DEFAULT_ORDER_LIMITS: OrderLimits = { channels: ["web"], perBuyerPerDay: 5, perOriginPerDay: 20 };

export function createOrderBook(db: Database, channels: ChannelDirectory, onNotice: NoticeListener = () => {}, limits: OrderLimits = DEFAULT_ORDER_LIMITS): OrderBook {
  async function priced(client: Queryable, lines: readonly { productId: string; quantity: number }[]) {
    const { rows } = await client.query<{ id: string; producer_id: string; name: string; name_en: string; unit: string; unit_en: string; price_vnd: string; price_is_sample: boolean }>(
      "SELECT id, producer_id, name, name_en, unit, unit_en, price_vnd, price_is_sample FROM products WHERE id = ANY($1) AND available",
      [lines.map((line) => line.productId)],
    );
    return lines.flatMap((line) => {
      const product = rows.find((row) => row.id === line.productId);
      if (!product) return [];
      const unitPriceVnd = Number(product.price_vnd);
      const orderLine: OrderLine = {
        productId: product.id,
        name: product.name,
        nameEn: product.name_en,
        unit: product.unit,
        unitEn: product.unit_en,
        quantity: line.quantity,
        unitPriceVnd,
        lineTotalVnd: Math.round(unitPriceVnd * line.quantity),
      };
      return [{ ...orderLine, producerId: product.producer_id, sample: product.price_is_sample }];
    });
  }

  /** Why a new request may not be placed: a producer's block, or a limit of the buyer's channel. */
  async function refusal(client: Queryable, request: Parameters<OrderBook["place"]>[0], producers: readonly string[]): Promise<Placement | undefined> {
    const { buyer } = request;
    const blocked = await client.query<{ id: string; name: string; name_en: string | null }>(
      `SELECT p.id, p.name, p.name_en FROM buyer_blocks b JOIN producers p ON p.id = b.producer_id
       WHERE b.buyer_channel = $1 AND b.buyer_user_id = $2 AND b.producer_id = ANY($3) ORDER BY p.name`,
      [buyer.channel, buyer.userId, producers],
    );
    if (blocked.rows.length > 0) return { kind: "blocked", producers: blocked.rows.map((row) => ({ id: row.id, name: row.name, nameEn: row.name_en ?? row.name })) };
    if (!limits.channels.includes(buyer.channel)) return undefined;
    // Checkouts (drafts), not orders: one checkout becomes an order per producer.
    const recent = async (condition: string, value: string) =>
      Number((await client.query<{ n: string }>(
        `SELECT count(DISTINCT split_part(idempotency_key, ':', 1)) AS n FROM orders WHERE ${condition} AND created_at > now() - interval '1 day'`,
        [buyer.channel, value],
      )).rows[0]!.n);
    if ((await recent("buyer_channel = $1 AND buyer_user_id = $2", buyer.userId)) >= limits.perBuyerPerDay) return { kind: "limited" };
    if (request.origin && (await recent("buyer_channel = $1 AND buyer_origin = $2", request.origin)) >= limits.perOriginPerDay) return { kind: "limited" };
    return undefined;
  }

  async function placeOnce(request: Parameters<OrderBook["place"]>[0], notice: NoticeWriter): Promise<{ placement: Placement; notified: ChatAddress[] }> {
    return db.transaction(async (client) => {
      const lines = await priced(client, request.lines);
      const producers = [...new Set(lines.map((line) => line.producerId))];
      // A draft confirmed before finds its orders, whatever a block or a limit says now.
      const placedBefore = await client.query("SELECT 1 FROM orders WHERE idempotency_key LIKE $1 LIMIT 1", [`${request.draftId.replace(/[%_\\]/g, "")}:%`]);
      if (placedBefore.rows.length === 0 && lines.length > 0) {
        const refused = await refusal(client, request, producers);
        if (refused) return { placement: refused, notified: [] };
      }
      const notified: ChatAddress[] = [];
      const orders: Order[] = [];
      for (const producerId of producers) {
        const own = lines.filter((line) => line.producerId === producerId);
        const key = `${request.draftId}:${producerId}`;
        const inserted = await client.query<{ id: string }>(
          `INSERT INTO orders (code, idempotency_key, producer_id, buyer_channel, buyer_user_id, buyer_chat_id, recipient_name,
             phone, address, language, status, total_vnd, prices_are_sample, buyer_origin)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, $12, $13)
           ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
          [newOrderCode(), key, producerId, request.buyer.channel, request.buyer.userId, request.buyer.chatId, request.recipientName,
            request.phone, request.address, request.language, own.reduce((sum, line) => sum + line.lineTotalVnd, 0), own.some((line) => line.sample),
            request.origin ?? null],
        );
        const id = inserted.rows[0]?.id;
        if (id !== undefined) {
          for (const [index, line] of own.entries()) {
            await client.query(
              `INSERT INTO order_items (order_id, line, product_id, product_name, product_name_en, unit, unit_en, quantity, unit_price_vnd, line_total_vnd)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
              [id, index + 1, line.productId, line.name, line.nameEn, line.unit, line.unitEn, line.quantity, line.unitPriceVnd, line.lineTotalVnd],
            );
          }
          await client.query("INSERT INTO order_status_history (order_id, status, actor) VALUES ($1, 'pending', 'buyer')", [id]);
        }
        const [order] = await readOrders(client, "o.idempotency_key = $1", [key], 1);
        if (id !== undefined) notified.push(...(await queueNotices(client, channels, await producerChats(client, producerId), notice(order!))));
        orders.push(order!);
      }
      return { placement: { kind: "placed", orders }, notified };
    });
  }

  return {
    async quote(requested) {
      const lines = await priced(db.pool, requested);
      return {
        lines: lines.map(({ producerId: _, sample: __, ...line }) => line),
        totalVnd: lines.reduce((sum, line) => sum + line.lineTotalVnd, 0),
        pricesAreSample: lines.some((line) => line.sample),
        producerCount: new Set(lines.map((line) => line.producerId)).size,
      };
    },

    async place(request, notice) {
      for (let attempt = 1; ; attempt++) {
        try {
          const { placement, notified } = await placeOnce(request, notice);
          if (notified.length > 0) onNotice(notified);
          return placement;
        } catch (error) {
          // A new order code that happens to exist already: draw another.
          const collided = (error as { constraint?: string }).constraint === "orders_code_key";
          if (!collided || attempt >= CODE_ATTEMPTS) throw error;
        }
      }
    },

    async blockBuyer(code, producerId, blocked) {
      const [order] = await readOrders(db.pool, "o.code = $1 AND o.producer_id = $2", [code.toUpperCase(), producerId], 1);
      if (!order) return undefined;
      await (blocked
        ? db.pool.query("INSERT INTO buyer_blocks (producer_id, buyer_channel, buyer_user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [producerId, order.buyer.channel, order.buyer.userId])
        : db.pool.query("DELETE FROM buyer_blocks WHERE producer_id = $1 AND buyer_channel = $2 AND buyer_user_id = $3", [producerId, order.buyer.channel, order.buyer.userId]));
      return order;
    },

    async ordersOfBuyer(buyer, limit) {
      return readOrders(db.pool, ...visibleTo({ kind: "buyer", buyer }, 1), limit);
    },

    async list(filter, limit) {
      return readOrders(
        db.pool,
        "($1::text IS NULL OR o.status = $1) AND ($2::text IS NULL OR o.producer_id = $2) AND ($3::text IS NULL OR o.code = $3)",
        [filter.status ?? null, filter.producerId ?? null, filter.code?.toUpperCase() ?? null],
        limit,
      );
    },

    async ordersOfProducer(producerId, limit) {
      return readOrders(db.pool, ...visibleTo({ kind: "producer", producerId }, 1), limit);
    },

    async find(code, actor) {
      const [condition, values] = visibleTo(actor, 2);
      return (await readOrders(db.pool, `o.code = $1 AND ${condition}`, [code.toUpperCase(), ...values], 1))[0];
    },

    async changeStatus(code, status, actor, note, notice) {
      const allowedFrom = ALLOWED_FROM[actor.kind][status] ?? [];
      const result = await db.transaction(async (client) => {
        const [condition, values] = visibleTo(actor, 2);
        const found = await client.query<{ id: string; status: OrderStatus }>(
          `SELECT o.id, o.status FROM orders o WHERE o.code = $1 AND ${condition} FOR UPDATE`,
          [code.toUpperCase(), ...values],
        );
        const row = found.rows[0];
        if (!row) return { outcome: { ok: false, reason: "not_found" } as const, notified: [] };
        if (!allowedFrom.includes(row.status)) {
          const [order] = await readOrders(client, "o.id = $1", [row.id], 1);
          return { outcome: { ok: false, reason: "not_allowed", order: order! } as const, notified: [] };
        }
        await client.query("UPDATE orders SET status = $2, updated_at = now() WHERE id = $1", [row.id, status]);
        await client.query("INSERT INTO order_status_history (order_id, status, actor, note, operator_email) VALUES ($1, $2, $3, $4, $5)", [
          row.id, status, actor.kind, note ?? null, actor.kind === "producer" ? (actor.operator ?? null) : null,
        ]);
        const [order] = await readOrders(client, "o.id = $1", [row.id], 1);
        const recipients = actor.kind === "producer" ? [order!.buyer] : await producerChats(client, order!.producer.id);
        return { outcome: { ok: true, order: order! } as const, notified: await queueNotices(client, channels, recipients, notice(order!)) };
      });
      if (result.notified.length > 0) onNotice(result.notified);
      return result.outcome;
    },

    async producerOf(user) {
      const { rows } = await db.pool.query<{ id: string; name: string }>(
        `SELECT r.id, r.name FROM producer_chats c JOIN producers r ON r.id = c.producer_id WHERE c.channel = $1 AND c.user_id = $2`,
        [user.channel, user.userId],
      );
      return rows[0];
    },

    async linkProducer(code, user) {
      return db.transaction(async (client) => {
        const { rows } = await client.query<{ id: string; name: string }>(
          `UPDATE producer_link_codes l SET used_at = now() FROM producers r
           WHERE l.code_hash = $1 AND l.used_at IS NULL AND l.expires_at > now() AND r.id = l.producer_id
           RETURNING r.id, r.name`,
          [hashLinkCode(code)],
        );
        const producer = rows[0];
        if (!producer) {
          // The same chat using its code again (a retried turn) finds the link it already made.
          const again = await client.query<{ id: string; name: string }>(
            `SELECT r.id, r.name FROM producer_link_codes l JOIN producers r ON r.id = l.producer_id
             JOIN producer_chats c ON c.producer_id = r.id AND c.channel = $2 AND c.user_id = $3
             WHERE l.code_hash = $1 AND l.used_at IS NOT NULL`,
            [hashLinkCode(code), user.channel, user.userId],
          );
          return again.rows[0];
        }
        await client.query(
          `INSERT INTO producer_chats (channel, user_id, chat_id, producer_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (channel, user_id) DO UPDATE SET chat_id = excluded.chat_id, producer_id = excluded.producer_id, linked_at = now()`,
          [user.channel, user.userId, user.chatId, producer.id],
        );
        return producer;
      });
    },
  };
}
