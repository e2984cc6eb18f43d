import type { Inbox, InboxSkip } from "../../bot/ports.ts";
import type { InboundEvent } from "../../bot/types.ts";
import type { Database } from "./database.ts";

/** Most events written by one statement. */
const MAX_BATCH = 200;

interface Waiting {
  readonly event: InboundEvent;
  readonly skipped: InboxSkip | undefined;
  resolve(isNew: boolean): void;
  reject(error: unknown): void;
}

/**
 * The inbox table: records each event once, keyed by channel + event id.
 *
 * Events recorded in the same turn of the event loop are written by one multi-row INSERT (one commit
 * instead of one each), which is what lets a busy webhook keep up; each caller still resolves only
 * once its own row is committed, so the acknowledgement never runs ahead of the write.
 */
export function createInbox(db: Database): Inbox {
  let waiting: Waiting[] = [];

  async function write(batch: readonly Waiting[]): Promise<void> {
    const values: unknown[] = [];
    const rows = batch.map(({ event, skipped }, i) => {
      // PostgreSQL text cannot hold NUL; the engine drops control characters anyway.
      values.push(event.channel, event.eventId, event.userId, event.chatId, event.text.replaceAll("\u0000", ""), event.receivedAt, skipped ?? null);
      const p = i * 7;
      const skip = `$${p + 7}::text`;
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, ${skip}, CASE WHEN ${skip} IS NULL THEN NULL ELSE now() END)`;
    });
    const { rows: inserted } = await db.pool.query<{ channel: string; event_id: string }>(
      `INSERT INTO inbox (channel, event_id, user_id, chat_id, text, received_at, skipped, processed_at) VALUES ${rows.join(", ")}
       ON CONFLICT (channel, event_id) DO NOTHING RETURNING channel, event_id`,
      values,
    );
    const isNew = new Set(inserted.map((row) => `${row.channel}:${row.event_id}`));
    for (const entry of batch) {
      const key = `${entry.event.channel}:${entry.event.eventId}`;
      // The same event twice in one batch: only the first delivery is new.
      entry.resolve(isNew.delete(key));
    }
  }

  function flush(): void {
    const batch = waiting.splice(0, MAX_BATCH);
    if (waiting.length > 0) setImmediate(flush);
    write(batch).catch((error) => batch.forEach((entry) => entry.reject(error)));
  }

  return {
    record(event, skipped) {
      return new Promise<boolean>((resolve, reject) => {
        if (waiting.length === 0) setImmediate(flush);
        waiting.push({ event, skipped, resolve, reject });
      });
    },
    async markProcessed(event) {
      await db.pool.query("UPDATE inbox SET processed_at = now() WHERE channel = $1 AND event_id = $2", [
        event.channel,
        event.eventId,
      ]);
    },
  };
}
