/**
 * Facebook Messenger end to end over real HTTP on 127.0.0.1: the service (in process, on PGlite) with its
 * webhook route, chat worker and pg-boss, against a local emulator of the Graph Send API that also plays
 * Facebook calling the webhook (signed with the app secret).
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildHttpServer } from "../adapters/http/server.ts";
import { openAssistant, openChannels, type Assistant, type Channels } from "../app/compose.ts";
import { buyerStatusNotice } from "../bot/texts/orders.ts";
import { say } from "./support/conversation.ts";
import { freePort } from "./support/free-port.ts";
import { testLogger } from "./support/logger.ts";
import { makeQuickReplyEvent, makeTextEvent, startMessengerEmulator, type MessengerCall, type MessengerEmulator } from "./support/messenger-emulator.ts";

const PAGE_TOKEN = "EAAGtestPageAccessToken0123456789";
const APP_SECRET = "0123456789abcdef0123456789abcdef";
const VERIFY_TOKEN = "verify-me-please";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Facebook Messenger", () => {
  let messenger: MessengerEmulator;
  let assistant: Assistant;
  let channels: Channels;
  let server: FastifyInstance;

  beforeAll(async () => {
    messenger = await startMessengerEmulator({ pageAccessToken: PAGE_TOKEN, appSecret: APP_SECRET });
    assistant = await openAssistant({ database: { memory: true }, logger: testLogger });
    channels = (await openChannels(
      assistant,
      { MESSENGER_PAGE_ACCESS_TOKEN: PAGE_TOKEN, MESSENGER_APP_SECRET: APP_SECRET, MESSENGER_VERIFY_TOKEN: VERIFY_TOKEN, MESSENGER_API_BASE: messenger.apiBase },
      testLogger,
      { retryDelaySeconds: 1, sweepIntervalMs: 1000 },
    ))!;
    server = buildHttpServer(assistant, testLogger, channels.webhooks);
    const port = await freePort();
    await server.listen({ port, host: "127.0.0.1" });
    messenger.setWebhook(`http://127.0.0.1:${port}/webhooks/messenger`);
    await channels.start();
  }, 120_000);
  afterAll(async () => {
    await channels?.stop();
    await server?.close();
    await assistant?.close();
    await messenger?.close();
  });

  /** Messages (not typing indicators) the Send API accepted for a user. */
  const messagesTo = (psid: string) => messenger.sent.filter((call) => call.status === 200 && call.body.recipient.id === psid && call.body.message);
  const isMessageTo = (psid: string) => (call: MessengerCall) => call.body.recipient.id === psid && call.body.message !== undefined;
  const inboxCount = async () => Number((await assistant.db.pool.query<{ n: string }>("SELECT count(*) AS n FROM inbox WHERE channel = 'messenger'")).rows[0]!.n);

  /** Sends a user's message through the webhook and resolves with the text of the reply it gets. */
  async function converse(psid: string, text: string): Promise<string> {
    const before = messagesTo(psid).length;
    expect((await messenger.deliver(makeTextEvent(psid, text))).status).toBe(200);
    await expect.poll(() => messagesTo(psid).length, { timeout: 10_000 }).toBeGreaterThan(before);
    return messagesTo(psid).slice(before).map((call) => call.body.message.text).join("\n");
  }

  it("confirms the subscription handshake only with the verify token", async () => {
    const ok = await messenger.verifyWebhook(VERIFY_TOKEN, "1158201444");
    expect(ok).toEqual({ status: 200, body: "1158201444" });
    expect((await messenger.verifyWebhook("wrong-token", "42")).status).toBe(403);
  });

  it("refuses a wrong or missing signature before recording anything", async () => {
    const before = await inboxCount();
    expect((await messenger.deliver(makeTextEvent("psid-intruder", "xin chào"), { signature: "wrong" })).status).toBe(403);
    expect((await messenger.deliver(makeTextEvent("psid-intruder", "xin chào"), { signature: "missing" })).status).toBe(401);
    await sleep(1500);
    expect(await inboxCount()).toBe(before);
    expect(messenger.sent.filter((call) => call.body.recipient?.id === "psid-intruder")).toEqual([]);
  });

  it("answers a message once, with the menu as quick replies", async () => {
    expect((await messenger.deliver(makeTextEvent("psid-1", "xin chào"))).body).toBe("EVENT_RECEIVED");
    const reply = await messenger.waitForSent(isMessageTo("psid-1"));
    expect(reply.body.messaging_type).toBe("RESPONSE");
    expect(reply.body.message.text).toMatch(/Xin chào/);
    expect(reply.body.message.quick_replies.map((q: { title: string; payload: string }) => [q.title, q.payload])).toEqual([
      ["Chứng nhận OCOP", "1"],
      ["Chính sách hỗ trợ", "2"],
      ["Làng nghề & lễ hội", "3"],
      ["Mua sản phẩm OCOP", "4"],
    ]);
    await sleep(1000);
    expect(messagesTo("psid-1")).toHaveLength(1);
    expect(messenger.sent.some((call) => call.body.recipient.id === "psid-1" && call.accessToken === PAGE_TOKEN)).toBe(true);
  });

  it("answers a duplicate delivery once", async () => {
    const body = JSON.stringify({ object: "page", entry: [{ id: "1", time: Date.now(), messaging: [makeTextEvent("psid-2", "Hội Lim ngày nào?", "m_duplicate")] }] });
    expect((await messenger.deliver([], { rawBody: body })).status).toBe(200);
    expect((await messenger.deliver([], { rawBody: body })).status).toBe(200);
    await messenger.waitForSent(isMessageTo("psid-2"));
    await sleep(1500);
    expect(messagesTo("psid-2")).toHaveLength(1);
    expect(messagesTo("psid-2")[0]!.body.message.text).toMatch(/Lim/);
  });

  it("takes a chosen quick reply as the option it offered", async () => {
    await converse("psid-3", "hello");
    const before = messagesTo("psid-3").length;
    await messenger.deliver(makeQuickReplyEvent("psid-3", "Support policies", "2"));
    await expect.poll(() => messagesTo("psid-3").length, { timeout: 10_000 }).toBeGreaterThan(before);
    const expected = await say(assistant, "cli-compare", "hello").then(() => say(assistant, "cli-compare", "Support policies"));
    const answer = messagesTo("psid-3")[before]!.body;
    expect(answer.message.text.startsWith(expected.replies[0]!.text)).toBe(true);
    // Its options have titles over Messenger's 20 characters, so they come as numbered text.
    expect(answer.message.text).toContain(`1. ${expected.replies[0]!.buttons![0]}`);
    expect(answer.message.quick_replies).toBeUndefined();
  });

  it("retries a failed send until the Send API takes it, and sends it once", async () => {
    messenger.failNext(2, 500);
    const answer = await converse("psid-4", "cảm ơn");
    expect(answer.length).toBeGreaterThan(0);
    const calls = messenger.sent.filter(isMessageTo("psid-4"));
    expect(calls.map((call) => call.status)).toEqual([500, 500, 200]);
  });

  it("places an order by chat and pushes its status change to the buyer", async () => {
    expect(await converse("psid-buyer", "cho mình đặt 2 gói chè lam Trang Toàn")).toMatch(/tên người nhận/i);
    await converse("psid-buyer", "Lê Văn Bình");
    await converse("psid-buyer", "0912345678");
    await converse("psid-buyer", "số 3 Trần Hưng Đạo, phường Kinh Bắc, Bắc Ninh");
    const placed = await converse("psid-buyer", "xác nhận");
    const code = /DH-[A-Z0-9]{5}/.exec(placed)![0];
    expect(placed).toMatch(/nhắn bạn khi trạng thái đơn thay đổi/); // the buyer is told notices will come

    const before = messagesTo("psid-buyer").length;
    const change = await assistant.console.orders.changeStatus(code, "confirmed", { kind: "producer", producerId: "co-so-vu-cong-toan" }, undefined, buyerStatusNotice);
    expect(change.ok).toBe(true);
    await expect.poll(() => messagesTo("psid-buyer").length, { timeout: 10_000 }).toBe(before + 1);
    expect(messagesTo("psid-buyer").at(-1)!.body.message.text).toBe(buyerStatusNotice(change.ok ? change.order : (undefined as never)));
  });

  it("sends long option lists as numbered text, and long texts in parts within Messenger's limit", async () => {
    const { renderMessengerReply } = await import("../adapters/messenger/channel.ts");
    const many = renderMessengerReply({ text: "Chọn:", buttons: Array.from({ length: 14 }, (_, i) => `Lựa chọn ${i + 1}`) });
    expect(many.quickReplies).toEqual([]);
    expect(many.parts[0]).toMatch(/14\. Lựa chọn 14/);
    const long = renderMessengerReply({ text: "Một câu khá dài. ".repeat(300), buttons: ["Có"] });
    expect(long.parts.length).toBeGreaterThan(1);
    expect(long.parts.every((part) => part.length <= 2000)).toBe(true);
    expect(long.quickReplies).toEqual([{ content_type: "text", title: "Có", payload: "1" }]);
  });
});
