import type { Database } from "./database.ts";

// A constant second half of the lock key, so these locks never meet another use of advisory locks.
const LOCK_NAMESPACE = 4_726_025;

/** Runs work that one instance at a time may do, waiting for any other instance doing work of the same name. */
export type Exclusive = <T>(name: string, work: () => Promise<T>) => Promise<T>;

/**
 * Instances sharing PostgreSQL take turns through a session advisory lock, held on a connection of its
 * own while `work` uses the pool; the embedded database has one process, so work there just runs.
 */
export function exclusiveOn(db: Database): Exclusive {
  return async (name, work) => {
    if (db.kind !== "postgres") return work();
    const client = await db.pool.connect();
    try {
      await client.query("SELECT pg_advisory_lock(hashtext($1), $2)", [name, LOCK_NAMESPACE]);
      try {
        return await work();
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtext($1), $2)", [name, LOCK_NAMESPACE]);
      }
    } finally {
      client.release();
    }
  };
}
