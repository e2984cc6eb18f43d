import pino from "pino";

/** The project's logger type. */
export type Logger = pino.Logger;

// Anything that can carry a secret or a person's contact details is censored wherever it appears.
const REDACTED_KEYS = ["token", "secret", "apiKey", "api_key", "authorization", "password", "phone", "address", "text"];

/**
 * Creates a JSON logger. Logs go to stdout for the service and to stderr (fd 2) for the chat tool,
 * whose stdout carries replies.
 */
export function createLogger(level: string, destination: 1 | 2 = 1): Logger {
  return pino(
    {
      level,
      base: { service: "ocop-bac-ninh" },
      redact: {
        paths: REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
        censor: "[redacted]",
      },
    },
    pino.destination({ fd: destination, sync: destination === 2 }),
  );
}
