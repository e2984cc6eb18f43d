/**
 * Facebook Messenger's Send API (`POST {graph}/me/messages`), as much of it as the assistant uses:
 * text with quick replies, and the typing indicator. Transient failures (429, 5xx, Graph's rate-limit
 * and "transient" codes, network errors) are retried with exponential backoff.
 */
import { setTimeout as sleep } from "node:timers/promises";

/** The Graph API with a pinned version: Meta changes behaviour between versions. */
export const DEFAULT_MESSENGER_API_BASE = "https://graph.facebook.com/v21.0";
/** The longest text message the Send API accepts. */
export const MESSENGER_TEXT_LIMIT = 2000;
/** Quick replies: at most 13, titles at most 20 characters. */
export const MAX_QUICK_REPLIES = 13;
export const MAX_QUICK_REPLY_TITLE = 20;

// Graph error codes that mean "try again later": 4 and 613 are rate limits, 1 and 2 temporary failures.
const TRANSIENT_GRAPH_CODES = new Set([1, 2, 4, 613]);

/** A failed call; its message never contains the page access token. */
export class MessengerApiError extends Error {
  override readonly name = "MessengerApiError";
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    description: string,
    readonly retryable: boolean,
  ) {
    super(`Messenger send failed (${status}${code === undefined ? "" : `, code ${code}`}): ${description}`);
  }
}

/** One quick reply; its payload comes back as the user's message. */
export interface QuickReply {
  readonly content_type: "text";
  readonly title: string;
  readonly payload: string;
}

/** How to reach the API and how hard to try. */
export interface MessengerApiOptions {
  readonly apiBase?: string;
  readonly timeoutMs?: number;
  /** Further attempts after a transient failure. Default 3. */
  readonly retries?: number;
  /** The first retry waits this long, each later one twice as long. Default 500. */
  readonly retryBaseDelayMs?: number;
}

/** A Facebook Page's messaging, through the Send API. */
export class MessengerApi {
  // A private field keeps the token out of inspect() and JSON.stringify() of the client.
  readonly #token: string;
  readonly #options: Required<MessengerApiOptions>;

  constructor(pageAccessToken: string, options: MessengerApiOptions = {}) {
    if (!pageAccessToken) throw new Error("The Messenger page access token is empty");
    this.#token = pageAccessToken;
    this.#options = { apiBase: DEFAULT_MESSENGER_API_BASE, timeoutMs: 15_000, retries: 3, retryBaseDelayMs: 500, ...options };
  }

  /** Sends a text (with quick replies) to a user, in answer to their message. */
  async sendText(psid: string, text: string, quickReplies: readonly QuickReply[] = []): Promise<void> {
    await this.#call({
      recipient: { id: psid },
      messaging_type: "RESPONSE",
      message: { text, ...(quickReplies.length > 0 ? { quick_replies: quickReplies } : {}) },
    });
  }

  /** Shows "typing…" in the user's conversation. */
  async typing(psid: string): Promise<void> {
    await this.#call({ recipient: { id: psid }, sender_action: "typing_on" }, 0);
  }

  async #call(body: object, retries = this.#options.retries): Promise<void> {
    const url = `${this.#options.apiBase.replace(/\/$/, "")}/me/messages?access_token=${encodeURIComponent(this.#token)}`;
    for (let attempt = 0; ; attempt++) {
      const error = await this.#attempt(url, body);
      if (!error) return;
      if (!error.retryable || attempt >= retries) throw error;
      await sleep(this.#options.retryBaseDelayMs * 2 ** attempt);
    }
  }

  /** One attempt; resolves with the error instead of throwing, so the URL (and its token) never travels in one. */
  async #attempt(url: string, body: object): Promise<MessengerApiError | undefined> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
    } catch (error) {
      return new MessengerApiError(0, undefined, (error as Error).name === "TimeoutError" ? "timed out" : "network error", true);
    }
    if (response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    const payload = (await response.json().catch(() => ({}))) as { error?: { message?: unknown; code?: unknown; is_transient?: unknown } };
    const code = typeof payload.error?.code === "number" ? payload.error.code : undefined;
    const message = typeof payload.error?.message === "string" ? payload.error.message.slice(0, 200) : response.statusText;
    const retryable = response.status === 429 || response.status >= 500 || payload.error?.is_transient === true || (code !== undefined && TRANSIENT_GRAPH_CODES.has(code));
    return new MessengerApiError(response.status, code, message, retryable);
  }
}
