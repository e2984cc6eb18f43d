/**
 * `npm run bench:startup [-- --json] [--runs N] [--phases]`: how long `npm start` takes, on the embedded
 * database with no channel configured, from spawning it to the first 200 from /healthz: on a fresh
 * data directory, then on a restart over the same directory. Each is run N times (3 by default) and
 * the median reported, with the CPU time its processes used by then (on Linux); `--phases` also prints,
 * for the median runs, when each log line came.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { freePort } from "../support/free-port.ts";
import { projectRoot } from "../support/processes.ts";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    runs: { type: "string", default: "3" },
    phases: { type: "boolean", default: false },
  },
});
const runs = Number(values.runs);
const log = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);

/**
 * One start: milliseconds from spawn to /healthz 200, the CPU time its processes used by then (steadier
 * than the wall clock on a shared machine), and each log line's message with its offset.
 */
interface Start {
  readonly ms: number;
  readonly cpuMs: number | undefined;
  readonly lines: readonly { readonly atMs: number; readonly msg: string }[];
}

// Only what `npm start` reads, so a developer's .env or shell cannot change the measured case.
const CLEAN_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(DATABASE_URL|TEST_DATABASE_URL|TELEGRAM_|ZALO_|MESSENGER_|OPENAI_|PUBLIC_URL|EMBEDDINGS)/.test(name)),
);

/**
 * Whether /healthz answers 200. Asked with node:http rather than fetch: fetch compiles its HTTP parser
 * (WebAssembly) on its first response, which added 150–250 ms of the bench's own to the first 200.
 */
function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get({ host: "127.0.0.1", port, path: "/healthz", agent: false, timeout: 5000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(false));
  });
}

/** CPU time (user + system, all threads) of the live processes of a process group, on Linux; else undefined. */
function groupCpuMs(group: number): number | undefined {
  try {
    let ticks = 0;
    for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
      try {
        // The fields after the command's closing parenthesis: state is 3rd, pgrp 5th, utime 14th, stime 15th.
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").at(-1)!.split(" ");
        if (Number(fields[2]) === group) ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // The process ended meanwhile.
      }
    }
    return ticks * 10; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** Ends `npm start` and the service under it (their own process group), and waits for them to exit. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-child.pid!, "SIGTERM");
  const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Starts `npm start` over `dataDir` and measures it until /healthz answers 200. */
async function start(dataDir: string): Promise<Start> {
  const port = await freePort();
  const started = performance.now();
  const spawnedAt = Date.now();
  const child = spawn("npm", ["start", "--silent"], {
    cwd: projectRoot,
    env: { ...CLEAN_ENV, DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const lines: { atMs: number; msg: string }[] = [];
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
    // Each line's own time: the pipe may hand several lines over at once.
    for (const line of chunk.split("\n").filter(Boolean)) {
      try {
        const { time, msg } = JSON.parse(line) as { time: number; msg: string };
        lines.push({ atMs: time - spawnedAt, msg: msg.slice(0, 60) });
      } catch {
        lines.push({ atMs: Math.round(performance.now() - started), msg: line.slice(0, 60) });
      }
    }
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
      if (await healthy(port)) return { ms: Math.round(performance.now() - started), cpuMs: groupCpuMs(child.pid!), lines };
      if (performance.now() - started > 120_000) throw new Error(`no 200 from /healthz in 120 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } finally {
    await stop(child);
  }
}

function median(starts: readonly Start[]): Start {
  return [...starts].sort((a, b) => a.ms - b.ms)[Math.floor(starts.length / 2)]!;
}

function medianCpu(starts: readonly Start[]): number | undefined {
  const values = starts.map((start) => start.cpuMs).filter((ms) => ms !== undefined).sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)];
}

const fresh: Start[] = [];
const restart: Start[] = [];
for (let run = 0; run < runs; run++) {
  const dataDir = mkdtempSync(join(tmpdir(), "ocop-startup-bench-"));
  try {
    fresh.push(await start(dataDir));
    restart.push(await start(dataDir));
    const [f, r] = [fresh.at(-1)!, restart.at(-1)!];
    log(`run ${run + 1}/${runs}: fresh ${f.ms} ms (CPU ${f.cpuMs} ms), restart ${r.ms} ms (CPU ${r.cpuMs} ms)`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
const result = {
  runs,
  freshMedianMs: median(fresh).ms,
  restartMedianMs: median(restart).ms,
  freshMedianCpuMs: medianCpu(fresh),
  restartMedianCpuMs: medianCpu(restart),
  freshMs: fresh.map((s) => s.ms),
  restartMs: restart.map((s) => s.ms),
};
log(`fresh data directory: median ${result.freshMedianMs} ms (${result.freshMs.join(", ")}), CPU ${result.freshMedianCpuMs} ms`);
log(`restart:              median ${result.restartMedianMs} ms (${result.restartMs.join(", ")}), CPU ${result.restartMedianCpuMs} ms`);
if (values.phases) {
  for (const [name, start] of [["fresh", median(fresh)], ["restart", median(restart)]] as const) {
    log(`${name} (median run), log lines after spawn:`);
    for (const line of start.lines) log(`  ${String(line.atMs).padStart(6)} ms  ${line.msg}`);
    log(`  ${String(start.ms).padStart(6)} ms  /healthz 200`);
  }
}
if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
