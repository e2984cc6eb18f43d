/**
 * A Zalo Bot Platform API emulator on 127.0.0.1 for tests: records every bot call, delivers updates by
 * webhook or getUpdates, and fails calls on demand, over real HTTP.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { ZaloUpdate } from "../../adapters/zalo/client.ts";

/** One call the bot made; `status` is what the emulator answered, so failed attempts show. */
export interface ZaloCall {
  readonly method: string;
  readonly body: any;
  readonly status: number;
}

/** How webhook bodies are wrapped: as Zalo's docs show, or bare as seen in real traffic. */
export type ZaloEnvelope = "wrapped" | "top-level";

/** A running emulator, and what tests can do with it. */
export interface ZaloEmulator {
  /** The `apiBase` to give the client, e.g. http://127.0.0.1:PORT. */
  readonly apiBase: string;
  /** Every call made with the right token or a wrong one, in the order answered; tests may empty it. */
  readonly sent: ZaloCall[];
  /** Makes the next `count` calls of `method` answer `status`, after any failures already set. */
  failNext(method: string, count: number, status: 429 | 500): void;
  /**
   * Delivers an update as a user's message would arrive: POSTed to the webhook if one is set, resolving
   * with our webhook's HTTP status; otherwise queued for getUpdates, resolving with undefined.
   */
  pushUpdate(update: ZaloUpdate): Promise<number | undefined>;
  /** Resolves with the first recorded call that matches, waiting for it up to `timeoutMs`. */
  waitForSent(predicate: (call: ZaloCall) => boolean, timeoutMs?: number): Promise<ZaloCall>;
  close(): Promise<void>;
}

let messageCounter = 0;

/** A `message.text.received` update from a private chat, shaped like Zalo's docs sample. */
export function makeTextUpdate(chatId: string, text: string, messageId = `m${++messageCounter}`): ZaloUpdate {
  return {
    event_name: "message.text.received",
    message: {
      message_id: messageId,
      date: Date.now(),
      chat: { id: chatId, chat_type: "PRIVATE" },
      from: { id: chatId, display_name: "Tester", is_bot: false },
      text,
    },
  };
}

const sentMessage = () => ({ message_id: randomBytes(10).toString("hex"), date: Date.now() });

/** Starts the emulator on a free loopback port; calls must use `token`. */
export async function startZaloEmulator({
  token,
  envelope = "wrapped",
}: {
  token: string;
  envelope?: ZaloEnvelope;
}): Promise<ZaloEmulator> {
  const sent: ZaloCall[] = [];
  // Per method, the statuses its next calls answer instead of doing anything.
  const failures = new Map<string, number[]>();
  const queue: ZaloUpdate[] = [];
  // getUpdates calls waiting for an update, oldest first.
  const pollers: { deliver: (update: ZaloUpdate) => void; timer: NodeJS.Timeout }[] = [];
  let webhook = { url: "", secret_token: "", updated_at: 0 };

  // What each method does with a valid call: a result, or an error as [status, description].
  const methods: Record<string, (body: any) => object | [number, string]> = {
    getMe: () => ({ id: token.split(":")[0], account_name: "bot.emulator", account_type: "BASIC", can_join_groups: false }),
    setWebhook: ({ url, secret_token }) => {
      if (typeof url !== "string" || !url) return [400, "url is required"];
      if (typeof secret_token !== "string" || secret_token.length < 8 || secret_token.length > 256) {
        return [400, "secret_token must be 8-256 characters"];
      }
      webhook = { url, secret_token, updated_at: Date.now() };
      return { url, updated_at: webhook.updated_at };
    },
    deleteWebhook: () => {
      webhook = { url: "", secret_token: "", updated_at: Date.now() };
      return { url: "", updated_at: webhook.updated_at };
    },
    getWebhookInfo: () => ({ url: webhook.url, updated_at: webhook.updated_at }),
    sendMessage: ({ text }) =>
      typeof text === "string" && text.length >= 1 && text.length <= 2000
        ? sentMessage()
        : [400, "text must be 1-2000 characters"],
    sendPhoto: ({ photo }) => (typeof photo === "string" && photo ? sentMessage() : [400, "photo is required"]),
    sendSticker: ({ sticker }) => (typeof sticker === "string" && sticker ? sentMessage() : [400, "sticker is required"]),
    sendChatAction: ({ action }) => (action === "typing" ? {} : [400, "unsupported action"]),
  };

  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const [, pathToken, method = ""] = /^\/bot([^/]+)\/([^/?]+)/.exec(req.url ?? "") ?? [];
      const body = raw ? JSON.parse(raw) : {};
      const answer = (status: number, response: object) => {
        if (pathToken !== undefined) sent.push({ method, body, status });
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(response));
      };
      const fail = (status: number, description: string) => answer(status, { ok: false, error_code: status, description });

      if (pathToken === undefined) return fail(404, "Not Found");
      if (decodeURIComponent(pathToken) !== token) return fail(401, "Unauthorized");
      const failure = failures.get(method)?.shift();
      if (failure) return fail(failure, failure === 429 ? "Too Many Requests" : "Internal Server Error");
      if (method === "getUpdates") {
        const next = queue.shift();
        if (next) return answer(200, { ok: true, result: next });
        const poller = {
          deliver: (update: ZaloUpdate) => answer(200, { ok: true, result: update }),
          // Zalo reports an empty poll window in the envelope, with HTTP 200 as OpenClaw's client expects.
          timer: setTimeout(() => {
            stopWaiting();
            answer(200, { ok: false, error_code: 408, description: "Request timeout" });
          }, Number(body.timeout ?? 30) * 1000),
        };
        // Answered, timed out or abandoned by the client: the poll takes no more updates.
        const stopWaiting = () => {
          clearTimeout(poller.timer);
          if (pollers.includes(poller)) pollers.splice(pollers.indexOf(poller), 1);
        };
        pollers.push(poller);
        res.on("close", stopWaiting);
        return;
      }
      const handler = methods[method];
      if (!handler) return fail(404, `Method ${method} not found`);
      const outcome = handler(body);
      if (Array.isArray(outcome)) return fail(outcome[0], outcome[1]);
      // sendChatAction answers a bare {ok: true}, as documented.
      answer(200, method === "sendChatAction" ? { ok: true } : { ok: true, result: outcome });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiBase: `http://127.0.0.1:${port}`,
    sent,
    failNext(method, count, status) {
      failures.set(method, [...(failures.get(method) ?? []), ...Array<number>(count).fill(status)]);
    },
    async pushUpdate(update) {
      if (webhook.url) {
        const response = await fetch(webhook.url, {
          method: "POST",
          headers: { "content-type": "application/json", "x-bot-api-secret-token": webhook.secret_token },
          body: JSON.stringify(envelope === "wrapped" ? { ok: true, result: update } : update),
        });
        await response.arrayBuffer();
        return response.status;
      }
      const poller = pollers.shift();
      if (poller) {
        clearTimeout(poller.timer);
        poller.deliver(update);
      } else queue.push(update);
      return undefined;
    },
    async waitForSent(predicate, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const call = sent.find(predicate);
        if (call) return call;
        if (Date.now() > deadline) {
          throw new Error(`No matching Zalo call within ${timeoutMs} ms; calls: ${sent.map((c) => c.method).join(", ")}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const poller of pollers.splice(0)) clearTimeout(poller.timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
