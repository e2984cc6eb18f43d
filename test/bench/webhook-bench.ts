/**
 * `npm run bench:webhook [-- --json] [--seconds N]`: Telegram updates driven at the webhook from a
 * loopback load generator (autocannon), against the service (on PostgreSQL when DATABASE_URL or
 * TEST_DATABASE_URL is set, else the embedded PGlite) and against a bare grammY echo bot, both
 * talking to the local Telegram Bot API emulator. Prints acknowledgement latency, sustained updates
 * per second, acknowledgement latency at a fixed 200 updates/s (autocannon's rate, and the same rate
 * evenly paced as Telegram delivers it), and end-to-end reply latency. The emulator runs in a child
 * process of its own, so this process only generates load and times it.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { createScratchDatabase } from "../../adapters/db/scratch-database.ts";
import { freePort } from "../support/free-port.ts";
import { collect, exited, runScript, waitFor } from "../support/processes.ts";
import { startEmulator, type Emulator } from "./emulator.ts";
import { pacedLoad } from "./paced-load.ts";

const { values } = parseArgs({ options: { json: { type: "boolean", default: false }, seconds: { type: "string", default: "10" } } });
const seconds = Number(values.seconds);
const log = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);
const TOKEN = "777:bench-token";
const SECRET = "bench-secret";
const postgresUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const echoName = "bare grammY echo bot";
const ourName = `ours (${postgresUrl ? "PostgreSQL" : "PGlite"})`;
let nextUpdate = 1;

/** A text update from a user of its own (so no per-user flood limit applies). */
function update(id: number) {
  const user = 5_000_000 + id;
  return {
    update_id: id,
    message: { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: user, type: "private", first_name: "U" }, from: { id: user, is_bot: false, first_name: "U" }, text: "xin chào" },
  };
}

interface Target {
  readonly name: string;
  readonly url: string;
  stop(): Promise<void>;
}

async function startOurs(apiRoot: string): Promise<Target> {
  const port = await freePort();
  let dropDatabase = async () => {};
  let database: Record<string, string> = { DATA_DIR: mkdtempSync(join(tmpdir(), "ocop-bench-")) };
  if (postgresUrl) {
    const scratch = await createScratchDatabase(postgresUrl, "ocop_bench");
    database = { DATABASE_URL: scratch.url };
    dropDatabase = scratch.drop;
  }
  const child = runScript("app/main.ts", [], {
    ...database,
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: apiRoot,
  });
  const output = collect(child.stdout);
  await waitFor(output.text, (text) => text.includes("telegram webhook registered"), 60_000);
  return {
    name: ourName,
    url: `http://127.0.0.1:${port}/webhooks/telegram`,
    async stop() {
      child.kill("SIGKILL");
      await exited(child);
      await dropDatabase();
    },
  };
}

async function startEcho(apiRoot: string): Promise<Target> {
  const port = await freePort();
  const child = runScript("test/bench/echo-bot.ts", [], { BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: apiRoot, PORT: String(port) });
  await waitFor(collect(child.stdout).text, (text) => text.includes("ready"));
  return {
    name: echoName,
    url: `http://127.0.0.1:${port}/`,
    async stop() {
      child.kill("SIGKILL");
      await exited(child);
    },
  };
}

/** Drives the webhook with autocannon: as fast as it goes, or at a fixed overall rate. */
async function drive(target: Target, telegram: Emulator, rate?: number) {
  const result = await autocannon({
    url: target.url,
    method: "POST",
    // A steady stream needs few connections at once; a high count only measures the generator's bursts.
    connections: rate ? 4 : 50,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
    requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(update(nextUpdate++)) }) }],
  });
  return {
    updatesPerSecond: Math.round(result.requests.average),
    // Replies that reached Telegram during the run: the echo bot answers inside each request; the
    // service answers after the acknowledgement, and its sends are held to Telegram's 30 a second.
    repliesPerSecond: Math.round((await telegram.sentCount()) / seconds),
    ackP50Ms: result.latency.p50,
    ackP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** Drives the webhook at `perSecond`, evenly paced over up to 40 connections (Telegram's default). */
function drivePaced(target: Target, perSecond: number) {
  return pacedLoad({
    url: target.url,
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
    body: () => JSON.stringify(update(nextUpdate++)),
    perSecond,
    seconds,
    maxConnections: 40,
  });
}

/** Sends updates one by one at `perSecond` and times each until the emulator receives its reply. */
async function endToEnd(target: Target, telegram: Emulator, count: number, perSecond: number) {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const id = nextUpdate++;
    const started = performance.timeOrigin + performance.now();
    const replied = telegram.replyTime(String(5_000_000 + id)).then((at) => {
      latencies.push(at - started);
    });
    pending.push(replied);
    await fetch(target.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
      body: JSON.stringify(update(id)),
    });
    await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond));
  }
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!);
  return { replyP50Ms: at(0.5), replyP95Ms: at(0.95), n: latencies.length };
}

/**
 * Runs one measurement on a fresh emulator and a fresh instance of the target, so one run's reply
 * backlog does not slow the next.
 */
async function measure<T>(
  start: (apiRoot: string) => Promise<Target>,
  what: string,
  run: (target: Target, telegram: Emulator) => Promise<T>,
  reportReplies = false,
): Promise<T> {
  const telegram = await startEmulator(TOKEN, reportReplies);
  try {
    const target = await start(telegram.apiRoot);
    try {
      log(`${target.name}: ${what}…`);
      return await run(target, telegram);
    } finally {
      await target.stop();
    }
  } finally {
    await telegram.stop();
  }
}

const results: Record<string, Record<string, unknown>> = {};
for (const [name, start] of [[echoName, startEcho], [ourName, startOurs]] as const) {
  const max = await measure(start, `max throughput for ${seconds} s`, (target, telegram) => drive(target, telegram));
  const at200 = await measure(start, `200 updates/s for ${seconds} s`, (target, telegram) => drive(target, telegram, 200));
  const at200Paced = await measure(start, `200 updates/s evenly paced for ${seconds} s`, (target) => drivePaced(target, 200));
  const e2e = await measure(start, "end-to-end reply latency at 10 updates/s", (target, telegram) => endToEnd(target, telegram, 50, 10), true);
  results[name] = { max, at200: { ackP50Ms: at200.ackP50Ms, ackP99Ms: at200.ackP99Ms, non2xx: at200.non2xx }, at200Paced, endToEnd: e2e };
}

const [echo, ours] = Object.values(results) as { max: { updatesPerSecond: number } }[];
const summary = { targets: results, throughputRatio: Math.round((ours!.max.updatesPerSecond / echo!.max.updatesPerSecond) * 100) / 100 };
if (values.json) console.log(JSON.stringify(summary));
else {
  for (const [name, result] of Object.entries(results)) log(`\n${name}\n${JSON.stringify(result, null, 2)}`);
  log(`\nthroughput ours / echo bot: ${summary.throughputRatio}`);
}
