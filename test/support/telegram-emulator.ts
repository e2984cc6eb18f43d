/**
 * A small Telegram Bot API emulator on 127.0.0.1 for tests. grammY reaches it through `client.apiRoot`;
 * tests play the user side (updates by long polling or webhook) and read what the bot sent.
 * Ours rather than telegram-test-api, which sends no webhook secret, lacks sendChatAction and
 * ignores getUpdates' offset and timeout (shared notes, channels.md §4).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Chat, Message, Update, User, UserFromGetMe } from "grammy/types";

/** The parameters of one Bot API call, as the bot sent them. */
export type Payload = Record<string, any>;

/** One bot call, in arrival order; `ok` is false when the emulator answered with an error. */
export interface EmulatorCall {
  readonly method: string;
  readonly payload: Payload;
  ok: boolean;
  /** When the call arrived (epoch ms), to check send rates. */
  readonly at: number;
}

/** A webhook registered with setWebhook. */
export interface EmulatorWebhook {
  readonly url: string;
  readonly secretToken: string | null;
}

/** A running emulator for one bot token, and the handles tests drive it with. */
export interface TelegramEmulator {
  /** The value for grammY's `client.apiRoot`. */
  readonly apiRoot: string;
  /** What getMe answers; the id is the token's numeric prefix. */
  readonly botInfo: UserFromGetMe;
  readonly calls: EmulatorCall[];
  readonly webhook: EmulatorWebhook | undefined;
  /** Payloads of the successful sendMessage calls. */
  sent(): Payload[];
  /** Answers the next `count` calls of `method` with a 429 (retry after 1 s) or a 500. */
  failNext(method: string, count: number, status: 429 | 500): void;
  /** Answers every call with a 500 for the next `ms` milliseconds: an outage of the Bot API. */
  failFor(ms: number): void;
  /** From now on, messages to this chat are refused with 403 "bot was blocked by the user". */
  blockBy(chatId: string): void;
  /** A user's text message; the sender defaults to the chat id in private chats, else user 1. */
  makeTextUpdate(options: { chatId: number; text: string; fromId?: number; updateId?: number }): Update;
  /** A command such as "/start" or "/start payload", with its bot_command entity. */
  makeCommandUpdate(chatId: number, command: string): Update;
  /** A button press; the message defaults to the bot's latest message in the chat. */
  makeCallbackUpdate(options: { chatId: number; data: string; messageId?: number; fromId?: number }): Update;
  /**
   * Delivers an update: POSTed to the webhook if one is set (resolving our server's HTTP status; `secret`
   * overrides the registered secret header, null omits it), else queued for getUpdates (resolving 200).
   */
  pushUpdate(update: Update, options?: { secret?: string | null }): Promise<number>;
  /** Calls `listener` with each successful sendMessage payload from now on; returns the unsubscribe function. */
  onSent(listener: (payload: Payload) => void): () => void;
  /** The first successful sendMessage payload, already sent or upcoming, that matches. */
  waitForSent(predicate: (payload: Payload) => boolean, timeoutMs?: number): Promise<Payload>;
  /** Stops the server; a pending long poll is answered with no updates first. */
  close(): Promise<void>;
}

interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/** Longest a getUpdates call is held, whatever its `timeout` asks. */
const MAX_POLL_SECONDS = 30;
/** Telegram's limit on a message's text. */
const MAX_TEXT_LENGTH = 4096;

const ok = (result: unknown): Reply => ({ status: 200, body: { ok: true, result } });
const failure = (status: number, description: string, parameters?: object): Reply => ({
  status,
  body: { ok: false, error_code: status, description, ...(parameters && { parameters }) },
});
const now = () => Math.floor(Date.now() / 1000);
const userOf = (id: number): User => ({ id, is_bot: false, first_name: `User ${id}` });
const chatOf = (id: number): Chat.PrivateChat | Chat.SupergroupChat =>
  id > 0 ? { id, type: "private", first_name: `User ${id}` } : { id, type: "supergroup", title: `Group ${id}` };
const senderOf = (chatId: number, fromId?: number) => userOf(fromId ?? (chatId > 0 ? chatId : 1));

/** Reads query, JSON and form parameters; form values stay strings and uploaded files are kept by name. */
async function readPayload(req: IncomingMessage): Promise<Payload> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk);
  const raw = Buffer.concat(chunks);
  const query = Object.fromEntries(new URL(req.url ?? "", "http://localhost").searchParams);
  const type = req.headers["content-type"] ?? "";
  if (raw.length === 0) return query;
  if (type.includes("json")) return { ...query, ...JSON.parse(raw.toString()) };
  const form = await new Response(raw, { headers: { "content-type": type } }).formData();
  const fields = [...form].map(([key, value]) => [key, typeof value === "string" ? value : value.name]);
  return { ...query, ...Object.fromEntries(fields) };
}

/** Starts the emulator on a free loopback port, for the bot with this token. */
export async function startTelegramEmulator({ token }: { token: string }): Promise<TelegramEmulator> {
  const id = Number(token.split(":")[0]) || 1;
  // Messages carry the plain User; the capability flags only come with getMe.
  const botUser = { id, is_bot: true, first_name: "Test Bot", username: "test_bot" } as const;
  const botInfo: UserFromGetMe = {
    ...botUser,
    can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false,
    can_connect_to_business: false, has_main_web_app: false, has_topics_enabled: false,
    allows_users_to_create_topics: false, can_manage_bots: false, supports_join_request_queries: false,
  };
  const calls: EmulatorCall[] = [];
  const failures = new Map<string, { count: number; status: 429 | 500 }>();
  const blockedBy = new Set<string>();
  // Latest state of every message by "chat:id", so edits and button presses refer to real messages.
  const messages = new Map<string, Message>();
  const sentWaiters = new Set<(payload: Payload) => void>();
  let updates: Update[] = [];
  let poll: { readonly limit: number; answer(reply: Reply): void } | undefined;
  let webhook: EmulatorWebhook | undefined;
  let lastSetWebhook = 0;
  let failingUntil = 0;
  let nextUpdateId = 1;
  let nextMessageId = 1;
  let nextCallbackId = 1;

  const remember = (message: Message) => (messages.set(`${message.chat.id}:${message.message_id}`, message), message);
  const isSend = (call: EmulatorCall) => call.ok && call.method.toLowerCase() === "sendmessage";
  const sent = () => calls.filter(isSend).map((call) => call.payload);

  const edit = (payload: Payload, change: Partial<Message>): Reply => {
    if (payload.inline_message_id) return ok(true);
    const chat = chatOf(Number(payload.chat_id));
    const base = messages.get(`${chat.id}:${payload.message_id}`) ??
      { message_id: Number(payload.message_id), date: now(), chat, from: botUser };
    return ok(remember({ ...base, ...change, edit_date: now() }));
  };

  // Keyed in lower case: Bot API method names are case-insensitive.
  const handlers: Record<string, (payload: Payload, res: ServerResponse) => Reply | Promise<Reply>> = {
    getme: () => ok(botInfo),
    setwebhook: (payload) => {
      // Telegram refuses a second setWebhook within about a second, as instances starting together find out.
      if (Date.now() - lastSetWebhook < 1000) return failure(429, "Too Many Requests: retry after 1", { retry_after: 1 });
      lastSetWebhook = Date.now();
      webhook = payload.url ? { url: String(payload.url), secretToken: payload.secret_token ?? null } : undefined;
      if (payload.drop_pending_updates) updates = [];
      return ok(true);
    },
    deletewebhook: (payload) => {
      webhook = undefined;
      if (payload.drop_pending_updates) updates = [];
      return ok(true);
    },
    getwebhookinfo: () =>
      ok({ url: webhook?.url ?? "", has_custom_certificate: false, pending_update_count: updates.length }),
    getupdates: (payload, res) => {
      if (webhook) {
        return failure(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
      }
      // An offset confirms every update below it: they are never delivered again.
      const offset = Number(payload.offset ?? 0);
      updates = updates.filter((update) => update.update_id >= offset);
      const limit = Math.min(Math.max(Number(payload.limit ?? 100), 1), 100);
      const timeout = Math.min(Number(payload.timeout ?? 0), MAX_POLL_SECONDS);
      if (updates.length > 0 || !(timeout > 0)) return ok(updates.slice(0, limit));
      // As on Telegram, a second poller ends the first one, so two bot instances show up as a 409.
      poll?.answer(failure(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"));
      return new Promise<Reply>((resolve) => {
        const current = {
          limit,
          answer(reply: Reply) {
            clearTimeout(timer);
            if (poll === current) poll = undefined;
            resolve(reply);
          },
        };
        const timer = setTimeout(() => current.answer(ok([])), timeout * 1000);
        poll = current;
        // grammY's bot.stop() aborts the pending poll; forget it so no later update is handed to a closed socket.
        res.on("close", () => current.answer(ok([])));
      });
    },
    sendmessage: (payload) => {
      const chatId = Number(payload.chat_id);
      const text = String(payload.text ?? "");
      if (!Number.isFinite(chatId)) return failure(400, "Bad Request: chat not found");
      if (text.trim() === "") return failure(400, "Bad Request: message text is empty");
      if (text.length > MAX_TEXT_LENGTH) return failure(400, "Bad Request: message is too long");
      const message: Message = { message_id: nextMessageId++, date: now(), chat: chatOf(chatId), from: botUser, text };
      if (payload.reply_markup) message.reply_markup = payload.reply_markup;
      return ok(remember(message));
    },
    sendchataction: () => ok(true),
    answercallbackquery: () => ok(true),
    // Telegram drops the keyboard of a message edited without reply_markup; an undefined one is left out of the JSON.
    editmessagetext: (payload) => edit(payload, { text: payload.text, reply_markup: payload.reply_markup }),
    editmessagereplymarkup: (payload) => edit(payload, { reply_markup: payload.reply_markup }),
  };

  const answer = (callToken: string, method: string, payload: Payload, res: ServerResponse): Reply | Promise<Reply> => {
    if (callToken !== token) return failure(401, "Unauthorized");
    const handler = handlers[method.toLowerCase()];
    if (!handler) return failure(404, "Not Found: method not found");
    if (Date.now() < failingUntil && method.toLowerCase() !== "getme") return failure(500, "Internal Server Error");
    const injected = failures.get(method.toLowerCase());
    if (injected && injected.count > 0) {
      injected.count--;
      return injected.status === 429
        ? failure(429, "Too Many Requests: retry after 1", { retry_after: 1 })
        : failure(500, "Internal Server Error");
    }
    if (method.toLowerCase() === "sendmessage" && blockedBy.has(String(payload.chat_id))) return failure(403, "Forbidden: bot was blocked by the user");
    return handler(payload, res);
  };

  const server = createServer(async (req, res) => {
    const [, callToken = "", method = ""] = /^\/bot([^/]+)\/([^/?]+)/.exec(req.url ?? "") ?? [];
    let reply: Reply;
    if (!method) reply = failure(404, "Not Found");
    else {
      const payload = await readPayload(req).catch(() => undefined);
      const call: EmulatorCall = { method, payload: payload ?? {}, ok: true, at: Date.now() };
      calls.push(call);
      reply = payload ? await answer(callToken, method, payload, res) : failure(400, "Bad Request: can't parse request body");
      call.ok = reply.status === 200;
      if (isSend(call)) for (const waiter of sentWaiters) waiter(call.payload);
    }
    if (res.destroyed) return;
    res.writeHead(reply.status, { "content-type": "application/json" });
    res.end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const makeTextUpdate: TelegramEmulator["makeTextUpdate"] = ({ chatId, text, fromId, updateId }) => ({
    update_id: updateId ?? nextUpdateId++,
    message: { message_id: nextMessageId++, date: now(), chat: chatOf(chatId), from: senderOf(chatId, fromId), text },
  });

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    botInfo,
    calls,
    get webhook() {
      return webhook;
    },
    sent,
    failNext: (method, count, status) => void failures.set(method.toLowerCase(), { count, status }),
    failFor: (ms) => void (failingUntil = Date.now() + ms),
    blockBy: (chatId) => void blockedBy.add(chatId),
    makeTextUpdate,
    makeCommandUpdate(chatId, command) {
      const update = makeTextUpdate({ chatId, text: command });
      update.message!.entities = [{ type: "bot_command", offset: 0, length: command.split(" ")[0]!.length }];
      return update;
    },
    makeCallbackUpdate({ chatId, data, messageId, fromId }) {
      const inChat = [...messages.values()].filter((message) => message.chat.id === chatId);
      const message = (messageId === undefined ? inChat.at(-1) : inChat.find((m) => m.message_id === messageId)) ??
        remember({ message_id: messageId ?? nextMessageId++, date: now(), chat: chatOf(chatId), from: botUser });
      const from = senderOf(chatId, fromId);
      const query = { id: String(nextCallbackId++), from, chat_instance: String(chatId), data, message };
      return { update_id: nextUpdateId++, callback_query: query };
    },
    async pushUpdate(update, options = {}) {
      if (!webhook) {
        updates.push(update);
        poll?.answer(ok(updates.slice(0, poll.limit)));
        return 200;
      }
      const secret = options.secret === undefined ? webhook.secretToken : options.secret;
      const response = await fetch(webhook.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(secret !== null && { "x-telegram-bot-api-secret-token": secret }) },
        body: JSON.stringify(update),
      });
      await response.arrayBuffer();
      return response.status;
    },
    onSent(listener) {
      sentWaiters.add(listener);
      return () => void sentWaiters.delete(listener);
    },
    waitForSent(predicate, timeoutMs = 5000) {
      const earlier = sent().find(predicate);
      if (earlier) return Promise.resolve(earlier);
      return new Promise((resolve, reject) => {
        const waiter = (payload: Payload) => {
          if (!predicate(payload)) return;
          clearTimeout(timer);
          sentWaiters.delete(waiter);
          resolve(payload);
        };
        const timer = setTimeout(() => {
          sentWaiters.delete(waiter);
          const texts = JSON.stringify(sent().map((payload) => payload.text));
          reject(new Error(`No matching sendMessage within ${timeoutMs} ms; sent texts: ${texts}`));
        }, timeoutMs);
        sentWaiters.add(waiter);
      });
    },
    async close() {
      poll?.answer(ok([]));
      // Let that answer reach its socket before the sockets are cut.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
