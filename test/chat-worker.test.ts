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
});
