/**
 * Opt-in broadcasts end to end over real HTTP: Telegram users subscribe and unsubscribe by chat, an
 * operator sends a broadcast from the console's API, and it reaches subscribers only, in their language,
 * at Telegram's rate; a chat that blocked the bot (403) is unsubscribed; the quiet hours hold.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendTime } from "../adapters/db/broadcasts.ts";
import { buildHttpServer } from "../adapters/http/server.ts";
import { openAssistant, openChannels, type Assistant, type Channels } from "../app/compose.ts";
import { topicsNamed } from "../bot/features/subscriptions.ts";
import { callConsole, signIn, type ConsoleSession } from "./support/console-client.ts";
import { freePort } from "./support/free-port.ts";
import { testLogger } from "./support/logger.ts";
import { startTelegramEmulator, type TelegramEmulator } from "./support/telegram-emulator.ts";

const TOKEN = "123456:TEST-broadcast-token";
const SECRET = "broadcast-secret_1";
const PASSWORD = "correct horse battery";
const NEWS = { vi: "Chợ phiên OCOP tháng này mở ở Văn Miếu Bắc Ninh.", en: "This month's OCOP fair opens at the Bắc Ninh Temple of Literature." };

describe("subscriptions and broadcasts", () => {
  let telegram: TelegramEmulator;
  let assistant: Assistant;
  let channels: Channels;
  let server: FastifyInstance;
  let base: string;
  const sessions: Record<string, ConsoleSession> = {};

  beforeAll(async () => {
    telegram = await startTelegramEmulator({ token: TOKEN });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    assistant = await openAssistant({ database: { memory: true }, logger: testLogger });
    await assistant.console.operators.upsert({ email: "admin@ocop.test", password: PASSWORD, role: "admin" });
    await assistant.console.operators.upsert({ email: "editor@ocop.test", password: PASSWORD, role: "editor" });
    channels = (await openChannels(
      assistant,
      { PUBLIC_URL: base, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: telegram.apiRoot },
      testLogger,
      { retryDelaySeconds: 1, sweepIntervalMs: 1000 },
    ))!;
    server = buildHttpServer(assistant, testLogger, channels.webhooks);
    await server.listen({ port, host: "127.0.0.1" });
    await channels.start();
    for (const email of ["admin@ocop.test", "editor@ocop.test"]) sessions[email] = await signIn(base, email, PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await channels?.stop();
    await server?.close();
    await assistant?.close();
    await telegram?.close();
  });

  const call = (as: string, method: string, path: string, body?: unknown) => callConsole(base, sessions[as]!, method, path, body);
  const textsTo = (chatId: number) => telegram.sent().filter((payload) => payload.chat_id === String(chatId)).map((payload) => payload.text as string);
  async function say(chatId: number, text: string): Promise<string> {
    const before = textsTo(chatId).length;
    await telegram.pushUpdate(telegram.makeTextUpdate({ chatId, text }));
    await expect.poll(() => textsTo(chatId).length, { timeout: 10_000 }).toBeGreaterThan(before);
    return textsTo(chatId).at(-1)!;
  }
  const waitForBroadcast = async (id: number, done: (status: any) => boolean) => {
    await expect.poll(async () => done((await call("admin@ocop.test", "GET", `/broadcasts/${id}`)).body.broadcast), { timeout: 20_000 }).toBe(true);
    return (await call("admin@ocop.test", "GET", `/broadcasts/${id}`)).body.broadcast;
  };

  it("reads the topics a subscription names", () => {
    expect(topicsNamed("dang ky nhan tin le hoi")).toEqual(["festivals"]);
    expect(topicsNamed("/subscribe")).toEqual(["festivals", "policies", "products"]);
    expect(topicsNamed("subscribe to news about support policies and products")).toEqual(["policies", "products"]);
  });

  it("reaches subscribers only, each in their language, and not those who unsubscribed", async () => {
    expect(await say(4001, "đăng ký nhận tin lễ hội")).toMatch(/Đã đăng ký nhận tin về: lễ hội/);
    expect(await say(4002, "subscribe to festival news")).toMatch(/Subscribed to news about: festivals/);
    await say(4003, "/subscribe");
    expect(await say(4003, "hủy đăng ký")).toMatch(/Đã hủy đăng ký/);
    await say(4004, "xin chào");
    await say(4005, "đăng ký nhận tin chính sách");

    expect((await call("editor@ocop.test", "GET", "/broadcasts/audience?topic=festivals")).body.audience).toEqual({ telegram: 2 });
    expect((await call("editor@ocop.test", "POST", "/broadcasts", { topic: "festivals", text: NEWS, channels: ["telegram"], force: true })).status).toBe(403);
    const sent = await call("admin@ocop.test", "POST", "/broadcasts", { topic: "festivals", text: NEWS, channels: ["telegram"], force: true });
    expect(sent.status).toBe(202);
    const status = await waitForBroadcast(sent.body.id, (b) => b.sent === 2);
    expect(status).toMatchObject({ recipients: 2, sent: 2, failed: 0, pending: 0, unsubscribed: 0 });
    expect(textsTo(4001).at(-1)).toBe(NEWS.vi);
    expect(textsTo(4002).at(-1)).toBe(NEWS.en);
    for (const chat of [4003, 4004, 4005]) expect(textsTo(chat)).not.toContain(NEWS.vi);
    expect((await call("admin@ocop.test", "POST", "/broadcasts", { topic: "festivals", text: NEWS, channels: [] })).status).toBe(400);
  });

  it("unsubscribes a chat that blocked the bot (403), and counts it", async () => {
    await say(4010, "đăng ký nhận tin sản phẩm");
    await say(4011, "đăng ký nhận tin sản phẩm");
    telegram.blockBy("4010");
    const sent = await call("admin@ocop.test", "POST", "/broadcasts", { topic: "products", text: NEWS, channels: ["telegram"], force: true });
    const status = await waitForBroadcast(sent.body.id, (b) => b.sent + b.failed === 2);
    expect(status).toMatchObject({ recipients: 2, sent: 1, failed: 1, unsubscribed: 1 });
    expect((await call("admin@ocop.test", "GET", "/broadcasts/audience?topic=products")).body.audience).toEqual({ telegram: 1 });
  });

  it("holds Telegram's rate of 30 messages a second overall", async () => {
    for (let chat = 5000; chat < 5045; chat++) await assistant.console.broadcasts.subscribe({ channel: "telegram", userId: String(chat), chatId: String(chat) }, ["policies"], "vi");
    const started = Date.now();
    const sent = await call("admin@ocop.test", "POST", "/broadcasts", { topic: "policies", text: NEWS, channels: ["telegram"], force: true });
    await waitForBroadcast(sent.body.id, (b) => b.sent === 46);
    const times = telegram.calls.filter((c) => c.method === "sendMessage" && c.ok && c.at >= started && c.payload.text === NEWS.vi).map((c) => c.at).sort((a, b) => a - b);
    expect(times).toHaveLength(46);
    const busiestSecond = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
    expect(busiestSecond).toBeLessThanOrEqual(30);
  }, 60_000);

  it("keeps the quiet hours: a broadcast written after 21:00 in Vietnam waits until 07:00, unless forced", () => {
    const evening = new Date("2026-12-02T14:30:00Z"); // 21:30 in Vietnam
    expect(sendTime(evening, false).toISOString()).toBe("2026-12-03T00:00:00.000Z"); // 07:00 in Vietnam
    expect(sendTime(evening, true)).toEqual(evening);
    const early = new Date("2026-12-02T23:00:00Z"); // 06:00 in Vietnam
    expect(sendTime(early, false).toISOString()).toBe("2026-12-03T00:00:00.000Z");
    const day = new Date("2026-12-02T05:00:00Z"); // 12:00 in Vietnam
    expect(sendTime(day, false)).toEqual(day);
  });
});
