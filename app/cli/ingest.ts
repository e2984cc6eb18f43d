/**
 * `npm run ingest`: brings the knowledge index of the configured database (DATABASE_URL, or the
 * embedded one in DATA_DIR) in line with knowledge/corpus, touching only changed documents.
 * The service also does this on every start.
 */
import { existsSync } from "node:fs";
import { knowledgeOptionsFrom, openAssistant } from "../compose.ts";
import { ConfigError, loadConfig } from "../../adapters/config.ts";
import { createLogger } from "../../adapters/logger.ts";

if (existsSync(".env")) process.loadEnvFile(".env");
try {
  const config = loadConfig();
  const assistant = await openAssistant({
    database: config.DATABASE_URL ? { url: config.DATABASE_URL } : { dataDir: config.DATA_DIR },
    logger: createLogger(config.LOG_LEVEL, 2),
    knowledge: knowledgeOptionsFrom(config),
  });
  await assistant.close();
  console.log(JSON.stringify(assistant.ingest));
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : (error as Error).stack}\n`);
  process.exit(1);
}
