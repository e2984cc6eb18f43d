/**
 * The service's entry point (`npm start`): reads the configuration, opens the assistant on PostgreSQL
 * or the embedded database, serves HTTP, and shuts down cleanly on SIGINT/SIGTERM.
 */
import { existsSync } from "node:fs";
import { ConfigError, loadConfig, trustProxyOf, type Config } from "../adapters/config.ts";
import { buildHttpServer } from "../adapters/http/server.ts";
import { warmPool } from "../adapters/db/database.ts";
import { createLogger } from "../adapters/logger.ts";
import { isLostJobCompletion } from "../jobs/lost-completion.ts";
import { knowledgeOptionsFrom, openAssistant, openChannels } from "./compose.ts";

/** SIGTERM ends the process within this long, whatever is still running. */
const SHUTDOWN_DEADLINE_MS = 4500;
/** Waits between attempts to reach the database at start: doubling, at most this long. */
const START_RETRY_MAX_MS = 30_000;

/** Errors that mean the database cannot be reached now (down, restarting, not yet up), not that something is wrong. */
function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "57P03", "57P01"].includes(code ?? "") ||
    /Connection terminated|connect ECONNREFUSED|the database system is starting up/i.test((error as Error).message ?? "");
}

/**
 * Opens the assistant, and while the database cannot be reached, tries again with a clear log line (doubling
 * the wait, up to 30 s) instead of exiting into a crash loop; SIGTERM meanwhile exits at once.
 */
async function withRetries<T>(logger: ReturnType<typeof createLogger>, open: () => Promise<T>): Promise<T> {
  let waitMs = 1000;
  for (;;) {
    try {
      return await open();
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      logger.warn({ retryInMs: waitMs, err: { code: (error as { code?: string }).code, message: (error as Error).message } }, "database unreachable; retrying");
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      waitMs = Math.min(waitMs * 2, START_RETRY_MAX_MS);
    }
  }
}

async function main(config: Config): Promise<void> {
  const logger = createLogger(config.LOG_LEVEL);
  const database = config.DATABASE_URL ? { url: config.DATABASE_URL } : { dataDir: config.DATA_DIR };
  const orderLimits = { channels: ["web" as const], perBuyerPerDay: config.WEB_ORDERS_PER_USER_PER_DAY, perOriginPerDay: config.WEB_ORDERS_PER_ADDRESS_PER_DAY };
  const sessionTimeouts = { idleMinutes: config.ADMIN_SESSION_IDLE_MINUTES, absoluteHours: config.ADMIN_SESSION_HOURS };
  const both = (text: string | undefined) => (text ? { vi: text, en: text } : undefined);
  const hours = both(config.HANDOFF_HOURS);
  const contact = both(config.HANDOFF_CONTACT);
  const handoff = {
    waitMinutes: config.HANDOFF_WAIT_MINUTES,
    idleMinutes: config.HANDOFF_IDLE_MINUTES,
    ...(hours ? { hours } : {}),
    ...(contact ? { contact } : {}),
    ...(config.OPERATORS_TELEGRAM_CHAT_ID ? { operatorsChat: { channel: "telegram", chatId: config.OPERATORS_TELEGRAM_CHAT_ID } } : {}),
  };
  process.on("unhandledRejection", (reason) => {
    if (isLostJobCompletion(reason)) {
      logger.warn({ err: { message: (reason as Error).message } }, "a job's completion was lost with the database connection; it will be handed back");
      return;
    }
    logger.fatal({ err: reason }, "unhandled rejection");
    logger.flush();
    process.exit(1);
  });
  const assistant = await withRetries(logger, () => openAssistant({ database, logger, knowledge: knowledgeOptionsFrom(config), orderLimits, sessionTimeouts, handoff }));
  await warmPool(assistant.db);
  const channels = await openChannels(assistant, config, logger);
  const server = buildHttpServer(assistant, logger, channels?.webhooks, {
    trustProxy: trustProxyOf(config.TRUST_PROXY),
    secureCookies: config.PUBLIC_URL?.startsWith("https://") ?? false,
    webChat: {
      perAddressPerMinute: config.WEB_CHAT_PER_ADDRESS_PER_MINUTE,
      perUserPerMinute: config.WEB_CHAT_PER_USER_PER_MINUTE,
      queuedPerUser: config.WEB_CHAT_QUEUED_PER_USER,
    },
  });
  await server.listen({ port: config.PORT, host: config.HOST });
  // Webhooks are registered only once the server can receive them.
  await channels?.start();
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  logger.info(
    { port, database: assistant.db.kind, dataDir: config.DATABASE_URL ? undefined : config.DATA_DIR },
    `OCOP Bắc Ninh assistant is ready. Chat with it: open http://localhost:${port}/ in a browser, ` +
      `run \`npm run chat\` in a terminal, or POST {"user":"u1","text":"xin chào"} to http://localhost:${port}/api/chat`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    // A second signal (Ctrl-C twice) does not wait for the first to finish.
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, "shutting down");
    // Whatever still runs then (a slow answer, a send retrying through an outage) is cut short: events are in
    // the inbox and replies in the outbox, so the next start finishes them.
    setTimeout(() => {
      logger.warn({ afterMs: SHUTDOWN_DEADLINE_MS }, "shutdown deadline reached; unfinished work stays in the inbox and outbox");
      logger.flush();
      process.exit(0);
    }, SHUTDOWN_DEADLINE_MS).unref();
    try {
      await channels?.stop();
      await server.close();
      await assistant.close();
      logger.info("stopped");
      logger.flush();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, "error while shutting down");
      logger.flush();
      process.exit(1);
    }
  };
  onSignal = (signal) => void shutdown(signal);
}

if (existsSync(".env")) process.loadEnvFile(".env");
// Until the service is up, a signal simply ends the process (while it waits for the database, say); then
// it shuts the service down. One listener for the whole life of the process: a signal is read from the event
// loop only when the loop next polls, which a start running on the embedded database can put off for a
// second or two, and a listener replaced meanwhile would never hear it.
let onSignal: (signal: NodeJS.Signals) => void = () => process.exit(0);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, (received) => onSignal(received));
try {
  await main(loadConfig());
} catch (error) {
  const message = error instanceof ConfigError ? error.message : `failed to start: ${(error as Error).stack ?? error}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
