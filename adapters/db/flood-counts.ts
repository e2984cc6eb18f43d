import { windowVerdict, type FloodGuard, type FloodVerdict } from "../../bot/flood-guard.ts";
import type { Database } from "./database.ts";

/** Options of the shared flood guard. */
export interface SharedFloodGuardOptions {
  readonly limit: number;
  readonly windowMs: number;
  readonly clock?: () => number;
}

interface Waiting {
  readonly user: string;
  resolve(verdict: FloodVerdict): void;
  reject(error: unknown): void;
}

// Any constant works; it only has to be the same for every instance of the service.
const PRUNE_LOCK_KEY = 4_726_024;

/**
 * The flood guard of instances that share PostgreSQL: a user's messages are counted in the
 * `flood_counts` table per fixed window, whichever instance received them, so a flood spread by a
 * load balancer over N instances meets one limit rather than N.
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
    const bucket = Math.floor(now / windowMs);
    const elapsedShare = (now % windowMs) / windowMs;
    const hits = new Map<string, number>();
    for (const { user } of batch) hits.set(user, (hits.get(user) ?? 0) + 1);
    const users = [...hits.keys()].sort();
    const { rows } = await db.pool.query<{ user_key: string; hits: number; previous: number }>(
      `WITH hit AS (
         INSERT INTO flood_counts AS f (user_key, bucket, hits)
         SELECT user_key, $3, hits FROM unnest($1::text[], $2::int[]) AS b(user_key, hits) ORDER BY user_key
         ON CONFLICT (user_key, bucket) DO UPDATE SET hits = f.hits + EXCLUDED.hits
         RETURNING user_key, hits)
       SELECT hit.user_key, hit.hits, coalesce(prev.hits, 0) AS previous
       FROM hit LEFT JOIN flood_counts prev ON prev.user_key = hit.user_key AND prev.bucket = $3 - 1`,
      [users, users.map((user) => hits.get(user)!), bucket],
    );
    // Each caller's position in its user's count: the batch's messages come after those counted before.
    const next = new Map(rows.map((row) => [row.user_key, { count: row.hits - hits.get(row.user_key)!, previous: row.previous }]));
    for (const entry of batch) {
      const seen = next.get(entry.user)!;
      seen.count++;
      entry.resolve(windowVerdict(limit, seen.previous, seen.count, elapsedShare));
    }
    if (bucket > prunedBucket) {
      prunedBucket = bucket;
      void prune(bucket).catch(() => {});
    }
  }

  // Windows before the previous one are never read again; one instance at a time deletes them.
  async function prune(bucket: number): Promise<void> {
    await db.transaction(async (client) => {
      const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS locked", [PRUNE_LOCK_KEY]);
      if (rows[0]!.locked) await client.query("DELETE FROM flood_counts WHERE bucket < $1", [bucket - 1]);
    });
  }

  function flush(): void {
    const batch = waiting;
    waiting = [];
    count(batch).catch((error) => batch.forEach((entry) => entry.reject(error)));
  }

  return {
    check(user) {
      return new Promise<FloodVerdict>((resolve, reject) => {
        if (waiting.length === 0) setImmediate(flush);
        waiting.push({ user, resolve, reject });
      });
    },
  };
}
