/**
 * `npm run producer:link -- <producer-id> [--data-dir DIR]`: prints a one-time code that links a
 * producer's Telegram or Zalo chat to the producer (they send the code to the bot). Uses
 * DATABASE_URL, or the embedded database in --data-dir / DATA_DIR (stop the service first: the
 * embedded database takes one process at a time).
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { openAssistant } from "../compose.ts";
import { ConfigError, loadConfig } from "../../adapters/config.ts";
import { createProducerLinkCode } from "../../adapters/db/order-book.ts";
import { createLogger } from "../../adapters/logger.ts";

const USAGE = "usage: npm run producer:link -- <producer-id> [--data-dir DIR]";

if (existsSync(".env")) process.loadEnvFile(".env");
try {
  const { values, positionals } = parseArgs({ options: { "data-dir": { type: "string" } }, allowPositionals: true });
  const producerId = positionals[0];
  if (!producerId || positionals.length > 1) throw new ConfigError("give exactly one producer id");
  const config = loadConfig();
  const assistant = await openAssistant({
    database: config.DATABASE_URL ? { url: config.DATABASE_URL } : { dataDir: values["data-dir"] ?? config.DATA_DIR },
    logger: createLogger("warn", 2),
  });
  try {
    const link = await createProducerLinkCode(assistant.db, producerId);
    if (!link) {
      const known = await assistant.db.pool.query<{ id: string }>("SELECT id FROM producers ORDER BY id");
      throw new ConfigError(`unknown producer id "${producerId}". Known ids:\n${known.rows.map((row) => `  ${row.id}`).join("\n")}`);
    }
    console.log(link.code);
    process.stderr.write(`One-time link code for ${link.producerName}, valid for 7 days: the producer sends it to the bot in their own chat.\n`);
  } finally {
    await assistant.close();
  }
} catch (error) {
  const expected = error instanceof ConfigError || String((error as { code?: string }).code).startsWith("ERR_PARSE_ARGS");
  process.stderr.write(`${expected ? `${(error as Error).message}\n${USAGE}` : (error as Error).stack}\n`);
  process.exit(1);
}
