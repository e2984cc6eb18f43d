/**
 * The chat worker's job queue with a deep backlog: a flood of new users leaves one waiting job per
 * chat, and taking the next one must read it from an index rather than sort the whole backlog.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { startChatWorker } from "../jobs/chat-worker.ts";
import { assistantOn } from "./support/assistant.ts";
import { databaseKinds } from "./support/databases.ts";
import { testLogger } from "./support/logger.ts";

const BACKLOG = 20_000;

/** The query pg-boss 10 runs to take the next job (the part that chooses it). */
const FETCH_NEXT = `SELECT id, singleton_key, policy FROM pgboss.job
  WHERE name = 'chat' AND state < 'active' AND start_after < now()
  ORDER BY priority DESC, created_on, id LIMIT 1 FOR UPDATE SKIP LOCKED`;

interface PlanNode {
  readonly "Node Type": string;
  readonly Plans?: readonly PlanNode[];
}
const nodeTypes = (node: PlanNode): string[] => [node["Node Type"], ...(node.Plans ?? []).flatMap(nodeTypes)];

describe.each(databaseKinds)("chat queue backlog on $label", (kind) => {
  const assistantFor = assistantOn(kind);
  beforeAll(async () => {
    if (!kind.available) return;
    // Starting the worker sets up the queue; it is stopped so that the backlog below stays waiting.
    const { db, engine, inbox, metrics } = assistantFor();
    const worker = await startChatWorker({ db, engine, inbox, senders: [], logger: testLogger, metrics });
    await worker.stop();
  });

  it.skipIf(!kind.available)(`takes the oldest of ${BACKLOG} waiting chats from an index, without sorting them`, async () => {
    const assistant = assistantFor();
    await assistant.db.pool.query(
      `INSERT INTO pgboss.job (name, data, policy, singleton_key, created_on)
       SELECT 'chat', jsonb_build_object('channel', 'telegram', 'chatId', g::text), 'stately', 'telegram:' || g,
              now() - interval '1 hour' + g * interval '1 ms'
       FROM generate_series(1, $1::int) AS g`,
      [BACKLOG],
    );
    await assistant.db.pool.query("ANALYZE pgboss.job");
    const { rows } = await assistant.db.pool.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${FETCH_NEXT}`);
    const nodes = nodeTypes(rows[0]!["QUERY PLAN"][0].Plan);
    expect(nodes).not.toContain("Sort");
    expect(nodes).toContain("Index Scan");
    const next = await assistant.db.pool.query<{ singleton_key: string }>(FETCH_NEXT);
    expect(next.rows[0]!.singleton_key).toBe("telegram:1");
    expect(await assistant.metrics.registry.getSingleMetricAsString("ocop_chats_waiting")).toContain(`ocop_chats_waiting ${BACKLOG}`);
  });
});

describe.skipIf(!databaseKinds[1]!.available)("the sweep across instances on PostgreSQL", () => {
  const assistantFor = assistantOn(databaseKinds[1]!);

  it("runs on one instance at a time: another instance's sweep is skipped while one holds it", async () => {
    const { db, engine, inbox, metrics } = assistantFor();
    const first = await startChatWorker({ db, engine, inbox, senders: [], logger: testLogger, metrics, sweepIntervalMs: 3_600_000 });
    const second = await startChatWorker({ db, engine, inbox, senders: [], logger: testLogger, metrics, sweepIntervalMs: 3_600_000 });
    try {
      expect(await first.sweep()).toBe(true);
      // Another instance holding the sweep's lock (as during a long sweep) makes this one skip.
      const holder = await db.pool.connect();
      try {
        await holder.query("SELECT pg_advisory_lock(4726023)");
        expect(await second.sweep()).toBe(false);
        await holder.query("SELECT pg_advisory_unlock(4726023)");
      } finally {
        holder.release();
      }
      expect(await second.sweep()).toBe(true);
    } finally {
      await first.stop();
      await second.stop();
    }
  }, 60_000);

  it("hands back at once a chat job left active by an instance that is gone, and only that one", async () => {
    const { db, engine, inbox, metrics } = assistantFor();
    const worker = await startChatWorker({ db, engine, inbox, senders: [], logger: testLogger, metrics, sweepIntervalMs: 3_600_000 });
    const activeJob = async (chatId: string, startedSecondsAgo: number) => {
      const { rows } = await db.pool.query<{ id: string }>(
        `INSERT INTO pgboss.job (name, data, state, started_on, singleton_key, policy, retry_limit, retry_delay, retry_backoff)
         VALUES ('chat', $1, 'active', now() - make_interval(secs => $2), $3, 'stately', 12, 2, true) RETURNING id`,
        [{ channel: "telegram", chatId }, startedSecondsAgo, `telegram:${chatId}`],
      );
      return rows[0]!.id;
    };
    try {
      const orphan = await activeJob("71", 60); // its instance was killed a minute ago
      const justTaken = await activeJob("72", 2); // taken a moment ago: its instance has not said so yet
      const servedElsewhere = await activeJob("73", 60); // a live instance is serving it
      await db.pool.query("INSERT INTO service_instances (id, seen_at, jobs) VALUES (gen_random_uuid(), now(), $1::uuid[])", [[servedElsewhere]]);
      expect(await worker.reclaim()).toBe(1);
      const { rows } = await db.pool.query<{ id: string; state: string }>("SELECT id, state FROM pgboss.job WHERE id = ANY ($1::uuid[])", [[orphan, justTaken, servedElsewhere]]);
      expect(Object.fromEntries(rows.map((row) => [row.id, row.state]))).toEqual({ [orphan]: "retry", [justTaken]: "active", [servedElsewhere]: "active" });
      expect(await worker.reclaim()).toBe(0);
    } finally {
      await worker.stop();
    }
  }, 60_000);
});
