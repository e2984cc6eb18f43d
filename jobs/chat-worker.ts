/**
 * The chat worker: answers recorded inbound events and delivers the outbox, one pg-boss job per chat.
 *
 * A channel only records an event (deduplicated in the inbox) and schedules its chat; the job then
 * answers every pending event of that chat in order and sends every undelivered reply in order.
 * The queue is "stately" with the chat as key, so a chat has at most one job waiting and one running:
 * replies keep their order, and a failed send is retried with backoff (the failing reply blocks the
 * later ones of that chat only). A sweep reschedules chats left with work after a restart.
 */
import { randomUUID } from "node:crypto";
import PgBoss from "pg-boss";
import { createFloodGuard, type FloodGuard, type FloodVerdict } from "../bot/flood-guard.ts";
import type { Engine } from "../bot/engine.ts";
import { INTERNAL_ERROR_TEXT, SLOW_DOWN_TEXT } from "../bot/messages.ts";
import { ChatUnreachableError, type ChannelSender, type Inbox } from "../bot/ports.ts";
import type { ChannelName, InboundEvent } from "../bot/types.ts";
import type { Database } from "../adapters/db/database.ts";
import { createDeliveryStore, type ChatKey } from "../adapters/db/delivery.ts";
import { exclusiveOn } from "../adapters/db/exclusive.ts";
import { createSharedFloodGuard } from "../adapters/db/flood-counts.ts";
import { createServiceInstances, HEARTBEAT_MS } from "../adapters/db/service-instances.ts";
import type { Logger } from "../adapters/logger.ts";
import type { Metrics } from "../adapters/metrics.ts";

const QUEUE = "chat";
const REMINDER_QUEUE = "reminder";
/**
 * "Typing…" is shown only for an answer that takes longer than this: an instant answer needs none
 * (Telegram asks bots to use it only when a reply will take noticeable time), and each one is a call.
 */
const TYPING_AFTER_MS = 300;
/** Telegram and Zalo show "typing…" for about 5 s, so a slow answer renews it. */
const TYPING_RENEW_MS = 4_000;
/** Work loops woken for each batch of newly scheduled chats. */
const WAKE_PER_BATCH = 2;

/** Serialises instances that start at once while they add the index below. */
const FETCH_INDEX_LOCK_KEY = 4_726_020;

/**
 * pg-boss 10 (the last release for Node 20) has no index in the order it fetches jobs in (priority,
 * then age), so every fetch sorted the whole backlog: 150 ms a job at 70,000 waiting chats, which
 * held a flood of new users to a few dozen answers a second and took the database's CPU from the
 * webhook. Later pg-boss releases, which need Node 22, replaced their fetch index (timgit/pg-boss#885);
 * until then this adds one on the parent table, which PostgreSQL copies to every queue's partition.
 */
async function addJobFetchIndex(db: Database): Promise<void> {
  await db.transaction(async (client) => {
    await client.query("SELECT pg_advisory_xact_lock($1)", [FETCH_INDEX_LOCK_KEY]);
    // Checked first because creating it, even "if not exists", locks the job table against inserts.
    const { rows } = await client.query<{ index: string | null }>("SELECT to_regclass('pgboss.job_fetch_in_order') AS index");
    if (rows[0]!.index) return;
    await client.query("CREATE INDEX job_fetch_in_order ON pgboss.job (name, priority DESC, created_on, id) WHERE state < 'active'");
  });
}

/**
 * Instances sharing PostgreSQL count a user's messages there, so a load balancer spreading a flood
 * over them does not multiply the limit; the embedded database has one process, which counts in memory.
 */
function floodGuardFor(db: Database, limits: { readonly limit: number; readonly windowMs: number }): FloodGuard {
  if (db.kind === "postgres") return createSharedFloodGuard(db, limits);
  const guard = createFloodGuard(limits);
  return { check: async (message) => guard.check(message) };
}

/** A chat's key in the queue: its job's singleton key. */
const keyOf = (chat: ChatKey) => `${chat.channel}:${chat.chatId}`;

/** Options of the chat worker. */
// Any constant works; it only has to be the same for every instance of the service.
const SWEEP_LOCK_KEY = 4_726_023;

/** Chats one instance serves at the same time unless told otherwise: also the most replies one instance has mid-send. */
export const DEFAULT_CONCURRENCY = 8;

/** How long stopping waits for jobs in progress; the service must exit within 5 s of SIGTERM. */
const STOP_TIMEOUT_MS = 2500;

export interface ChatWorkerOptions {
  readonly db: Database;
  readonly engine: Engine;
  readonly inbox: Inbox;
  readonly senders: readonly ChannelSender[];
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** First retry delay of a failed job; doubles on each retry. */
  readonly retryDelaySeconds?: number;
  /** How often to look for chats left with work (after a crash, or retries exhausted). */
  readonly sweepIntervalMs?: number;
  /** Chats served at the same time by this instance. */
  readonly concurrency?: number;
  /** Per-user flood limit: messages per window. */
  readonly flood?: { readonly limit: number; readonly windowMs: number };
  /** Told of a chat that can no longer be written to, with the broadcasts whose messages to it were given up. */
  readonly onUnreachable?: (chat: ChatKey, broadcasts: readonly number[]) => Promise<void>;
}

/** What happened to an inbound event handed to `accept`. */
export type Acceptance = "accepted" | "duplicate" | FloodVerdict;

/** A running chat worker. */
export interface ChatWorker {
  /** Records the event (once) and schedules its chat; resolves before any answer is computed. */
  accept(event: InboundEvent): Promise<Acceptance>;
  /** Delivers the chats' queued notices now rather than at the next sweep. */
  wake(chats: readonly ChatKey[]): void;
  /** Sends `text` to the chat at `at` (through the outbox, like any reply); one message per `key`. */
  remind(chat: ChatKey, at: Date, text: string, key: string): Promise<void>;
  /** Reschedules chats left with unanswered events or unsent replies now; false when another instance is at it. */
  sweep(): Promise<boolean>;
  /** Says this instance is alive, and hands back the chat jobs no live instance serves; resolves with how many. */
  reclaim(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts pg-boss on the service's own database and the worker that serves the chat queue. */
export async function startChatWorker(options: ChatWorkerOptions): Promise<ChatWorker> {
  const { db, engine, inbox, logger, metrics } = options;
  const store = createDeliveryStore(db);
  const senders = new Map<ChannelName, ChannelSender>(options.senders.map((sender) => [sender.channel, sender]));
  const flood = floodGuardFor(db, options.flood ?? { limit: 8, windowMs: 10_000 });

  // pg-boss runs its SQL through our pool, so it works the same on PostgreSQL and the embedded PGlite.
  const boss = new PgBoss({
    db: { executeSql: (text, values) => db.pool.query(text, values) },
    schema: "pgboss",
    // Expired jobs (a worker that died mid-job) are found by this maintenance pass.
    maintenanceIntervalSeconds: 30,
  });
  boss.on("error", (error) => logger.error({ err: error }, "job queue error"));
  await boss.start();
  // Instances starting together on a new database would deadlock creating the queues' partitions.
  await exclusiveOn(db)("job queues", async () => {
    await addJobFetchIndex(db);
    await boss.createQueue(QUEUE, {
      name: QUEUE,
      policy: "stately",
      retryLimit: 12,
      retryDelay: options.retryDelaySeconds ?? 2,
      retryBackoff: true,
      // A backstop: a job still "active" this long is retried (the heartbeat below hands back a lost instance's sooner).
      expireInSeconds: 120,
    });
    await boss.createQueue(REMINDER_QUEUE, { name: REMINDER_QUEUE, retryLimit: 5, retryDelay: 30, retryBackoff: true });
  });
  if (db.kind === "pglite") {
    // The embedded database has one process (its directory is locked), so any job still active
    // was cut short by a crash or kill of this service: hand it back now rather than after expiry.
    const { rows } = await db.pool.query<{ id: string }>("SELECT id FROM pgboss.job WHERE name = $1 AND state = 'active'", [QUEUE]);
    if (rows.length > 0) await boss.fail(QUEUE, rows.map((row) => row.id));
  }

  metrics.countChatsWaitingWith(async () => {
    const { rows } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state < 'active'", [QUEUE]);
    return rows[0]!.n;
  });

  const workerIds: string[] = [];
  let nextWorker = 0;
  const schedule = async (chats: readonly ChatKey[]) => {
    if (chats.length === 0) return;
    // One insert for many chats; the stately queue drops a job whose chat already has one waiting.
    await boss.insert(chats.map((chat) => ({ name: QUEUE, data: { channel: chat.channel, chatId: chat.chatId }, singletonKey: keyOf(chat) })));
    // Wake a loop or two rather than one per chat: each woken loop keeps taking jobs until the queue is
    // empty, and waking all of them at once makes a burst of work that delays webhook acknowledgements.
    for (let i = 0; i < Math.min(chats.length, WAKE_PER_BATCH, workerIds.length); i++) {
      boss.notifyWorker(workerIds[nextWorker++ % workerIds.length]!);
    }
  };

  // Accepted events are scheduled after the webhook is acknowledged, together with the others accepted
  // in the same turn of the event loop (the events of one inbox write): the event is already recorded,
  // and a crash before scheduling is caught by the sweep.
  const waiting = new Map<string, ChatKey>();
  let flushPending: NodeJS.Immediate | undefined;
  const scheduleSoon = (chat: ChatKey) => {
    waiting.set(keyOf(chat), chat);
    flushPending ??= setImmediate(() => {
      flushPending = undefined;
      const chats = [...waiting.values()];
      waiting.clear();
      schedule(chats).catch((error) => logger.error({ err: error }, "scheduling chats failed; the sweep will retry"));
    });
  };

  /** Runs `work`, showing "typing…" in the chat if it takes noticeable time. */
  async function typingWhile<T>(chat: ChatKey, sender: ChannelSender, work: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout;
    const show = () => {
      void sender.typing(chat.chatId).catch(() => {});
      timer = setTimeout(show, TYPING_RENEW_MS);
    };
    timer = setTimeout(show, TYPING_AFTER_MS);
    try {
      return await work();
    } finally {
      clearTimeout(timer);
    }
  }

  async function answerPending(chat: ChatKey, sender: ChannelSender): Promise<void> {
    for (const event of await store.pendingEvents(chat)) {
      try {
        // The engine is the answering pipeline: it records the turn and counts it in the metrics.
        const response = await typingWhile(chat, sender, () => engine.respond(event));
        await store.saveReplies(event, response.replies);
      } catch (error) {
        // One event the engine cannot answer must not block the chat forever.
        logger.error({ err: error, channel: chat.channel }, "answering an event failed");
        await store.saveReplies(event, [{ text: INTERNAL_ERROR_TEXT }]);
      }
    }
  }

  async function deliverPending(chat: ChatKey, sender: ChannelSender): Promise<void> {
    // Replies queued while these are sent (a notice from another chat) are left to the job that queued them.
    for (const next of await store.undelivered(chat)) {
      try {
        await sender.send(chat.chatId, next.reply);
      } catch (error) {
        if (error instanceof ChatUnreachableError) {
          // Nothing more can reach this chat: drop what waits for it, and let the service forget it (subscriptions).
          const broadcasts = await store.abandon(chat, error.message);
          logger.info({ channel: chat.channel, broadcasts }, "chat unreachable; its replies are given up");
          await options.onUnreachable?.(chat, broadcasts);
          return;
        }
        metrics.sendFailures.inc({ channel: chat.channel });
        await store.markFailed(next.id, (error as Error).message);
        logger.warn({ channel: chat.channel, outboxId: next.id, err: { message: (error as Error).message } }, "send failed; will retry");
        throw error;
      }
      await store.markDelivered(next.id);
      metrics.repliesSent.inc({ channel: chat.channel });
    }
  }

  // The chat jobs this instance is serving now, told to the other instances by the heartbeat below.
  const serving = new Set<string>();
  const serveChat = async ([job]: PgBoss.Job<ChatKey>[]) => {
    const chat = job!.data;
    const sender = senders.get(chat.channel);
    if (!sender) return logger.warn({ channel: chat.channel }, "no sender for channel; work left pending");
    serving.add(job!.id);
    try {
      await answerPending(chat, sender);
      await deliverPending(chat, sender);
    } finally {
      serving.delete(job!.id);
    }
  };
  // Each work() loop serves one chat at a time; several let a slow chat (throttled, or in an outage)
  // not hold up the others. The stately queue never gives one chat to two loops at once.
  for (let i = 0; i < (options.concurrency ?? DEFAULT_CONCURRENCY); i++) {
    let id: string | undefined;
    // A loop that has just served a chat looks for the next one at once instead of sleeping until its poll.
    id = await boss.work<ChatKey>(QUEUE, { pollingIntervalSeconds: 2, batchSize: 1 }, (jobs) =>
      serveChat(jobs).finally(() => id && boss.notifyWorker(id)),
    );
    workerIds.push(id);
  }

  await boss.work<{ chat: ChatKey; text: string }>(REMINDER_QUEUE, { pollingIntervalSeconds: 5 }, async ([job]) => {
    await store.enqueueReply(job!.data.chat, { text: job!.data.text });
    await schedule([job!.data.chat]);
  });

  // A chat with a job waiting, retrying or running needs no other: offering every chat of a deep backlog
  // again on each sweep would cost the database as much as the backlog itself.
  const sweepOnce = async () => {
    const { rows } = await db.pool.query<{ key: string }>("SELECT singleton_key AS key FROM pgboss.job WHERE name = $1 AND state <= 'active'", [QUEUE]);
    const queued = new Set(rows.map((row) => row.key));
    await schedule((await store.chatsWithPendingWork([...senders.keys()])).filter((chat) => !queued.has(keyOf(chat))));
  };
  /**
   * One instance sweeps at a time (the sweep covers every chat, whichever instance served it): a session
   * lock on a connection of its own, held while the sweep uses others. The embedded database has one
   * process, and one connection that the lock would hold, so it sweeps without. Resolves false when skipped.
   */
  const sweep = async (): Promise<boolean> => {
    if (db.kind !== "postgres") return sweepOnce().then(() => true);
    const client = await db.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [SWEEP_LOCK_KEY]);
      if (!rows[0]!.locked) return false;
      try {
        await sweepOnce();
        return true;
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [SWEEP_LOCK_KEY]);
      }
    } finally {
      client.release();
    }
  };
  /**
   * On PostgreSQL, a chat job left "active" by an instance that was killed, or whose completion was lost
   * with the database connection, would hold its chat until the queue's expiry (minutes). Each instance
   * lists the jobs it serves every 2 s, and a job listed by no live instance for 6 s is failed then,
   * so it is retried. (The embedded database has one process: its start hands back what a crash left.)
   */
  const instances = db.kind === "postgres" ? createServiceInstances(db, randomUUID()) : undefined;
  const reclaim = async (): Promise<number> => {
    if (!instances) return 0;
    await instances.heartbeat([...serving]);
    const orphans = await instances.orphans(QUEUE);
    if (orphans.length === 0) return 0;
    await boss.fail(QUEUE, orphans);
    logger.warn({ jobs: orphans.length }, "chat jobs of a lost instance handed back");
    return orphans.length;
  };
  const heartbeat = instances
    ? setInterval(() => reclaim().catch((error) => logger.warn({ err: { message: (error as Error).message } }, "heartbeat failed")), HEARTBEAT_MS)
    : undefined;
  heartbeat?.unref();

  await sweep();
  const sweeper = setInterval(() => sweep().catch((error) => logger.error({ err: error }, "sweep failed")), options.sweepIntervalMs ?? 60_000);
  sweeper.unref();

  return {
    async accept(event) {
      const verdict = await flood.check(event);
      const chat = { channel: event.channel, chatId: event.chatId };
      // Over the limit, the event is still recorded (as skipped, never answered): acknowledged means kept.
      if (!(await inbox.record(event, verdict === "accept" ? undefined : "flood"))) {
        metrics.duplicateEvents.inc({ channel: event.channel });
        return "duplicate";
      }
      if (verdict === "drop") return verdict;
      if (verdict === "warn") await store.enqueueReply(chat, { text: SLOW_DOWN_TEXT });
      else metrics.inboundEvents.inc({ channel: event.channel });
      scheduleSoon(chat);
      return verdict === "accept" ? "accepted" : verdict;
    },
    wake(chats) {
      for (const chat of chats) if (senders.has(chat.channel)) scheduleSoon(chat);
    },
    async remind(chat, at, text, key) {
      await boss.send(REMINDER_QUEUE, { chat, text }, { startAfter: at, singletonKey: key });
    },
    sweep,
    reclaim,
    async stop() {
      clearInterval(sweeper);
      clearInterval(heartbeat);
      clearImmediate(flushPending);
      // A job still sending (a channel in an outage, retrying) is not waited for long: what it has not
      // delivered stays in the outbox, and the next start delivers it.
      await boss.stop({ graceful: true, wait: true, timeout: STOP_TIMEOUT_MS });
      await instances?.leave().catch(() => {});
    },
  };
}
