import { autoRetry } from "@grammyjs/auto-retry";
import { run, sequentialize, type RunnerHandle } from "@grammyjs/runner";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { Api, Bot, webhookCallback, type Context } from "grammy";
import type { Update } from "grammy/types";
import type { ChannelSender } from "../../bot/ports.ts";
import type { InboundEvent, Reply } from "../../bot/types.ts";
import type { Logger } from "../logger.ts";
import { splitMessage } from "../split-text.ts";

/** Telegram's limit on one message's text. */
export const TELEGRAM_TEXT_LIMIT = 4096;
const ALLOWED_UPDATES = ["message", "callback_query"] as const;

/** Options of the Telegram channel. */
export interface TelegramChannelOptions {
  readonly token: string;
  readonly apiRoot: string;
  readonly logger: Logger;
  /** Receives each text message and button press; must resolve quickly (record and schedule only). */
  readonly onEvent: (event: InboundEvent) => Promise<unknown>;
  /** With a public URL the bot registers a webhook (with this secret); without one it long-polls. */
  readonly webhook?: { readonly publicUrl: string; readonly secret: string };
}

/** A Telegram bot: inbound updates by webhook or long polling, outbound replies through grammY. */
export interface TelegramChannel {
  readonly sender: ChannelSender;
  /** The Fastify handler for `POST /webhooks/telegram` (checks the secret header; 401 when wrong). */
  readonly webhookHandler: ReturnType<typeof webhookCallback<Context, "fastify">>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The normalised event of a Telegram update, or undefined for updates we do not handle. */
export function eventFromUpdate(update: Update): InboundEvent | undefined {
  const base = { channel: "telegram" as const, eventId: String(update.update_id) };
  if (update.message?.text !== undefined && update.message.from) {
    const { message } = update;
    return { ...base, userId: String(message.from!.id), chatId: String(message.chat.id), text: message.text!, receivedAt: new Date(message.date * 1000) };
  }
  const query = update.callback_query;
  if (query?.data !== undefined && query.message) {
    // Button data is the button's number; the engine maps it back to the label it offered.
    return { ...base, userId: String(query.from.id), chatId: String(query.message.chat.id), text: query.data, receivedAt: new Date() };
  }
  return undefined;
}

/** Creates the channel; `start()` registers the webhook or begins polling. */
export function createTelegramChannel(options: TelegramChannelOptions): TelegramChannel {
  const { logger } = options;
  const bot = new Bot(options.token, { client: { apiRoot: options.apiRoot } });
  // Installed last runs first: auto-retry wraps the throttler, so retries are throttled too.
  bot.api.config.use(apiThrottler());
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));
  bot.catch((error) => logger.error({ err: { message: error.message } }, "telegram update failed"));

  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
  bot.use(async (ctx) => {
    const event = eventFromUpdate(ctx.update);
    if (!event) return; // other update kinds are acknowledged and ignored
    await options.onEvent(event);
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => {});
  });

  // "Typing…" is not a message: it bypasses the per-chat throttle, which would delay the reply behind it.
  const typingApi = new Api(options.token, { apiRoot: options.apiRoot });
  let runner: RunnerHandle | undefined;
  const sender: ChannelSender = {
    channel: "telegram",
    async send(chatId: string, reply: Reply) {
      const parts = splitMessage(reply.text, TELEGRAM_TEXT_LIMIT);
      for (const [index, text] of parts.entries()) {
        const buttons = index === parts.length - 1 ? (reply.buttons ?? []) : [];
        const markup = buttons.length > 0
          ? { reply_markup: { inline_keyboard: buttons.map((label, i) => [{ text: label, callback_data: String(i + 1) }]) } }
          : {};
        await bot.api.sendMessage(chatId, text, markup);
      }
    },
    async typing(chatId: string) {
      await typingApi.sendChatAction(chatId, "typing");
    },
  };

  return {
    sender,
    webhookHandler: webhookCallback(bot, "fastify", {
      ...(options.webhook ? { secretToken: options.webhook.secret } : {}),
      onTimeout: "return",
      timeoutMilliseconds: 5000,
    }),
    async start() {
      await bot.init();
      if (options.webhook) {
        await bot.api.setWebhook(`${options.webhook.publicUrl.replace(/\/$/, "")}/webhooks/telegram`, {
          secret_token: options.webhook.secret,
          allowed_updates: [...ALLOWED_UPDATES],
        });
        logger.info({ bot: bot.botInfo.username }, "telegram webhook registered");
      } else {
        await bot.api.deleteWebhook();
        runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
        logger.info({ bot: bot.botInfo.username }, "telegram long polling started");
      }
    },
    async stop() {
      if (runner?.isRunning()) await runner.stop();
    },
  };
}
