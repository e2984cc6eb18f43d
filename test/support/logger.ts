import { createLogger } from "../../adapters/logger.ts";

/** A logger for tests: silent unless TEST_LOG_LEVEL asks for more. */
export const testLogger = createLogger(process.env.TEST_LOG_LEVEL ?? "silent", 2);
