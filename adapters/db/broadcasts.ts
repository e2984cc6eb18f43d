import type { SubscriptionBook } from "../../bot/features/subscriptions.ts";
import type { ChatAddress } from "../../bot/ports.ts";
import type { Topic } from "../../bot/texts/subscriptions.ts";
import type { Database } from "./database.ts";

// Any constant works; it only has to be the same for every instance of the service.
const DISPATCH_LOCK_KEY = 4_726_022;
/** Vietnam keeps UTC+7 all year. Nothing goes out from 21:00 to 07:00 there unless an admin forces it. */
const VIETNAM_OFFSET_HOURS = 7;
const QUIET_FROM = 21;
const QUIET_UNTIL = 7;

/** When a broadcast may go out: now, or at 07:00 Vietnam time when it is written in the quiet hours. */
export function sendTime(now: Date, forced: boolean): Date {
  const local = new Date(now.getTime() + VIETNAM_OFFSET_HOURS * 3_600_000);
  const hour = local.getUTCHours();
  if (forced || (hour >= QUIET_UNTIL && hour < QUIET_FROM)) return now;
  // 07:00 in Vietnam is 00:00 UTC of the same date: today's after midnight there, tomorrow's before it.
  const day = hour < QUIET_UNTIL ? local.getUTCDate() : local.getUTCDate() + 1;
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), day, QUIET_UNTIL - VIETNAM_OFFSET_HOURS));
}

/** A broadcast and what became of it. */
export interface BroadcastStatus {
  readonly id: number;
  readonly topic: Topic;
  readonly text: { readonly vi: string; readonly en: string };
  readonly channels: readonly string[];
  readonly forced: boolean;
  readonly createdBy: string;
  readonly sendAt: Date;
  readonly queuedAt: Date | null;
  readonly recipients: number;
  readonly sent: number;
  readonly failed: number;
  readonly pending: number;
  readonly unsubscribed: number;
}

/**
 * Subscriptions and broadcasts. A due broadcast becomes one outbox message per subscriber (in their
 * language) in one transaction, so it is queued once whichever instance does it; the chat worker then
 * delivers them at the channels' limits (Telegram's throttler and `retry_after`), and a chat that can no
 * longer be reached loses its subscriptions.
 */
export function createBroadcasts(db: Database, onQueued: (chats: readonly ChatAddress[]) => void = () => {}) {
  const book: SubscriptionBook = {
    async subscribe(user, topics, language) {
      for (const topic of topics) {
        await db.pool.query(
          `INSERT INTO subscriptions (channel, user_id, chat_id, topic, language) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (channel, user_id, topic) DO UPDATE SET chat_id = excluded.chat_id, language = excluded.language`,
          [user.channel, user.userId, user.chatId, topic, language],
        );
      }
    },
    async unsubscribe(user) {
      return (await db.pool.query("DELETE FROM subscriptions WHERE channel = $1 AND user_id = $2", [user.channel, user.userId])).rowCount ?? 0;
    },
  };

  const statusOf = async (where: string, values: unknown[]): Promise<BroadcastStatus[]> => {
    const { rows } = await db.pool.query<{
      id: string; topic: Topic; text_vi: string; text_en: string; channels: string[]; forced: boolean; created_by: string;
      send_at: Date; queued_at: Date | null; recipients: number; unsubscribed: number; sent: string; failed: string; pending: string;
    }>(
      `SELECT b.*, count(o.id) FILTER (WHERE o.delivered_at IS NOT NULL) AS sent,
         count(o.id) FILTER (WHERE o.abandoned_at IS NOT NULL OR (o.delivered_at IS NULL AND o.attempts > 0)) AS failed,
         count(o.id) FILTER (WHERE o.delivered_at IS NULL AND o.abandoned_at IS NULL) AS pending
       FROM broadcasts b LEFT JOIN outbox o ON o.broadcast_id = b.id WHERE ${where} GROUP BY b.id ORDER BY b.id DESC LIMIT 100`,
      values,
    );
    return rows.map((row) => ({
      id: Number(row.id),
      topic: row.topic,
      text: { vi: row.text_vi, en: row.text_en },
      channels: row.channels,
      forced: row.forced,
      createdBy: row.created_by,
      sendAt: row.send_at,
      queuedAt: row.queued_at,
      recipients: row.recipients,
      sent: Number(row.sent),
      failed: Number(row.failed),
      pending: Number(row.pending),
      unsubscribed: row.unsubscribed,
    }));
  };

  return {
    ...book,

    /** How many subscribe to a topic on each channel (the page's preview). */
    async audience(topic: Topic): Promise<Record<string, number>> {
      const { rows } = await db.pool.query<{ channel: string; n: string }>("SELECT channel, count(*) AS n FROM subscriptions WHERE topic = $1 GROUP BY channel", [topic]);
      return Object.fromEntries(rows.map((row) => [row.channel, Number(row.n)]));
    },

    /** Records a broadcast; it goes out at `sendTime` (now, or 07:00 after the quiet hours). */
    async create(input: { topic: Topic; text: { vi: string; en: string }; channels: readonly string[]; forced: boolean; by: string }, now = new Date()): Promise<{ id: number; sendAt: Date }> {
      const sendAt = sendTime(now, input.forced);
      const { rows } = await db.pool.query<{ id: string }>(
        "INSERT INTO broadcasts (topic, text_vi, text_en, channels, forced, created_by, send_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        [input.topic, input.text.vi, input.text.en, input.channels, input.forced, input.by, sendAt],
      );
      return { id: Number(rows[0]!.id), sendAt };
    },

    /** Queues every due broadcast for its subscribers, once across instances; resolves to the messages queued. */
    async dispatchDue(): Promise<number> {
      const chats = await db.transaction(async (client) => {
        const { rows: lock } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS locked", [DISPATCH_LOCK_KEY]);
        if (!lock[0]!.locked) return [];
        const due = await client.query<{ id: string }>("SELECT id FROM broadcasts WHERE queued_at IS NULL AND send_at <= now() ORDER BY id FOR UPDATE");
        const queued: ChatAddress[] = [];
        for (const { id } of due.rows) {
          const { rows } = await client.query<{ channel: string; chat_id: string }>(
            `INSERT INTO outbox (channel, chat_id, reply, broadcast_id)
             SELECT s.channel, s.chat_id, jsonb_build_object('text', CASE WHEN s.language = 'en' THEN b.text_en ELSE b.text_vi END), b.id
             FROM broadcasts b JOIN subscriptions s ON s.topic = b.topic AND s.channel = ANY (b.channels) WHERE b.id = $1
             RETURNING channel, chat_id`,
            [id],
          );
          await client.query("UPDATE broadcasts SET queued_at = now(), recipients = $2 WHERE id = $1", [id, rows.length]);
          queued.push(...rows.map((row) => ({ channel: row.channel, chatId: row.chat_id })));
        }
        return queued;
      });
      if (chats.length > 0) onQueued(chats);
      return chats.length;
    },

    async status(id: number): Promise<BroadcastStatus | undefined> {
      return (await statusOf("b.id = $1", [id]))[0];
    },

    async list(): Promise<BroadcastStatus[]> {
      return statusOf("true", []);
    },

    /** A chat that can no longer be written to loses its subscriptions; the broadcasts that found it so count it. */
    async unreachable(chat: ChatAddress, broadcasts: readonly number[]): Promise<void> {
      await db.pool.query("DELETE FROM subscriptions WHERE channel = $1 AND chat_id = $2", [chat.channel, chat.chatId]);
      if (broadcasts.length > 0) await db.pool.query("UPDATE broadcasts SET unsubscribed = unsubscribed + 1 WHERE id = ANY($1)", [broadcasts]);
    },
  };
}

/** Subscriptions and broadcasts with the console's reads and writes. */
export type Broadcasts = ReturnType<typeof createBroadcasts>;
