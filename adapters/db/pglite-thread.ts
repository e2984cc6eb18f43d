/**
 * The embedded database's own thread (a worker): opens PGlite on a data directory and answers the PostgreSQL
 * wire protocol for the main thread (pglite-remote.ts). PGlite's start, a second or so of WebAssembly on
 * whichever thread opens it, then runs beside the main thread's loading of the service instead of before it.
 *
 * It first posts a ThreadState; once open, it answers protocol messages over a shared channel
 * (pglite-channel.ts) until it is posted `{ close }`, and then posts `{ closed }`.
 */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import type { PGlite } from "@electric-sql/pglite";
import { DataDirBusyError, lockDataDir } from "./data-dir-lock.ts";
import { createChannelBuffer, markStopped, serve } from "./pglite-channel.ts";
import { createPglite } from "./pglite-settings.ts";

/** What the thread is asked to open; `lockDir` is the folder whose lock it takes, unless the main thread holds it. */
export interface ThreadOptions {
  readonly pgdata: string;
  readonly lockDir: string | null;
}

/** The thread's first message: open (with the channel's shared memory), nothing to open (no database there yet), or failed. */
export type ThreadState = { state: "ready"; channel: SharedArrayBuffer } | { state: "absent" } | { state: "failed"; message: string; busy: boolean };

const port = parentPort!;
const { pgdata, lockDir } = workerData as ThreadOptions;

async function open(): Promise<{ pglite: PGlite; release: () => void } | null> {
  const release = lockDir ? lockDataDir(lockDir) : () => {};
  try {
    if (!existsSync(pgdata)) {
      release();
      return null;
    }
    // The lock is ours, so a postmaster.pid left there is from a process that died (killed, crashed). PGlite
    // would hang on it; without it, PostgreSQL recovers from its WAL.
    rmSync(join(pgdata, "postmaster.pid"), { force: true });
    return { pglite: await createPglite(pgdata), release };
  } catch (error) {
    release();
    throw error;
  }
}

try {
  const opened = await open();
  if (!opened) {
    port.postMessage({ state: "absent" } satisfies ThreadState);
    port.close();
  } else {
    const { pglite, release } = opened;
    const channel = createChannelBuffer();
    // However the thread ends, a main thread waiting on the channel stops waiting.
    process.on("exit", () => markStopped(channel));
    port.once("message", async () => {
      await pglite.close();
      release();
      port.postMessage({ closed: true });
      process.exit(0);
    });
    // PGlite answers into a buffer it reuses; the channel copies the answer out before the next request.
    void serve(channel, (request) => pglite.execProtocolRaw(request));
    port.postMessage({ state: "ready", channel } satisfies ThreadState);
  }
} catch (error) {
  port.postMessage({ state: "failed", message: (error as Error).message ?? String(error), busy: error instanceof DataDirBusyError } satisfies ThreadState);
  port.close();
}
