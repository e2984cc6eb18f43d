/**
 * Telegram and Zalo end to end over real HTTP on 127.0.0.1: the service (in process, on PGlite) with
 * its webhook routes, chat worker and pg-boss, talking to local emulators of both Bot APIs.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildHttpServer } from "../adapters/http/server.ts";
import { openAssistant, openChannels, type Assistant, type ChannelConfig, type Channels, type KnowledgeOptions } from "../app/compose.ts";
import { SLOW_DOWN_TEXT } from "../bot/messages.ts";
import { freePort } from "./support/free-port.ts";
import { completion, startOpenAIStub } from "./support/openai-stub.ts";
import { testLogger } from "./support/logger.ts";
import { startTelegramEmulator, type TelegramEmulator } from "./support/telegram-emulator.ts";
import { makeTextUpdate, startZaloEmulator, type ZaloCall, type ZaloEmulator } from "./support/zalo-emulator.ts";

const TELEGRAM_TOKEN = "123456:TEST-telegram-token";
const ZALO_TOKEN = "987654321:test-zalo-token";
const TELEGRAM_SECRET = "telegram-secret_1";
const ZALO_SECRET = "zalo-secret-12345";

interface Service {
  readonly assistant: Assistant;
  readonly channels: Channels;
  readonly server: FastifyInstance;
  readonly base: string;
  close(): Promise<void>;
}

/** Starts the whole service against the emulators, by webhook (with a public URL) or by polling. */
async function startService(
  telegram: TelegramEmulator,
  zalo: ZaloEmulator,
  mode: "webhook" | "polling",
  knowledge?: KnowledgeOptions,
): Promise<Service> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config: ChannelConfig = {
    ...(mode === "webhook" ? { PUBLIC_URL: base } : {}),
    TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    ZALO_BOT_TOKEN: ZALO_TOKEN,
    ZALO_WEBHOOK_SECRET: ZALO_SECRET,
    ZALO_API_BASE: zalo.apiBase,
  };
  const assistant = await openAssistant({ database: { memory: true }, logger: testLogger, ...(knowledge ? { knowledge } : {}) });
  const channels = (await openChannels(assistant, config, testLogger, { retryDelaySeconds: 1, sweepIntervalMs: 1000 }))!;
  const server = buildHttpServer(assistant, testLogger, channels.webhooks);
  await server.listen({ port, host: "127.0.0.1" });
  await channels.start();
  return {
    assistant,
    channels,
    server,
    base,
    async close() {
      await channels.stop();
      await server.close();
      await assistant.close();
    },
  };
}

/** A message the Zalo emulator accepted for `chatId` (typing indicators and failed attempts excluded). */
const zaloMessageTo = (chatId: string) => (call: ZaloCall) =>
  call.method === "sendMessage" && call.status === 200 && call.body.chat_id === chatId;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("channels by webhook", () => {
  let telegram: TelegramEmulator;
  let zalo: ZaloEmulator;
  let service: Service;

  beforeAll(async () => {
    telegram = await startTelegramEmulator({ token: TELEGRAM_TOKEN });
    zalo = await startZaloEmulator({ token: ZALO_TOKEN, envelope: "top-level" });
    service = await startService(telegram, zalo, "webhook");
  });
  afterAll(async () => {
    await service.close();
    await telegram.close();
    await zalo.close();
  });

  it("registers both webhooks with their secrets", () => {
    // Each URL carries a fingerprint of the secret, so a changed secret shows in the URL the platform reports.
    expect(telegram.webhook).toEqual({ url: expect.stringMatching(new RegExp(`^${service.base}/webhooks/telegram\\?v=[0-9a-f]{12}$`)), secretToken: TELEGRAM_SECRET });
    const registered = zalo.sent.find((call) => call.method === "setWebhook")!;
    expect(registered.body).toEqual({ url: expect.stringMatching(new RegExp(`^${service.base}/webhooks/zalo\\?v=[0-9a-f]{12}$`)), secret_token: ZALO_SECRET });
  });

  it("answers a Telegram message sent by webhook, with buttons as an inline keyboard", async () => {
    expect(await telegram.pushUpdate(telegram.makeCommandUpdate(1001, "/start"))).toBe(200);
    const reply = await telegram.waitForSent((p) => p.chat_id === "1001");
    expect(reply.text).toContain("trợ lý OCOP Bắc Ninh");
    expect(reply.reply_markup.inline_keyboard[0][0]).toEqual({ text: "Chứng nhận OCOP", callback_data: "1" });
    // An instant answer shows no "typing…" (see the slow answer below).
    expect(telegram.calls.some((call) => call.method === "sendChatAction" && call.payload.chat_id === "1001")).toBe(false);
  });

  it("turns a button press into the button's label and answers the callback query", async () => {
    await telegram.pushUpdate(telegram.makeTextUpdate({ chatId: 1002, text: "xin chào" }));
    await telegram.waitForSent((p) => p.chat_id === "1002");
    await telegram.pushUpdate(telegram.makeCallbackUpdate({ chatId: 1002, data: "4" }));
    await telegram.waitForSent((p) => p.chat_id === "1002" && !p.text.startsWith("Xin chào"));
    expect(telegram.calls.some((call) => call.method === "answerCallbackQuery")).toBe(true);
    const { rows } = await service.assistant.db.pool.query("SELECT text FROM inbox WHERE chat_id = '1002' ORDER BY id");
    expect(rows.map((row) => row.text)).toEqual(["xin chào", "4"]);
  });

  it("rejects a missing or wrong Telegram secret with 401 and records nothing", async () => {
    const update = telegram.makeTextUpdate({ chatId: 1003, text: "xin chào" });
    expect(await telegram.pushUpdate(update, { secret: null })).toBe(401);
    expect(await telegram.pushUpdate(update, { secret: "wrong-secret" })).toBe(401);
    const { rows } = await service.assistant.db.pool.query("SELECT count(*)::int AS n FROM inbox WHERE chat_id = '1003'");
    expect(rows[0].n).toBe(0);
  });

  it("answers a duplicate Telegram delivery once", async () => {
    const update = telegram.makeTextUpdate({ chatId: 1004, text: "cảm ơn" });
    expect(await telegram.pushUpdate(update)).toBe(200);
    expect(await telegram.pushUpdate(update)).toBe(200);
    await telegram.waitForSent((p) => p.chat_id === "1004");
    await sleep(1500);
    expect(telegram.sent().filter((p) => p.chat_id === "1004")).toHaveLength(1);
  });

  it("still answers exactly once when Telegram answers 429 and 500 first", async () => {
    telegram.failNext("sendMessage", 2, 500);
    await telegram.pushUpdate(telegram.makeTextUpdate({ chatId: 1005, text: "hội Lim ở đâu" }));
    await telegram.waitForSent((p) => p.chat_id === "1005", 15_000);
    telegram.failNext("sendMessage", 1, 429);
    await telegram.pushUpdate(telegram.makeTextUpdate({ chatId: 1005, text: "cảm ơn" }));
    await telegram.waitForSent((p) => p.chat_id === "1005" && p.text.startsWith("Không có gì"), 15_000);
    await sleep(1000);
    const texts = telegram.sent().filter((p) => p.chat_id === "1005").map((p) => p.text);
    expect(texts).toHaveLength(2);
    expect(texts[1]).toMatch(/^Không có gì/);
  });

  it("acknowledges and ignores update kinds it does not handle", async () => {
    const update = { update_id: 999_001, edited_message: telegram.makeTextUpdate({ chatId: 1006, text: "sửa" }).message };
    expect(await telegram.pushUpdate(update as never)).toBe(200);
    const { rows } = await service.assistant.db.pool.query("SELECT count(*)::int AS n FROM inbox WHERE chat_id = '1006'");
    expect(rows[0].n).toBe(0);
  });

  it("answers malformed and oversized webhook bodies with 400 and 413", async () => {
    const post = (body: string) =>
      fetch(`${service.base}/webhooks/telegram`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": TELEGRAM_SECRET },
        body,
      });
    expect((await post("{not json")).status).toBe(400);
    expect((await post(JSON.stringify({ pad: "x".repeat(70_000) }))).status).toBe(413);
  });

  it("answers a flood once with 'slow down' and drops the rest", async () => {
    for (let i = 0; i < 12; i++) await telegram.pushUpdate(telegram.makeTextUpdate({ chatId: 1007, text: `tin nhắn ${i}` }));
    await telegram.waitForSent((p) => p.chat_id === "1007" && p.text === SLOW_DOWN_TEXT, 30_000);
    // Telegram allows about one message a second per chat, and the throttler keeps to that.
    const deadline = Date.now() + 30_000;
    while (telegram.sent().filter((p) => p.chat_id === "1007").length < 9 && Date.now() < deadline) await sleep(200);
    await sleep(1500);
    const texts = telegram.sent().filter((p) => p.chat_id === "1007").map((p) => p.text);
    expect(texts.filter((text) => text === SLOW_DOWN_TEXT)).toHaveLength(1);
    expect(texts.length).toBe(9); // 8 answers + one "slow down"; 3 dropped
    // Every acknowledged message is kept: the four over the limit are recorded as skipped, never answered.
    const { rows } = await service.assistant.db.pool.query<{ skipped: string | null; processed: boolean }>(
      "SELECT skipped, processed_at IS NOT NULL AS processed FROM inbox WHERE channel = 'telegram' AND chat_id = '1007' ORDER BY id",
    );
    expect(rows.map((row) => row.skipped)).toEqual([...Array<null>(8).fill(null), "flood", "flood", "flood", "flood"]);
    expect(rows.every((row) => row.processed)).toBe(true);
  });

  it("schedules a festival reminder for 08:00 the day before, and delivers reminders through the outbox", async () => {
    await telegram.pushUpdate(telegram.makeTextUpdate({ chatId: 1008, text: "nhắc tôi trước hội Lim nhé" }));
    const confirmation = await telegram.waitForSent((p) => p.chat_id === "1008");
    expect(confirmation.text).toMatch(/^Được rồi: mình sẽ nhắc bạn lúc 8 giờ sáng ngày/);
    const { rows } = await service.assistant.db.pool.query(
      "SELECT data, start_after FROM pgboss.job WHERE name = 'reminder' AND data->'chat'->>'chatId' = '1008'",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].data.text).toMatch(/^Nhắc bạn: Hội Lim bắt đầu vào ngày mai/);
    expect(new Date(rows[0].start_after).getUTCHours()).toBe(1);

    expect(await service.assistant.reminders.schedule({ channel: "telegram", chatId: "1009" }, new Date(), "Nhắc bạn: thử nghiệm", "test-1009")).toBe(true);
    expect((await telegram.waitForSent((p) => p.chat_id === "1009", 20_000)).text).toBe("Nhắc bạn: thử nghiệm");
    expect(await service.assistant.reminders.schedule({ channel: "web", chatId: "x" }, new Date(), "no push", "test-x")).toBe(false);
  });

  it("answers a Zalo message in the top-level envelope, with numbered options", async () => {
    expect(await zalo.pushUpdate(makeTextUpdate("zchat-1", "xin chao"))).toBe(200);
    const reply = await zalo.waitForSent(zaloMessageTo("zchat-1"));
    expect(reply.body.text).toContain("Xin chào");
    expect(reply.body.text).toContain("1. Chứng nhận OCOP");
  });

  it("takes a numbered option as the button's label on Zalo", async () => {
    await zalo.pushUpdate(makeTextUpdate("zchat-2", "xin chào"));
    await zalo.waitForSent(zaloMessageTo("zchat-2"));
    await zalo.pushUpdate(makeTextUpdate("zchat-2", "3"));
    await zalo.waitForSent((call) => zaloMessageTo("zchat-2")(call) && !call.body.text.startsWith("Xin chào"));
    const { rows } = await service.assistant.db.pool.query(
      "SELECT state FROM conversations WHERE channel = 'zalo' AND user_id = 'zchat-2'",
    );
    expect(rows[0].state.turns).toBe(2);
  });

  it("rejects a wrong Zalo secret with 401 before reading the body", async () => {
    const response = await fetch(`${service.base}/webhooks/zalo`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-bot-api-secret-token": "not-the-secret" },
      body: JSON.stringify(makeTextUpdate("zchat-3", "xin chào")),
    });
    expect(response.status).toBe(401);
  });

  it("accepts the documented wrapped Zalo envelope and answers a duplicate once", async () => {
    const update = makeTextUpdate("zchat-4", "cam on", "dup-message-1");
    const post = () =>
      fetch(`${service.base}/webhooks/zalo`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-bot-api-secret-token": ZALO_SECRET },
        body: JSON.stringify({ ok: true, result: update }),
      });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);
    await zalo.waitForSent(zaloMessageTo("zchat-4"));
    await sleep(1500);
    expect(zalo.sent.filter(zaloMessageTo("zchat-4"))).toHaveLength(1);
  });

  it("delivers a Zalo reply once through an outage longer than the client's own retries", async () => {
    zalo.failNext("sendMessage", 6, 500);
    await zalo.pushUpdate(makeTextUpdate("zchat-5", "lang gom phu lang o dau"));
    const delivered = await zalo.waitForSent(zaloMessageTo("zchat-5"), 30_000);
    expect(delivered.body.text).toContain("Phù Lãng");
    await sleep(1500);
    expect(zalo.sent.filter(zaloMessageTo("zchat-5"))).toHaveLength(1);
    const { rows } = await service.assistant.db.pool.query("SELECT attempts FROM outbox WHERE chat_id = 'zchat-5'");
    expect(rows[0].attempts).toBeGreaterThan(1);
  });

  it("counts sent replies, failed sends and waiting chats in /metrics", async () => {
    const text = await (await fetch(`${service.base}/metrics`)).text();
    const value = (series: string) => Number(text.match(new RegExp(`^${series} (\\d+)$`, "m"))?.[1]);
    const { rows } = await service.assistant.db.pool.query<{ channel: string; n: number }>(
      "SELECT channel, count(*)::int AS n FROM outbox WHERE delivered_at IS NOT NULL GROUP BY channel ORDER BY channel",
    );
    expect(rows.map((row) => row.channel)).toEqual(["telegram", "zalo"]);
    for (const { channel, n } of rows) expect(value(`ocop_replies_sent_total{channel="${channel}"}`)).toBe(n);
    expect(value('ocop_send_failures_total{channel="zalo"}')).toBeGreaterThan(0);
    expect(value("ocop_chats_waiting")).toBe(0);
  });
});

describe("typing indicator", () => {
  it("shows 'typing…' on Telegram and Zalo while a slow answer is written, before the reply", async () => {
    const telegram = await startTelegramEmulator({ token: TELEGRAM_TOKEN });
    const zalo = await startZaloEmulator({ token: ZALO_TOKEN, envelope: "top-level" });
    const model = await startOpenAIStub();
    model.chat = () => ({ ...completion("Hồ sơ gồm phiếu đăng ký và phương án sản xuất kinh doanh [ocop-ho-so]."), delayMs: 1_000 });
    const service = await startService(telegram, zalo, "webhook", {
      embeddings: "local",
      openai: { apiKey: "sk-test", baseURL: model.baseURL, chatModel: "stub-chat", embeddingModel: "stub-embed", timeoutMs: 5_000 },
    });
    try {
      await telegram.pushUpdate(telegram.makeTextUpdate({ chatId: 3001, text: "hồ sơ đăng ký OCOP gồm những gì" }));
      await telegram.waitForSent((p) => p.chat_id === "3001", 15_000);
      const forChat = telegram.calls.filter((call) => call.payload?.chat_id === "3001").map((call) => call.method);
      expect(forChat).toEqual(["sendChatAction", "sendMessage"]);

      await zalo.pushUpdate(makeTextUpdate("zslow-1", "ho so dang ky OCOP gom nhung gi"));
      await zalo.waitForSent(zaloMessageTo("zslow-1"), 15_000);
      const zaloCalls = zalo.sent.filter((call) => call.body.chat_id === "zslow-1").map((call) => call.method);
      expect(zaloCalls).toEqual(["sendChatAction", "sendMessage"]);
      expect(model.requests.some((request) => request.path.endsWith("/chat/completions"))).toBe(true);
    } finally {
      await service.close();
      await model.close();
      await telegram.close();
      await zalo.close();
    }
  });
});

describe("channels by polling", () => {
  it("answers Telegram and Zalo messages fetched by long polling", async () => {
    const telegram = await startTelegramEmulator({ token: TELEGRAM_TOKEN });
    const zalo = await startZaloEmulator({ token: ZALO_TOKEN });
    const service = await startService(telegram, zalo, "polling");
    try {
      expect(telegram.webhook).toBeUndefined();
      await telegram.pushUpdate(telegram.makeTextUpdate({ chatId: 2001, text: "Hello" }));
      expect((await telegram.waitForSent((p) => p.chat_id === "2001")).text).toMatch(/^Hello!/);
      await zalo.pushUpdate(makeTextUpdate("zpoll-1", "xin chào"));
      const reply = await zalo.waitForSent(zaloMessageTo("zpoll-1"));
      expect(reply.body.text).toContain("Xin chào");
    } finally {
      await service.close();
      await telegram.close();
      await zalo.close();
    }
  });
});
