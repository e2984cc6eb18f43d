/**
 * The databases every data-layer test runs against: the embedded PGlite always, and a real
 * PostgreSQL when TEST_DATABASE_URL is set (CI sets it). Each PostgreSQL target is a fresh
 * database, so test files never see each other's rows.
 */
import { afterAll, beforeAll } from "vitest";
import { openDatabase, type Database, type DatabaseTarget } from "../../adapters/db/database.ts";
import { migrate } from "../../adapters/db/migrate.ts";
import { createScratchDatabase } from "../../adapters/db/scratch-database.ts";

export const postgresUrl = process.env.TEST_DATABASE_URL;

/** Why the PostgreSQL variants are skipped on this machine, printed once by the tests that skip. */
export const postgresSkipReason = "TEST_DATABASE_URL is not set: PostgreSQL tests run in CI (.ci/run starts PostgreSQL)";

/** A named way to get a fresh, empty database target. */
export interface DatabaseKind {
  readonly name: "pglite" | "postgres";
  /** False where this machine lacks the database; tests of that kind are then skipped. */
  readonly available: boolean;
  /** The name tests are grouped under, with the skip reason when unavailable. */
  readonly label: string;
  create(): Promise<{ target: DatabaseTarget; drop(): Promise<void> }>;
}

const pglite: DatabaseKind = {
  name: "pglite",
  available: true,
  label: "pglite",
  async create() {
    return { target: { memory: true }, drop: async () => {} };
  },
};

const postgres: DatabaseKind = {
  name: "postgres",
  available: postgresUrl !== undefined,
  label: postgresUrl ? "postgres" : `postgres (skipped: ${postgresSkipReason})`,
  async create() {
    const scratch = await createScratchDatabase(postgresUrl!, "ocop_test");
    return { target: { url: scratch.url }, drop: scratch.drop };
  },
};

/** Both kinds; PostgreSQL is `available` only when TEST_DATABASE_URL is set. */
export const databaseKinds: readonly DatabaseKind[] = [pglite, postgres];

/**
 * A fresh database of `kind`, opened and migrated before the enclosing describe's tests and closed and dropped
 * after them; read `db` inside the tests.
 */
export function migratedDatabase(kind: DatabaseKind): { readonly db: Database } {
  let db: Database | undefined;
  let drop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const fresh = await kind.create();
    drop = fresh.drop;
    db = await openDatabase(fresh.target);
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
    await drop();
  });
  return {
    get db() {
      if (!db) throw new Error("the database is opened in beforeAll");
      return db;
    },
  };
}
