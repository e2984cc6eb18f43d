/**
 * The line between the main thread and the embedded database's thread: a shared buffer that carries protocol
 * bytes in chunks, each side waking the other with Atomics. The main thread waits for each answer without
 * returning to its event loop, as it did when PGlite ran in it: a reply posted as a message would wait behind
 * every request the service has queued meanwhile (under a flood of web chat messages, an answer's 30 queries
 * took a second more).
 *
 * Control words: the state, the length of the chunk in the buffer, and whether more of it follows.
 */

const STATE = 0;
const LENGTH = 1;
const MORE = 2;
/** 0 once the database's thread has stopped: a wait for it ends instead of blocking for ever. */
const ALIVE = 3;
const CONTROL_BYTES = 16;
/** The largest chunk; a request or an answer larger than this crosses in several. */
const CAPACITY = 1 << 20;

/** Whose turn it is: nothing pending, a chunk for the thread, one for the main thread, a chunk taken, a failure. */
const IDLE = 0;
const TO_THREAD = 1;
const TO_MAIN = 2;
const TAKEN = 3;
const FAILED = 4;

/** How often a waiting main thread checks that the database's thread is still there. */
const LIVENESS_CHECK_MS = 1000;

/** A new channel's shared memory; the database's thread makes it and sends it with its first message. */
export function createChannelBuffer(): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(CONTROL_BYTES + CAPACITY);
  new Int32Array(buffer, 0, 4)[ALIVE] = 1;
  return buffer;
}

/** Marks the channel's thread as gone, waking a main thread that waits on it. */
export function markStopped(buffer: SharedArrayBuffer): void {
  const control = new Int32Array(buffer, 0, 4);
  Atomics.store(control, ALIVE, 0);
  Atomics.notify(control, STATE);
}

/** The main thread's end: sends a request and blocks until the whole answer is back. */
export function exchange(buffer: SharedArrayBuffer, request: Uint8Array): Uint8Array {
  const control = new Int32Array(buffer, 0, 4);
  const data = new Uint8Array(buffer, CONTROL_BYTES);
  for (let offset = 0; ;) {
    offset = putChunk(control, data, request, offset);
    signal(control, TO_THREAD);
    blockWhile(control, TO_THREAD);
    if (offset >= request.length) break;
  }
  const parts: Uint8Array[] = [];
  for (;;) {
    const state = Atomics.load(control, STATE);
    const chunk = data.slice(0, Atomics.load(control, LENGTH));
    if (state === FAILED) {
      Atomics.store(control, STATE, IDLE);
      throw new Error(new TextDecoder().decode(chunk));
    }
    parts.push(chunk);
    if (Atomics.load(control, MORE) === 0) {
      Atomics.store(control, STATE, IDLE);
      break;
    }
    signal(control, TAKEN);
    blockWhile(control, TAKEN);
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** The database thread's end: answers each request with `answer`, for as long as the thread runs. */
export async function serve(buffer: SharedArrayBuffer, answer: (request: Uint8Array) => Promise<Uint8Array>): Promise<never> {
  const control = new Int32Array(buffer, 0, 4);
  const data = new Uint8Array(buffer, CONTROL_BYTES);
  for (;;) {
    const parts: Uint8Array[] = [];
    for (;;) {
      await waitFor(control, TO_THREAD);
      parts.push(data.slice(0, Atomics.load(control, LENGTH)));
      if (Atomics.load(control, MORE) === 0) break;
      signal(control, TAKEN);
    }
    let reply: Uint8Array;
    try {
      reply = await answer(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
    } catch (error) {
      putChunk(control, data, new TextEncoder().encode((error as Error).message ?? String(error)).subarray(0, CAPACITY), 0);
      signal(control, FAILED);
      continue;
    }
    for (let offset = 0; ;) {
      offset = putChunk(control, data, reply, offset);
      signal(control, TO_MAIN);
      if (offset >= reply.length) break;
      await waitFor(control, TAKEN);
    }
  }
}

/** Puts the next chunk of `bytes`, from `offset`, in the buffer; returns where the one after it starts. */
function putChunk(control: Int32Array, data: Uint8Array, bytes: Uint8Array, offset: number): number {
  const length = Math.min(CAPACITY, bytes.length - offset);
  data.set(bytes.subarray(offset, offset + length));
  Atomics.store(control, LENGTH, length);
  Atomics.store(control, MORE, offset + length < bytes.length ? 1 : 0);
  return offset + length;
}

function signal(control: Int32Array, state: number): void {
  Atomics.store(control, STATE, state);
  Atomics.notify(control, STATE);
}

/** Blocks this (main) thread while the state stays `state`; throws once the database's thread is gone. */
function blockWhile(control: Int32Array, state: number): void {
  while (Atomics.load(control, STATE) === state) {
    if (Atomics.load(control, ALIVE) === 0) throw new Error("the embedded database's thread has stopped");
    Atomics.wait(control, STATE, state, LIVENESS_CHECK_MS);
  }
}

/** Waits, without blocking the database thread's event loop, until the state is `state`. */
async function waitFor(control: Int32Array, state: number): Promise<void> {
  for (let current = Atomics.load(control, STATE); current !== state; current = Atomics.load(control, STATE)) {
    await Atomics.waitAsync(control, STATE, current).value;
  }
}
