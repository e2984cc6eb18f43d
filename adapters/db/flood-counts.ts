import { floodUserKey, windowVerdict, type FloodGuard, type FloodMessage, type FloodVerdict } from "../../bot/flood-guard.ts";
import type { Database } from "./database.ts";

/** Options of the shared flood guard. */
export interface SharedFloodGuardOptions {
  readonly limit: number;
  readonly windowMs: number;
  readonly clock?: () => number;
}

interface Waiting {
  readonly message: FloodMessage;
  resolve(verdict: FloodVerdict): void;
  reject(error: unknown): void;
}

// Any constant works; it only has to be the same for every instance of the service.
const PRUNE_LOCK_KEY = 4_726_024;

/**
 * Slices per window. Counted per whole window, the sliding window's estimate assumed the previous
 * window's messages evenly spread, and a user sending 6 messages in 10 s at a steady pace (placing an
 * order) was sometimes told to slow down; counted per tenth, the estimate is off by at most a tenth's.
 */
const SLICES = 10;

/**
 * The flood guard of instances that share PostgreSQL: a user's messages are counted in the
 * `flood_counts` table per tenth of the window, whichever instance received them, so a flood spread by
 * a load balancer over N instances meets one limit rather than N.
 *
 * The checks made in the same turn of the event loop go to the database as one statement (as the
 * inbox writes do), so a busy webhook pays one round trip per batch, not per message. Users are
 * upserted in key order, so two instances' batches lock rows in the same order and cannot deadlock.
 */
export function createSharedFloodGuard(db: Database, { limit, windowMs, clock = Date.now }: SharedFloodGuardOptions): FloodGuard {
  let waiting: Waiting[] = [];
  let prunedBucket = 0;

  async function count(batch: readonly Waiting[]): Promise<void> {
    const now = clock();
    const sliceMs = windowMs / SLICES;
    const bucket = Math.floor(now / sliceMs);
    const elapsedShare = (now % sliceMs) / sliceMs;
    const messages = batch.map(({ message }) => message);
    // Only events the inbox does not hold yet are counted: a redelivery of a recorded one is not a new message.
    const { rows } = await db.pool.query<{ user_key: string; hits: number; recent: number; previous: number; events: string[] }>(
      `WITH batch AS (
         SELECT DISTINCT user_key, channel, event_id
         FROM unnest($1::text[], $2::text[], $3::text[]) AS b(user_key, channel, event_id)
         WHERE NOT EXISTS (SELECT 1 FROM inbox i WHERE i.channel = b.channel AND i.event_id = b.event_id)),
       hit AS (
         INSERT INTO flood_counts AS f (user_key, bucket, hits)
         SELECT user_key, $4, count(*) FROM batch GROUP BY user_key ORDER BY user_key
         ON CONFLICT (user_key, bucket) DO UPDATE SET hits = f.hits + EXCLUDED.hits
         RETURNING user_key, hits)
       SELECT hit.user_key, hit.hits, coalesce(before.recent, 0)::int AS recent, coalesce(before.previous, 0)::int AS previous,
              (SELECT array_agg(b.event_id) FROM batch b WHERE b.user_key = hit.user_key) AS events
       FROM hit LEFT JOIN LATERAL (
         SELECT sum(p.hits) FILTER (WHERE p.bucket > $4 - $5) AS recent, sum(p.hits) FILTER (WHERE p.bucket = $4 - $5) AS previous
         FROM flood_counts p WHERE p.user_key = hit.user_key AND p.bucket BETWEEN $4 - $5 AND $4 - 1) before ON true`,
      [messages.map(floodUserKey), messages.map((m) => m.channel), messages.map((m) => m.eventId), bucket, SLICES],
    );
    // Each new event's position in its user's count: the window's earlier slices, then the events counted
    // in this slice before the batch, then the batch's in arrival order. The slice that is leaving the
    // window counts for the part of it still inside.
    const users = new Map(
      rows.map((row) => [row.user_key, { count: row.recent + row.hits - row.events.length, previous: row.previous, fresh: new Set(row.events) }]),
    );
    for (const entry of batch) {
      const seen = users.get(floodUserKey(entry.message));
      if (!seen?.fresh.delete(entry.message.eventId)) {
        entry.resolve("accept"); // counted before (or earlier in this batch): the inbox finds it a duplicate
        continue;
      }
      seen.count++;
      entry.resolve(windowVerdict(limit, seen.previous, seen.count, elapsedShare));
    }
    if (bucket >= prunedBucket + SLICES) {
      prunedBucket = bucket;
      void prune(bucket).catch(() => {});
    }
  }

  // Slices older than the window are never read again; one instance at a time deletes them, once a window.
  async function prune(bucket: number): Promise<void> {
    await db.transaction(async (client) => {
      const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS locked", [PRUNE_LOCK_KEY]);
      if (rows[0]!.locked) await client.query("DELETE FROM flood_counts WHERE bucket < $1", [bucket - SLICES]);
    });
  }

  function flush(): void {
    const batch = waiting;
    waiting = [];
    count(batch).catch((error) => batch.forEach((entry) => entry.reject(error)));
  }

  return {
    check(message) {
      return new Promise<FloodVerdict>((resolve, reject) => {
        if (waiting.length === 0) setImmediate(flush);
        waiting.push({ message, resolve, reject });
      });
    },
  };
}
