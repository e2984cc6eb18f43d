/**
 * `npm start`: runs the service (app/main.ts) from its build, dist/main.js (with chunks loaded only when
 * configured, and the embedded database's thread in dist/pglite-thread.js), which Node loads in a fraction of
 * the time tsx takes to compile and load some 130 TypeScript modules at every start. The build records the
 * hash of every source file it was made from and is made again first whenever one of them changed, so
 * `npm start` never runs stale code and needs no build step of its own. `npm run build` (`node app/start.mjs --build`) only builds.
 * Plain JavaScript: this file runs before anything could compile TypeScript.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const DIST = join(ROOT, "dist");
const ENTRY = "app/main.ts";
/** The embedded database's thread, bundled on its own: it loads PGlite and nothing of the service. */
const THREAD_ENTRY = "adapters/db/pglite-thread.ts";
/** The build's record: the hash of each project file it was made from, this one included. */
const MANIFEST = join(DIST, "main.json");

const hashOf = (file) => createHash("sha256").update(readFileSync(join(ROOT, file))).digest("hex");

/** Whether dist/main.js was built from the source files as they are now. */
function isCurrent() {
  try {
    const { inputs } = JSON.parse(readFileSync(MANIFEST, "utf8"));
    return Object.entries(inputs).every(([file, hash]) => hashOf(file) === hash);
  } catch {
    return false;
  }
}

/**
 * Packages left out of the bundle, loaded from node_modules as they are:
 * - those that find their own files by path: PGlite its WebAssembly and data, pino a transport's worker;
 * - a native addon (argon2), and pg's optional native driver (not installed);
 * - those loaded only when configured, after start-up: the channels' SDKs and the job queue (with a
 *   channel), the OpenAI client (with an API key). pg-boss also has its frames recognised by path in a
 *   stack (jobs/lost-completion.ts), and grammY inside the bundle never finished registering its webhook.
 */
const EXTERNAL = [
  "@electric-sql/pglite", "@electric-sql/pglite/*", "@electric-sql/pglite-pgvector", "pino", "thread-stream",
  "argon2", "pg-native",
  "grammy", "grammy/*", "@grammyjs/*", "axios", "pg-boss", "openai",
];

/** Inputs that say whether a build is current: the project's own files, and the lockfile for the packages. */
const recorded = (file) => !file.startsWith("node_modules/");

/**
 * Bundles the service into dist/main.js and the database's thread into dist/pglite-thread.js, their packages
 * included (but EXTERNAL): Node then reads, resolves and links one file instead of some 900 — half of a start's
 * time before this. A source map lets stack traces name the TypeScript files.
 */
async function build() {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: { main: join(ROOT, ENTRY), "pglite-thread": join(ROOT, THREAD_ENTRY) },
    outdir: DIST,
    bundle: true,
    external: EXTERNAL,
    platform: "node",
    format: "esm",
    // What the service imports only when configured (a channel's SDK, the job queue) goes into chunks of its own:
    // in one file, the packages those modules import would be loaded at every start.
    splitting: true,
    chunkNames: "chunk-[hash]",
    absWorkingDir: ROOT,
    target: "node20",
    sourcemap: "linked",
    // Stack traces need the mappings only; the sources are next to the bundle anyway.
    sourcesContent: false,
    // Less to parse at every start; names are kept, so stack traces read as they do unminified.
    minifyWhitespace: true,
    minifySyntax: true,
    metafile: true,
    write: false,
    logLevel: "warning",
    plugins: [keepModuleUrls],
    // The code that starts the database's thread finds its bundle next to this one (adapters/db/pglite-remote.ts).
    define: { __BUNDLED__: "true" },
    // Packages written as CommonJS call require() for Node's own modules, which an ES module lacks.
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  });
  mkdirSync(DIST, { recursive: true });
  // Each file is renamed into place whole, the chunks (named by their content) first and the record last: a
  // start meanwhile sees the old build or the new.
  const isChunk = (path) => basename(path).startsWith("chunk-");
  const files = [...result.outputFiles].sort((a, b) => Number(isChunk(b.path)) - Number(isChunk(a.path)));
  for (const file of files) writeWhole(file.path, file.contents);
  pruneChunks(new Set(files.map((file) => basename(file.path))));
  const inputs = Object.fromEntries(
    [...Object.keys(result.metafile.inputs).filter(recorded), "package-lock.json", relative(ROOT, fileURLToPath(import.meta.url))].map((file) => [file, hashOf(file)]),
  );
  writeWhole(MANIFEST, JSON.stringify({ entry: ENTRY, inputs }, null, 1));
}

/**
 * Modules find their files (migrations, corpus, data, web pages) next to themselves through
 * `import.meta.url`; in one bundle that would be the bundle's address, so each module's own address is
 * written in instead, relative to dist/ so that the project folder can move.
 */
const keepModuleUrls = {
  name: "keep-module-urls",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (!recorded(relative(ROOT, args.path))) return undefined;
      const source = readFileSync(args.path, "utf8");
      const own = `new URL(${JSON.stringify(relative(DIST, args.path).replaceAll("\\", "/"))}, import.meta.url).href`;
      return { contents: source.replace(/\bimport\.meta\.url\b/g, own), loader: "ts" };
    });
  },
};

/** Chunks of earlier builds, once no service started before this build can still load them (an hour on). */
function pruneChunks(current) {
  for (const name of readdirSync(DIST)) {
    const path = join(DIST, name);
    if (name.startsWith("chunk-") && !current.has(name) && Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { force: true });
  }
}

function writeWhole(path, contents) {
  const temporary = join(DIST, `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

/**
 * A restart on the embedded database: its thread (adapters/db/pglite-thread.ts) starts opening the data directory
 * now, and PGlite's second of start-up runs beside the loading of the service, which takes the thread over
 * (adapters/db/pglite-remote.ts). The thread takes the directory's lock first. A new data directory is made from
 * a template by the service itself, so nothing starts early then. DATA_DIR's default is the configuration's
 * (adapters/config.ts); a value the configuration rejects stops the service before the thread matters.
 */
function openDatabaseEarly() {
  if (existsSync(".env")) process.loadEnvFile(".env");
  if (process.env.DATABASE_URL) return;
  const lockDir = resolve(process.env.DATA_DIR?.trim() || "./.data");
  const pgdata = join(lockDir, "pgdata");
  if (!existsSync(pgdata)) return;
  const worker = new Worker(join(DIST, "pglite-thread.js"), { workerData: { pgdata, lockDir } });
  // Its first message is kept from now: the service listens only once it has loaded.
  const opened = new Promise((resolve) => {
    worker.once("message", resolve);
    worker.once("error", (error) => resolve({ state: "failed", message: error.message, busy: false }));
  });
  globalThis[Symbol.for("ocop.early-pglite-thread")] = { lockDir, worker, opened };
}

if (process.argv.includes("--build")) {
  await build();
} else {
  if (!isCurrent()) {
    process.stderr.write("building dist/main.js from the sources (they changed since the last build)\n");
    await build();
  }
  openDatabaseEarly();
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(join(DIST, "main.js")).href);
}
