/**
 * Exactly-once orders under load: many buyers confirm at the same moment, each confirmation delivered
 * twice and followed by a second quick "đồng ý". Every buyer must end with exactly one order.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { InboundEvent } from "../bot/types.ts";
import { say } from "./support/conversation.ts";
import { assistantOn } from "./support/assistant.ts";
import { databaseKinds } from "./support/databases.ts";

// The embedded database has one connection, so it gets a smaller crowd; PostgreSQL gets the full 200.
const BUYERS = { pglite: 30, postgres: 200 } as const;

describe.each(databaseKinds)("concurrent order confirmations on $label", (kind) => {
  const assistantFor = assistantOn(kind);

  it.skipIf(!kind.available)(`stores ${BUYERS[kind.name]} orders for ${BUYERS[kind.name]} buyers confirming at once, no duplicate, none lost`, async () => {
    const assistant = assistantFor();
    const buyers = Array.from({ length: BUYERS[kind.name] }, (_, i) => `buyer-${i}`);
    // Fill in every buyer's draft, ten buyers at a time.
    for (let i = 0; i < buyers.length; i += 10) {
      await Promise.all(
        buyers.slice(i, i + 10).map(async (buyer, j) => {
          const n = i + j;
          await say(assistant, buyer, `mua ${1 + (n % 5)} goi keo lac`);
          await say(assistant, buyer, "Khach Hang");
          await say(assistant, buyer, `09${String(n).padStart(8, "0")}`);
          const summary = await say(assistant, buyer, `so ${n + 1} duong Ngo Gia Tu, Bac Ninh`);
          expect(summary.intent).toBe("order_summary");
        }),
      );
    }

    const event = (buyer: string, text: string): InboundEvent => ({ channel: "cli", eventId: randomUUID(), userId: buyer, chatId: buyer, text, receivedAt: new Date() });
    const responses = await Promise.all(
      buyers.flatMap((buyer) => {
        const confirmation = event(buyer, "ok");
        return [assistant.receive(confirmation), assistant.receive(confirmation), assistant.receive(event(buyer, "đồng ý"))];
      }),
    );
    expect(responses.filter((response) => response === undefined)).toHaveLength(buyers.length); // each duplicate delivery

    const { rows } = await assistant.db.pool.query<{ buyer_user_id: string; orders: number; total: string; lines: number; history: number }>(
      `SELECT o.buyer_user_id, count(DISTINCT o.id)::int AS orders, min(o.total_vnd) AS total,
              count(DISTINCT i.line)::int AS lines, count(DISTINCT h.id)::int AS history
       FROM orders o JOIN order_items i ON i.order_id = o.id JOIN order_status_history h ON h.order_id = o.id
       GROUP BY o.buyer_user_id`,
    );
    expect(rows).toHaveLength(buyers.length);
    for (const row of rows) {
      const n = Number(row.buyer_user_id.slice("buyer-".length));
      expect(row, row.buyer_user_id).toEqual({ buyer_user_id: row.buyer_user_id, orders: 1, total: String((1 + (n % 5)) * 45_000), lines: 1, history: 1 });
    }
    const { rows: codes } = await assistant.db.pool.query<{ n: number; codes: number }>("SELECT count(*)::int AS n, count(DISTINCT code)::int AS codes FROM orders");
    expect(codes[0]).toEqual({ n: buyers.length, codes: buyers.length });
  }, 300_000);
});
