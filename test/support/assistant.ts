/**
 * A suite's assistant on a fresh database of one kind: opened before the suite's tests and closed
 * (its PostgreSQL database dropped) after them. Nothing is opened when the kind is unavailable.
 */
import { afterAll, beforeAll } from "vitest";
import { openAssistant, type Assistant } from "../../app/compose.ts";
import type { DatabaseKind } from "./databases.ts";
import { testLogger } from "./logger.ts";

/** Registers the suite's hooks; the returned getter gives the assistant once the suite runs. */
export function assistantOn(kind: DatabaseKind): () => Assistant {
  let assistant: Assistant | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (!kind.available) return;
    const fresh = await kind.create();
    drop = fresh.drop;
    assistant = await openAssistant({ database: fresh.target, logger: testLogger });
  }, 120_000);
  afterAll(async () => {
    await assistant?.close();
    await drop?.();
  });
  return () => assistant!;
}
