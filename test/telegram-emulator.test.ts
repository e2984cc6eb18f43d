/**
 * Proves the Telegram emulator against a real grammY Bot over HTTP: plain calls, long polling,
 * webhooks with a secret, injected failures.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { autoRetry } from "@grammyjs/auto-retry";
import { Bot, GrammyError, webhookCallback } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTelegramEmulator, type TelegramEmulator } from "./support/telegram-emulator.ts";

const TOKEN = "123456:TEST-TOKEN";
const SECRET = "s3cret_token-1";

let emulator: TelegramEmulator;
let bot: Bot;

beforeEach(async () => {
  emulator = await startTelegramEmulator({ token: TOKEN });
  // No botInfo: grammY asks the emulator's getMe.
  bot = new Bot(TOKEN, { client: { apiRoot: emulator.apiRoot } });
});

afterEach(async () => {
  if (bot.isRunning()) await bot.stop();
  await emulator.close();
});

const calledTimes = (method: string) => emulator.calls.filter((call) => call.method === method).length;

describe("Bot API calls", () => {
  it("answers getMe with a full bot user and sendMessage with a message", async () => {
    await bot.init();
    expect(bot.botInfo).toMatchObject({ id: 123456, is_bot: true, username: "test_bot", can_join_groups: true });

    const first = await bot.api.sendMessage(42, "xin chào", { reply_markup: { inline_keyboard: [[{ text: "OK", callback_data: "ok" }]] } });
    const second = await bot.api.sendMessage(42, "lần hai");
    expect(first).toMatchObject({ chat: { id: 42, type: "private" }, text: "xin chào", reply_markup: { inline_keyboard: [[{ callback_data: "ok" }]] } });
    expect(second.message_id).toBe(first.message_id + 1);
    expect(await bot.api.sendChatAction(42, "typing")).toBe(true);
    expect(emulator.sent().map((payload) => payload.text)).toEqual(["xin chào", "lần hai"]);

    const edited = await bot.api.editMessageText(42, first.message_id, "đã sửa");
    expect(edited).toMatchObject({ message_id: first.message_id, text: "đã sửa" });
    expect(edited).not.toHaveProperty("reply_markup");
  });

  it("rejects an unknown method, a wrong token and an empty text like Telegram", async () => {
    const unknown = await fetch(`${emulator.apiRoot}/bot${TOKEN}/noSuchMethod`, { method: "POST" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ ok: false, error_code: 404, description: "Not Found: method not found" });
    const unauthorized = await fetch(`${emulator.apiRoot}/bot1:WRONG/getMe`);
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toEqual({ ok: false, error_code: 401, description: "Unauthorized" });
    await expect(bot.api.sendMessage(42, " ")).rejects.toMatchObject({ error_code: 400 });
    expect(emulator.calls.map((call) => call.ok)).toEqual([false, false, false]);
  });

  it("retries an injected 429 with auto-retry, ending with exactly one sent message", async () => {
    bot.api.config.use(autoRetry());
    emulator.failNext("sendMessage", 1, 429);
    await bot.api.sendMessage(42, "sau khi chờ");
    expect(emulator.calls.filter((call) => call.method === "sendMessage").map((call) => call.ok)).toEqual([false, true]);
    expect(emulator.sent()).toEqual([{ chat_id: 42, text: "sau khi chờ" }]);
  });

  it("surfaces an injected 500 to a bot without auto-retry", async () => {
    emulator.failNext("sendMessage", 1, 500);
    const error = await bot.api.sendMessage(42, "lỗi").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 500, description: "Internal Server Error" });
    expect(emulator.sent()).toEqual([]);
  });
});

describe("long polling", () => {
  it("holds getUpdates until an update arrives, then the bot's reply is recorded", async () => {
    bot.on("message:text", (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
    let started!: () => void;
    const startedPromise = new Promise<void>((resolve) => (started = resolve));
    const running = bot.start({ onStart: () => started() });
    await startedPromise;
    await new Promise((resolve) => setTimeout(resolve, 300));
    // A busy loop would have called getUpdates many times by now.
    expect(calledTimes("getUpdates")).toBe(1);

    await emulator.pushUpdate(emulator.makeTextUpdate({ chatId: 42, text: "xin chào" }));
    expect(await emulator.waitForSent((payload) => payload.text === "echo: xin chào")).toMatchObject({ chat_id: 42 });

    const stopping = Date.now();
    await bot.stop();
    await running;
    expect(Date.now() - stopping).toBeLessThan(2000);
  });

  it("delivers an update until its offset is confirmed, then never again", async () => {
    const update = emulator.makeCommandUpdate(42, "/start");
    expect(update.message?.entities).toEqual([{ type: "bot_command", offset: 0, length: 6 }]);
    await emulator.pushUpdate(update);

    expect(await bot.api.getUpdates({ timeout: 0 })).toEqual([update]);
    expect(await bot.api.getUpdates({ timeout: 0 })).toEqual([update]);
    expect(await bot.api.getUpdates({ offset: update.update_id + 1, timeout: 0 })).toEqual([]);
    expect(await bot.api.getUpdates({ timeout: 0 })).toEqual([]);

    const handled: string[] = [];
    bot.command("start", (ctx) => void handled.push(ctx.message!.text));
    await emulator.pushUpdate(emulator.makeCommandUpdate(42, "/start again"));
    const running = bot.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await bot.stop();
    await running;
    expect(handled).toEqual(["/start again"]);
  });

  it("returns an empty batch when the timeout passes", async () => {
    const asked = Date.now();
    expect(await bot.api.getUpdates({ timeout: 1 })).toEqual([]);
    expect(Date.now() - asked).toBeGreaterThanOrEqual(900);
  });

  it("answers a pending long poll at close", async () => {
    const poll = bot.api.getUpdates({ timeout: 30 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await emulator.close();
    expect(await poll).toEqual([]);
  });
});

describe("webhooks", () => {
  let hook: Server;
  let hits: number;

  beforeEach(async () => {
    hits = 0;
    bot.on("callback_query:data", async (ctx) => {
      await ctx.answerCallbackQuery();
      await ctx.reply(`bấm: ${ctx.callbackQuery.data}`);
    });
    const handle = webhookCallback(bot, "http", { secretToken: SECRET });
    hook = createServer((req, res) => {
      hits++;
      void handle(req, res);
    });
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
    await bot.api.setWebhook(`http://127.0.0.1:${(hook.address() as AddressInfo).port}/telegram`, { secret_token: SECRET });
  });

  afterEach(async () => {
    hook.closeAllConnections();
    await new Promise((resolve) => hook.close(resolve));
  });

  it("posts updates with the secret header, and wrong or missing secrets reach the server too", async () => {
    expect(emulator.webhook).toEqual({ url: expect.stringMatching(/\/telegram$/), secretToken: SECRET });
    expect((await bot.api.getWebhookInfo()).url).toBe(emulator.webhook?.url);

    const sent = await bot.api.sendMessage(42, "chọn", { reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] } });
    const press = emulator.makeCallbackUpdate({ chatId: 42, data: "a" });
    expect(press.callback_query?.message?.message_id).toBe(sent.message_id);
    expect(await emulator.pushUpdate(press)).toBe(200);
    expect(await emulator.waitForSent((payload) => payload.text === "bấm: a")).toMatchObject({ chat_id: 42 });
    expect(calledTimes("getMe")).toBe(1);
    expect(calledTimes("answerCallbackQuery")).toBe(1);

    expect(await emulator.pushUpdate(emulator.makeTextUpdate({ chatId: 42, text: "x" }), { secret: "wrong" })).toBe(401);
    expect(await emulator.pushUpdate(emulator.makeTextUpdate({ chatId: 42, text: "x" }), { secret: null })).toBe(401);
    expect(hits).toBe(3);
  });

  it("answers getUpdates with 409 while a webhook is set", async () => {
    await expect(bot.api.getUpdates({ timeout: 0 })).rejects.toMatchObject({ error_code: 409 });
    await bot.api.deleteWebhook();
    expect(await bot.api.getUpdates({ timeout: 0 })).toEqual([]);
  });
});
