/**
 * Human handoff end to end over real HTTP: a Telegram user (the service in webhook mode against the
 * Telegram emulator) asks for a person, an operator answers from the console's API, the user's messages
 * meanwhile get no bot reply, and the conversation goes back to the assistant; plus the web chat user,
 * whose operator replies are collected by the page, and the timeouts.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildHttpServer } from "../adapters/http/server.ts";
import { openAssistant, openChannels, type Assistant, type Channels } from "../app/compose.ts";
import { handoffTexts } from "../bot/texts/handoff.ts";
import { callConsole, signIn, type ConsoleSession } from "./support/console-client.ts";
import { freePort } from "./support/free-port.ts";
import { testLogger } from "./support/logger.ts";
import { startTelegramEmulator, type TelegramEmulator } from "./support/telegram-emulator.ts";

const TOKEN = "123456:TEST-handoff-token";
const SECRET = "handoff-secret_1";
const PASSWORD = "correct horse battery";
const OPERATORS_CHAT = "-100777";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("human handoff", () => {
  let telegram: TelegramEmulator;
  let assistant: Assistant;
  let channels: Channels;
  let server: FastifyInstance;
  let base: string;
  let session: ConsoleSession;

  beforeAll(async () => {
    telegram = await startTelegramEmulator({ token: TOKEN });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    assistant = await openAssistant({
      database: { memory: true },
      logger: testLogger,
      handoff: { operatorsChat: { channel: "telegram", chatId: OPERATORS_CHAT } },
    });
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
    session = await signIn(base, "editor@ocop.test", PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await channels?.stop();
    await server?.close();
    await assistant?.close();
    await telegram?.close();
  });

  const call = (method: string, path: string, body?: unknown) => callConsole(base, session, method, path, body);
  const sentTo = (chatId: string) => telegram.sent().filter((payload) => payload.chat_id === chatId && typeof payload.text === "string");
  async function say(chatId: number, text: string): Promise<string[]> {
    const before = sentTo(String(chatId)).length;
    expect(await telegram.pushUpdate(telegram.makeTextUpdate({ chatId, text }))).toBe(200);
    await expect.poll(() => sentTo(String(chatId)).length, { timeout: 10_000 }).toBeGreaterThan(before);
    return sentTo(String(chatId)).slice(before).map((payload) => payload.text as string);
  }

  it("offers a person, queues the conversation, keeps the bot silent, delivers the operator's reply once, and gives it back", async () => {
    const offer = await say(3001, "cho tôi gặp nhân viên");
    expect(offer.at(-1)).toBe(handoffTexts.vi.offer);
    const waiting = await say(3001, "Gặp nhân viên");
    expect(waiting.at(-1)).toMatch(/Mình đã báo nhân viên/);
    // The operators' chat hears of it.
    await telegram.waitForSent((payload) => payload.chat_id === OPERATORS_CHAT && /cần gặp nhân viên/.test(payload.text));

    const { handoffs } = (await call("GET", "/handoffs")).body;
    expect(handoffs).toEqual([expect.objectContaining({ channel: "telegram", userId: "3001", state: "waiting", firstMessage: "Gặp nhân viên" })]);

    // What the user writes now is recorded, not answered by the bot.
    const before = sentTo("3001").length;
    expect(await telegram.pushUpdate(telegram.makeTextUpdate({ chatId: 3001, text: "Hội Lim năm nay ngày nào?" }))).toBe(200);
    await sleep(2000);
    expect(sentTo("3001")).toHaveLength(before);
    const transcript = (await call("GET", "/conversations/telegram/3001")).body.turns;
    expect(transcript.at(-1)).toMatchObject({ text: "Hội Lim năm nay ngày nào?", intent: "handoff_waiting", replies: [] });

    expect((await call("POST", "/conversations/telegram/3001/messages", { text: "Chào bạn, mình là Lan ở Sở. Hội Lim năm nay vào 13 tháng Giêng âm lịch." })).status).toBe(202);
    await telegram.waitForSent((payload) => payload.chat_id === "3001" && /mình là Lan/.test(payload.text));
    expect((await call("GET", "/handoffs")).body.handoffs[0]).toMatchObject({ state: "held", operator: "editor@ocop.test" });
    await sleep(1500);
    expect(telegram.sent().filter((payload) => payload.chat_id === "3001" && /mình là Lan/.test(String(payload.text)))).toHaveLength(1);

    expect((await call("POST", "/conversations/telegram/3001/release", {})).status).toBe(200);
    await telegram.waitForSent((payload) => payload.chat_id === "3001" && payload.text === handoffTexts.vi.released);
    expect((await call("GET", "/handoffs")).body.handoffs).toEqual([]);
    expect((await call("POST", "/conversations/telegram/3001/messages", { text: "còn đó không?" })).status).toBe(409);
    expect((await say(3001, "Hội Lim năm 2027 ngày nào?")).join("\n")).toMatch(/2027/);

    const audit = await assistant.db.pool.query<{ action: string }>("SELECT action FROM audit_log WHERE action LIKE 'handoff.%' ORDER BY id");
    expect(audit.rows.map((row) => row.action)).toEqual(["handoff.message", "handoff.release"]);
  });

  it("lets the user give the conversation back, in English too", async () => {
    await say(3002, "talk to a human");
    expect((await say(3002, "Talk to a person")).at(-1)).toMatch(/I have told the staff/);
    expect((await say(3002, "trả lại cho trợ lý")).at(-1)).toBe(handoffTexts.vi.released);
    expect((await call("GET", "/handoffs")).body.handoffs).toEqual([]);
  });

  it("reaches a web chat user through the page's collection, once", async () => {
    const chat = async (text: string) =>
      (await (await fetch(`${base}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: "web-h", text }) })).json()) as { intent: string; replies: { text: string }[] };
    await chat("nói chuyện với người thật");
    expect((await chat("Gặp nhân viên")).intent).toBe("handoff_requested");
    expect(await chat("alo")).toMatchObject({ intent: "handoff_waiting", replies: [] });
    expect((await call("POST", "/conversations/web/web-h/messages", { text: "Chào bạn, mình nghe đây." })).status).toBe(202);
    const collect = async () => ((await (await fetch(`${base}/api/chat/updates?user=web-h`)).json()) as { replies: { text: string }[] }).replies;
    expect(await collect()).toEqual([{ text: "Chào bạn, mình nghe đây." }]);
    expect(await collect()).toEqual([]);
    expect((await fetch(`${base}/api/chat/updates`)).status).toBe(400);
    await call("POST", "/conversations/web/web-h/release", {});
  });

  it("hands back what waited too long for an operator, telling the user whom to contact", async () => {
    await say(3003, "cho mình gặp người hỗ trợ");
    await say(3003, "Gặp nhân viên");
    await assistant.db.pool.query("UPDATE handoffs SET requested_at = now() - interval '11 minutes' WHERE user_id = '3003'");
    expect(await assistant.console.handoffs.sweep()).toBe(1);
    await telegram.waitForSent((payload) => payload.chat_id === "3003" && /Sở Công Thương Bắc Ninh/.test(payload.text));
    expect(await assistant.console.handoffs.sweep()).toBe(0);
    expect((await say(3003, "xin chào")).join("\n")).toMatch(/Xin chào/);
  });
});
