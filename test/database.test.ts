import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { createConversationStore } from "../adapters/db/conversations.ts";
import { DataDirBusyError } from "../adapters/db/data-dir-lock.ts";
import { TEMPLATES_DIR } from "../adapters/db/data-dir-template.ts";
import { openDatabase, type Database } from "../adapters/db/database.ts";
import { createInbox } from "../adapters/db/inbox.ts";
import { HNSW_EF_SEARCH } from "../adapters/db/knowledge-index.ts";
import { listMigrations, migrate } from "../adapters/db/migrate.ts";
import type { InboundEvent } from "../bot/types.ts";
import { databaseKinds } from "./support/databases.ts";
import { freePort } from "./support/free-port.ts";
import { projectRoot } from "./support/processes.ts";
import { startTcpProxy } from "./support/tcp-proxy.ts";

function event(eventId: string, text = "xin chào"): InboundEvent {
  return { channel: "telegram", eventId, userId: "42", chatId: "42", text, receivedAt: new Date() };
}

describe.each(databaseKinds)("data layer on $label", (kind) => {
  let db: Database;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    if (!kind.available) return;
    const fresh = await kind.create();
    drop = fresh.drop;
    db = await openDatabase(fresh.target);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  describe.skipIf(!kind.available)("", () => {
    it("applies every migration exactly once", async () => {
      expect(await migrate(db)).toEqual(listMigrations().map((m) => m.version));
      expect(await migrate(db)).toEqual([]);
      const { rows } = await db.pool.query("SELECT version FROM schema_migrations ORDER BY version");
      expect(rows.map((row) => row.version)).toEqual(listMigrations().map((m) => m.version));
    });

    it("keeps working after a failed statement outside a transaction", async () => {
      await expect(db.pool.query("SELECT * FROM no_such_table")).rejects.toThrow(/no_such_table/);
      expect((await db.pool.query<{ x: number }>("SELECT 1 AS x")).rows).toEqual([{ x: 1 }]);
    });

    it("has pgvector, unaccent and trigram matching", async () => {
      const { rows } = await db.pool.query(
        "SELECT unaccent('Làng gốm Phù Lãng, Đông Hồ') AS folded, '[1,0]'::vector <=> '[0,1]'::vector AS distance, similarity('phu lang', 'phu lan') > 0.3 AS similar",
      );
      expect(rows[0]).toEqual({ folded: "Lang gom Phu Lang, Dong Ho", distance: 1, similar: true });
    });

    it("records an inbound event once and recognises the duplicate", async () => {
      const inbox = createInbox(db);
      expect(await inbox.record(event("dup-1"))).toBe(true);
      expect(await inbox.record(event("dup-1", "a different body, same id"))).toBe(false);
      expect(await inbox.record({ ...event("dup-1"), channel: "zalo" })).toBe(true);
      const { rows } = await db.pool.query("SELECT text FROM inbox WHERE channel = 'telegram' AND event_id = 'dup-1'");
      expect(rows).toEqual([{ text: "xin chào" }]);
    });

    it("lets exactly one of many simultaneous deliveries of an event through", async () => {
      const inbox = createInbox(db);
      const results = await Promise.all(Array.from({ length: 20 }, () => inbox.record(event("race-1"))));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it("keeps an event skipped by the flood guard without leaving it to be answered", async () => {
      const inbox = createInbox(db);
      expect(await inbox.record(event("flooded-1"), "flood")).toBe(true);
      expect(await inbox.record(event("flooded-1"))).toBe(false);
      const { rows } = await db.pool.query("SELECT skipped, processed_at IS NOT NULL AS done FROM inbox WHERE event_id = 'flooded-1'");
      expect(rows).toEqual([{ skipped: "flood", done: true }]);
    });

    it("marks an event processed", async () => {
      const inbox = createInbox(db);
      await inbox.record(event("done-1"));
      await inbox.markProcessed(event("done-1"));
      const { rows } = await db.pool.query("SELECT processed_at IS NOT NULL AS done FROM inbox WHERE event_id = 'done-1'");
      expect(rows).toEqual([{ done: true }]);
    });

    it("stores conversation state with optimistic versioning", async () => {
      const store = createConversationStore(db);
      const key = { channel: "zalo", userId: "u-1" };
      expect(await store.load(key)).toBeUndefined();
      expect(await store.save(key, { turns: 1, language: "vi" }, 0)).toBe(true);
      expect(await store.save(key, { turns: 1, language: "en" }, 0)).toBe(false);
      expect(await store.load(key)).toEqual({ state: { turns: 1, language: "vi" }, version: 1 });
      expect(await store.save(key, { turns: 2, language: "en" }, 1)).toBe(true);
      expect(await store.save(key, { turns: 2, language: "vi" }, 1)).toBe(false);
      expect(await store.load(key)).toEqual({ state: { turns: 2, language: "en" }, version: 2 });
    });
  });
});

describe.skipIf(!databaseKinds[1]!.available)("migrations on PostgreSQL", () => {
  it("are safe when several instances start at once", async () => {
    const fresh = await databaseKinds[1]!.create();
    const instances = await Promise.all([1, 2, 3, 4].map(() => openDatabase(fresh.target)));
    try {
      const applied = await Promise.all(instances.map((db) => migrate(db)));
      expect(applied.flat().sort((a, b) => a - b)).toEqual(listMigrations().map((m) => m.version));
      const { rows } = await instances[0]!.pool.query("SELECT count(*)::int AS n FROM schema_migrations");
      expect(rows[0].n).toBe(listMigrations().length);
    } finally {
      await Promise.all(instances.map((db) => db.close()));
      await fresh.drop();
    }
  });
});

describe("embedded database in a data directory", () => {
  it("keeps data across reopen and refuses a second concurrent opener", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "ocop-data-"));
    const first = await openDatabase({ dataDir });
    await migrate(first);
    await createInbox(first).record(event("persisted-1"));
    await expect(openDatabase({ dataDir })).rejects.toThrow(DataDirBusyError);
    await first.close();

    const second = await openDatabase({ dataDir });
    try {
      expect(await migrate(second)).toEqual([]);
      expect(await createInbox(second).record(event("persisted-1"))).toBe(false);
    } finally {
      await second.close();
    }
  });
});

describe("embedded database in its own thread", () => {
  it("answers through the thread as PGlite does in this one: errors, transactions, concurrency, large rows, session settings", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "ocop-data-"));
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    const db = await openDatabase({ dataDir });
    try {
      await migrate(db);
      await expect(db.pool.query("SELECT * FROM no_such_table")).rejects.toMatchObject({ code: "42P01" });
      await expect(db.transaction(async (client) => {
        await client.query("CREATE TABLE thread_check (n int PRIMARY KEY)");
        await client.query("INSERT INTO thread_check VALUES (1), (1)");
      })).rejects.toMatchObject({ code: "23505" });
      expect((await db.pool.query("SELECT to_regclass('thread_check') AS t")).rows[0].t).toBeNull();
      const sums = await Promise.all(Array.from({ length: 50 }, (_, i) => db.pool.query("SELECT $1::int + 1 AS n", [i])));
      expect(sums.map((result) => result.rows[0].n)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      // Larger than PGlite's 1 MB answer buffer, and not ASCII.
      const { rows } = await db.pool.query("SELECT repeat('ẩ', 1500000) AS big");
      expect(rows[0].big.length).toBe(1_500_000);
      expect((await db.pool.query("SHOW hnsw.ef_search")).rows[0]["hnsw.ef_search"]).toBe(String(HNSW_EF_SEARCH));
    } finally {
      await db.close();
    }
    // Closing synced the files and released the lock: the folder opens again, with what was written.
    const again = await openDatabase({ dataDir });
    try {
      expect(await migrate(again)).toEqual([]);
    } finally {
      await again.close();
    }
  });
});

describe("the database's thread started before the service loads (as app/start.mjs does on a restart)", () => {
  /** What app/start.mjs leaves for the service: the built thread opening `dataDir`, and its first message. */
  function startEarly(dataDir: string): Worker {
    const worker = new Worker(join(projectRoot, "dist", "pglite-thread.js"), { workerData: { pgdata: join(dataDir, "pgdata"), lockDir: dataDir } });
    const opened = new Promise((resolve) => worker.once("message", resolve));
    (globalThis as Record<symbol, unknown>)[Symbol.for("ocop.early-pglite-thread")] = { lockDir: dataDir, worker, opened };
    return worker;
  }

  async function existingDatabase(): Promise<string> {
    const dataDir = mkdtempSync(join(tmpdir(), "ocop-data-"));
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    const db = await openDatabase({ dataDir });
    await migrate(db);
    await createInbox(db).record(event("opened-early"));
    await db.close();
    return dataDir;
  }

  it("is taken over for its folder, holding the folder's lock until the database is closed", async () => {
    const dataDir = await existingDatabase();
    startEarly(dataDir);
    const db = await openDatabase({ dataDir });
    try {
      expect(await createInbox(db).record(event("opened-early"))).toBe(false);
      await expect(openDatabase({ dataDir })).rejects.toThrow(DataDirBusyError);
    } finally {
      await db.close();
    }
    expect(existsSync(join(dataDir, "ocop.lock"))).toBe(false);
  });

  it("is closed, its lock released, when the service opens another folder", async () => {
    const early = await existingDatabase();
    const other = await existingDatabase();
    const worker = startEarly(early);
    const exited = new Promise((resolve) => worker.once("exit", resolve));
    const db = await openDatabase({ dataDir: other });
    try {
      await exited;
      expect(existsSync(join(early, "ocop.lock"))).toBe(false);
      expect(await createInbox(db).record(event("opened-early"))).toBe(false);
    } finally {
      await db.close();
    }
  });
});

describe.skipIf(!databaseKinds[1]!.available)("PostgreSQL connections dropping", () => {
  it("fail the statements of a connection held at the time, without ending the process, and the pool recovers", async () => {
    const scratch = await databaseKinds[1]!.create();
    const real = new URL((scratch.target as { url: string }).url);
    const proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) }, await freePort());
    const viaProxy = new URL(real);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const db = await openDatabase({ url: viaProxy.toString() });
    try {
      // A transaction holds a connection when the database goes away (as in a restart).
      const held = db.transaction(async (client) => {
        await client.query("SELECT 1");
        await proxy.down();
        await new Promise((resolve) => setTimeout(resolve, 200));
        await client.query("SELECT 1");
      });
      await expect(held).rejects.toThrow();
      await proxy.up();
      await expect.poll(async () => (await db.pool.query("SELECT 1 AS one").catch(() => ({ rows: [] }))).rows[0]?.one, { timeout: 20_000 }).toBe(1);
    } finally {
      await db.close().catch(() => {});
      await proxy.down();
      await scratch.drop();
    }
  });
});

describe("a new data directory copied from its template", () => {
  it("is migrated and prepared once per preparation key, and each copy is a database of its own", async () => {
    const key = `test-${process.pid}-${Date.now()}`;
    let prepared = 0;
    const preparation = (name: string) => ({
      key: () => `${key}-${name}`,
      async prepare(db: Database) {
        prepared++;
        await createInbox(db).record(event(`prepared-${name}`));
      },
    });
    const open = (name: string) => openDatabase({ dataDir: mkdtempSync(join(tmpdir(), "ocop-template-")) }, () => {}, preparation(name));
    // This test's templates are removed afterwards, so that they do not take the place of the service's.
    const before = new Set(existsSync(TEMPLATES_DIR) ? readdirSync(TEMPLATES_DIR) : []);
    onTestFinished(() => {
      for (const entry of readdirSync(TEMPLATES_DIR)) if (!before.has(entry)) rmSync(join(TEMPLATES_DIR, entry), { recursive: true, force: true });
    });

    const first = await open("a");
    await createInbox(first).record(event("only-in-first"));
    await first.close();
    const second = await open("a");
    try {
      expect(prepared).toBe(1);
      expect(await migrate(second)).toEqual([]);
      expect(await createInbox(second).record(event("prepared-a"))).toBe(false);
      expect(await createInbox(second).record(event("only-in-first"))).toBe(true);
    } finally {
      await second.close();
    }
    const other = await open("b");
    try {
      expect(prepared).toBe(2);
      expect(await createInbox(other).record(event("prepared-b"))).toBe(false);
    } finally {
      await other.close();
    }
  });
});
