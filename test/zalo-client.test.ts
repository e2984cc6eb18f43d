import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseZaloWebhookBody, ZaloApiError, ZaloBot } from "../adapters/zalo/client.ts";
import { makeTextUpdate, startZaloEmulator, type ZaloEmulator, type ZaloEnvelope } from "./support/zalo-emulator.ts";

const TOKEN = "1459232241454765289:s3cretTokenPart";
const CHAT = "6ede9afa66b88fe6d6a9";
const SECRET = "my-webhook-secret-8to256";

/** The error a call rejects with, checked to be a ZaloApiError. */
async function apiError(call: Promise<unknown>): Promise<ZaloApiError> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ZaloApiError);
  return error as ZaloApiError;
}

/** Everything an error would show in a log: message, stack, own properties and cause. */
const everythingIn = (error: Error) => `${error.message}\n${error.stack}\n${JSON.stringify(error)}\n${inspect(error, { depth: 5 })}`;

describe("ZaloBot against the Zalo emulator over HTTP", () => {
  let emulator: ZaloEmulator;
  let bot: ZaloBot;

  beforeAll(async () => {
    emulator = await startZaloEmulator({ token: TOKEN });
    bot = new ZaloBot(TOKEN, { apiBase: emulator.apiBase, retryBaseDelayMs: 10 });
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    emulator.sent.length = 0;
  });

  it("getMe posts {} and returns the bot's account", async () => {
    const me = await bot.getMe();
    expect(me).toEqual({ id: "1459232241454765289", account_name: "bot.emulator", account_type: "BASIC", can_join_groups: false });
    expect(emulator.sent).toEqual([{ method: "getMe", body: {}, status: 200 }]);
  });

  it("sets, reads and deletes the webhook", async () => {
    const set = await bot.setWebhook({ url: "https://example.test/webhooks/zalo", secret_token: SECRET });
    expect(set.url).toBe("https://example.test/webhooks/zalo");
    expect(set.updated_at).toBeTypeOf("number");
    expect(await bot.getWebhookInfo()).toEqual(set);
    const deleted = await bot.deleteWebhook();
    expect(deleted.url).toBe("");
    expect(emulator.sent.map(({ method, body }) => ({ method, body }))).toEqual([
      { method: "setWebhook", body: { url: "https://example.test/webhooks/zalo", secret_token: SECRET } },
      { method: "getWebhookInfo", body: {} },
      { method: "deleteWebhook", body: {} },
    ]);
  });

  it("sends text, photos, stickers and chat actions with the documented bodies", async () => {
    const sent = await bot.sendMessage(CHAT, "Xin chào");
    expect(sent.message_id).toMatch(/^[0-9a-f]{20}$/);
    expect(sent.date).toBeGreaterThan(1_700_000_000_000); // milliseconds, not seconds
    expect((await bot.sendPhoto(CHAT, "https://example.test/a.jpg", "Gốm Phù Lãng")).message_id).toBeTypeOf("string");
    await bot.sendPhoto(CHAT, "https://example.test/b.jpg");
    expect((await bot.sendSticker(CHAT, "bfe458bf64fa8da4d4eb")).message_id).toBeTypeOf("string");
    await expect(bot.sendChatAction(CHAT, "typing")).resolves.toBeUndefined();
    expect(emulator.sent.map(({ method, body }) => ({ method, body }))).toEqual([
      { method: "sendMessage", body: { chat_id: CHAT, text: "Xin chào" } },
      { method: "sendPhoto", body: { chat_id: CHAT, photo: "https://example.test/a.jpg", caption: "Gốm Phù Lãng" } },
      { method: "sendPhoto", body: { chat_id: CHAT, photo: "https://example.test/b.jpg" } },
      { method: "sendSticker", body: { chat_id: CHAT, sticker: "bfe458bf64fa8da4d4eb" } },
      { method: "sendChatAction", body: { chat_id: CHAT, action: "typing" } },
    ]);
  });

  it("getUpdates returns a queued update, then undefined when the window passes empty (408)", async () => {
    const update = makeTextUpdate(CHAT, "Học phí bao nhiêu?");
    expect(await emulator.pushUpdate(update)).toBeUndefined();
    expect(await bot.getUpdates({ timeout: 1 })).toEqual(update);
    expect(await bot.getUpdates({ timeout: 1 })).toBeUndefined();
    // The timeout goes as a string, and the empty window is not retried.
    expect(emulator.sent).toEqual([
      { method: "getUpdates", body: { timeout: "1" }, status: 200 },
      { method: "getUpdates", body: { timeout: "1" }, status: 200 },
    ]);
  });

  it("getUpdates long-polls: an update pushed while it waits is returned at once", async () => {
    const started = Date.now();
    const polled = bot.getUpdates({ timeout: 10 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const update = makeTextUpdate(CHAT, "Chào bot");
    await emulator.pushUpdate(update);
    expect(await polled).toEqual(update);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("retries a 429 then a 500 and sends the message exactly once", async () => {
    emulator.failNext("sendMessage", 1, 429);
    emulator.failNext("sendMessage", 1, 500);
    expect((await bot.sendMessage(CHAT, "Thử lại")).message_id).toBeTypeOf("string");
    expect(emulator.sent.map((call) => call.status)).toEqual([429, 500, 200]);
    expect(emulator.sent.filter((call) => call.status === 200)).toHaveLength(1);
    const delivered = await emulator.waitForSent((call) => call.status === 200, 1_000);
    expect(delivered.body).toEqual({ chat_id: CHAT, text: "Thử lại" });
  });

  it("answers an unknown method with 404 and ok:false", async () => {
    const response = await fetch(`${emulator.apiBase}/bot${TOKEN}/sendVideo`, { method: "POST", body: "{}" });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ ok: false, error_code: 404 });
  });

  it("gives up after its retries and throws the last retryable error", async () => {
    emulator.failNext("sendMessage", 4, 500);
    const error = await apiError(bot.sendMessage(CHAT, "Không được"));
    expect(error).toMatchObject({ method: "sendMessage", errorCode: 500, description: "Internal Server Error", retryable: true });
    expect(emulator.sent.map((call) => call.status)).toEqual([500, 500, 500, 500]); // one attempt and three retries
  });

  it("does not retry a 400, and reports the API's error_code and description without the token", async () => {
    const error = await apiError(bot.sendMessage(CHAT, "x".repeat(2001)));
    expect(error).toMatchObject({ errorCode: 400, description: "text must be 1-2000 characters", retryable: false });
    expect(error.message).toBe("Zalo sendMessage failed (400): text must be 1-2000 characters");
    expect(emulator.sent).toHaveLength(1);
    expect(everythingIn(error)).not.toContain(TOKEN);
    expect(everythingIn(error)).not.toContain("s3cretTokenPart");
  });

  it("rejects a wrong token with 401, once", async () => {
    const wrongToken = "1459232241454765289:wrongSecret";
    const stranger = new ZaloBot(wrongToken, { apiBase: emulator.apiBase, retryBaseDelayMs: 10 });
    const error = await apiError(stranger.getMe());
    expect(error).toMatchObject({ errorCode: 401, description: "Unauthorized", retryable: false });
    expect(emulator.sent).toHaveLength(1);
    expect(everythingIn(error)).not.toContain("wrongSecret");
  });

  it.each<ZaloEnvelope>(["wrapped", "top-level"])("delivers %s webhook bodies with the secret header", async (envelope) => {
    const webhookEmulator = await startZaloEmulator({ token: TOKEN, envelope });
    const received: unknown[] = [];
    const webhook = createServer((req, res) => {
      let raw = "";
      req.on("data", (chunk) => (raw += chunk));
      req.on("end", () => {
        if (req.headers["x-bot-api-secret-token"] !== SECRET) return void res.writeHead(401).end();
        received.push(JSON.parse(raw));
        res.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, "127.0.0.1", resolve));
    try {
      const webhookBot = new ZaloBot(TOKEN, { apiBase: webhookEmulator.apiBase });
      const url = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/webhooks/zalo`;
      await webhookBot.setWebhook({ url, secret_token: SECRET });
      const update = makeTextUpdate(CHAT, "Qua webhook");
      expect(await webhookEmulator.pushUpdate(update)).toBe(200);
      expect(received[0]).toEqual(envelope === "wrapped" ? { ok: true, result: update } : update);
      expect(parseZaloWebhookBody(received[0])).toEqual(update);

      await webhookBot.setWebhook({ url, secret_token: "another-secret" });
      expect(await webhookEmulator.pushUpdate(update)).toBe(401);
    } finally {
      webhook.closeAllConnections();
      await new Promise((resolve) => webhook.close(resolve));
      await webhookEmulator.close();
    }
  });
});

describe("ZaloBot when the API cannot be reached", () => {
  it("throws a retryable ZaloApiError with code 0 that does not carry the token", async () => {
    const closed = await startZaloEmulator({ token: TOKEN });
    await closed.close();
    const bot = new ZaloBot(TOKEN, { apiBase: closed.apiBase, retries: 1, retryBaseDelayMs: 10 });
    const error = await apiError(bot.sendMessage(CHAT, "Có ai không?"));
    expect(error).toMatchObject({ method: "sendMessage", errorCode: 0, retryable: true });
    expect(error.description).toMatch(/ECONNREFUSED/);
    expect(error.cause).toBeUndefined();
    expect(everythingIn(error)).not.toContain("s3cretTokenPart");
  });

  it("refuses an empty token", () => {
    expect(() => new ZaloBot("")).toThrow(/empty/);
  });
});

describe("parseZaloWebhookBody", () => {
  const update = makeTextUpdate(CHAT, "Xin chào", "2d758cb5e222177a4e35");

  it("accepts the documented wrapped envelope and the top-level form seen in practice", () => {
    expect(parseZaloWebhookBody({ ok: true, result: update })).toEqual(update);
    expect(parseZaloWebhookBody(update)).toEqual(update);
  });

  it("reads the docs sample's first_name, defaults a missing is_bot, and keeps image fields", () => {
    const parsed = parseZaloWebhookBody({
      event_name: "message.image.received",
      message: {
        message_id: "m1",
        date: 1750316131602,
        chat: { id: CHAT, chat_type: "PRIVATE" },
        from: { id: CHAT, first_name: "Ted" },
        photo: [{ url: "https://example.test/p.jpg" }],
        photo_url: "https://example.test/p.jpg",
        caption: 42,
        unknown_field: "dropped",
      },
    });
    expect(parsed?.message).toEqual({
      message_id: "m1",
      date: 1750316131602,
      chat: { id: CHAT, chat_type: "PRIVATE" },
      from: { id: CHAT, first_name: "Ted", is_bot: false },
      photo: [{ url: "https://example.test/p.jpg" }],
      photo_url: "https://example.test/p.jpg",
    });
  });

  it.each([
    ["undefined", undefined],
    ["null", null],
    ["a string", "message.text.received"],
    ["an array", [update]],
    ["a failure envelope", { ok: false, error_code: 408, description: "Request timeout" }],
    ["an empty result", { ok: true, result: null }],
    ["an event without a message", { event_name: "user.follow" }],
    ["a message without a chat", { event_name: "message.text.received", message: { ...update.message, chat: undefined } }],
  ])("returns undefined for %s", (_name, body) => {
    expect(parseZaloWebhookBody(body)).toBeUndefined();
  });
});


