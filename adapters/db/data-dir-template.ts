/**
 * A new embedded database starts as a copy of a template folder: creating one runs PGlite's initdb, the
 * migrations and the caller's preparation (ingesting the corpus, loading the catalogue), seconds of work,
 * where copying a folder takes a fraction of one. The template is that prepared database, cleanly shut
 * down, built the first time it is needed and named after what made it (PGlite's and pgvector's versions,
 * the extensions, every migration's name and text, and the preparation's key, a hash of its inputs), so a
 * new migration, an upgraded PGlite or a changed corpus gets a new one. A copy is then opened as on a
 * restart, whose checks (pending migrations, changed documents) run as always: a template can make a
 * start faster, never different.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "./database.ts";
import { listMigrations, migrate } from "./migrate.ts";

/** Where templates are kept: generated files, like the build, that may be deleted at any time. */
export const TEMPLATES_DIR = fileURLToPath(new URL("../../dist/", import.meta.url));
const PREFIX = "pgdata-template-";
const TEMPLATES_KEPT = 3;

function packageVersion(name: string): string {
  let dir = dirname(createRequire(import.meta.url).resolve(name));
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string }).version;
}

/** What a new database gets after its migrations, and a hash of everything that goes into it. */
export interface Preparation {
  /** Read only for a new data directory, when the template's name is needed. */
  key(): string;
  prepare(db: Database): Promise<void>;
}

/** The template's name for these extensions, the shipped migrations and the preparation. */
export function templateName(extensions: readonly string[], preparationKey = ""): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify([packageVersion("@electric-sql/pglite"), packageVersion("@electric-sql/pglite-pgvector"), [...extensions].sort(), preparationKey]));
  for (const migration of listMigrations()) hash.update(`\0${migration.name}\0${migration.sql}`);
  return `${PREFIX}${hash.digest("hex").slice(0, 20)}`;
}

/**
 * Fills the empty folder `pgdata` with a copy of the template, building the template first (with
 * `create`, which opens an embedded database in a folder, then the migrations and `preparation`) when
 * there is none. Returns false, leaving
 * `pgdata` absent, when that cannot be done (a read-only install, say): PGlite then creates the database
 * itself, only more slowly.
 */
export async function copyTemplate(
  pgdata: string,
  extensions: readonly string[],
  create: (dir: string) => Promise<Database>,
  preparation?: Preparation,
): Promise<boolean> {
  try {
    const template = join(TEMPLATES_DIR, templateName(extensions, preparation?.key()));
    if (!existsSync(template)) await buildTemplate(template, create, preparation);
    cpSync(template, pgdata, { recursive: true });
    const now = new Date();
    utimesSync(template, now, now);
    return true;
  } catch {
    rmSync(pgdata, { recursive: true, force: true });
    return false;
  }
}

/**
 * Builds the template in a folder of its own, then renames it into place: a process starting meanwhile
 * never copies half a template, and when two build one at once, the first rename wins.
 */
async function buildTemplate(template: string, create: (dir: string) => Promise<Database>, preparation?: Preparation): Promise<void> {
  mkdirSync(TEMPLATES_DIR, { recursive: true });
  const building = `${template}.${process.pid}.tmp`;
  rmSync(building, { recursive: true, force: true });
  try {
    const db = await create(building);
    try {
      await migrate(db);
      await preparation?.prepare(db);
    } finally {
      await db.close();
    }
    renameSync(building, template);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(template)) throw error;
  }
  // The most recently used few stay (a test's own corpus must not evict the shipped one's); others go.
  const others = readdirSync(TEMPLATES_DIR)
    .filter((entry) => entry.startsWith(PREFIX) && !entry.endsWith(".tmp"))
    .map((entry) => join(TEMPLATES_DIR, entry))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const old of others.slice(TEMPLATES_KEPT)) rmSync(old, { recursive: true, force: true });
}
