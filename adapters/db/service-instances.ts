import type { Database } from "./database.ts";

/** How often an instance says it is alive, with the jobs it is serving. */
export const HEARTBEAT_MS = 2_000;
/** An instance unheard of for this long is gone; a job this old that no live instance lists is orphaned. */
const GONE_AFTER_SECONDS = 6;
// Any constant works; it only has to be the same for every instance of the service.
const RECLAIM_LOCK_KEY = 4_726_026;

/** The instances sharing PostgreSQL, each with the queue jobs it is serving now. */
export interface ServiceInstances {
  /** Records that this instance is alive and serving `jobs`. */
  heartbeat(jobs: readonly string[]): Promise<void>;
  /**
   * The active jobs of `queue` that no live instance is serving: their instance died, or their
   * completion was lost with a database connection. One instance at a time gets them; others get none.
   */
  orphans(queue: string): Promise<string[]>;
  /** Forgets this instance (on a clean stop). */
  leave(): Promise<void>;
}

/** The `service_instances` table for the instance `id`. */
export function createServiceInstances(db: Database, id: string): ServiceInstances {
  return {
    async heartbeat(jobs) {
      await db.pool.query(
        `INSERT INTO service_instances (id, seen_at, jobs) VALUES ($1, now(), $2::uuid[])
         ON CONFLICT (id) DO UPDATE SET seen_at = now(), jobs = EXCLUDED.jobs`,
        [id, jobs],
      );
    },
    async orphans(queue) {
      return db.transaction(async (client) => {
        const { rows: lock } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS locked", [RECLAIM_LOCK_KEY]);
        if (!lock[0]!.locked) return [];
        await client.query(`DELETE FROM service_instances WHERE seen_at < now() - interval '1 hour'`);
        // Started long enough ago that its instance has listed it in a heartbeat since, if it is serving it.
        const { rows } = await client.query<{ id: string }>(
          `SELECT j.id FROM pgboss.job j
           WHERE j.name = $1 AND j.state = 'active' AND j.started_on < now() - make_interval(secs => $2)
             AND NOT EXISTS (SELECT 1 FROM service_instances i
                             WHERE i.seen_at > now() - make_interval(secs => $2) AND j.id = ANY (i.jobs))`,
          [queue, GONE_AFTER_SECONDS],
        );
        return rows.map((row) => row.id);
      });
    },
    async leave() {
      await db.pool.query("DELETE FROM service_instances WHERE id = $1", [id]);
    },
  };
}
