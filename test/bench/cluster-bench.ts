/**
 * `npm run bench:cluster [-- --instances 3] [--seconds N] [--database-url URL] [--json]`: several instances
 * of the service on one PostgreSQL, under load and faults, checked afterwards against the emulators and
 * the database. The last line of output (with --json, the only line on stdout) is one JSON object.
 *
 * - The instances run `app/main.ts` in webhook mode for Telegram and Zalo, all started at once, all with
 *   the same public URL (the load balancer's), and reach PostgreSQL through a TCP proxy (a child process).
 * - This process is the load balancer and the platforms' delivery: it posts each update to the next
 *   instance in turn; a refused or failed delivery is retried on the next instance with a growing pause,
 *   as Telegram and Zalo retry a webhook. One update in 20 is also delivered to a second instance at the
 *   same moment (a redelivery), and each order is confirmed by two button presses through two instances.
 * - Users hold conversations from the dev set (Vietnamese with and without diacritics, and English), each
 *   waiting for the answer before the next message; some place orders.
 * - Faults, at fixed points of the run: one instance is SIGKILLed and restarted; PostgreSQL "restarts"
 *   (the proxy drops every connection and refuses new ones for a few seconds); the Telegram API answers
 *   every call with 500 for 10 s.
 * - Then the intake is measured: updates from new users posted as fast as they are acknowledged, to one
 *   instance and to all of them, alternately.
 * - At the end, once every event is answered and every reply sent (or a time limit passes), the emulators'
 *   messages are compared with the database's inbox, outbox and orders.
 */
import { fork } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { createScratchDatabase } from "../../adapters/db/scratch-database.ts";
import { DEFAULT_CONCURRENCY } from "../../jobs/chat-worker.ts";
import { freePort } from "../support/free-port.ts";
import { collect, exited, projectRoot, runScript } from "../support/processes.ts";

const { values } = parseArgs({
  options: {
    instances: { type: "string", default: "3" },
    seconds: { type: "string", default: "60" },
    "database-url": { type: "string" },
    "intake-seconds": { type: "string", default: "3" },
    json: { type: "boolean", default: false },
  },
});
const INSTANCES = Number(values.instances);
const SECONDS = Number(values.seconds);
const INTAKE_SECONDS = Number(values["intake-seconds"]);
const postgresUrl = values["database-url"] ?? process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const log = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);
if (!postgresUrl) {
  log("bench:cluster needs PostgreSQL: pass --database-url or set DATABASE_URL");
  process.exit(2);
}
if (!(INSTANCES >= 2) || !(SECONDS >= 20)) {
  log("--instances must be at least 2 and --seconds at least 20");
  process.exit(2);
}

const TELEGRAM_TOKEN = "888:cluster-bench-token";
const ZALO_TOKEN = "889:cluster-bench-token";
const TELEGRAM_SECRET = "cluster-telegram-secret";
const ZALO_SECRET = "cluster-zalo-secret";
const PG_DOWN_MS = 4_000;
const TELEGRAM_DOWN_MS = 10_000;
const DRAIN_LIMIT_MS = 300_000;
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (samples: number[], q: number) => {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
};

// ---------------------------------------------------------------- emulators
interface Sent {
  readonly channel: "telegram" | "zalo";
  readonly chatId: string;
  readonly text: string;
  readonly buttons: boolean;
  readonly at: number;
}
const sent: Sent[] = [];
const sentListeners = new Set<(message: Sent) => void>();
const emulators = fork(fileURLToPath(new URL("./cluster-emulators.ts", import.meta.url)), [], {
  cwd: projectRoot,
  execArgv: ["--import", "tsx"],
  env: { ...process.env, TELEGRAM_TOKEN, ZALO_TOKEN },
});
let nextRequest = 1;
const answers = new Map<number, (message: any) => void>();
const apiRoots = await new Promise<{ telegram: string; zalo: string }>((resolve, reject) => {
  emulators.once("exit", () => reject(new Error("the emulators exited")));
  emulators.on("message", (message: any) => {
    if (message.ready) return resolve(message.ready);
    if (message.sent) {
      sent.push(message.sent);
      for (const listener of sentListeners) listener(message.sent);
      return;
    }
    answers.get(message.id)?.(message);
    answers.delete(message.id);
  });
});
const ask = (request: object) =>
  new Promise<any>((resolve) => {
    const id = nextRequest++;
    answers.set(id, resolve);
    emulators.send({ id, ...request });
  });

// ---------------------------------------------------------------- database, through a proxy that can "restart"
const scratch = await createScratchDatabase(postgresUrl, "ocop_cluster");
const direct = new pg.Pool({ connectionString: scratch.url, max: 2 });
const real = new URL(scratch.url);
const proxyPort = await freePort();
const proxyProcess = fork(fileURLToPath(new URL("./proxy-process.ts", import.meta.url)), [], {
  cwd: projectRoot,
  execArgv: ["--import", "tsx"],
  env: { ...process.env, TARGET_HOST: real.hostname, TARGET_PORT: String(real.port || 5432), PORT: String(proxyPort) },
});
const proxyAnswers = new Map<number, () => void>();
await new Promise<void>((resolve) =>
  proxyProcess.on("message", (message: { ready?: boolean; id?: number }) => {
    if (message.ready) return resolve();
    proxyAnswers.get(message.id!)?.();
    proxyAnswers.delete(message.id!);
  }),
);
const toProxy = (request: { down?: true; up?: true }) =>
  new Promise<void>((resolve) => {
    const id = nextRequest++;
    proxyAnswers.set(id, resolve);
    proxyProcess.send({ id, ...request });
  });
const proxy = { down: () => toProxy({ down: true }), up: () => toProxy({ up: true }) };
const viaProxy = new URL(scratch.url);
viaProxy.host = `127.0.0.1:${proxyPort}`;

// ---------------------------------------------------------------- instances
interface Instance {
  readonly index: number;
  readonly port: number;
  child: ReturnType<typeof runScript>;
  up: boolean;
}
const publicUrl = `http://127.0.0.1:${await freePort()}`; // the load balancer's address, the same for every instance
const instances: Instance[] = [];
const cpuOfGone: { service: number } = { service: 0 };

/** Set when the bench stops the instances; an instance exiting before (and not killed by the bench) crashed. */
let tearingDown = false;
/** Every instance's standard error, for the report of an instance that exits on its own. */
const stderrOf = new Map<number, () => string>();
function spawnInstance(index: number, port: number): Instance["child"] {
  const child = runScript("app/main.ts", [], {
    DATABASE_URL: viaProxy.toString(),
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: publicUrl,
    TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
    TELEGRAM_API_ROOT: apiRoots.telegram,
    ZALO_BOT_TOKEN: ZALO_TOKEN,
    ZALO_WEBHOOK_SECRET: ZALO_SECRET,
    ZALO_API_BASE: apiRoots.zalo,
    LOG_LEVEL: "warn",
  });
  const stderr = collect(child.stderr);
  const stdout = collect(child.stdout);
  stderrOf.set(index, () => stdout.text() + stderr.text());
  child.once("exit", (code, signal) => {
    if (signal !== "SIGKILL" && !tearingDown) {
      crashes.push({ instance: index, code, signal });
      log(`instance ${index} exited (${code ?? signal}):\n${stderrOf.get(index)!().slice(-3000)}`);
    }
  });
  return child;
}
const crashes: { instance: number; code: number | null; signal: NodeJS.Signals | null }[] = [];

async function healthy(instance: Instance, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (instance.child.exitCode !== null) throw new Error(`instance ${instance.index} exited while starting`);
    const status = await fetch(`http://127.0.0.1:${instance.port}/healthz`).then((r) => r.status, () => 0);
    if (status === 200) {
      instance.up = true;
      return;
    }
    await sleep(100);
  }
  throw new Error(`instance ${instance.index} not healthy within ${timeoutMs / 1000} s`);
}

log(`starting ${INSTANCES} instances at once on one PostgreSQL…`);
const startedAt = now();
for (let index = 0; index < INSTANCES; index++) {
  const port = await freePort();
  instances.push({ index, port, child: spawnInstance(index, port), up: false });
}
await Promise.all(instances.map((instance) => healthy(instance))).catch((error) => {
  log([...stderrOf.values()].map((read) => read()).join("\n"));
  throw error;
});
const coldStartSeconds = Math.round((now() - startedAt) / 100) / 10;
log(`all healthy in ${coldStartSeconds} s`);

// ---------------------------------------------------------------- CPU accounting from /proc
const TICK_MS = 10; // USER_HZ is 100 on Linux
function procTimes(pid: number): { own: number; children: number; ppid: number; comm: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    return { ppid: Number(fields[1]), own: (Number(fields[11]) + Number(fields[12])) * TICK_MS, children: (Number(fields[13]) + Number(fields[14])) * TICK_MS, comm };
  } catch {
    return undefined;
  }
}
/** CPU ms used so far by every PostgreSQL process of this machine (the postmaster counts the backends that ended). */
function postgresCpuMs(): number | undefined {
  if (!["127.0.0.1", "localhost", "::1"].includes(real.hostname)) return undefined;
  let total = 0;
  let found = false;
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const times = procTimes(pid);
    if (!times || times.comm !== "postgres") continue;
    found = true;
    total += times.own;
    if (procTimes(times.ppid)?.comm !== "postgres") total += times.children;
  }
  return found ? total : undefined;
}
const serviceCpuMs = () => cpuOfGone.service + instances.reduce((sum, instance) => sum + (procTimes(instance.child.pid!)?.own ?? 0), 0);
/** The last reading of each instance, so an instance that is killed still counts what it used. */
const lastReading = new Map<number, number>();
const sampler = setInterval(() => {
  for (const instance of instances) {
    const own = procTimes(instance.child.pid!)?.own;
    if (own !== undefined) lastReading.set(instance.child.pid!, own);
  }
}, 500);
sampler.unref();

// ---------------------------------------------------------------- delivery, as the platforms and a load balancer do it
interface Delivery {
  readonly channel: "telegram" | "zalo";
  readonly key: string; // the update's identity: update_id or message_id
  readonly chatId: string;
  readonly body: object;
  firstAttempt: number;
  acked?: number;
  /** Every post of it to an instance (epoch ms), redeliveries and retries included. */
  posts?: number[];
}
const deliveries = new Map<string, Delivery>();
const ackLatencies: number[] = [];
let nextInstance = 0;
let nextUpdateId = 1;
let nextZaloMessage = 1;

const pathOf = { telegram: "/webhooks/telegram", zalo: "/webhooks/zalo" } as const;
const headersOf = {
  telegram: { "content-type": "application/json", "x-telegram-bot-api-secret-token": TELEGRAM_SECRET },
  zalo: { "content-type": "application/json", "x-bot-api-secret-token": ZALO_SECRET },
} as const;

function pickInstance(skip?: Instance): Instance {
  for (let tries = 0; tries < instances.length; tries++) {
    const instance = instances[nextInstance++ % instances.length]!;
    if (instance !== skip) return instance;
  }
  return instances[0]!;
}

async function postTo(instance: Instance, delivery: Delivery): Promise<boolean> {
  const started = now();
  (delivery.posts ??= []).push(started);
  try {
    const response = await fetch(`http://127.0.0.1:${instance.port}${pathOf[delivery.channel]}`, {
      method: "POST",
      headers: headersOf[delivery.channel],
      body: JSON.stringify(delivery.body),
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    if (response.status !== 200) return false;
    ackLatencies.push(now() - started);
    delivery.acked ??= now();
    return true;
  } catch {
    return false;
  }
}

/** Delivers until an instance acknowledges: the next instance each time, pausing 0.5, 1, 2… s (at most 8). */
async function deliver(delivery: Delivery, alsoTo?: Instance): Promise<void> {
  deliveries.set(`${delivery.channel}:${delivery.key}`, delivery);
  let target = pickInstance();
  const extra = alsoTo ? postTo(alsoTo === target ? pickInstance(target) : alsoTo, delivery) : Promise.resolve(false);
  for (let attempt = 0; ; attempt++) {
    if (await postTo(target, delivery)) break;
    await sleep(Math.min(8_000, 500 * 2 ** attempt));
    target = pickInstance(target);
  }
  await extra;
}

function telegramText(chatId: number, text: string): Delivery {
  const id = nextUpdateId++;
  const from = { id: chatId, is_bot: false, first_name: "Khách" };
  return {
    channel: "telegram",
    key: String(id),
    chatId: String(chatId),
    firstAttempt: now(),
    body: { update_id: id, message: { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: "private", first_name: "Khách" }, from, text } },
  };
}
function zaloText(chatId: string, text: string): Delivery {
  const id = `cm${nextZaloMessage++}`;
  return {
    channel: "zalo",
    key: id,
    chatId,
    firstAttempt: now(),
    body: { event_name: "message.text.received", message: { message_id: id, date: Date.now(), chat: { id: chatId, chat_type: "PRIVATE" }, from: { id: chatId, display_name: "Khách", is_bot: false }, text } },
  };
}
async function telegramPress(chatId: number): Promise<Delivery> {
  const { update } = await ask({ callback: chatId });
  const id = nextUpdateId++;
  return { channel: "telegram", key: String(id), chatId: String(chatId), firstAttempt: now(), body: { ...update, update_id: id } };
}

/** Resolves with the first message to the chat after `after` (epoch ms), or undefined after `timeoutMs`. */
function replyTo(channel: string, chatId: string, after: number, timeoutMs: number, predicate: (m: Sent) => boolean = () => true): Promise<Sent | undefined> {
  return new Promise((resolve) => {
    const matches = (m: Sent) => m.channel === channel && m.chatId === chatId && m.at >= after && predicate(m);
    const already = sent.find(matches);
    if (already) return resolve(already);
    const listener = (m: Sent) => {
      if (!matches(m)) return;
      sentListeners.delete(listener);
      clearTimeout(timer);
      resolve(m);
    };
    const timer = setTimeout(() => {
      sentListeners.delete(listener);
      resolve(undefined);
    }, timeoutMs);
    sentListeners.add(listener);
  });
}

// ---------------------------------------------------------------- users
const conversations = ["coverage.jsonl", "questions.jsonl", "dialogs.jsonl"].flatMap((file) =>
  readFileSync(new URL(`../eval/conversations/${file}`, import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => (JSON.parse(line) as { turns: { user: string }[] }).turns.map((turn) => turn.user)),
);
/** Conversational updates: when each was first sent, and when its chat next got a message. */
const conversational: { delivery: Delivery; replied?: number }[] = [];
let running = true;
const thinkMs = () => 1_500 + Math.random() * 1_500;

async function converse(channel: "telegram" | "zalo", chat: number) {
  let turn = 0;
  let script = conversations[chat % conversations.length]!;
  while (running) {
    if (turn >= script.length) {
      script = conversations[Math.floor(Math.random() * conversations.length)]!;
      turn = 0;
    }
    const delivery = channel === "telegram" ? telegramText(chat, script[turn++]!) : zaloText(String(chat), script[turn++]!);
    const entry: (typeof conversational)[number] = { delivery };
    conversational.push(entry);
    const redeliver = Math.random() < 0.05 ? pickInstance() : undefined;
    void deliver(delivery, redeliver);
    const reply = await replyTo(channel, delivery.chatId, delivery.firstAttempt, 20_000);
    if (reply) entry.replied = reply.at;
    await sleep(thinkMs());
  }
}

const ORDER_SCRIPT = ["cho mình đặt 2 gói kẹo lạc Trang Toàn", "Nguyễn Văn An", "PHONE", "Số 5 Lý Thái Tổ, phường Kinh Bắc, Bắc Ninh"];
let ordersTried = 0;
let nextPhone = 912_000_000;
async function order(chat: number) {
  while (running) {
    const phone = `0${nextPhone++}`;
    let summary: Sent | undefined;
    for (const line of ORDER_SCRIPT) {
      const delivery = telegramText(chat, line === "PHONE" ? phone : line);
      void deliver(delivery);
      const reply = await replyTo("telegram", String(chat), delivery.firstAttempt, 20_000);
      summary = reply;
      if (!reply) break;
      await sleep(thinkMs());
    }
    if (!running) return;
    if (summary?.buttons) {
      // A double tap on "confirm", the two presses reaching two instances at the same time.
      const [first, second] = [await telegramPress(chat), await telegramPress(chat)];
      const firstTarget = pickInstance();
      ordersTried++;
      await Promise.all([deliver(first, firstTarget), deliver(second, pickInstance(firstTarget))]);
      await replyTo("telegram", String(chat), first.firstAttempt, 20_000, (m) => m.text.includes("DH-"));
    }
    await sleep(thinkMs());
  }
}

// ---------------------------------------------------------------- the run with faults
interface Fault {
  readonly name: string;
  readonly start: number;
  end: number;
}
const faults: Fault[] = [];
const cpuBefore = { service: serviceCpuMs(), postgres: postgresCpuMs() };

async function killAndRestart() {
  const instance = instances.at(-1)!;
  const fault: Fault = { name: `instance ${instance.index} SIGKILLed and restarted`, start: now(), end: 0 };
  faults.push(fault);
  instance.up = false;
  cpuOfGone.service += lastReading.get(instance.child.pid!) ?? 0;
  instance.child.kill("SIGKILL");
  await exited(instance.child);
  instance.child = spawnInstance(instance.index, instance.port);
  await healthy(instance);
  fault.end = now();
}
async function restartPostgres() {
  const fault: Fault = { name: `PostgreSQL restarted (every connection dropped, unreachable ${PG_DOWN_MS / 1000} s)`, start: now(), end: 0 };
  faults.push(fault);
  await proxy.down();
  await sleep(PG_DOWN_MS);
  await proxy.up();
  fault.end = now();
}
async function telegramOutage() {
  const fault: Fault = { name: `Telegram API failing (500) for ${TELEGRAM_DOWN_MS / 1000} s`, start: now(), end: 0 };
  faults.push(fault);
  await ask({ fail: TELEGRAM_DOWN_MS });
  await sleep(TELEGRAM_DOWN_MS);
  fault.end = now();
}

const TELEGRAM_USERS = 36;
const ZALO_USERS = 18;
const ORDER_USERS = 6;
log(`conversations for ${SECONDS} s: ${TELEGRAM_USERS} Telegram and ${ZALO_USERS} Zalo users, ${ORDER_USERS} ordering; faults at 20 %, 45 % and 70 %…`);
const runStart = now();
const users = [
  ...Array.from({ length: TELEGRAM_USERS }, (_, i) => converse("telegram", 7_000_000 + i)),
  ...Array.from({ length: ZALO_USERS }, (_, i) => converse("zalo", 8_000_000 + i)),
  ...Array.from({ length: ORDER_USERS }, (_, i) => order(9_000_000 + i)),
];
const faultRun = (async () => {
  await sleep(SECONDS * 200);
  await killAndRestart();
  await sleep(Math.max(0, runStart + SECONDS * 450 - now()));
  await restartPostgres();
  await sleep(Math.max(0, runStart + SECONDS * 700 - now()));
  await telegramOutage();
})();
await sleep(SECONDS * 1000);
await faultRun;
running = false;
await Promise.all(users);
const conversationEnd = now();

// ---------------------------------------------------------------- intake: one instance against all of them
const intakeStatuses = new Map<string, number>();
const intakeAgent = new Agent({ keepAlive: true, maxSockets: 64 });
/** Posts one update to an instance over a kept-alive connection; resolves with the status or the error's code. */
function post(instance: Instance, delivery: Delivery): Promise<string> {
  return new Promise((resolve) => {
    const body = JSON.stringify(delivery.body);
    const request = httpRequest(
      { host: "127.0.0.1", port: instance.port, path: pathOf[delivery.channel], method: "POST", agent: intakeAgent, headers: { ...headersOf[delivery.channel], "content-length": Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on("end", () => resolve(String(response.statusCode)));
      },
    );
    request.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    request.end(body);
  });
}
/** Updates from new users posted back to back by 24 connections spread over `targets`, for INTAKE_SECONDS. */
async function intake(targets: Instance[]): Promise<{ perSecond: number; ackP99Ms: number }> {
  const latencies: number[] = [];
  let acknowledged = 0;
  const end = now() + INTAKE_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: 24 }, async (_, connection) => {
      const instance = targets[connection % targets.length]!;
      while (now() < end) {
        const delivery = telegramText(6_000_000 + nextUpdateId, "xin chào");
        deliveries.set(`telegram:${delivery.key}`, delivery);
        const started = now();
        const outcome = await post(instance, delivery);
        intakeStatuses.set(outcome, (intakeStatuses.get(outcome) ?? 0) + 1);
        if (outcome !== "200") continue;
        delivery.acked = now();
        latencies.push(delivery.acked - started);
        acknowledged++;
      }
    }),
  );
  log(`  ${targets.length} instance(s): ${acknowledged} acknowledged in ${INTAKE_SECONDS} s`);
  return { perSecond: acknowledged / INTAKE_SECONDS, ackP99Ms: percentile(latencies, 0.99)! };
}
log(`intake: ${INTAKE_SECONDS} s on one instance, then on ${INSTANCES}, twice…`);
const single: number[] = [];
const all: number[] = [];
const intakeP99: number[] = [];
for (let round = 0; round < 2; round++) {
  const one = await intake([instances[0]!]);
  const many = await intake(instances);
  single.push(one.perSecond);
  all.push(many.perSecond);
  intakeP99.push(one.ackP99Ms, many.ackP99Ms);
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

// ---------------------------------------------------------------- drain, then check
log("waiting until every event is answered and every reply sent…");
const drainStart = now();
let pending = { events: -1, replies: -1 };
while (now() - drainStart < DRAIN_LIMIT_MS) {
  const { rows } = await direct.query<{ events: number; replies: number }>(
    `SELECT (SELECT count(*)::int FROM inbox WHERE processed_at IS NULL) AS events,
            (SELECT count(*)::int FROM outbox WHERE delivered_at IS NULL AND abandoned_at IS NULL) AS replies`,
  );
  pending = rows[0]!;
  if (pending.events === 0 && pending.replies === 0) break;
  await sleep(1_000);
}
await sleep(1_500); // the last sends' reports
const drainSeconds = Math.round((now() - drainStart) / 1000);
const cpuAfter = { service: serviceCpuMs(), postgres: postgresCpuMs() };

const processed = (
  await direct.query<{ key: string; skipped: string | null }>("SELECT channel || ':' || event_id AS key, skipped FROM inbox WHERE processed_at IS NOT NULL")
).rows;
const inbox = new Set(processed.map((row) => row.key));
// Kept but deliberately not answered: messages over the per-user flood limit (each chat told to slow down once).
const skippedKeys = processed.filter((row) => row.skipped === "flood").map((row) => row.key);
const floodSkipped = skippedKeys.length;
for (const key of skippedKeys.slice(0, 10)) {
  const delivery = deliveries.get(key);
  if (!delivery) continue;
  // The posts of the chat's updates in the 10 s before: what the flood guard counted.
  const window = [...deliveries.values()]
    .filter((other) => other.channel === delivery.channel && other.chatId === delivery.chatId)
    .flatMap((other) => (other.posts ?? []).map((at) => ({ at, key: other.key })))
    .filter(({ at }) => at <= delivery.posts![0]! && at > delivery.posts![0]! - 10_000);
  log(`flood-skipped: ${key} (chat ${delivery.chatId}) at ${((delivery.firstAttempt - runStart) / 1000).toFixed(1)} s, after ${window.length} posts of ${new Set(window.map((post) => post.key)).size} updates in 10 s`);
}
const acknowledged = [...deliveries.values()].filter((delivery) => delivery.acked !== undefined);
const lost = acknowledged.filter((delivery) => !inbox.has(`${delivery.channel}:${delivery.key}`));
for (const delivery of lost.slice(0, 10)) {
  const at = (time: number | undefined) => (time === undefined ? "-" : `${((time - runStart) / 1000).toFixed(1)} s`);
  log(`lost: ${delivery.channel} ${delivery.key} (chat ${delivery.chatId}), first sent at ${at(delivery.firstAttempt)}, acknowledged at ${at(delivery.acked)}`);
}
if (lost.length > 0) log(`faults: ${faults.map((fault) => `${fault.name} ${((fault.start - runStart) / 1000).toFixed(1)}–${((fault.end - runStart) / 1000).toFixed(1)} s`).join("; ")}`);

// Replies: what the emulators received against what the outbox recorded, per chat and start of text (Zalo
// appends the numbered options to a text; a reply too long for one message arrives in parts, whose later
// parts match no recorded start and are counted apart).
const keyOf = (channel: string, chatId: string, text: string) => `${channel}\u0000${chatId}\u0000${text.slice(0, 60)}`;
const countBy = (keys: string[]) => {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
};
const outbox = (await direct.query<{ channel: string; chat_id: string; text: string }>(
  "SELECT channel, chat_id, reply->>'text' AS text FROM outbox WHERE delivered_at IS NOT NULL",
)).rows;
const recorded = countBy(outbox.map((row) => keyOf(row.channel, row.chat_id, row.text)));
// Zalo has no buttons: the options are appended to the text as a numbered list (withNumberedOptions).
const withoutOptions = (text: string) => text.replace(/\n\n1\. [\s\S]*\(Trả lời bằng số \/ Reply with a number\)$/, "");
const received = countBy(sent.map((m) => keyOf(m.channel, m.chatId, withoutOptions(m.text))));
let duplicateReplies = 0;
let repliesMissing = 0;
let unmatchedMessages = 0;
for (const [key, n] of received) {
  const expected = recorded.get(key);
  if (expected === undefined) unmatchedMessages += n;
  else duplicateReplies += Math.max(0, n - expected);
}
for (const [key, n] of recorded) repliesMissing += Math.max(0, n - (received.get(key) ?? 0));
// Each order attempt of a user gives a new phone number, so one attempt placed twice shows as two orders
// of one chat with one phone and one total.
const orders = (await direct.query<{ n: number; codes: string[]; keys: string[] }>(
  `SELECT count(*)::int AS n, array_agg(code) AS codes, array_agg(idempotency_key) AS keys
   FROM orders GROUP BY buyer_chat_id, phone, total_vnd`,
)).rows;
for (const row of orders.filter((row) => row.n > 1)) log(`orders placed twice: ${row.codes.join(", ")} (drafts ${row.keys.join(", ")})`);
const report = await ask({ report: true });

// An answer that came after the user stopped waiting (20 s) still counts, for the message it answers.
for (const entry of conversational) {
  if (entry.replied !== undefined) continue;
  const { channel, chatId, firstAttempt } = entry.delivery;
  entry.replied = sent.find((m) => m.channel === channel && m.chatId === chatId && m.at >= firstAttempt)?.at;
}
// Recovery: from each fault's end until every conversational message sent before that end had its answer.
const recovery = faults.map((fault) => {
  const before = conversational.filter((entry) => entry.delivery.firstAttempt <= fault.end);
  const unanswered = before.filter((entry) => entry.replied === undefined).length;
  const last = Math.max(fault.end, ...before.map((entry) => entry.replied ?? fault.end));
  return { fault: fault.name, seconds: Math.round((last - fault.end) / 100) / 10, unanswered };
});
const replyLatencies = conversational.filter((entry) => entry.replied !== undefined).map((entry) => entry.replied! - entry.delivery.firstAttempt);
const updates = deliveries.size;
const cpuUsed = { service: cpuAfter.service - cpuBefore.service, postgres: cpuAfter.postgres !== undefined && cpuBefore.postgres !== undefined ? cpuAfter.postgres - cpuBefore.postgres : undefined };

const result = {
  instances: INSTANCES,
  updates,
  answered: acknowledged.length - lost.length - floodSkipped,
  lostEvents: lost.length,
  duplicateReplies,
  // Each chat job sends one reply at a time and marks it sent right after; a kill or a lost connection
  // between the two repeats that one reply when the job runs again. A kill cuts at most one instance's
  // running jobs (its worker concurrency); a database restart, every instance's.
  duplicateReplyBound: DEFAULT_CONCURRENCY * (1 + INSTANCES),
  orders: orders.reduce((sum, row) => sum + row.n, 0),
  doubleConfirmations: ordersTried,
  duplicateOrders: orders.reduce((sum, row) => sum + Math.max(0, row.n - 1), 0),
  faults: faults.map((fault) => fault.name),
  crashes,
  ackP99Ms: percentile(ackLatencies, 0.99),
  replyP95Ms: percentile(replyLatencies, 0.95),
  recoverySeconds: Math.max(...recovery.map((r) => r.seconds)),
  intakeRatio3to1: Math.round((mean(all) / mean(single)) * 100) / 100,
  intakePerSecond: { one: Math.round(mean(single)), all: Math.round(mean(all)) },
  intakeAckP99Ms: Math.max(...intakeP99),
  cpuMsPerUpdate: {
    service: Math.round((cpuUsed.service / updates) * 100) / 100,
    postgres: cpuUsed.postgres === undefined ? null : Math.round((cpuUsed.postgres / updates) * 100) / 100,
  },
  cores: cpus().length,
  details: {
    conversationalUpdates: conversational.length,
    answeredAfter20s: conversational.filter((entry) => entry.replied !== undefined && entry.replied - entry.delivery.firstAttempt > 20_000).length,
    neverAnswered: conversational.filter((entry) => entry.replied === undefined).length,
    intakeStatuses: Object.fromEntries(intakeStatuses),
    repliesMissing,
    unmatchedMessages,
    pendingAtEnd: pending,
    floodSkipped,
    drainSeconds,
    coldStartSeconds,
    recovery,
    webhookRegistrations: report.report,
    conversationSeconds: Math.round((conversationEnd - runStart) / 1000),
  },
};

// ---------------------------------------------------------------- tear down
clearInterval(sampler);
tearingDown = true;
for (const instance of instances) instance.child.kill("SIGTERM");
await Promise.all(instances.map((instance) => exited(instance.child)));
emulators.kill("SIGKILL");
await direct.end();
proxyProcess.kill("SIGKILL");
await scratch.drop();
if (!values.json) log(JSON.stringify(result, null, 2));
console.log(JSON.stringify(result));
process.exit(0);
