/**
 * One turn at a time per user, in arrival order. Within a process, a user's messages queue behind one
 * another (at most `maxQueued` waiting; the next is refused, not queued without end). Across instances
 * sharing PostgreSQL, a session advisory lock on the user's key is held for the turn: PostgreSQL grants
 * waiting locks in order. The locks use their own small pool, so that users waiting for their turn never
 * hold the connections the turns themselves need. The embedded database belongs to one process, so the
 * in-process queue is the whole of it there.
 */
import pg from "pg";
import type { Database } from "./database.ts";

/** What running a turn for a user came to. */
export type UserTurnOutcome<T> = { readonly kind: "done"; readonly value: T } | { readonly kind: "busy" };

/** Serialises work per user key. */
export interface UserTurns {
  run<T>(key: string, work: () => Promise<T>): Promise<UserTurnOutcome<T>>;
  close(): Promise<void>;
}

/** Connections for advisory locks: as many users as this can be in a turn at once on one instance. */
const LOCK_POOL_SIZE = 8;
// A constant second half of the lock key, so these locks never meet another use of advisory locks.
const LOCK_NAMESPACE = 0x7e7c;

/** Per-user turns over `db`, with at most `maxQueued` messages of one user waiting. */
export function createUserTurns(db: Database, maxQueued: number): UserTurns {
  const queues = new Map<string, { tail: Promise<unknown>; waiting: number }>();
  const lockPool = db.kind === "postgres" ? new pg.Pool({ ...db.pool.options, max: LOCK_POOL_SIZE, min: 0 }) : undefined;
  lockPool?.on("error", () => {});
  // A lock's connection dropping fails its query; without a listener pg would also crash the process (see database.ts).
  lockPool?.on("connect", (client) => client.on("error", () => {}));

  async function locked<T>(key: string, work: () => Promise<T>): Promise<T> {
    if (!lockPool) return work();
    const client = await lockPool.connect();
    try {
      await client.query("SELECT pg_advisory_lock(hashtext($1), $2)", [key, LOCK_NAMESPACE]);
      try {
        return await work();
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtext($1), $2)", [key, LOCK_NAMESPACE]);
      }
    } finally {
      client.release();
    }
  }

  return {
    async run(key, work) {
      const queue = queues.get(key) ?? { tail: Promise.resolve(), waiting: 0 };
      if (queue.waiting >= maxQueued) return { kind: "busy" };
      queue.waiting += 1;
      queues.set(key, queue);
      const turn = queue.tail.then(() => locked(key, work));
      queue.tail = turn.catch(() => {});
      try {
        return { kind: "done", value: await turn };
      } finally {
        queue.waiting -= 1;
        if (queue.waiting === 0) queues.delete(key);
      }
    },
    async close() {
      await lockPool?.end();
    },
  };
}
