import pino from "pino";

/** The project's logger type. */
export type Logger = pino.Logger;

// Anything that can carry a secret or a person's contact details is censored wherever it appears.
const REDACTED_KEYS = ["token", "secret", "apiKey", "api_key", "authorization", "password", "phone", "address", "text"];

// Vietnamese phone numbers as people write them (0912 345 678, +84 912…), wherever they appear in a message.
const PHONE_NUMBER = /(?:\+\s?84|\b84|\b0)(?:[\s.-]?\d){8,10}\b/g;

/** Replaces phone numbers in free text (error messages, log messages) by a mask. */
export function maskPersonalData(text: string): string {
  return text.replace(PHONE_NUMBER, "[phone]");
}

/**
 * Errors are logged without the database's `detail` and `where` (which can quote a whole row with
 * a buyer's phone and address) and with phone numbers masked in their message.
 */
function serializeError(error: Error): Record<string, unknown> {
  const { detail: _detail, where: _where, ...serialized } = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
  if (typeof serialized.message === "string") serialized.message = maskPersonalData(serialized.message);
  if (typeof serialized.stack === "string") serialized.stack = maskPersonalData(serialized.stack);
  return serialized;
}

/**
 * Creates a JSON logger. Logs go to stdout for the service and to stderr (fd 2) for the chat tool,
 * whose stdout carries replies.
 */
export function createLogger(level: string, destination: 1 | 2 | NodeJS.WritableStream = 1): Logger {
  return pino(
    {
      level,
      base: { service: "ocop-bac-ninh" },
      redact: {
        paths: REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
        censor: "[redacted]",
      },
      serializers: { err: serializeError },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === "string" ? maskPersonalData(arg) : arg)) as Parameters<typeof method>);
        },
      },
    },
    typeof destination === "number" ? pino.destination({ fd: destination, sync: destination === 2 }) : destination,
  );
}
