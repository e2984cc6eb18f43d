import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { Channel, ChannelWebhook } from "../../bot/ports.ts";
import type { InboundEvent, Reply } from "../../bot/types.ts";
import { withNumberedOptions, type ChannelPlugin } from "../channel-plugin.ts";
import type { Logger } from "../logger.ts";
import { splitMessage } from "../split-text.ts";
import { DEFAULT_MESSENGER_API_BASE, MAX_QUICK_REPLIES, MAX_QUICK_REPLY_TITLE, MESSENGER_TEXT_LIMIT, MessengerApi, type QuickReply } from "./client.ts";

const WEBHOOK_PATH = "/webhooks/messenger";
const SIGNATURE_HEADER = "x-hub-signature-256";

/** Options of the Messenger channel. */
export interface MessengerChannelOptions {
  readonly pageAccessToken: string;
  readonly appSecret: string;
  readonly verifyToken: string;
  readonly apiBase: string;
  readonly logger: Logger;
  /** Receives each text message, quick reply and postback; resolves once it is recorded. */
  readonly onEvent: (event: InboundEvent) => Promise<unknown>;
  /** Pause before the first retry of a failed send (then doubling). */
  readonly retryBaseDelayMs?: number;
}

// What the webhook sends: a page's entries, each with messaging events. Other fields are ignored.
const messagingSchema = z.object({
  sender: z.object({ id: z.string() }),
  timestamp: z.number().optional(),
  message: z
    .object({ mid: z.string(), text: z.string().optional(), is_echo: z.boolean().optional(), quick_reply: z.object({ payload: z.string() }).optional() })
    .optional(),
  postback: z.object({ mid: z.string().optional(), payload: z.string(), title: z.string().optional() }).optional(),
});
const webhookSchema = z.object({
  object: z.string(),
  entry: z.array(z.object({ id: z.string().optional(), time: z.number().optional(), messaging: z.array(z.unknown()).default([]) })).default([]),
});

/**
 * The event of one messaging item, or undefined for what the assistant does not read (echoes of the
 * page's own messages, attachments, reads, deliveries). A quick reply or a postback brings back its
 * payload — the number of the option — which the engine maps to the label it offered.
 */
export function eventFromMessaging(item: unknown): InboundEvent | undefined {
  const parsed = messagingSchema.safeParse(item);
  if (!parsed.success) return undefined;
  const { sender, timestamp, message, postback } = parsed.data;
  const receivedAt = new Date(timestamp ?? Date.now());
  const base = { channel: "messenger", userId: sender.id, chatId: sender.id, receivedAt };
  if (message && !message.is_echo) {
    const text = message.quick_reply?.payload ?? message.text;
    return text === undefined ? undefined : { ...base, eventId: message.mid, text };
  }
  // A postback without a mid (older API versions) is keyed by its time: redelivered, it is the same.
  if (postback) return { ...base, eventId: postback.mid ?? `postback:${sender.id}:${timestamp}`, text: postback.payload };
  return undefined;
}

/** Quick replies when they fit Messenger's limits; otherwise the options as numbered text. */
export function renderMessengerReply(reply: Reply): { parts: string[]; quickReplies: QuickReply[] } {
  const buttons = reply.buttons ?? [];
  const fits = buttons.length <= MAX_QUICK_REPLIES && buttons.every((label) => label.length <= MAX_QUICK_REPLY_TITLE);
  const text = fits ? reply.text : withNumberedOptions(reply);
  const quickReplies = fits ? buttons.map((title, index) => ({ content_type: "text" as const, title, payload: String(index + 1) })) : [];
  return { parts: splitMessage(text, MESSENGER_TEXT_LIMIT), quickReplies };
}

/** `X-Hub-Signature-256: sha256=<hex>` must be the HMAC-SHA256 of the exact body with the app secret. */
function signatureCheck(appSecret: string): ChannelWebhook["verify"] {
  return ({ headers, rawBody }) => {
    const given = headers[SIGNATURE_HEADER];
    if (typeof given !== "string" || !given.startsWith("sha256=")) return { ok: false, status: 401, error: "missing X-Hub-Signature-256" };
    const expected = Buffer.from(`sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`);
    const matches = Buffer.byteLength(given) === expected.length && timingSafeEqual(Buffer.from(given), expected);
    return matches ? { ok: true } : { ok: false, status: 403, error: "wrong X-Hub-Signature-256" };
  };
}

const sameText = (given: unknown, expected: string) =>
  typeof given === "string" && Buffer.byteLength(given) === Buffer.byteLength(expected) && timingSafeEqual(Buffer.from(given), Buffer.from(expected));

/**
 * Facebook Messenger: webhook only (Meta posts to the URL set in the app's dashboard, which the
 * subscription handshake confirms), replies through the Send API.
 */
export function createMessengerChannel(options: MessengerChannelOptions): Channel {
  const { logger } = options;
  const api = new MessengerApi(options.pageAccessToken, {
    apiBase: options.apiBase,
    ...(options.retryBaseDelayMs !== undefined ? { retryBaseDelayMs: options.retryBaseDelayMs } : {}),
  });

  return {
    name: "messenger",
    canPush: true,
    sender: {
      channel: "messenger",
      async send(chatId, reply) {
        const { parts, quickReplies } = renderMessengerReply(reply);
        for (const [index, text] of parts.entries()) await api.sendText(chatId, text, index === parts.length - 1 ? quickReplies : []);
      },
      async typing(chatId) {
        await api.typing(chatId);
      },
    },
    webhook: {
      path: WEBHOOK_PATH,
      verify: signatureCheck(options.appSecret),
      handshake(query) {
        const confirmed = query["hub.mode"] === "subscribe" && sameText(query["hub.verify_token"], options.verifyToken);
        const challenge = query["hub.challenge"];
        if (!confirmed || typeof challenge !== "string") return { status: 403, body: "forbidden" };
        logger.info("messenger webhook subscription confirmed");
        return { status: 200, body: challenge };
      },
      async receive(body) {
        const parsed = webhookSchema.safeParse(body);
        if (!parsed.success || parsed.data.object !== "page") return { status: 404, body: { error: "not a page subscription" } };
        // In delivery order, so one user's messages are answered in the order they were sent.
        for (const entry of parsed.data.entry) {
          for (const item of entry.messaging) {
            const event = eventFromMessaging(item);
            if (event) await options.onEvent(event);
          }
        }
        return { status: 200, body: "EVENT_RECEIVED" };
      },
    },
    async start() {
      logger.info({ webhook: WEBHOOK_PATH }, "messenger ready: set this webhook (with the verify token) in the Meta app's dashboard");
    },
    async stop() {},
  };
}

/** Facebook Messenger, on when MESSENGER_PAGE_ACCESS_TOKEN is set. */
export const messengerPlugin: ChannelPlugin = {
  name: "messenger",
  canPush: true,
  enabled: (config) => config.MESSENGER_PAGE_ACCESS_TOKEN !== undefined,
  create: async (config, { logger, onEvent }) =>
    createMessengerChannel({
      pageAccessToken: config.MESSENGER_PAGE_ACCESS_TOKEN!,
      appSecret: config.MESSENGER_APP_SECRET!,
      verifyToken: config.MESSENGER_VERIFY_TOKEN!,
      apiBase: config.MESSENGER_API_BASE ?? DEFAULT_MESSENGER_API_BASE,
      logger,
      onEvent,
    }),
};
