import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { copyTemplate, type Preparation } from "./data-dir-template.ts";
import { DataDirBusyError, lockDataDir } from "./data-dir-lock.ts";
import { PgliteThread } from "./pglite-remote.ts";
import { createPglite, PGLITE_EXTENSION_NAMES, SESSION_SETTINGS } from "./pglite-settings.ts";

/** Where the data lives: a PostgreSQL server, an embedded database in a folder, or one in memory. */
export type DatabaseTarget = { readonly url: string } | { readonly dataDir: string } | { readonly memory: true };

/** One node-postgres API over PostgreSQL and the embedded PGlite. */
export interface Database {
  readonly kind: "postgres" | "pglite";
  readonly pool: pg.Pool;
  /**
   * Runs `work` inside a transaction on one connection. On PGlite there is a single connection,
   * so `work` must use the client it is given, never the pool.
   */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const POOL_SIZE = 10;

/** Opens every connection of a PostgreSQL pool now, so that the first burst of traffic does not wait for them. */
export async function warmPool(db: Database): Promise<void> {
  if (db.kind !== "postgres") return;
  const clients = await Promise.all(Array.from({ length: POOL_SIZE }, () => db.pool.connect()));
  for (const client of clients) client.release();
}

/**
 * Opens the database; with a data directory it also takes the directory's lock, and a new one starts as a
 * copy of a template, migrated and prepared by `preparation` (see data-dir-template.ts).
 */
export async function openDatabase(target: DatabaseTarget, onError: (error: Error) => void = () => {}, preparation?: Preparation): Promise<Database> {
  if ("url" in target) {
    // Connections, once open, are kept (min = max): opening one in the middle of a burst costs tens of ms.
    const pool = new pg.Pool({ connectionString: target.url, max: POOL_SIZE, min: POOL_SIZE, options: SESSION_SETTINGS.join(" ") });
    pool.on("error", onError);
    // pg leaves a checked-out client without an "error" listener, so a connection dropped while one is held
    // (in a transaction, or holding a session lock) crashed the process. The error already fails that
    // client's query, and release() discards a broken client; the idle pool reports to `onError`.
    pool.on("connect", (client) => client.on("error", () => {}));
    return wrap("postgres", pool, async () => pool.end());
  }
  if (!("dataDir" in target)) return openPglite("memory://", onError);
  const pgdata = join(target.dataDir, "pgdata");
  // A restart started by `npm start` has its database opening already (app/start.mjs).
  const early = await PgliteThread.adoptEarly(target.dataDir);
  if (early) {
    const state = await early.opened;
    if (state.state === "ready") return openThread(early, onError);
    if (state.state === "failed") throw state.busy ? new DataDirBusyError(state.message) : new Error(state.message);
  }
  const release = lockDataDir(target.dataDir);
  try {
    // We hold the directory's lock, so a postmaster.pid left there is from a process that died
    // (killed, crashed). PGlite would hang on it; without it, Postgres recovers from its WAL.
    rmSync(join(pgdata, "postmaster.pid"), { force: true });
    if (!existsSync(pgdata)) await copyTemplate(pgdata, PGLITE_EXTENSION_NAMES, (dir) => openPglite(dir, onError), preparation);
    const thread = PgliteThread.start({ pgdata, lockDir: null });
    const state = await thread.opened;
    if (state.state !== "ready") throw new Error(state.state === "failed" ? state.message : `no database in ${pgdata}`);
    return openThread(thread, onError, release);
  } catch (error) {
    release();
    throw error;
  }
}

/** Opens PGlite in this thread, on a folder (creating the database when the folder has none) or in memory. */
async function openPglite(dataDir: string, onError: (error: Error) => void): Promise<Database> {
  const pglite = await createPglite(dataDir);
  const { createPgConfig } = await import("@electric-sql/pglite/node-postgres");
  const pool = keepClientOnError(new pg.Pool(createPgConfig(pglite)));
  pool.on("error", onError);
  return wrap("pglite", pool, async () => {
    await pool.end();
    await pglite.close();
  });
}

/**
 * The database of a data directory, open in its own thread (pglite-thread.ts): its start overlaps the
 * service's, and its queries run beside the main thread's work. One session, as PGlite has one.
 */
function openThread(thread: PgliteThread, onError: (error: Error) => void, release: () => void = () => {}): Database {
  const pool = keepClientOnError(new pg.Pool({
    max: 1,
    // Kept open: each new session would start over with PGlite's start-up packet.
    idleTimeoutMillis: 0,
    user: "postgres",
    database: "postgres",
    stream: () => thread.protocolStream(),
  }));
  pool.on("error", onError);
  return wrap("pglite", pool, async () => {
    await pool.end();
    await thread.close();
    release();
  });
}

/**
 * pg's `pool.query` hands the client of a failed statement back as broken, and ending it ends PGlite's one
 * shared connection under the next query ("Connection terminated unexpectedly"). A failed statement outside
 * a transaction leaves nothing to clean up, so the client is handed back as sound.
 */
function keepClientOnError(pool: pg.Pool): pg.Pool {
  const original = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  pool.query = ((...args: unknown[]) => {
    if (typeof args.at(-1) === "function") return original(...args);
    return pool.connect().then(async (client) => {
      try {
        return await (client.query as (...a: unknown[]) => Promise<unknown>)(...args);
      } finally {
        client.release();
      }
    });
  }) as typeof pool.query;
  return pool;
}

function wrap(kind: Database["kind"], pool: pg.Pool, close: () => Promise<void>): Database {
  return {
    kind,
    pool,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work(client);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close,
  };
}
