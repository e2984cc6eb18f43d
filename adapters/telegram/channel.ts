import { autoRetry } from "@grammyjs/auto-retry";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { Api, Bot, GrammyError, type BotError } from "grammy";
import type { Update } from "grammy/types";
import { ChatUnreachableError, type Channel, type ChannelSender } from "../../bot/ports.ts";
import type { InboundEvent, Reply } from "../../bot/types.ts";
import { registrationUrl, secretHeader, type ChannelContext } from "../channel-plugin.ts";
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
  /** Runs the webhook's registration while no other instance registers it (instances starting together). */
  readonly exclusive: ChannelContext["exclusive"];
}

/** Whether a webhook body has the shape of a Telegram update. */
export function isUpdate(body: unknown): body is Update {
  return typeof body === "object" && body !== null && Number.isInteger((body as { update_id?: unknown }).update_id);
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

/** Runs tasks of one key one after another, in call order; tasks of different keys run side by side. */
function inOrderPerKey(): (key: string, task: () => Promise<unknown>) => Promise<void> {
  const tails = new Map<string, Promise<void>>();
  return (key, task) => {
    const done = (tails.get(key) ?? Promise.resolve()).then(task).then(() => {});
    const tail = done.catch(() => {});
    tails.set(key, tail);
    void tail.then(() => tails.get(key) === tail && tails.delete(key));
    return done;
  };
}

const WEBHOOK_PATH = "/webhooks/telegram";

/**
 * Creates the channel; `start()` registers the webhook or begins long polling. By webhook, an update is
 * recorded before it is acknowledged; grammY's handling of it (answering a button press) follows on
 * its own, after the acknowledgement is written.
 */
export function createTelegramChannel(options: TelegramChannelOptions): Channel {
  const { logger } = options;
  const bot = new Bot(options.token, { client: { apiRoot: options.apiRoot } });
  // Installed last runs first: auto-retry wraps the throttler, so retries are throttled too. The
  // throttler lets one message go every 34 ms overall (Telegram allows 30 a second); its default lets
  // 30 go at once whenever its budget refills, so under load the chat worker answered in a burst every
  // second, and webhook acknowledgements waited behind that burst.
  bot.api.config.use(apiThrottler({ global: { minTime: 34 } }));
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));
  const onError = (error: BotError) => logger.error({ err: { message: error.message } }, "telegram update failed");
  bot.catch(onError);

  // One chat's events are recorded in the order they arrive, so they are answered in that order.
  const inOrder = inOrderPerKey();
  const record = async (update: Update) => {
    const event = eventFromUpdate(update);
    if (event) await inOrder(event.chatId, () => options.onEvent(event)); // other kinds are ignored
  };
  // By webhook, `receive` records each update before acknowledging it; by polling, the bot records it here.
  if (!options.webhook) {
    bot.use(async (ctx, next) => {
      await record(ctx.update);
      await next();
    });
  }
  bot.on("callback_query:data", (ctx) => ctx.answerCallbackQuery().catch(() => {}));

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
        try {
          await bot.api.sendMessage(chatId, text, markup);
        } catch (error) {
          // 403: the user blocked the bot (or left); no retry will reach them.
          if (error instanceof GrammyError && error.error_code === 403) throw new ChatUnreachableError(`telegram 403: ${error.description}`);
          throw error;
        }
      }
    },
    async typing(chatId: string) {
      await typingApi.sendChatAction(chatId, "typing");
    },
  };

  return {
    name: "telegram",
    canPush: true,
    sender,
    ...(options.webhook
      ? {
          webhook: {
            path: WEBHOOK_PATH,
            verify: secretHeader("X-Telegram-Bot-Api-Secret-Token", options.webhook.secret),
            async receive(update) {
              if (!isUpdate(update)) return { status: 400, body: { error: "not a Telegram update" } };
              await record(update);
              // After the current turn of the event loop, in which the caller writes the acknowledgement. Before
              // `start()` the bot cannot handle updates, so one arriving then is only recorded.
              if (bot.isInited()) setImmediate(() => bot.handleUpdate(update).catch(onError));
              return { status: 200 };
            },
          },
        }
      : {}),
    async start() {
      await bot.init();
      if (options.webhook) {
        const { publicUrl, secret } = options.webhook;
        const url = registrationUrl(publicUrl, WEBHOOK_PATH, [secret, ...ALLOWED_UPDATES]);
        // Telegram answers a second setWebhook within a second with 429, so instances starting together
        // take turns, and each registers only what is not registered already.
        await options.exclusive("telegram webhook", async () => {
          if ((await bot.api.getWebhookInfo()).url === url) return;
          await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
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
