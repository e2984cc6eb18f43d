/**
 * The embedded database's own thread (a worker): opens PGlite on a data directory and answers the PostgreSQL
 * wire protocol for the main thread (pglite-remote.ts). PGlite's start, a second or so of WebAssembly on
 * whichever thread opens it, then runs beside the main thread's loading of the service instead of before it.
 *
 * Messages in: `{ exec, bytes }` (protocol messages, answered in order) and `{ close }`.
 * Messages out: one ThreadState once open (or not), `{ exec, bytes | error }` per request, `{ closed }`.
 */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import type { PGlite } from "@electric-sql/pglite";
import { DataDirBusyError, lockDataDir } from "./data-dir-lock.ts";
import { createPglite } from "./pglite-settings.ts";

/** What the thread is asked to open; `lockDir` is the folder whose lock it takes, unless the main thread holds it. */
export interface ThreadOptions {
  readonly pgdata: string;
  readonly lockDir: string | null;
}

/** The thread's first message: open, nothing to open (no database there yet), or failed. */
export type ThreadState = { state: "ready" } | { state: "absent" } | { state: "failed"; message: string; busy: boolean };

type Request = { exec: number; bytes: Uint8Array } | { close: true };

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
    // One request at a time, in the order they came: they are one session's protocol stream.
    let queue = Promise.resolve();
    port.on("message", (request: Request) => {
      queue = queue.then(async () => {
        if ("close" in request) {
          await pglite.close();
          release();
          port.postMessage({ closed: true });
          port.close();
          return;
        }
        try {
          // PGlite answers into a buffer it reuses: the reply is copied before it is handed over.
          const reply = (await pglite.execProtocolRaw(request.bytes)).slice();
          port.postMessage({ exec: request.exec, bytes: reply }, [reply.buffer]);
        } catch (error) {
          port.postMessage({ exec: request.exec, error: (error as Error).message ?? String(error) });
        }
      });
    });
    port.postMessage({ state: "ready" } satisfies ThreadState);
  }
} catch (error) {
  port.postMessage({ state: "failed", message: (error as Error).message ?? String(error), busy: error instanceof DataDirBusyError } satisfies ThreadState);
  port.close();
}
