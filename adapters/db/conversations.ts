import type { ConversationStore } from "../../bot/ports.ts";
import type { Database } from "./database.ts";

/** The conversations table, with optimistic versioning. */
export function createConversationStore(db: Database): ConversationStore {
  return {
    async load({ channel, userId }) {
      const { rows } = await db.pool.query<{ state: unknown; version: number }>(
        "SELECT state, version FROM conversations WHERE channel = $1 AND user_id = $2",
        [channel, userId],
      );
      return rows[0];
    },
    async save({ channel, userId }, state, expectedVersion) {
      const result =
        expectedVersion === 0
          ? await db.pool.query(
              `INSERT INTO conversations (channel, user_id, state, version) VALUES ($1, $2, $3, 1)
               ON CONFLICT (channel, user_id) DO NOTHING`,
              [channel, userId, state],
            )
          : await db.pool.query(
              `UPDATE conversations SET state = $3, version = version + 1, updated_at = now()
               WHERE channel = $1 AND user_id = $2 AND version = $4`,
              [channel, userId, state, expectedVersion],
            );
      return result.rowCount === 1;
    },
  };
}
