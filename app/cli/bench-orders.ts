/**
 * `npm run bench:orders [-- --database-url URL] [--buyers N] [--json]`: how fast the order dialog
 * answers each kind of turn, and how many confirmations a crowd of buyers gets stored per second
 * (each confirmation delivered twice, plus a second "đồng ý"), checking that every buyer ends with
 * exactly one order. Runs on PGlite, and on a fresh, dropped PostgreSQL database when a URL is given
 * or DATABASE_URL/TEST_DATABASE_URL is set.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { openAssistant, type Assistant } from "../compose.ts";
import type { InboundEvent } from "../../bot/types.ts";
import type { DatabaseTarget } from "../../adapters/db/database.ts";
import { createScratchDatabase } from "../../adapters/db/scratch-database.ts";
import { createLogger } from "../../adapters/logger.ts";
import { summarize, type Latency } from "./latency.ts";

const { values } = parseArgs({
  options: {
    "database-url": { type: "string" },
    buyers: { type: "string", default: "200" },
    json: { type: "boolean", default: false },
  },
});
const postgresUrl = values["database-url"] ?? process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const crowd = Number(values.buyers);
const log = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);
const logger = createLogger("silent");

/** The turns of one order, by kind; the summary and the confirmation read and write prices in the database. */
const TURNS = [
  ["order message", (n: number) => `cho mình đặt ${1 + (n % 5)} gói kẹo lạc Trang Toàn`],
  ["slot answer", () => "Nguyễn Văn An"],
  ["slot answer", (n: number) => `09${String(n).padStart(8, "0")}`],
  ["summary (priced)", (n: number) => `số ${n + 1} đường Ngô Gia Tự, Bắc Ninh`],
] as const;

const event = (user: string, text: string): InboundEvent => ({ channel: "cli", eventId: randomUUID(), userId: user, chatId: user, text, receivedAt: new Date() });

async function timed<T>(samples: number[], work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  samples.push(performance.now() - started);
  return result;
}

/** Fills in a buyer's draft up to the summary, recording each turn's latency by kind. */
async function fillDraft(assistant: Assistant, user: string, n: number, samples: Map<string, number[]>): Promise<void> {
  for (const [kind, text] of TURNS) {
    const list = samples.get(kind) ?? samples.set(kind, []).get(kind)!;
    await timed(list, () => assistant.receive(event(user, text(n))));
  }
}

interface Result {
  readonly database: "pglite" | "postgres";
  readonly turns: Record<string, Latency>;
  readonly crowd: { buyers: number; seconds: number; confirmationsPerSecond: number; orders: number; duplicates: number };
}

async function bench(name: Result["database"], target: DatabaseTarget, buyers: number): Promise<Result> {
  const assistant = await openAssistant({ database: target, logger });
  try {
    // One buyer at a time: the latency of each kind of turn, and of placing the order.
    const samples = new Map<string, number[]>();
    const placing: number[] = [];
    for (let n = 0; n < 60; n++) {
      await fillDraft(assistant, `solo-${n}`, n, samples);
      await timed(placing, () => assistant.receive(event(`solo-${n}`, "đồng ý")));
    }
    const turns = Object.fromEntries([...samples].map(([kind, list]) => [kind, summarize(list.slice(10))]));
    turns["confirmation (stores the order)"] = summarize(placing.slice(10));

    // A crowd confirming at once, each confirmation delivered twice and followed by a second "đồng ý".
    const users = Array.from({ length: buyers }, (_, n) => `crowd-${n}`);
    for (let i = 0; i < users.length; i += 10) {
      await Promise.all(users.slice(i, i + 10).map((user, j) => fillDraft(assistant, user, i + j, new Map())));
    }
    const started = performance.now();
    await Promise.all(
      users.flatMap((user) => {
        const confirmation = event(user, "ok");
        return [assistant.receive(confirmation), assistant.receive(confirmation), assistant.receive(event(user, "đồng ý"))];
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await assistant.db.pool.query<{ orders: number; buyers: number }>(
      "SELECT count(*)::int AS orders, count(DISTINCT buyer_user_id)::int AS buyers FROM orders WHERE buyer_user_id LIKE 'crowd-%'",
    );
    const { orders, buyers: withOrders } = rows[0]!;
    return {
      database: name,
      turns,
      crowd: { buyers, seconds: Math.round(seconds * 100) / 100, confirmationsPerSecond: Math.round(buyers / seconds), orders, duplicates: orders - withOrders },
    };
  } finally {
    await assistant.close();
  }
}

const results: Result[] = [];
log("orders benchmark: PGlite (in memory)…");
results.push(await bench("pglite", { memory: true }, Math.min(crowd, 50)));
if (postgresUrl) {
  log("orders benchmark: PostgreSQL (a fresh scratch database)…");
  const scratch = await createScratchDatabase(postgresUrl, "ocop_bench");
  try {
    results.push(await bench("postgres", { url: scratch.url }, crowd));
  } finally {
    await scratch.drop();
  }
} else {
  log("PostgreSQL skipped: set DATABASE_URL or TEST_DATABASE_URL, or pass --database-url");
}

if (values.json) {
  process.stdout.write(`${JSON.stringify(results)}\n`);
} else {
  for (const result of results) {
    log(`\n${result.database}: latency per turn, one buyer at a time (ms)`);
    for (const [kind, latency] of Object.entries(result.turns)) {
      log(`  ${kind.padEnd(34)} p50 ${String(latency.p50).padStart(6)}  p95 ${String(latency.p95).padStart(6)}  (n=${latency.n})`);
    }
    const c = result.crowd;
    log(`  ${c.buyers} buyers confirming at once (×3 deliveries each): ${c.seconds} s, ${c.confirmationsPerSecond} orders/s, ${c.orders} orders, ${c.duplicates} duplicates`);
  }
}
