/**
 * `npm run bench:webchat [-- --json]`: the public web chat flooded as an abuser would, against the
 * service with its default limits (on PostgreSQL when DATABASE_URL or TEST_DATABASE_URL is set, else
 * the embedded PGlite). From one client address, 1,000 messages over 10 s spread over 50 user ids;
 * then, from another address, 100 messages at once for one user. Reports, for each, the messages
 * answered, limited (429) and failed (5xx, which must be 0), the p99 latency of those answered, and
 * the service's resident memory before and after.
 */
import http from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createScratchDatabase } from "../../adapters/db/scratch-database.ts";
import { freePort } from "../support/free-port.ts";
import { collect, exited, runScript, waitFor } from "../support/processes.ts";

const { values } = parseArgs({ options: { json: { type: "boolean", default: false } } });
const log = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);
const postgresUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;

interface Outcome {
  readonly status: number;
  readonly ms: number;
}

/** Posts one chat message from `localAddress`; a network failure counts as status 0. */
function post(port: number, agent: http.Agent, user: string, text: string): Promise<Outcome> {
  const body = JSON.stringify({ user, text });
  const started = performance.now();
  return new Promise((resolve) => {
    const request = http.request(
      { host: "127.0.0.1", port, path: "/api/chat", method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on("end", () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    request.on("error", () => resolve({ status: 0, ms: performance.now() - started }));
    request.end(body);
  });
}

function summary(outcomes: readonly Outcome[]) {
  const answered = outcomes.filter((o) => o.status === 200).map((o) => o.ms).sort((a, b) => a - b);
  const at = (q: number) => (answered.length > 0 ? answered[Math.min(answered.length - 1, Math.ceil(answered.length * q) - 1)]! : 0);
  return {
    sent: outcomes.length,
    answered: answered.length,
    limited: outcomes.filter((o) => o.status === 429).length,
    errors: outcomes.filter((o) => o.status >= 500 || o.status === 0).length,
    other: outcomes.filter((o) => o.status !== 200 && o.status !== 429 && o.status < 500 && o.status !== 0).length,
    p50AnsweredMs: Math.round(at(0.5)),
    p99AnsweredMs: Math.round(at(0.99)),
  };
}

async function residentMb(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const bytes = Number(/^process_resident_memory_bytes (\S+)$/m.exec(text)?.[1] ?? 0);
  return Math.round(bytes / 1024 / 1024);
}

const port = await freePort();
let dropDatabase = async () => {};
let database: Record<string, string> = { DATA_DIR: mkdtempSync(join(tmpdir(), "ocop-webchat-bench-")) };
if (postgresUrl) {
  const scratch = await createScratchDatabase(postgresUrl, "ocop_bench");
  database = { DATABASE_URL: scratch.url };
  dropDatabase = scratch.drop;
}
const child = runScript("app/main.ts", [], { ...database, PORT: String(port), HOST: "127.0.0.1" });
const output = collect(child.stdout);
try {
  await waitFor(output.text, (text) => text.includes("is ready"), 120_000);
  // Warm up (the first answers of each kind compile and cache) from an address the floods do not use.
  const messages = ["xin chào", "giá kẹo lạc Trang Toàn", "hội Lim năm 2027 ngày nào", "sản phẩm 4 sao cần bao nhiêu điểm"];
  const warm = new http.Agent({ keepAlive: true, localAddress: "127.0.0.3" });
  for (let i = 0; i < 12; i++) await post(port, warm, `warm-${i}`, messages[i % messages.length]!);
  const before = await residentMb(port);

  log("Flood 1: 1,000 messages over 10 s from one address, 50 user ids…");
  const one = new http.Agent({ keepAlive: true, maxSockets: 64, localAddress: "127.0.0.1" });
  const spread: Promise<Outcome>[] = [];
  const started = performance.now();
  for (let i = 0; i < 1000; i++) {
    const due = started + i * 10;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    spread.push(post(port, one, `flood-user-${i % 50}`, messages[i % messages.length]!));
  }
  const flood = summary(await Promise.all(spread));

  log("Flood 2: 100 messages at once for one user, from another address…");
  const two = new http.Agent({ keepAlive: true, maxSockets: 100, localAddress: "127.0.0.2" });
  const burst = summary(await Promise.all(Array.from({ length: 100 }, () => post(port, two, "one-user", "giá tỏi một nhánh"))));
  const after = await residentMb(port);

  const result = { database: postgresUrl ? "postgres" : "pglite", flood, burst, memoryMb: { before, after } };
  if (values.json) {
    console.log(JSON.stringify(result));
  } else {
    const row = (name: string, s: ReturnType<typeof summary>) =>
      `${name.padEnd(44)} sent ${String(s.sent).padStart(5)}  answered ${String(s.answered).padStart(4)}  limited ${String(s.limited).padStart(4)}  5xx ${s.errors}  answered p50 ${s.p50AnsweredMs} ms, p99 ${s.p99AnsweredMs} ms`;
    log(`\nWeb chat under abuse (${result.database}, default limits):`);
    log(row("1,000 over 10 s, one address, 50 users", flood));
    log(row("100 at once, one user", burst));
    log(`Service memory: ${before} MB before, ${after} MB after.`);
  }
  if (flood.errors + burst.errors > 0) process.exitCode = 1;
} finally {
  child.kill("SIGTERM");
  await exited(child);
  await dropDatabase();
}
