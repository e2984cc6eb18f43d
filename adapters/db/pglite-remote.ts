/**
 * The main thread's side of the embedded database's thread (pglite-thread.ts): a `PgliteThread` answers the
 * PostgreSQL wire protocol over a shared channel (pglite-channel.ts), and `protocolStream()` gives node-postgres
 * a socket-like stream over it, so the rest of the service talks to PGlite through pg as it talks to a server.
 *
 * `app/start.mjs` may have started the thread already, before the service's code was loaded (a restart on
 * the embedded database): `adoptEarlyThread` takes it over.
 */
import { resolve as resolvePath } from "node:path";
import { Duplex } from "node:stream";
import { Worker } from "node:worker_threads";
import { exchange } from "./pglite-channel.ts";
import type { ThreadOptions, ThreadState } from "./pglite-thread.ts";

/** Replaced with `true` by the build (app/start.mjs): the service then runs from dist/, beside the thread's own bundle. */
declare const __BUNDLED__: boolean | undefined;

/** What app/start.mjs leaves under EARLY_THREAD: the thread, the folder whose lock it takes, and its first message. */
interface EarlyThread {
  readonly lockDir: string;
  readonly worker: Worker;
  readonly opened: Promise<ThreadState>;
}
const EARLY_THREAD = Symbol.for("ocop.early-pglite-thread");

/** PGlite in its own thread. */
export class PgliteThread {
  /** The thread's first message: whether the database is open. */
  readonly opened: Promise<ThreadState>;
  readonly #worker: Worker;
  #channel: SharedArrayBuffer | null = null;
  readonly #exited: Promise<void>;

  /** Starts a thread that opens `pgdata` (taking the lock of `lockDir`, unless it is null: the caller holds it). */
  static start(options: ThreadOptions): PgliteThread {
    const worker = typeof __BUNDLED__ !== "undefined"
      ? new Worker(new URL("../../dist/pglite-thread.js", import.meta.url), { workerData: options })
      // From the sources (tests, tsx): the thread compiles its TypeScript as the main thread does.
      : new Worker(
        `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL("./pglite-thread.ts", import.meta.url).href)}); })`,
        { eval: true, workerData: options },
      );
    return new PgliteThread(worker, firstMessage(worker));
  }

  private constructor(worker: Worker, opened: Promise<ThreadState>) {
    this.#worker = worker;
    this.opened = opened.then((state) => {
      if (state.state === "ready") this.#channel = state.channel;
      return state;
    });
    this.#exited = new Promise((resolve) => worker.once("exit", () => resolve()));
  }

  /** Takes over the thread app/start.mjs started for `lockDir`; one for another folder is closed. */
  static async adoptEarly(lockDir: string): Promise<PgliteThread | undefined> {
    const early = (globalThis as Record<symbol, EarlyThread | undefined>)[EARLY_THREAD];
    if (!early) return undefined;
    delete (globalThis as Record<symbol, EarlyThread | undefined>)[EARLY_THREAD];
    const thread = new PgliteThread(early.worker, early.opened);
    if (resolvePath(early.lockDir) === resolvePath(lockDir)) return thread;
    await thread.close();
    return undefined;
  }

  /** Sends protocol messages and waits, blocking this thread as PGlite in it would, for the whole answer. */
  exec(bytes: Uint8Array): Uint8Array {
    if (!this.#channel) throw new Error("the embedded database is not open");
    return exchange(this.#channel, bytes);
  }

  /** A stream for node-postgres's `stream` option: one session, as over a socket. */
  protocolStream(): Duplex {
    return new ProtocolStream(this);
  }

  /** Closes the database (its files synced, the lock it took released) and ends the thread. */
  async close(): Promise<void> {
    const state = await this.opened;
    if (state.state === "ready") this.#worker.postMessage({ close: true });
    else await this.#worker.terminate();
    await this.#exited;
  }
}

/** The thread's first message, or its failure to start. */
function firstMessage(worker: Worker): Promise<ThreadState> {
  return new Promise((resolve) => {
    worker.once("message", resolve);
    worker.once("error", (error) => resolve({ state: "failed", message: error.message, busy: false }));
  });
}

/**
 * What node-postgres needs of a socket, over a PgliteThread. pg corks the messages of one query, so they reach
 * `_writev` together and cross to the thread in one message.
 */
class ProtocolStream extends Duplex {
  readonly #thread: PgliteThread;

  constructor(thread: PgliteThread) {
    super();
    this.#thread = thread;
  }

  connect(): this {
    process.nextTick(() => this.emit("connect"));
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.#send(chunk, done);
  }

  override _writev(chunks: { chunk: Buffer }[], done: (error?: Error | null) => void): void {
    this.#send(Buffer.concat(chunks.map(({ chunk }) => chunk)), done);
  }

  override _final(done: (error?: Error | null) => void): void {
    this.push(null);
    done();
  }

  #send(bytes: Buffer, done: (error?: Error | null) => void): void {
    let reply: Uint8Array;
    try {
      reply = this.#thread.exec(bytes);
    } catch (error) {
      done(error as Error);
      return;
    }
    if (reply.byteLength > 0) this.push(Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength));
    done();
  }
}
