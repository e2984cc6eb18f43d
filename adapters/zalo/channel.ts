import type { Channel } from "../../bot/ports.ts";
import type { InboundEvent, Reply } from "../../bot/types.ts";
import { registrationUrl, secretHeader, withNumberedOptions, type ChannelContext } from "../channel-plugin.ts";
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
  /** Runs the webhook's registration while no other instance registers it (instances starting together). */
  readonly exclusive: ChannelContext["exclusive"];
  /** Pause after a failed poll, so an outage is not hammered. */
  readonly pollErrorDelayMs?: number;
}

/** The normalised event of a Zalo update; undefined for events other than text messages. */
export function eventFromZaloUpdate(update: ZaloUpdate): InboundEvent | undefined {
  const { message } = update;
  if (update.event_name !== "message.text.received" || message.text === undefined) return undefined;
  // Zalo updates carry no update id; the message id is the only key for deduplication.
  return { channel: "zalo", eventId: message.message_id, userId: message.from.id, chatId: message.chat.id, text: message.text, receivedAt: new Date(message.date) };
}

/** Zalo bots have no buttons: quick replies become numbered options; the user answers with the number. */
export const renderZaloText: (reply: Reply) => string = withNumberedOptions;

const WEBHOOK_PATH = "/webhooks/zalo";

/** Creates the channel; `start()` registers the webhook or begins polling. */
export function createZaloChannel(options: ZaloChannelOptions): Channel {
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
    name: "zalo",
    canPush: true,
    sender: {
      channel: "zalo",
      async send(chatId, reply) {
        for (const text of splitMessage(renderZaloText(reply), ZALO_TEXT_LIMIT)) await bot.sendMessage(chatId, text);
      },
      async typing(chatId) {
        await bot.sendChatAction(chatId, "typing");
      },
    },
    ...(options.webhook
      ? {
          webhook: {
            path: WEBHOOK_PATH,
            verify: secretHeader("X-Bot-Api-Secret-Token", options.webhook.secret),
            async receive(body) {
              // Either envelope; events other than text messages are acknowledged and ignored.
              await handle(parseZaloWebhookBody(body));
              return { status: 200, body: { message: "OK" } };
            },
          },
        }
      : {}),
    async start() {
      if (options.webhook) {
        const { publicUrl, secret } = options.webhook;
        const url = registrationUrl(publicUrl, WEBHOOK_PATH, [secret]);
        // Instances starting together take turns, and each registers only what is not registered already.
        await options.exclusive("zalo webhook", async () => {
          if ((await bot.getWebhookInfo()).url === url) return;
          await bot.setWebhook({ url, secret_token: secret });
        });
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
