import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../adapters/db/database.ts";
import { createUserTurns } from "../adapters/db/user-turns.ts";
import { buildHttpServer, type HttpOptions } from "../adapters/http/server.ts";
import { createLogger } from "../adapters/logger.ts";
import { openAssistant, type Assistant } from "../app/compose.ts";
import { databaseKinds } from "./support/databases.ts";
import { testLogger } from "./support/logger.ts";

const generous = { perAddressPerMinute: 10_000, perUserPerMinute: 10_000, queuedPerUser: 1_000 };

/** Sends one chat message; resolves to the status, the Retry-After header and the body. */
async function chat(base: string, user: string, text: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/api/chat`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ user, text }) });
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as Record<string, unknown> };
}

async function turnsOf(assistant: Assistant, user: string): Promise<number> {
  const { rows } = await assistant.db.pool.query<{ turns: number }>("SELECT (state->>'turns')::int AS turns FROM conversations WHERE channel = 'web' AND user_id = $1", [user]);
  return rows[0]?.turns ?? 0;
}

describe("the public web chat under abuse", () => {
  let assistant: Assistant;
  const servers: FastifyInstance[] = [];

  beforeAll(async () => {
    assistant = await openAssistant({ database: { memory: true }, logger: testLogger });
  }, 120_000);
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  afterAll(async () => {
    await assistant.close();
  });

  async function serve(options: HttpOptions): Promise<string> {
    const server = buildHttpServer(assistant, testLogger, [], options);
    servers.push(server);
    return server.listen({ port: 0, host: "127.0.0.1" });
  }

  it("limits one client address, with 429, Retry-After and a bilingual 'slow down'", async () => {
    const base = await serve({ webChat: { ...generous, perAddressPerMinute: 5 } });
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof chat>> | undefined;
    for (let i = 0; i < 7; i++) {
      const result = await chat(base, `address-${i}`, "xin chào");
      statuses.push(result.status);
      if (result.status === 429) limited = result;
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(limited!.retryAfter)).toBeGreaterThan(0);
    expect(limited!.body.error).toMatch(/gửi nhanh quá/);
    expect(limited!.body.error).toMatch(/too fast/);
    expect(limited!.body.retryAfter).toBe(Number(limited!.retryAfter));
  });

  it("limits one user id, whatever the address, and leaves other users alone", async () => {
    const base = await serve({ webChat: { ...generous, perUserPerMinute: 3 } });
    const one = [];
    for (let i = 0; i < 4; i++) one.push((await chat(base, "chatty", "hi")).status);
    expect(one).toEqual([200, 200, 200, 429]);
    expect((await chat(base, "quiet", "hi")).status).toBe(200);
  });

  it("reads the client address from X-Forwarded-For only when told to trust the proxy", async () => {
    const trusting = await serve({ trustProxy: true, webChat: { ...generous, perAddressPerMinute: 2 } });
    const from = (address: string) => chat(trusting, `proxy-${address}-${Math.random()}`, "hi", { "x-forwarded-for": address });
    expect([(await from("203.0.113.1")).status, (await from("203.0.113.1")).status, (await from("203.0.113.1")).status]).toEqual([200, 200, 429]);
    expect((await from("203.0.113.2")).status).toBe(200);

    const direct = await serve({ webChat: { ...generous, perAddressPerMinute: 2 } });
    const spoofed = (address: string) => chat(direct, `spoof-${Math.random()}`, "hi", { "x-forwarded-for": address });
    // A forged header does not buy a fresh allowance: without a trusted proxy, the socket's address counts.
    expect([(await spoofed("198.51.100.1")).status, (await spoofed("198.51.100.2")).status, (await spoofed("198.51.100.3")).status]).toEqual([200, 200, 429]);
  });

  it("answers a burst for one user one at a time: every message answered, none a 5xx", async () => {
    const base = await serve({ webChat: generous });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => chat(base, "burst", i % 2 === 0 ? "giá tỏi" : "hội lim ngày nào")));
    expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    expect(await turnsOf(assistant, "burst")).toBe(40);
  });

  it("refuses what would wait too long for one user with 429, never a 5xx, and answers the rest", async () => {
    const base = await serve({ webChat: { ...generous, queuedPerUser: 2 } });
    const results = await Promise.all(Array.from({ length: 30 }, () => chat(base, "flood", "Hội đồng nào chấm điểm sản phẩm OCOP cấp tỉnh?")));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    const answered = statuses.filter((s) => s === 200).length;
    expect(answered).toBeGreaterThanOrEqual(2);
    const refused = results.find((r) => r.status === 429);
    if (refused) expect(refused.body.error).toMatch(/Still answering/);
    expect(await turnsOf(assistant, "flood")).toBe(answered);
  });
});

describe("one turn at a time per user", () => {
  it("runs a user's turns in arrival order, refuses beyond the queue, and leaves other users free", async () => {
    const db = await openDatabase({ memory: true });
    const turns = createUserTurns(db, 3);
    try {
      const started: string[] = [];
      const gates: (() => void)[] = [];
      const work = (name: string) => () => new Promise<string>((resolve) => {
        started.push(name);
        gates.push(() => resolve(name));
      });
      const first = turns.run("u", work("a"));
      const second = turns.run("u", work("b"));
      const third = turns.run("u", work("c"));
      expect(await turns.run("u", work("d"))).toEqual({ kind: "busy" });
      const other = turns.run("v", work("x"));
      await new Promise((resolve) => setTimeout(resolve, 20));
      // Only the first of "u" has started; "v" is not held behind "u".
      expect(started).toEqual(["a", "x"]);
      gates.shift()!();
      gates.shift()!();
      expect(await first).toEqual({ kind: "done", value: "a" });
      expect(await other).toEqual({ kind: "done", value: "x" });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(started).toEqual(["a", "x", "b"]);
      gates.shift()!();
      await second;
      await new Promise((resolve) => setTimeout(resolve, 20));
      gates.shift()!();
      expect(await third).toEqual({ kind: "done", value: "c" });
      expect(started).toEqual(["a", "x", "b", "c"]);
    } finally {
      await turns.close();
      await db.close();
    }
  });
});

describe("error bodies", () => {
  it("carry a request id the log line has too, and no internal text", async () => {
    const lines: string[] = [];
    const capture = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const logger = createLogger("error", capture);
    const assistant = await openAssistant({ database: { memory: true }, logger: testLogger });
    const server = buildHttpServer(assistant, logger);
    const base = await server.listen({ port: 0, host: "127.0.0.1" });
    try {
      // A closed database makes the turn fail inside: the user gets a 500 that says nothing of why.
      await assistant.close();
      const result = await chat(base, "unlucky", "xin chào");
      expect(result.status).toBe(500);
      expect(result.body.error).toBe("internal error");
      expect(result.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.stringify(result.body)).not.toMatch(/pool|pglite|sql|stack|Error:/i);
      const logged = lines.map((line) => JSON.parse(line) as { requestId?: string; msg?: string });
      expect(logged.some((line) => line.requestId === result.body.requestId && line.msg === "request failed")).toBe(true);
    } finally {
      await server.close();
    }
  });
});

const postgres = databaseKinds.find((kind) => kind.name === "postgres")!;

describe.skipIf(!postgres.available)(`one answer at a time across instances on ${postgres.label}`, () => {
  it("holds a user's second turn, on another instance, until the first is done", async () => {
    const fresh = await postgres.create();
    const [one, two] = await Promise.all([openDatabase(fresh.target), openDatabase(fresh.target)]);
    const [first, second] = [createUserTurns(one, 5), createUserTurns(two, 5)];
    try {
      const events: string[] = [];
      let release!: () => void;
      const held = first.run("u", () => new Promise<void>((resolve) => {
        events.push("first started");
        release = () => (events.push("first done"), resolve());
      }));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const next = second.run("u", async () => void events.push("second started"));
      const elsewhere = second.run("v", async () => void events.push("other user started"));
      await elsewhere;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(events).toEqual(["first started", "other user started"]);
      release();
      await Promise.all([held, next]);
      expect(events).toEqual(["first started", "other user started", "first done", "second started"]);
    } finally {
      await Promise.all([first.close(), second.close()]);
      await Promise.all([one.close(), two.close()]);
      await fresh.drop();
    }
  }, 60_000);

  it("two instances on one database answer every message of a user's burst, none a 5xx", async () => {
    const fresh = await postgres.create();
    const first = await openAssistant({ database: fresh.target, logger: testLogger });
    const second = await openAssistant({ database: fresh.target, logger: testLogger });
    const servers = [buildHttpServer(first, testLogger, [], { webChat: generous }), buildHttpServer(second, testLogger, [], { webChat: generous })];
    try {
      const bases = await Promise.all(servers.map((server) => server.listen({ port: 0, host: "127.0.0.1" })));
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => chat(bases[i % 2]!, "shared", "giá kẹo lạc")));
      expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
      expect(await turnsOf(first, "shared")).toBe(30);
    } finally {
      await Promise.all(servers.map((server) => server.close()));
      await first.close();
      await second.close();
      await fresh.drop();
    }
  }, 120_000);
});
