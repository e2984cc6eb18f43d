import type { ChannelName, InboundEvent, Reply } from "../../bot/types.ts";
import type { Database } from "./database.ts";

/** A chat with inbound events to answer or replies to send. */
export interface ChatKey {
  readonly channel: ChannelName;
  readonly chatId: string;
}

/** A reply waiting in the outbox. */
export interface PendingReply {
  readonly id: number;
  readonly reply: Reply;
}

/** The inbox's unanswered events and the outbox of replies, per chat and in order. */
export interface DeliveryStore {
  /** Events recorded for the chat but not answered yet, oldest first. */
  pendingEvents(chat: ChatKey): Promise<InboundEvent[]>;
  /** Stores an event's replies in the outbox and marks the event answered, atomically. */
  saveReplies(event: InboundEvent, replies: readonly Reply[]): Promise<void>;
  /** Queues a reply that answers no particular event (a "slow down", a notification). */
  enqueueReply(chat: ChatKey, reply: Reply): Promise<void>;
  /** The chat's replies not yet delivered, oldest first. */
  undelivered(chat: ChatKey): Promise<PendingReply[]>;
  markDelivered(id: number): Promise<void>;
  markFailed(id: number, error: string): Promise<void>;
  /** Gives up every undelivered reply of a chat that can no longer be written to; resolves to the broadcasts among them. */
  abandon(chat: ChatKey, error: string): Promise<number[]>;
  /** Chats of `channels` with unanswered events or undelivered replies, to resume after a restart. */
  chatsWithPendingWork(channels: readonly ChannelName[]): Promise<ChatKey[]>;
}

/** The delivery tables of the database. */
export function createDeliveryStore(db: Database): DeliveryStore {
  return {
    async pendingEvents({ channel, chatId }) {
      const { rows } = await db.pool.query<{ event_id: string; user_id: string; text: string; received_at: Date }>(
        `SELECT event_id, user_id, text, received_at FROM inbox
         WHERE channel = $1 AND chat_id = $2 AND processed_at IS NULL ORDER BY id`,
        [channel, chatId],
      );
      return rows.map((row) => ({ channel, chatId, eventId: row.event_id, userId: row.user_id, text: row.text, receivedAt: row.received_at }));
    },

    async saveReplies(event, replies) {
      // One statement is one transaction: the event is marked answered exactly when its replies are queued.
      // The replies go in as one JSON array (node-postgres would send a JS array as a Postgres array).
      await db.pool.query(
        `WITH answered AS (UPDATE inbox SET processed_at = now() WHERE channel = $1 AND event_id = $2)
         INSERT INTO outbox (channel, chat_id, reply)
         SELECT $1, $3, reply FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS replies (reply, position) ORDER BY position`,
        [event.channel, event.eventId, event.chatId, JSON.stringify(replies)],
      );
    },

    async enqueueReply({ channel, chatId }, reply) {
      await db.pool.query("INSERT INTO outbox (channel, chat_id, reply) VALUES ($1, $2, $3)", [channel, chatId, reply]);
    },

    async undelivered({ channel, chatId }) {
      const { rows } = await db.pool.query<{ id: string; reply: Reply }>(
        `SELECT id, reply FROM outbox WHERE channel = $1 AND chat_id = $2 AND delivered_at IS NULL AND abandoned_at IS NULL ORDER BY id`,
        [channel, chatId],
      );
      return rows.map((row) => ({ id: Number(row.id), reply: row.reply }));
    },

    async markDelivered(id) {
      await db.pool.query("UPDATE outbox SET delivered_at = now(), attempts = attempts + 1 WHERE id = $1", [id]);
    },

    async markFailed(id, error) {
      await db.pool.query("UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1", [id, error.slice(0, 500)]);
    },

    async abandon({ channel, chatId }, error) {
      const { rows } = await db.pool.query<{ broadcast_id: string | null }>(
        `UPDATE outbox SET abandoned_at = now(), attempts = attempts + 1, last_error = $3
         WHERE channel = $1 AND chat_id = $2 AND delivered_at IS NULL AND abandoned_at IS NULL RETURNING broadcast_id`,
        [channel, chatId, error.slice(0, 500)],
      );
      return [...new Set(rows.flatMap((row) => (row.broadcast_id === null ? [] : [Number(row.broadcast_id)])))];
    },

    async chatsWithPendingWork(channels) {
      const { rows } = await db.pool.query<{ channel: ChannelName; chat_id: string }>(
        `SELECT channel, chat_id FROM inbox WHERE processed_at IS NULL AND channel = ANY($1)
         UNION SELECT channel, chat_id FROM outbox WHERE delivered_at IS NULL AND abandoned_at IS NULL AND channel = ANY($1)`,
        [channels],
      );
      return rows.map((row) => ({ channel: row.channel, chatId: row.chat_id }));
    },
  };
}

/**
 * The replies waiting in the outbox of a web chat user (an operator's message, a notice), marked delivered
 * as they are handed over: the page collects them, since nothing can push to it.
 */
export async function collectWebReplies(db: Database, userId: string): Promise<Reply[]> {
  const { rows } = await db.pool.query<{ reply: Reply }>(
    `WITH taken AS (UPDATE outbox SET delivered_at = now(), attempts = attempts + 1
                    WHERE channel = 'web' AND chat_id = $1 AND delivered_at IS NULL AND abandoned_at IS NULL RETURNING id, reply)
     SELECT reply FROM taken ORDER BY id`,
    [userId],
  );
  return rows.map((row) => row.reply);
}
