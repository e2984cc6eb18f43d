/**
 * Our own client for the Zalo Bot Platform API (bot-api.zaloplatforms.com), shaped like the Zalo Bot SDKs.
 * No maintained Node SDK exists, so this covers the documented methods and nothing more.
 */
import { setTimeout as sleep } from "node:timers/promises";
import axios, { isAxiosError } from "axios";
import { z } from "zod";

/** Where Zalo's Bot API lives today; older docs use bot-api.zapps.me. */
export const DEFAULT_ZALO_API_BASE = "https://bot-api.zaloplatforms.com";

/** The longest `text` or `caption` the API accepts. */
export const ZALO_TEXT_LIMIT = 2000;

const isTransient = (code: number) => code === 0 || code === 429 || code >= 500;

/**
 * A failed API call. `errorCode` is the API's `error_code`, else the HTTP status, else 0 for a network
 * failure. Neither it nor anything it carries contains the bot token.
 */
export class ZaloApiError extends Error {
  override readonly name = "ZaloApiError";
  /** True when trying again later may succeed: 429, 5xx and network failures. */
  readonly retryable: boolean;

  constructor(
    readonly method: string,
    readonly errorCode: number,
    readonly description: string,
    httpStatus = errorCode,
  ) {
    super(`Zalo ${method} failed (${errorCode}): ${description}`);
    this.retryable = isTransient(errorCode) || isTransient(httpStatus);
  }
}

// Anything beyond what the docs promise is optional, and a field of the wrong type is dropped rather than
// losing the whole message: the payload varies between Zalo's docs and what integrators saw.
const optionalString = z.string().optional().catch(undefined);

const messageSchema = z.object({
  message_id: z.string(),
  date: z.number(),
  chat: z.object({ id: z.string(), chat_type: z.string() }),
  from: z.object({
    id: z.string(),
    display_name: optionalString,
    first_name: optionalString,
    is_bot: z.boolean().catch(false),
  }),
  text: optionalString,
  photo: z.unknown().optional(),
  photo_url: optionalString,
  caption: optionalString,
  sticker: optionalString,
});

const updateSchema = z.object({ event_name: z.string(), message: messageSchema });

/** A message a user sent to the bot; `date` is in epoch milliseconds. `photo` may be a string, array or object. */
export type ZaloMessage = z.infer<typeof messageSchema>;

/** One incoming event, such as `message.text.received`, from a webhook or getUpdates. */
export type ZaloUpdate = z.infer<typeof updateSchema>;

/** What the send methods return; `date` is in epoch milliseconds. */
export interface ZaloSentMessage {
  message_id: string;
  date: number;
}

/** The bot's own account, from getMe. */
export interface ZaloBotInfo {
  id: string;
  account_name: string;
  account_type: string;
  can_join_groups: boolean;
}

/** The registered webhook; `url` is empty when none is set. */
export interface ZaloWebhookInfo {
  url: string;
  updated_at: number;
}

/** How to reach the API and how hard to try. */
export interface ZaloBotOptions {
  /** Defaults to {@link DEFAULT_ZALO_API_BASE}. */
  apiBase?: string;
  /** HTTP timeout of every call but getUpdates, which waits its poll window plus 5 s. Default 15 000. */
  timeoutMs?: number;
  /** Further attempts after a 429, 5xx or network failure. Default 3. */
  retries?: number;
  /** The first retry waits this long, each later one twice as long as the one before. Default 500. */
  retryBaseDelayMs?: number;
}

/**
 * Reads a webhook body in either envelope Zalo uses, `{ok: true, result: update}` as documented or the
 * bare update seen in real traffic. Anything that is not an update gives undefined.
 */
export function parseZaloWebhookBody(body: unknown): ZaloUpdate | undefined {
  const envelope = body as { ok?: unknown; result?: unknown } | null | undefined;
  const candidate = envelope?.ok === true && envelope.result !== undefined ? envelope.result : body;
  const parsed = updateSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}

// In order of preference; each matches the whitespace where a chunk may end.
type Envelope = { ok?: unknown; result?: unknown; error_code?: unknown; description?: unknown };

/** A bot on the Zalo Bot Platform. Every call is `POST {apiBase}/bot{token}/{method}` with a JSON body. */
export class ZaloBot {
  // Private fields keep the token out of inspect() and JSON.stringify() of the bot.
  readonly #token: string;
  readonly #options: Required<ZaloBotOptions>;

  constructor(token: string, options: ZaloBotOptions = {}) {
    if (!token) throw new Error("The Zalo bot token is empty");
    this.#token = token;
    const { apiBase = DEFAULT_ZALO_API_BASE, timeoutMs = 15_000, retries = 3, retryBaseDelayMs = 500 } = options;
    this.#options = { apiBase: apiBase.replace(/\/+$/, ""), timeoutMs, retries, retryBaseDelayMs };
  }

  /** The bot's own account. */
  getMe(): Promise<ZaloBotInfo> {
    return this.#call("getMe", {});
  }

  /**
   * Waits up to `timeout` seconds (default 30) for the next update; undefined when none came. Zalo hands
   * out one update per call and has no offset to acknowledge it, so each update arrives once.
   * Only works while no webhook is set.
   */
  async getUpdates({ timeout = 30 }: { timeout?: number } = {}): Promise<ZaloUpdate | undefined> {
    try {
      // The API wants the timeout as a string; the HTTP request must outlive the poll window.
      const result = await this.#call("getUpdates", { timeout: String(timeout) }, (timeout + 5) * 1000);
      return parseZaloWebhookBody(result);
    } catch (error) {
      // 408 is the one error code Zalo documents: the poll window ended with nothing to deliver.
      if (error instanceof ZaloApiError && error.errorCode === 408) return undefined;
      throw error;
    }
  }

  /** Has Zalo POST updates to `url` (HTTPS), with `secret_token` (8–256 characters) in `X-Bot-Api-Secret-Token`. */
  setWebhook(params: { url: string; secret_token: string }): Promise<ZaloWebhookInfo> {
    return this.#call("setWebhook", params);
  }

  /** Stops webhook delivery, as getUpdates requires. */
  deleteWebhook(): Promise<ZaloWebhookInfo> {
    return this.#call("deleteWebhook", {});
  }

  /** The webhook now registered. */
  getWebhookInfo(): Promise<ZaloWebhookInfo> {
    return this.#call("getWebhookInfo", {});
  }

  /** Sends plain text of 1–2000 characters; longer replies are split by the channel first. */
  sendMessage(chatId: string, text: string): Promise<ZaloSentMessage> {
    return this.#call("sendMessage", { chat_id: chatId, text });
  }

  /** Sends the image at a public URL (Zalo fetches it; there is no upload), with an optional caption. */
  sendPhoto(chatId: string, photoUrl: string, caption?: string): Promise<ZaloSentMessage> {
    return this.#call("sendPhoto", { chat_id: chatId, photo: photoUrl, caption });
  }

  /** Sends a sticker by its id from stickers.zaloapp.com. */
  sendSticker(chatId: string, stickerId: string): Promise<ZaloSentMessage> {
    return this.#call("sendSticker", { chat_id: chatId, sticker: stickerId });
  }

  /** Shows the user that the bot is typing. */
  async sendChatAction(chatId: string, action: "typing"): Promise<void> {
    await this.#call("sendChatAction", { chat_id: chatId, action });
  }

  async #call<T>(method: string, body: object, timeoutMs = this.#options.timeoutMs): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.#post(method, body, timeoutMs)) as T;
      } catch (error) {
        if (!(error instanceof ZaloApiError) || !error.retryable || attempt >= this.#options.retries) throw error;
        await sleep(this.#options.retryBaseDelayMs * 2 ** attempt);
      }
    }
  }

  async #post(method: string, body: object, timeoutMs: number): Promise<unknown> {
    let response;
    try {
      response = await axios.post<Envelope | string>(`${this.#options.apiBase}/bot${this.#token}/${method}`, body, {
        timeout: timeoutMs,
        // Statuses are judged below, together with the envelope, so axios only throws when no answer came.
        validateStatus: () => true,
      });
    } catch (error) {
      // axios errors carry the request URL, and with it the token: only a scrubbed message gets out.
      const reason = isAxiosError(error) ? error.message || error.code : String(error);
      throw new ZaloApiError(method, 0, this.#scrub(reason || "network failure"));
    }
    const { status, data } = response;
    const envelope: Envelope = typeof data === "object" && data !== null ? data : {};
    if (status >= 200 && status < 300 && envelope.ok === true) return envelope.result;
    const errorCode = typeof envelope.error_code === "number" ? envelope.error_code : status;
    const description = typeof envelope.description === "string" ? envelope.description : `HTTP ${status}`;
    throw new ZaloApiError(method, errorCode, this.#scrub(description), status);
  }

  #scrub(text: string): string {
    return text.replaceAll(this.#token, "[token]");
  }
}
