import type { Inbox } from "../../bot/ports.ts";
import type { Database } from "./database.ts";

/** The inbox table: records each event once, keyed by channel + event id. */
export function createInbox(db: Database): Inbox {
  return {
    async record(event) {
      const result = await db.pool.query(
        `INSERT INTO inbox (channel, event_id, user_id, chat_id, text, received_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (channel, event_id) DO NOTHING`,
        // PostgreSQL text cannot hold NUL; the engine drops control characters anyway.
        [event.channel, event.eventId, event.userId, event.chatId, event.text.replaceAll("\u0000", ""), event.receivedAt],
      );
      return result.rowCount === 1;
    },
    async markProcessed(event) {
      await db.pool.query("UPDATE inbox SET processed_at = now() WHERE channel = $1 AND event_id = $2", [
        event.channel,
        event.eventId,
      ]);
    },
  };
}
