import type { PGlite } from "@electric-sql/pglite";
import { HNSW_EF_SEARCH } from "./knowledge-index.ts";

/** The extensions every embedded database loads (the migrations create them). */
export const PGLITE_EXTENSION_NAMES = ["vector", "unaccent", "pg_trgm"] as const;

/**
 * Settings every session starts with, so that no query has to set them in a transaction of its own (which
 * cost a vector search three extra round trips). JIT compilation costs more than it saves on the short
 * queries of a chat service; `hnsw.ef_search` is read by pgvector when the extension loads in the session.
 */
export const SESSION_SETTINGS = ["jit=off", `hnsw.ef_search=${HNSW_EF_SEARCH}`].flatMap((setting) => ["-c", setting]);

/**
 * Opens PGlite on a folder (creating the database when the folder has none) or in memory, as the service needs
 * it. PGlite is loaded here, not at start: a restart on a data directory opens it in its own thread
 * (pglite-thread.ts), and a service on PostgreSQL never needs it.
 */
export async function createPglite(dataDir: string): Promise<PGlite> {
  const [{ PGlite }, { vector }, { unaccent }, { pg_trgm }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@electric-sql/pglite-pgvector"),
    import("@electric-sql/pglite/contrib/unaccent"),
    import("@electric-sql/pglite/contrib/pg_trgm"),
  ]);
  const extensions = { vector, unaccent, pg_trgm } satisfies Record<(typeof PGLITE_EXTENSION_NAMES)[number], unknown>;
  return PGlite.create(dataDir, { extensions, startParams: [...PGlite.defaultStartParams, ...SESSION_SETTINGS] });
}
