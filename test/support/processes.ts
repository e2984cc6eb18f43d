/** Runs the project's own entry points as child processes, as a user or another tool would. */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

export const projectRoot = fileURLToPath(new URL("../../", import.meta.url));
/**
 * Starts `node --import tsx <script> ...args` in the project root with extra environment variables:
 * one process, as `npm start` runs it, so signals reach the service itself.
 */
export function runScript(script: string, args: string[] = [], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
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
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

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

/** Waits until `predicate` holds for the collected text, or fails after `timeoutMs`. */
export async function waitFor(read: () => string, predicate: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = read();
    if (predicate(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting; output so far:\n${read()}`);
}
