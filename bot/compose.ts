/**
 * The composition root: opens the database, applies migrations and wires the engine's handlers
 * and stores. Every entry point (the service, the chat tool, tests) builds its assistant here.
 */
import { createConversationStore } from "../adapters/db/conversations.ts";
import { openDatabase, type Database, type DatabaseTarget } from "../adapters/db/database.ts";
import { createInbox } from "../adapters/db/inbox.ts";
import { migrate } from "../adapters/db/migrate.ts";
import type { Logger } from "../adapters/logger.ts";
import { createMetrics, type Metrics } from "../adapters/metrics.ts";
import { fallback, inputGuard, languageSwitch, smallTalk } from "./basics.ts";
import { createEngine, receiveOnce, type Engine } from "./engine.ts";
import type { Inbox } from "./ports.ts";
import type { BotResponse, InboundEvent } from "./types.ts";

/** A running assistant: the engine over its database. */
export interface Assistant {
  readonly db: Database;
  readonly engine: Engine;
  readonly inbox: Inbox;
  readonly metrics: Metrics;
  /** Records the event once and answers it; undefined for a duplicate delivery. */
  receive(event: InboundEvent): Promise<BotResponse | undefined>;
  close(): Promise<void>;
}

/** Options for `openAssistant`. */
export interface AssistantOptions {
  readonly database: DatabaseTarget;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly clock?: () => Date;
}

/** Opens the database, migrates it and builds the assistant. */
export async function openAssistant(options: AssistantOptions): Promise<Assistant> {
  const { logger } = options;
  const db = await openDatabase(options.database, (error) => logger.error({ err: error }, "database connection error"));
  try {
    const applied = await migrate(db);
    if (applied.length > 0) logger.info({ migrations: applied, database: db.kind }, "database migrated");
  } catch (error) {
    await db.close();
    throw error;
  }
  const metrics = options.metrics ?? createMetrics();
  const inbox = createInbox(db);
  const engine = createEngine({
    conversations: createConversationStore(db),
    handlers: [inputGuard, languageSwitch, smallTalk, fallback],
    ...(options.clock ? { clock: options.clock } : {}),
  });

  return {
    db,
    engine,
    inbox,
    metrics,
    async receive(event) {
      const stopTimer = metrics.responseSeconds.startTimer({ channel: event.channel });
      const response = await receiveOnce(inbox, engine, event);
      stopTimer();
      if (!response) {
        metrics.duplicateEvents.inc({ channel: event.channel });
        return undefined;
      }
      metrics.inboundEvents.inc({ channel: event.channel });
      metrics.responses.inc({ channel: event.channel, intent: response.intent });
      return response;
    },
    close: () => db.close(),
  };
}
