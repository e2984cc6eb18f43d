/**
 * A Facebook Messenger emulator on 127.0.0.1 for tests, over real HTTP: the Graph API's Send API side
 * records every call our bot makes, validates it as Graph would and fails calls on demand; the webhook side
 * plays Facebook calling our service, with the verification handshake and signed event deliveries.
 */
import { createHmac, randomBytes, randomInt } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** The Page all emulated conversations belong to; Graph ids are numeric strings. */
export const PAGE_ID = "104857600012345";

/** One entry of a webhook's `messaging` array, as Messenger sends it for messages and postbacks. */
export interface MessagingEvent {
  sender: { id: string };
  recipient: { id: string };
  timestamp: number;
  message?: { mid: string; text?: string; quick_reply?: { payload: string } };
  postback?: { mid: string; title: string; payload: string };
}

/** One Send API call; `status` is what the emulator answered, so failed attempts show. */
export interface MessengerCall {
  readonly body: any;
  readonly status: number;
  readonly accessToken: string | null;
}

/** What our webhook answered: HTTP status and body as text. */
export interface WebhookResponse {
  readonly status: number;
  readonly body: string;
}

/** A running emulator, and what tests can do with it. */
export interface MessengerEmulator {
  /** The Graph base to give the client, e.g. http://127.0.0.1:PORT/v21.0; it POSTs to `${apiBase}/me/messages`. */
  readonly apiBase: string;
  /** Every /me/messages call, failed ones included, in the order answered; tests may empty it. */
  readonly sent: MessengerCall[];
  /** Makes the next `count` calls answer `status` before any check, after any failures already set. */
  failNext(count: number, status: 429 | 500): void;
  /** Resolves with the first successful (200) call that matches, waiting for it up to `timeoutMs`. */
  waitForSent(predicate: (call: MessengerCall) => boolean, timeoutMs?: number): Promise<MessengerCall>;
  /** Where our service's webhook listens, e.g. http://127.0.0.1:3000/webhooks/messenger. */
  setWebhook(url: string): void;
  /** Performs the subscription handshake GET, as Facebook does when the webhook is configured. */
  verifyWebhook(verifyToken: string, challenge?: string): Promise<WebhookResponse>;
  /**
   * POSTs events to the webhook in a `page` object, signed with X-Hub-Signature-256 over the exact raw bytes
   * (or wrongly, or not at all); `rawBody` is sent as is, to redeliver identical bytes or send malformed ones.
   */
  deliver(
    entry: MessagingEvent | MessagingEvent[],
    options?: { signature?: "valid" | "wrong" | "missing"; rawBody?: string },
  ): Promise<WebhookResponse>;
  close(): Promise<void>;
}

let mids = 0;
const nextMid = () => `m_${++mids}`;

/** A user's text message, as it arrives in `entry[].messaging[]`. */
export function makeTextEvent(psid: string, text: string, mid = nextMid()): MessagingEvent {
  return { sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: Date.now(), message: { mid, text } };
}

/** A tap on a quick reply: Messenger sends the button's title as text, with its payload alongside. */
export function makeQuickReplyEvent(psid: string, title: string, payload: string, mid = nextMid()): MessagingEvent {
  return {
    sender: { id: psid },
    recipient: { id: PAGE_ID },
    timestamp: Date.now(),
    message: { mid, text: title, quick_reply: { payload } },
  };
}

/** A tap on a postback button (persistent menu, Get Started, templates): no `message`, only `postback`. */
export function makePostbackEvent(psid: string, title: string, payload: string, mid = nextMid()): MessagingEvent {
  return { sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: Date.now(), postback: { mid, title, payload } };
}

const SENDER_ACTIONS = ["typing_on", "typing_off", "mark_seen"];
const MESSAGING_TYPES = ["RESPONSE", "UPDATE", "MESSAGE_TAG"];

/** Why Graph would reject a Send API body with code 100, or undefined if it is valid. */
function invalidParam(body: any): string | undefined {
  // Malformed or empty JSON arrives as undefined or null, and fails here like a body without a recipient.
  if (typeof body?.recipient?.id !== "string" || !body.recipient.id) return "(#100) The parameter recipient is required";
  if (body.sender_action !== undefined) {
    if (body.message !== undefined) return "(#100) Cannot send a message and a sender action together";
    if (SENDER_ACTIONS.includes(body.sender_action)) return undefined;
    return "(#100) Param sender_action must be one of {TYPING_ON, TYPING_OFF, MARK_SEEN}";
  }
  const { message } = body;
  if (typeof message !== "object" || message === null) return "(#100) Must send either message or sender action";
  if (!MESSAGING_TYPES.includes(body.messaging_type)) {
    return "(#100) Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}";
  }
  // Lengths count UTF-16 code units, the stricter reading, as our splitter does.
  if (typeof message.text !== "string" || !message.text) return "(#100) Param message[text] must be a non-empty string";
  if (message.text.length > 2000) return "(#100) Length of param message[text] must be less than or equal to 2000";
  const replies = message.quick_replies;
  if (replies === undefined) return undefined;
  if (!Array.isArray(replies) || replies.length > 13) return "(#100) Param message[quick_replies] has over 13 items";
  for (const [i, reply] of replies.entries()) {
    const param = `(#100) Param message[quick_replies][${i}]`;
    if (reply?.content_type !== "text") return `${param}[content_type] must be one of {TEXT}`;
    if (typeof reply.title !== "string" || !reply.title || reply.title.length > 20) {
      return `${param}[title] must be a non-empty string of at most 20 characters`;
    }
    if (typeof reply.payload !== "string" || !reply.payload || reply.payload.length > 1000) {
      return `${param}[payload] must be a non-empty string of at most 1000 characters`;
    }
  }
  return undefined;
}

/** Starts the emulator on a free loopback port; Send API calls must carry `pageAccessToken`. */
export async function startMessengerEmulator({
  pageAccessToken,
  appSecret,
  graphVersion = "v21.0",
}: {
  pageAccessToken: string;
  appSecret: string;
  graphVersion?: string;
}): Promise<MessengerEmulator> {
  const sent: MessengerCall[] = [];
  // Statuses the next calls answer instead of doing anything.
  const failures: number[] = [];
  let webhookUrl = "";

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const accessToken = url.searchParams.get("access_token");
      let body: any;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "null");
      } catch {
        body = undefined;
      }
      const isSend = req.method === "POST" && url.pathname === `/${graphVersion}/me/messages`;
      const answer = (status: number, response: object) => {
        if (isSend) sent.push({ body, status, accessToken });
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(response));
      };
      // Graph's error envelope; every error carries a trace id, as real ones do.
      const fail = (status: number, error: object) =>
        answer(status, { error: { ...error, fbtrace_id: randomBytes(8).toString("base64url") } });

      if (!isSend) return fail(404, { message: "Unknown path components", type: "OAuthException", code: 2500 });
      const failure = failures.shift();
      if (failure === 429) {
        const message = "(#613) Calls to this api have exceeded the rate limit.";
        return fail(429, { message, code: 613, type: "OAuthException" });
      }
      if (failure) {
        const message = "An unexpected error has occurred";
        return fail(failure, { message, type: "OAuthException", code: 2, is_transient: true });
      }
      if (accessToken !== pageAccessToken) {
        const message = "Invalid OAuth access token - Cannot parse access token";
        return fail(400, { message, type: "OAuthException", code: 190 });
      }
      const problem = invalidParam(body);
      if (problem) return fail(400, { message: problem, type: "OAuthException", code: 100 });
      const recipient_id = body.recipient.id as string;
      if (body.sender_action) return answer(200, { recipient_id });
      answer(200, { recipient_id, message_id: `m_${randomBytes(16).toString("base64url")}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const webhook = () => {
    if (!webhookUrl) throw new Error("Messenger emulator: call setWebhook(url) first");
    return new URL(webhookUrl);
  };
  const respond = async (response: Response): Promise<WebhookResponse> => ({
    status: response.status,
    body: await response.text(),
  });

  return {
    apiBase: `http://127.0.0.1:${port}/${graphVersion}`,
    sent,
    failNext(count, status) {
      failures.push(...Array<number>(count).fill(status));
    },
    async waitForSent(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const call = sent.find((c) => c.status === 200 && predicate(c));
        if (call) return call;
        if (Date.now() > deadline) {
          const calls = sent.map((c) => `${c.status} ${JSON.stringify(c.body)}`).join("\n  ");
          throw new Error(`No matching Messenger call within ${timeoutMs} ms; calls:\n  ${calls || "(none)"}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    setWebhook(url) {
      webhookUrl = url;
    },
    async verifyWebhook(verifyToken, challenge = String(randomInt(1_000_000_000, 2_000_000_000))) {
      const url = webhook();
      url.searchParams.set("hub.mode", "subscribe");
      url.searchParams.set("hub.verify_token", verifyToken);
      url.searchParams.set("hub.challenge", challenge);
      return respond(await fetch(url));
    },
    async deliver(entry, { signature = "valid", rawBody } = {}) {
      const messaging = Array.isArray(entry) ? entry : [entry];
      const text = rawBody ?? JSON.stringify({ object: "page", entry: [{ id: PAGE_ID, time: Date.now(), messaging }] });
      // Signed and sent as these exact bytes, as Facebook signs the payload it sends.
      const raw = Buffer.from(text, "utf8");
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (signature !== "missing") {
        // A wrong signature is well-formed but made with another secret, so only verification catches it.
        const secret = signature === "valid" ? appSecret : `${appSecret}-wrong`;
        headers["x-hub-signature-256"] = `sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`;
      }
      return respond(await fetch(webhook(), { method: "POST", headers, body: raw }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
