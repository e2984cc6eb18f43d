import type { ChannelSender } from "../../bot/ports.ts";
import type { InboundEvent, Reply } from "../../bot/types.ts";
import type { Logger } from "../logger.ts";
import { splitMessage } from "../split-text.ts";
import { ZALO_TEXT_LIMIT, ZaloBot, parseZaloWebhookBody, type ZaloUpdate } from "./client.ts";

/** Options of the Zalo channel. */
export interface ZaloChannelOptions {
  readonly token: string;
  readonly apiBase: string;
  readonly logger: Logger;
  /** Receives each text message; must resolve quickly (record and schedule only). */
  readonly onEvent: (event: InboundEvent) => Promise<unknown>;
  /** With a public URL the bot registers a webhook (with this secret); without one it polls. */
  readonly webhook?: { readonly publicUrl: string; readonly secret: string };
  /** Pause after a failed poll, so an outage is not hammered. */
  readonly pollErrorDelayMs?: number;
}

/** A Zalo Bot Platform bot: inbound by webhook or polling, outbound through our client. */
export interface ZaloChannel {
  readonly sender: ChannelSender;
  /** The secret webhook requests must carry in `X-Bot-Api-Secret-Token` (undefined when polling). */
  readonly webhookSecret: string | undefined;
  /** Handles a webhook body (either envelope); resolves once the event is recorded, or at once if ignored. */
  receive(body: unknown): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The normalised event of a Zalo update; undefined for events other than text messages. */
export function eventFromZaloUpdate(update: ZaloUpdate): InboundEvent | undefined {
  const { message } = update;
  if (update.event_name !== "message.text.received" || message.text === undefined) return undefined;
  // Zalo updates carry no update id; the message id is the only key for deduplication.
  return { channel: "zalo", eventId: message.message_id, userId: message.from.id, chatId: message.chat.id, text: message.text, receivedAt: new Date(message.date) };
}

/** Quick replies become numbered options; the user answers with the number. */
export function renderZaloText(reply: Reply): string {
  const buttons = reply.buttons ?? [];
  if (buttons.length === 0) return reply.text;
  const options = buttons.map((label, index) => `${index + 1}. ${label}`).join("\n");
  return `${reply.text}\n\n${options}\n(Trả lời bằng số / Reply with a number)`;
}

/** Creates the channel; `start()` registers the webhook or begins polling. */
export function createZaloChannel(options: ZaloChannelOptions): ZaloChannel {
  const { logger } = options;
  const bot = new ZaloBot(options.token, { apiBase: options.apiBase });
  let polling = false;

  const handle = async (update: ZaloUpdate | undefined) => {
    const event = update && eventFromZaloUpdate(update);
    if (event) await options.onEvent(event);
    else if (update) logger.debug({ eventName: update.event_name }, "zalo event ignored");
  };

  const poll = async () => {
    while (polling) {
      try {
        await handle(await bot.getUpdates({ timeout: 30 }));
      } catch (error) {
        logger.warn({ err: { message: (error as Error).message } }, "zalo polling failed; retrying");
        await new Promise((resolve) => setTimeout(resolve, options.pollErrorDelayMs ?? 5000));
      }
    }
  };

  return {
    sender: {
      channel: "zalo",
      async send(chatId, reply) {
        for (const text of splitMessage(renderZaloText(reply), ZALO_TEXT_LIMIT)) await bot.sendMessage(chatId, text);
      },
      async typing(chatId) {
        await bot.sendChatAction(chatId, "typing");
      },
    },
    webhookSecret: options.webhook?.secret,
    receive: (body) => handle(parseZaloWebhookBody(body)),
    async start() {
      if (options.webhook) {
        const url = `${options.webhook.publicUrl.replace(/\/$/, "")}/webhooks/zalo`;
        await bot.setWebhook({ url, secret_token: options.webhook.secret });
        logger.info("zalo webhook registered");
      } else {
        // Polling and a webhook exclude each other.
        await bot.deleteWebhook();
        polling = true;
        void poll();
        logger.info("zalo polling started");
      }
    },
    async stop() {
      polling = false;
    },
  };
}
