/**
 * The operator console's JSON API over a real socket, on PGlite and on PostgreSQL: sign-in and its
 * limits, sessions, CSRF, roles, validation, order transitions that tell the buyer once, catalogue
 * edits that chat answers use at once, masking, the figures and the audit log.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildHttpServer } from "../adapters/http/server.ts";
import { openAssistant, type Assistant } from "../app/compose.ts";
import { buyerStatusNotice } from "../bot/texts/orders.ts";
import type { BotResponse, ChannelName } from "../bot/types.ts";
import { databaseKinds } from "./support/databases.ts";
import { testLogger } from "./support/logger.ts";

const PASSWORD = "correct horse battery";
const text = (response: BotResponse) => response.replies.map((r) => r.text).join("\n");

/** A browser-like client: keeps the session cookie and the CSRF token; `address` is sent as X-Forwarded-For. */
class Client {
  cookie = "";
  csrf = "";
  constructor(
    readonly base: string,
    readonly address = "10.0.0.1",
  ) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${this.base}/admin/api${path}`, {
      method,
      headers: {
        "x-forwarded-for": this.address,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf && method !== "GET" ? { "x-csrf-token": this.csrf } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const setCookie = response.headers.get("set-cookie");
    if (setCookie) this.cookie = setCookie.split(";")[0]!;
    const data = response.status === 204 ? {} : ((await response.json()) as Record<string, any>);
    return { status: response.status, body: data, headers: response.headers, setCookie };
  }

  async signIn(email: string, password = PASSWORD) {
    const result = await this.call("POST", "/session", { email, password });
    if (result.status === 200) this.csrf = result.body.csrfToken;
    return result;
  }
}

for (const kind of databaseKinds) {
  describe.skipIf(!kind.available)(`the console API on ${kind.label}`, () => {
    let assistant: Assistant;
    let drop: () => Promise<void>;
    let server: FastifyInstance;
    let base: string;

    beforeAll(async () => {
      const fresh = await kind.create();
      drop = fresh.drop;
      assistant = await openAssistant({ database: fresh.target, logger: testLogger });
      const { operators } = assistant.console;
      await operators.upsert({ email: "admin@ocop.test", password: PASSWORD, role: "admin" });
      await operators.upsert({ email: "Editor@OCOP.test", password: PASSWORD, role: "editor" });
      await operators.upsert({ email: "toan@ocop.test", password: PASSWORD, role: "producer", producerId: "co-so-vu-cong-toan" });
      await operators.upsert({ email: "ptk@ocop.test", password: PASSWORD, role: "producer", producerId: "cong-ty-ptk-879" });
      server = buildHttpServer(assistant, testLogger, [], { trustProxy: true });
      base = await server.listen({ port: 0, host: "127.0.0.1" });
    }, 120_000);
    afterAll(async () => {
      await server?.close();
      await assistant?.close();
      await drop?.();
    });

    const send = async (channel: ChannelName, user: string, message: string) =>
      (await assistant.receive({ channel, eventId: randomUUID(), userId: user, chatId: `chat-${user}`, text: message, receivedAt: new Date() }))!;
    /** A buyer orders through the whole chat dialog; resolves to the order code. */
    const orderByChat = async (channel: ChannelName, user: string, product: string) => {
      await send(channel, user, `cho mình đặt 2 gói ${product}`);
      await send(channel, user, "Trần Văn An");
      await send(channel, user, "0912345678");
      await send(channel, user, "số 5 Lý Thái Tổ, phường Kinh Bắc, Bắc Ninh");
      const placed = await send(channel, user, "xác nhận");
      expect(placed.intent).toBe("order_placed");
      return /DH-[A-Z0-9]{5}/.exec(text(placed))![0];
    };
    const outboxFor = async (chatId: string) =>
      (await assistant.db.pool.query<{ text: string }>("SELECT reply->>'text' AS text FROM outbox WHERE chat_id = $1 ORDER BY id", [chatId])).rows.map((row) => row.text);

    describe("signing in", () => {
      it("answers the session, a CSRF token and a cookie that scripts and other sites cannot use", async () => {
        const client = new Client(base, "10.1.0.1");
        const result = await client.signIn("ADMIN@ocop.test ");
        expect(result.status).toBe(200);
        expect(result.body.operator).toEqual({ email: "admin@ocop.test", role: "admin", producerId: null });
        expect(result.body.csrfToken).toMatch(/^[\w-]{40,}$/);
        expect(result.setCookie).toMatch(/^ocop_admin=[\w-]{40,}; Path=\/admin; HttpOnly; SameSite=Strict$/);
        expect(result.headers.get("cache-control")).toBe("no-store");
        expect((await client.call("GET", "/session")).body.operator.email).toBe("admin@ocop.test");
      });

      it("marks the cookie Secure when the console is served over https", async () => {
        const secure = buildHttpServer(assistant, testLogger, [], { trustProxy: true, secureCookies: true });
        try {
          const result = await new Client(await secure.listen({ port: 0, host: "127.0.0.1" }), "10.1.0.2").signIn("admin@ocop.test");
          expect(result.setCookie).toMatch(/; Secure/);
        } finally {
          await secure.close();
        }
      });

      it("gives a wrong password and an unknown email the same answer, and stores only hashes", async () => {
        const wrong = await new Client(base, "10.1.0.3").signIn("admin@ocop.test", "not the password");
        const unknown = await new Client(base, "10.1.0.3").signIn("nobody@ocop.test", "not the password");
        expect(wrong.status).toBe(401);
        expect(unknown.status).toBe(401);
        expect(unknown.body).toEqual(wrong.body);
        expect(wrong.setCookie).toBeNull();
        const { rows } = await assistant.db.pool.query<{ password_hash: string }>("SELECT password_hash FROM operators WHERE email = 'admin@ocop.test'");
        expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
        const sessions = await assistant.db.pool.query<{ id_hash: string }>("SELECT id_hash FROM operator_sessions");
        expect(sessions.rows.every((row) => /^[0-9a-f]{64}$/.test(row.id_hash))).toBe(true);
      });

      it("refuses with 429 after 10 failures in 15 minutes for one account, from any address, even with the right password", async () => {
        await assistant.console.operators.upsert({ email: "target@ocop.test", password: PASSWORD, role: "editor" });
        for (let i = 0; i < 10; i++) expect((await new Client(base, `10.2.0.${i}`).signIn("target@ocop.test", "guess")).status).toBe(401);
        const limited = await new Client(base, "10.2.0.99").signIn("target@ocop.test");
        expect(limited.status).toBe(429);
        expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(800);
        expect(limited.body.retryAfter).toBe(Number(limited.headers.get("retry-after")));
        // Other accounts are not locked out by it.
        expect((await new Client(base, "10.2.0.100").signIn("admin@ocop.test")).status).toBe(200);
      });

      it("refuses with 429 after 10 failures in 15 minutes from one address, whatever the account", async () => {
        const client = new Client(base, "10.3.0.1");
        for (let i = 0; i < 10; i++) expect((await client.signIn(`nobody-${i}@ocop.test`, "guess")).status).toBe(401);
        expect((await client.signIn("admin@ocop.test")).status).toBe(429);
        expect((await new Client(base, "10.3.0.2").signIn("admin@ocop.test")).status).toBe(200);
      });

      it("rejects a malformed sign-in with 400", async () => {
        expect((await new Client(base, "10.1.0.4").call("POST", "/session", { email: "admin@ocop.test" })).status).toBe(400);
        expect((await new Client(base, "10.1.0.4").call("POST", "/session", "x".repeat(10))).status).toBe(400);
      });
    });

    describe("sessions", () => {
      it("rotates the session id at sign-in: the cookie held before no longer opens anything", async () => {
        const client = new Client(base, "10.4.0.1");
        await client.signIn("editor@ocop.test");
        const first = client.cookie;
        await client.signIn("editor@ocop.test");
        expect(client.cookie).not.toBe(first);
        expect((await client.call("GET", "/orders")).status).toBe(200);
        expect((await client.call("GET", "/orders", undefined, { cookie: first })).status).toBe(401);
      });

      it("ends the session at sign-out, when idle too long, and at the absolute limit", async () => {
        const client = new Client(base, "10.4.0.2");
        await client.signIn("editor@ocop.test");
        expect((await client.call("DELETE", "/session")).status).toBe(204);
        expect((await client.call("GET", "/orders")).status).toBe(401);

        await client.signIn("editor@ocop.test");
        await assistant.db.pool.query("UPDATE operator_sessions SET last_seen_at = now() - interval '31 minutes'");
        expect((await client.call("GET", "/orders")).status).toBe(401);

        await client.signIn("editor@ocop.test");
        expect((await client.call("GET", "/orders")).status).toBe(200);
        await assistant.db.pool.query("UPDATE operator_sessions SET expires_at = now() - interval '1 second'");
        expect((await client.call("GET", "/orders")).status).toBe(401);
      });

      it("answers 401 without a session on every route, and 403 for a change without the CSRF token or from another origin", async () => {
        const anonymous = new Client(base, "10.4.0.3");
        for (const [method, path] of [["GET", "/orders"], ["GET", "/products"], ["GET", "/conversations"], ["GET", "/stats"], ["GET", "/operators"], ["GET", "/audit"], ["GET", "/session"], ["PATCH", "/products/che-lam-trang-toan"], ["POST", "/orders/DH-AAAAA/status"]] as const) {
          expect((await anonymous.call(method, path, method === "GET" ? undefined : {})).status, `${method} ${path}`).toBe(401);
        }
        const client = new Client(base, "10.4.0.4");
        await client.signIn("admin@ocop.test");
        const token = client.csrf;
        client.csrf = "";
        expect((await client.call("PATCH", "/products/che-lam-trang-toan", { price: 1 })).status).toBe(403);
        expect((await client.call("PATCH", "/products/che-lam-trang-toan", { price: 1 }, { "x-csrf-token": `${token.slice(0, -1)}x` })).status).toBe(403);
        expect((await client.call("DELETE", "/session")).status).toBe(403);
        client.csrf = token;
        expect((await client.call("PATCH", "/products/che-lam-trang-toan", { available: true }, { origin: "https://evil.example" })).status).toBe(403);
        expect((await client.call("PATCH", "/products/che-lam-trang-toan", { available: true }, { origin: base })).status).toBe(200);
      });
    });

    describe("orders", () => {
      let code: string;
      beforeAll(async () => {
        code = await orderByChat("telegram", "buyer-1", "chè lam Trang Toàn");
      });

      it("lists orders with their totals from the database, filtered by status and producer", async () => {
        const admin = new Client(base, "10.5.0.1");
        await admin.signIn("admin@ocop.test");
        const { body } = await admin.call("GET", "/orders?status=pending&producer=co-so-vu-cong-toan");
        const order = body.orders.find((o: { code: string }) => o.code === code);
        expect(order).toMatchObject({ status: "pending", producerId: "co-so-vu-cong-toan", total: 80_000, phone: "0912345678", channel: "telegram" });
        expect(new Date(order.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
        expect((await admin.call("GET", "/orders?producer=cong-ty-ptk-879")).body.orders.some((o: { code: string }) => o.code === code)).toBe(false);
        expect((await admin.call("GET", "/orders?status=shipped")).status).toBe(400);
      });

      it("changes a status with the chat commands' rules, records who did it, and tells the buyer exactly once", async () => {
        const producer = new Client(base, "10.5.0.2");
        await producer.signIn("toan@ocop.test");
        const before = await outboxFor("chat-buyer-1");
        const confirmed = await producer.call("POST", `/orders/${code}/status`, { status: "confirmed", note: "Mai giao" });
        expect(confirmed.status).toBe(200);
        expect(confirmed.body.order.status).toBe("confirmed");
        const told = (await outboxFor("chat-buyer-1")).slice(before.length);
        const [order] = await assistant.console.orders.list({ code }, 1);
        expect(told).toEqual([buyerStatusNotice(order!)]);
        expect(order!.history.at(-1)).toMatchObject({ status: "confirmed", actor: "producer", note: "Mai giao", operator: "toan@ocop.test" });

        // Confirming again is refused with the reason, and the buyer hears nothing more.
        const again = await producer.call("POST", `/orders/${code}/status`, { status: "confirmed" });
        expect(again.status).toBe(409);
        expect(again.body.error).toMatch(/confirmed cannot become confirmed/);
        expect((await outboxFor("chat-buyer-1")).length).toBe(before.length + 1);
        expect((await producer.call("POST", `/orders/${code}/status`, { status: "pending" })).status).toBe(400);
      });

      it("shows a producer only their own orders; another producer's is 404", async () => {
        const other = new Client(base, "10.5.0.3");
        await other.signIn("ptk@ocop.test");
        expect((await other.call("GET", "/orders")).body.orders.some((o: { code: string }) => o.code === code)).toBe(false);
        expect((await other.call("GET", "/orders?producer=co-so-vu-cong-toan")).body.orders).toEqual([]);
        expect((await other.call("GET", `/orders/${code}`)).status).toBe(404);
        expect((await other.call("POST", `/orders/${code}/status`, { status: "shipping" })).status).toBe(404);
        expect((await other.call("POST", `/orders/${code}/block`, { blocked: true })).status).toBe(404);
        const [order] = await assistant.console.orders.list({ code }, 1);
        expect(order!.status).toBe("confirmed");
      });

      it("masks the buyer's phone and address for an editor, not for an admin or the order's producer", async () => {
        const editor = new Client(base, "10.5.0.4");
        await editor.signIn("editor@ocop.test");
        const masked = (await editor.call("GET", `/orders/${code}`)).body.order;
        expect(masked.phone).toBe("09•••••78");
        expect(masked.address).toBe("•••, Bắc Ninh");
        const producer = new Client(base, "10.5.0.5");
        await producer.signIn("toan@ocop.test");
        expect((await producer.call("GET", `/orders/${code}`)).body.order.phone).toBe("0912345678");

        const transcript = (await editor.call("GET", "/conversations/telegram/buyer-1")).body;
        const all = JSON.stringify(transcript.turns);
        expect(all).not.toMatch(/0912345678|Lý Thái Tổ|Trần Văn An/);
        expect(all).toMatch(/09•••••78/);
        const admin = new Client(base, "10.5.0.6");
        await admin.signIn("admin@ocop.test");
        expect(JSON.stringify((await admin.call("GET", "/conversations/telegram/buyer-1")).body.turns)).toMatch(/0912345678/);
      });

      it("lets the order's producer block its buyer from the console", async () => {
        const producer = new Client(base, "10.5.0.7");
        await producer.signIn("toan@ocop.test");
        expect((await producer.call("POST", `/orders/${code}/block`, { blocked: true })).status).toBe(200);
        await send("telegram", "buyer-1", "cho mình đặt 1 gói kẹo lạc Trang Toàn");
        await send("telegram", "buyer-1", "Trần Văn An");
        await send("telegram", "buyer-1", "0912345678");
        await send("telegram", "buyer-1", "số 5 Lý Thái Tổ, phường Kinh Bắc, Bắc Ninh");
        expect((await send("telegram", "buyer-1", "xác nhận")).intent).toBe("order_blocked");
        expect((await producer.call("POST", `/orders/${code}/block`, { blocked: false })).status).toBe(200);
      });
    });

    describe("the catalogue", () => {
      it("applies a price edit to chat answers at once, clears the sample flag, and audits before → after", async () => {
        const editor = new Client(base, "10.6.0.1");
        await editor.signIn("editor@ocop.test");
        const edited = await editor.call("PATCH", "/products/keo-lac-trang-toan", { price: 52_000 });
        expect(edited.status).toBe(200);
        expect(edited.body.product).toMatchObject({ price: 52_000, priceIsSample: false });
        const answer = text(await send("cli", "asker", "kẹo lạc Trang Toàn giá bao nhiêu?"));
        expect(answer).toMatch(/52\.000/);
        expect(answer).not.toMatch(/45\.000/);
        const quote = await assistant.console.orders.quote([{ productId: "keo-lac-trang-toan", quantity: 2 }]);
        expect(quote.totalVnd).toBe(104_000);
        const { rows } = await assistant.db.pool.query<{ operator_email: string; before: { price: number }; after: { price: number } }>(
          "SELECT operator_email, before, after FROM audit_log WHERE action = 'product.update' AND target = 'keo-lac-trang-toan' ORDER BY id DESC LIMIT 1",
        );
        expect(rows[0]).toMatchObject({ operator_email: "editor@ocop.test", before: { price: 45_000 }, after: { price: 52_000 } });
      });

      it("rejects invalid changes with 400 naming each field", async () => {
        const editor = new Client(base, "10.6.0.2");
        await editor.signIn("editor@ocop.test");
        const bad = await editor.call("PATCH", "/products/keo-lac-trang-toan", { price: -1, stars: 9, colour: "red" });
        expect(bad.status).toBe(400);
        expect(Object.keys(bad.body.fields).sort()).toEqual(["body", "price", "stars"]);
        expect((await editor.call("PATCH", "/products/keo-lac-trang-toan", {})).status).toBe(400);
        expect((await editor.call("PATCH", "/products/keo-lac-trang-toan", { price: "50000" })).status).toBe(400);
        expect((await editor.call("PATCH", "/products/no-such-product", { price: 1 })).status).toBe(404);
      });

      it("adds a product that chat can sell at once, and refuses a duplicate", async () => {
        const producer = new Client(base, "10.6.0.3");
        await producer.signIn("toan@ocop.test");
        const body = { producerId: "co-so-vu-cong-toan", name: "Bánh gai Trang Toàn", nameEn: "Trang Toan gai cake", group: "thuc-pham", unit: "hộp", unitEn: "box", price: 70_000 };
        const created = await producer.call("POST", "/products", body);
        expect(created.status).toBe(201);
        expect(created.body.product).toMatchObject({ id: "banh-gai-trang-toan", price: 70_000, priceIsSample: false, available: true });
        expect((await producer.call("POST", "/products", body)).status).toBe(409);
        expect((await producer.call("POST", "/products", { ...body, producerId: "cong-ty-ptk-879", name: "Khác" })).status).toBe(404);
        expect((await producer.call("POST", "/products", { ...body, group: "nope" })).status).toBe(400);
        expect(text(await send("cli", "asker-2", "bánh gai Trang Toàn giá bao nhiêu"))).toMatch(/70\.000/);
      });

      it("lets a producer see and change only their own products", async () => {
        const producer = new Client(base, "10.6.0.4");
        await producer.signIn("ptk@ocop.test");
        const { body } = await producer.call("GET", "/products");
        expect(body.products.length).toBeGreaterThan(0);
        expect(body.products.every((p: { producerId: string }) => p.producerId === "cong-ty-ptk-879")).toBe(true);
        expect((await producer.call("PATCH", "/products/keo-lac-trang-toan", { price: 1 })).status).toBe(404);
        expect((await producer.call("PATCH", "/products/mam-tep-chung-thit-ptk", { available: false })).status).toBe(200);
        expect((await producer.call("PATCH", "/products/mam-tep-chung-thit-ptk", { available: true })).status).toBe(200);
      });
    });

    describe("conversations, figures, operators and the audit log", () => {
      beforeAll(async () => {
        await send("web", "tourist-1", "Hội Lim năm nay tổ chức ngày nào?");
        await send("web", "tourist-1", "thời tiết ngày mai thế nào");
        await send("zalo", "farmer-1", "Làm sao để được hỗ trợ kinh phí cho sản phẩm OCOP 4 sao?");
      });

      it("finds conversations by words typed without diacritics, by channel and by date, and shows each turn's intent and sources", async () => {
        const editor = new Client(base, "10.7.0.1");
        await editor.signIn("editor@ocop.test");
        const found = (await editor.call("GET", "/conversations?q=hoi%20lim")).body.conversations;
        expect(found.map((c: { userId: string }) => c.userId)).toContain("tourist-1");
        expect((await editor.call("GET", "/conversations?q=hoi%20lim&channel=zalo")).body.conversations).toEqual([]);
        expect((await editor.call("GET", "/conversations?q=hoi%20lim&to=2020-01-01")).body.conversations).toEqual([]);
        expect((await editor.call("GET", "/conversations?from=yesterday")).status).toBe(400);
        const { turns } = (await editor.call("GET", "/conversations/web/tourist-1")).body;
        expect(turns.map((t: { text: string }) => t.text)).toEqual(["Hội Lim năm nay tổ chức ngày nào?", "thời tiết ngày mai thế nào"]);
        expect(turns[0].intent).not.toBe("off_topic");
        expect(turns[0].sources.length).toBeGreaterThan(0);
        expect(turns[0].understanding.score).toBeGreaterThan(0);
        expect(turns[1].intent).toBe("off_topic");
        expect((await editor.call("GET", "/conversations/web/nobody")).status).toBe(404);
      });

      it("gives the figures: messages per day per channel, top intents, don't-know and off-topic shares, orders by status, latency", async () => {
        const editor = new Client(base, "10.7.0.2");
        await editor.signIn("editor@ocop.test");
        const stats = (await editor.call("GET", "/stats")).body;
        const count = async (condition: string) => Number((await assistant.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM turns WHERE ${condition}`)).rows[0]!.n);
        const total = await count("true");
        expect(stats.turns).toBe(total);
        expect(stats.messagesPerDay.find((row: { channel: string }) => row.channel === "zalo").messages).toBe(await count("channel = 'zalo'"));
        expect(stats.offTopicShare).toBeCloseTo((await count("intent = 'off_topic'")) / total, 2);
        expect(stats.unknownShare).toBeCloseTo((await count("intent = 'unknown' OR intent LIKE '%\\_unknown'")) / total, 2);
        expect(stats.topIntents[0].turns).toBeGreaterThanOrEqual(stats.topIntents.at(-1).turns);
        expect(stats.ordersByStatus.find((row: { status: string }) => row.status === "confirmed").orders).toBeGreaterThanOrEqual(1);
        expect(stats.latencyMs.p95).toBeGreaterThanOrEqual(stats.latencyMs.p50);
        expect((await editor.call("GET", "/stats?from=2026-12-02&to=2026-01-01")).status).toBe(400);
        const past = (await editor.call("GET", "/stats?from=2020-01-01&to=2020-02-01")).body;
        expect(past).toMatchObject({ turns: 0, messagesPerDay: [], unknownShare: 0, latencyMs: { p50: null, p95: null } });
      });

      it("keeps conversations and figures from producers, and operators and the audit log from all but admins", async () => {
        const producer = new Client(base, "10.7.0.3");
        await producer.signIn("toan@ocop.test");
        for (const path of ["/conversations", "/conversations/web/tourist-1", "/stats", "/operators", "/audit"]) expect((await producer.call("GET", path)).status, path).toBe(403);
        const editor = new Client(base, "10.7.0.4");
        await editor.signIn("editor@ocop.test");
        for (const path of ["/operators", "/audit"]) expect((await editor.call("GET", path)).status, path).toBe(403);
        expect((await editor.call("POST", "/operators", { email: "x@ocop.test", password: PASSWORD, role: "admin" })).status).toBe(403);
      });

      it("lets an admin add and disable operators, ends a disabled operator's sessions, and audits every change without passwords", async () => {
        const admin = new Client(base, "10.7.0.5");
        await admin.signIn("admin@ocop.test");
        const created = await admin.call("POST", "/operators", { email: "new@ocop.test", password: PASSWORD, role: "editor" });
        expect(created.status).toBe(201);
        expect((await admin.call("POST", "/operators", { email: "bad@ocop.test", password: "short", role: "producer" })).body.fields).toHaveProperty("password");
        const newcomer = new Client(base, "10.7.0.6");
        expect((await newcomer.signIn("new@ocop.test")).status).toBe(200);
        const disabled = await admin.call("PATCH", `/operators/${created.body.operator.id}`, { disabled: true });
        expect(disabled.body.operator.disabled).toBe(true);
        expect((await newcomer.call("GET", "/orders")).status).toBe(401);
        expect((await newcomer.signIn("new@ocop.test")).status).toBe(401);

        const entries = (await admin.call("GET", "/audit")).body.entries as { action: string; operator: string; target: string }[];
        const actions = new Set(entries.map((entry) => entry.action));
        for (const action of ["order.status", "product.update", "product.create", "operator.create", "operator.disable", "session.sign_in"]) expect(actions).toContain(action);
        expect(JSON.stringify(entries)).not.toContain(PASSWORD);
        expect(entries[0]).toMatchObject({ action: "operator.disable", operator: "admin@ocop.test", target: "new@ocop.test" });
      });
    });

    it("serves the console page with a strict CSP, and its chart library from this origin", async () => {
      const page = await fetch(`${base}/admin`);
      expect(page.status).toBe(200);
      const csp = page.headers.get("content-security-policy")!;
      expect(csp).toMatch(/default-src 'none'/);
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
      const html = await page.text();
      expect(html).not.toMatch(/<script>|<style|style="|https?:\/\//);
      const chart = await fetch(`${base}/admin/chart.js`);
      expect(chart.status).toBe(200);
      expect(await chart.text()).toMatch(/Chart/);
    });
  });
}
