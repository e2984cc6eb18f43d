import type { Product } from "../knowledge/catalogue.ts";
import type { BotResponse, ChannelName, InboundEvent, Language, Reply } from "./types.ts";

/** Identifies one user's conversation. */
export interface ConversationKey {
  readonly channel: string;
  readonly userId: string;
}

/** A stored conversation with the version it was read at, for optimistic concurrency. */
export interface StoredConversation {
  /** The state as stored (JSON); the engine validates it (bot/conversation.ts). */
  readonly state: unknown;
  readonly version: number;
}

/** Persists per-user conversation state so that any instance can take the next message. */
export interface ConversationStore {
  load(key: ConversationKey): Promise<StoredConversation | undefined>;
  /**
   * Saves `state` if the stored version is still `expectedVersion` (0 for a new conversation).
   * Resolves false when another writer got there first.
   */
  save(key: ConversationKey, state: unknown, expectedVersion: number): Promise<boolean>;
}

/** Why an event is recorded without being answered. */
export type InboxSkip = "flood";

/** Records inbound events once, keyed by channel + event id. */
export interface Inbox {
  /**
   * Resolves true the first time an event is seen, false for a duplicate delivery. An event recorded
   * as `skipped` (over the flood limit) is kept already processed: it is never answered.
   */
  record(event: InboundEvent, skipped?: InboxSkip): Promise<boolean>;
  markProcessed(event: InboundEvent): Promise<void>;
}

/** Thrown by a sender when the chat can no longer be written to (the user blocked the bot): retrying is pointless. */
export class ChatUnreachableError extends Error {
  override readonly name = "ChatUnreachableError";
}

/** Sends replies to one channel's chats; implemented by each channel adapter. */
export interface ChannelSender {
  readonly channel: ChannelName;
  /** Delivers one reply (splitting it as the channel requires); throws when it could not. */
  send(chatId: string, reply: Reply): Promise<void>;
  /** Shows "typing…" while the answer is being prepared; best effort. */
  typing(chatId: string): Promise<void>;
}

/** Which channels can deliver a message the user did not just ask for (a notice, a reminder): the registry's answer. */
export interface ChannelDirectory {
  canPush(channel: ChannelName): boolean;
}

/** A webhook request as a channel checks it, before its body is parsed: headers and the raw bytes (for signatures). */
export interface WebhookRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly rawBody: Buffer;
}

/** An HTTP answer a channel gives its platform. */
export interface WebhookAnswer {
  readonly status: number;
  readonly body?: unknown;
}

/** How a channel receives updates pushed to the service. */
export interface ChannelWebhook {
  /** Where the platform posts, e.g. "/webhooks/messenger". */
  readonly path: string;
  /** Checks the secret or signature; a refusal is answered before anything is recorded. */
  verify(request: WebhookRequest): { readonly ok: true } | { readonly ok: false; readonly status: 401 | 403; readonly error: string };
  /** Turns a verified body into events and hands them on; resolves with the answer once they are recorded. */
  receive(body: unknown): Promise<WebhookAnswer>;
  /** The platform's subscription handshake on GET (Messenger's hub.challenge), if it has one. */
  handshake?(query: Readonly<Record<string, unknown>>): WebhookAnswer;
}

/**
 * One messaging channel: its name, whether it can push, how it sends, and optionally how it receives
 * by webhook; `start` registers the webhook or begins polling, `stop` ends it.
 */
export interface Channel {
  readonly name: ChannelName;
  readonly canPush: boolean;
  readonly sender: ChannelSender;
  readonly webhook?: ChannelWebhook;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Schedules a message to a chat at a later time (festival reminders); only push channels can take one. */
export interface ReminderScheduler {
  /**
   * Resolves false when the chat's channel cannot receive a message it did not ask for right now.
   * Scheduling twice with the same `key` (a turn run again after a crash) schedules one message.
   */
  schedule(chat: { channel: ChannelName; chatId: string }, at: Date, text: string, key: string): Promise<boolean>;
}

/** The product catalogue in the database; prices are read from here every time they are shown. */
export interface Catalogue {
  /** Every product, with its producer's name. */
  products(): Promise<Product[]>;
  /** Products whose names are closest to `name` (typos, partial names), best first. */
  closest(name: string, limit: number): Promise<Product[]>;
}

/** A chat that can be written to. */
export interface ChatAddress {
  readonly channel: ChannelName;
  readonly chatId: string;
}

/** Who placed an order: it is theirs alone to see and cancel. */
export interface Buyer extends ChatAddress {
  readonly userId: string;
}

/** The status of an order; "pending" waits for the producer to confirm it. */
export type OrderStatus = "pending" | "confirmed" | "shipping" | "completed" | "cancelled";

/** One line of an order, priced by the database when the order was placed. */
export interface OrderLine {
  readonly productId: string;
  readonly name: string;
  readonly nameEn: string;
  readonly unit: string;
  readonly unitEn: string;
  readonly quantity: number;
  readonly unitPriceVnd: number;
  readonly lineTotalVnd: number;
}

/** A stored order: one producer's share of what a buyer confirmed. */
export interface Order {
  readonly code: string;
  readonly producer: { readonly id: string; readonly name: string; readonly nameEn: string };
  readonly buyer: Buyer;
  readonly status: OrderStatus;
  readonly lines: readonly OrderLine[];
  readonly totalVnd: number;
  readonly pricesAreSample: boolean;
  readonly recipientName: string;
  readonly phone: string;
  readonly address: string;
  readonly language: Language;
  readonly createdAt: Date;
  readonly history: readonly { readonly status: OrderStatus; readonly actor: "buyer" | "producer"; readonly note: string | null; readonly at: Date; readonly operator?: string | null }[];
}

/** A confirmed draft, to be stored as one order per producer. */
export interface OrderRequest {
  /** Identifies the draft: confirming it again (a duplicate, a second tap) finds the orders already placed. */
  readonly draftId: string;
  readonly buyer: Buyer;
  readonly lines: readonly { readonly productId: string; readonly quantity: number }[];
  readonly recipientName: string;
  readonly phone: string;
  readonly address: string;
  readonly language: Language;
  /** Where the message came from, when the channel does not vouch for the buyer (see `InboundEvent.origin`). */
  readonly origin?: string;
}

/** What placing an order request came to. */
export type Placement =
  | { readonly kind: "placed"; readonly orders: readonly Order[] }
  /** The buyer, or the buyer's address, has placed as many orders in a day as the channel allows. */
  | { readonly kind: "limited" }
  /** A producer of the request does not take this buyer's orders; nothing was placed or sent. */
  | { readonly kind: "blocked"; readonly producers: readonly { readonly id: string; readonly name: string; readonly nameEn: string }[] };

/** Who asks for a status change: the buyer (cancel only) or the producer the order belongs to. */
export type StatusActor =
  | { readonly kind: "buyer"; readonly buyer: Buyer }
  /** The producer's chat, or an operator (named in the history) acting for the producer with the same rules. */
  | { readonly kind: "producer"; readonly producerId: string; readonly operator?: string };

/** The outcome of a status change. */
export type StatusChange =
  | { readonly ok: true; readonly order: Order }
  /** No order with that code that this actor may change (another buyer's order looks the same as none). */
  | { readonly ok: false; readonly reason: "not_found" }
  /** The order is in a status that does not allow this change (cancelling a shipped order). */
  | { readonly ok: false; readonly reason: "not_allowed"; readonly order: Order };

/** Writes the message that tells the other side of an order what happened. */
export type NoticeWriter = (order: Order) => string;

/** Orders, their status history and the producers' chats, in the database. */
export interface OrderBook {
  /** Prices the lines from the catalogue; unknown or unavailable products are left out. */
  quote(lines: readonly { productId: string; quantity: number }[]): Promise<{ lines: OrderLine[]; totalVnd: number; pricesAreSample: boolean; producerCount: number }>;
  /**
   * Stores the request as one order per producer, exactly once per draft, and queues `notice`
   * for each producer's linked chats in the same transaction. Returns the orders (new or found), or
   * why none were placed: a producer blocked the buyer, or a limit of the buyer's channel was reached.
   */
  place(request: OrderRequest, notice: NoticeWriter): Promise<Placement>;
  /** Stops (or, with `blocked` false, resumes) taking orders from the buyer of `code` for the producer it belongs to. */
  blockBuyer(code: string, producerId: string, blocked: boolean): Promise<Order | undefined>;
  /** The buyer's most recent orders, newest first. */
  ordersOfBuyer(buyer: Pick<Buyer, "channel" | "userId">, limit: number): Promise<Order[]>;
  /** The most recent orders with a status, of a producer, with a code (each optional), newest first: the console's list. */
  list(filter: { readonly status?: OrderStatus; readonly producerId?: string; readonly code?: string }, limit: number): Promise<Order[]>;
  /** A producer's most recent orders, newest first. */
  ordersOfProducer(producerId: string, limit: number): Promise<Order[]>;
  /** One order, if `actor` may see it. */
  find(code: string, actor: StatusActor): Promise<Order | undefined>;
  /** Moves an order to `status` if `actor` may and its current status allows; `notice` goes to the other side. */
  changeStatus(code: string, status: OrderStatus, actor: StatusActor, note: string | undefined, notice: NoticeWriter): Promise<StatusChange>;
  /** The producer whose chat this is, if it was linked. */
  producerOf(user: Pick<Buyer, "channel" | "userId">): Promise<{ id: string; name: string } | undefined>;
  /** Links the chat to the producer the one-time code was made for; undefined for an unknown, used or expired code. */
  linkProducer(code: string, user: Buyer): Promise<{ id: string; name: string } | undefined>;
}

/** One answered message as the operators see it: asked, answered, understood, and how long it took. */
export interface TurnRecord {
  readonly event: InboundEvent;
  readonly response: BotResponse;
  readonly latencyMs: number;
}

/** Where every answered turn is written, for the console's conversations and figures. */
export interface TurnLog {
  /** Records the turn once per event; a second record of the same event is ignored. */
  record(turn: TurnRecord): Promise<void>;
}

/** Where a user's 👎 goes: onto their last answer from the knowledge base, in the operators' inbox. */
export interface AnswerFeedback {
  /** Flags the user's last knowledge or curated answer; false when there is none. */
  thumbsDown(user: { readonly channel: ChannelName; readonly userId: string }): Promise<boolean>;
}
