/** Runs the project's own entry points as child processes, as a user or another tool would. */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

export const projectRoot = fileURLToPath(new URL("../../", import.meta.url));
/**
 * Starts `node --import tsx <script> ...args` in the project root with extra environment variables; the
 * service (app/main.ts) runs as `npm start` runs it, from its build (app/start.mjs, dist/main.js), so the
 * tests exercise what is deployed. One process either way, so signals reach the service itself.
 */
export function runScript(script: string, args: string[] = [], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  const command = script === "app/main.ts" ? ["app/start.mjs", ...args] : ["--import", "tsx", script, ...args];
  const child = spawn(process.execPath, command, {
    cwd: projectRoot,
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}

// A test that fails (or times out) before stopping what it started must not leave a service running.
const running = new Set<ChildProcessWithoutNullStreams>();
/** Kills every process started by `runScript` that is still running (after each test file, and at exit). */
export function killStarted(): void {
  for (const child of running) child.kill("SIGKILL");
}
process.once("exit", killStarted);

/** Collects a stream's text as it arrives. */
export function collect(stream: NodeJS.ReadableStream): { readonly text: () => string } {
  let buffer = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => (buffer += chunk));
  return { text: () => buffer };
}

/** Resolves with the exit code (or signal name) when the process ends. */
export function exited(child: ChildProcessWithoutNullStreams): Promise<number | string> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once("exit", (code, signal) => resolve(code ?? signal ?? -1));
  });
}

/**
 * Waits until `predicate` holds for the collected text, or fails after `timeoutMs` (by default a
 * patient wait: see `patience`).
 */
export async function waitFor(read: () => string, predicate: (text: string) => boolean, timeoutMs = patience(30_000)): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = read();
    if (predicate(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting; output so far:\n${read()}`);
}

/** What a start of the service takes on an idle machine of the kind CI runs on, for scaling waits. */
const IDLE_START_MS = 10_000;
/** How long starts of the service took in this test process so far. */
const startTimes: number[] = [];

/**
 * A wait of `ms` on an idle machine, stretched by how much slower than idle the service's starts measured
 * in this run have been: a machine busy with other work gets longer waits rather than failed tests, and
 * a wait that is never met still ends.
 */
export function patience(ms: number): number {
  const slowest = Math.max(0, ...startTimes);
  return Math.round(ms * Math.max(1, slowest / IDLE_START_MS));
}

/**
 * Waits for a service started with `runScript` to print what `predicate` looks for, and records how long
 * it took (see `patience`). Fails at once if the process exits first; otherwise allows three minutes, or
 * three times the slowest start seen in this run if that is longer.
 */
export async function waitForStart(child: ChildProcessWithoutNullStreams, read: () => string, predicate: (text: string) => boolean): Promise<string> {
  const started = Date.now();
  const allowed = Math.max(18 * IDLE_START_MS, 3 * Math.max(0, ...startTimes));
  while (Date.now() - started < allowed) {
    const text = read();
    if (predicate(text)) {
      startTimes.push(Date.now() - started);
      return text;
    }
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the service exited while starting; output:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the service did not start within ${Math.round(allowed / 1000)} s; output so far:\n${read()}`);
}
