import { z } from "zod";

const optionalText = z.string().trim().min(1).optional();
const httpUrl = z.url({ protocol: /^https?$/, error: "expected an http(s) URL" });

const schema = z
  .object({
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/, error: "expected a postgres:// or postgresql:// URL" })
      .optional(),
    DATA_DIR: z.string().trim().min(1).default("./.data"),
    PORT: z.coerce
      .number({ error: "expected a port number" })
      .int("expected a whole number")
      .min(0, "expected a port from 0 to 65535")
      .max(65535, "expected a port from 0 to 65535")
      .default(3000),
    HOST: z.string().trim().min(1).default("0.0.0.0"),
    // Telegram and Zalo only call https URLs; plain http is allowed for a local stand-in of their APIs.
    PUBLIC_URL: z
      .url({ protocol: /^https?$/, error: "expected the public https:// URL of this service" })
      .refine((url) => url.startsWith("https://") || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/|$)/.test(url), {
        message: "expected the public https:// URL of this service (http only for localhost)",
      })
      .optional(),
    TELEGRAM_BOT_TOKEN: z
      .string()
      .trim()
      .regex(/^\d+:[\w-]+$/, "expected a Telegram bot token like 123456:ABC-def")
      .optional(),
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .regex(/^[\w-]{1,256}$/, "expected 1-256 characters from A-Z a-z 0-9 _ -")
      .optional(),
    TELEGRAM_API_ROOT: httpUrl.default("https://api.telegram.org"),
    ZALO_BOT_TOKEN: z
      .string()
      .trim()
      .regex(/^\d+:\S+$/, "expected a Zalo bot token like 123456789:abcXYZ")
      .optional(),
    ZALO_WEBHOOK_SECRET: z.string().min(8, "expected 8-256 characters").max(256, "expected 8-256 characters").optional(),
    ZALO_API_BASE: httpUrl.default("https://bot-api.zaloplatforms.com"),
    MESSENGER_PAGE_ACCESS_TOKEN: z.string().trim().regex(/^\S{20,}$/, "expected a page access token from the Meta app's dashboard").optional(),
    MESSENGER_APP_SECRET: z.string().trim().regex(/^[0-9a-fA-F]{16,64}$/, "expected the Meta app secret (hexadecimal)").optional(),
    MESSENGER_VERIFY_TOKEN: z.string().trim().min(8, "expected 8-256 characters").max(256, "expected 8-256 characters").optional(),
    MESSENGER_API_BASE: httpUrl.default("https://graph.facebook.com/v21.0"),
    OPENAI_API_KEY: optionalText,
    OPENAI_BASE_URL: httpUrl.optional(),
    OPENAI_CHAT_MODEL: z.string().trim().min(1).default("gpt-4o-mini"),
    OPENAI_EMBEDDING_MODEL: z.string().trim().min(1).default("text-embedding-3-small"),
    OPENAI_TIMEOUT_MS: z.coerce.number({ error: "expected milliseconds" }).int().min(100).max(120_000).default(8000),
    EMBEDDINGS: z.enum(["local", "openai"], { error: "expected local or openai" }).default("local"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    // The public web chat: generous for a person typing, tight for a script.
    WEB_CHAT_PER_ADDRESS_PER_MINUTE: z.coerce.number({ error: "expected a number of messages" }).int().min(1).max(100_000).default(60),
    WEB_CHAT_PER_USER_PER_MINUTE: z.coerce.number({ error: "expected a number of messages" }).int().min(1).max(100_000).default(20),
    WEB_CHAT_QUEUED_PER_USER: z.coerce.number({ error: "expected a number of messages" }).int().min(1).max(1000).default(5),
    WEB_ORDERS_PER_USER_PER_DAY: z.coerce.number({ error: "expected a number of orders" }).int().min(0).max(10_000).default(5),
    WEB_ORDERS_PER_ADDRESS_PER_DAY: z.coerce.number({ error: "expected a number of orders" }).int().min(0).max(100_000).default(20),
    // The operator console's sessions: ended after this long without use, and after this long at most.
    ADMIN_SESSION_IDLE_MINUTES: z.coerce.number({ error: "expected minutes" }).int().min(1).max(24 * 60).default(30),
    ADMIN_SESSION_HOURS: z.coerce.number({ error: "expected hours" }).int().min(1).max(24 * 30).default(12),
    // Handing a conversation to a person: how long it may wait for an operator, and an operator stay silent, before
    // the assistant takes over again; what users are told (office hours, whom to call); the operators' Telegram chat.
    HANDOFF_WAIT_MINUTES: z.coerce.number({ error: "expected minutes" }).int().min(1).max(24 * 60).default(10),
    HANDOFF_IDLE_MINUTES: z.coerce.number({ error: "expected minutes" }).int().min(1).max(24 * 60).default(30),
    HANDOFF_HOURS: z.string().trim().min(3).max(200).optional(),
    HANDOFF_CONTACT: z.string().trim().min(3).max(300).optional(),
    OPERATORS_TELEGRAM_CHAT_ID: z.string().trim().regex(/^-?\d{1,20}$/, "expected a Telegram chat id such as -1001234567890").optional(),
    // Behind a reverse proxy: "true" (trust every hop), a hop count, or proxy addresses/CIDRs separated by commas.
    TRUST_PROXY: z
      .string()
      .trim()
      .regex(/^(true|false|\d{1,2}|[\d.:a-fA-F/]+(\s*,\s*[\d.:a-fA-F/]+)*)$/, "expected true, false, a hop count or proxy addresses separated by commas")
      .default("false"),
  })
  .superRefine((env, ctx) => {
    // A webhook without a secret would accept updates from anyone who finds the URL.
    if (env.PUBLIC_URL && env.TELEGRAM_BOT_TOKEN && !env.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({ code: "custom", path: ["TELEGRAM_WEBHOOK_SECRET"], message: "required when PUBLIC_URL and TELEGRAM_BOT_TOKEN are set" });
    }
    if (env.EMBEDDINGS === "openai" && !env.OPENAI_API_KEY) {
      ctx.addIssue({ code: "custom", path: ["OPENAI_API_KEY"], message: "required when EMBEDDINGS=openai" });
    }
    // Messenger only receives by webhook: every post is signed with the app secret, and the subscription is confirmed with the verify token.
    for (const key of ["MESSENGER_APP_SECRET", "MESSENGER_VERIFY_TOKEN"] as const) {
      if (env.MESSENGER_PAGE_ACCESS_TOKEN && !env[key]) ctx.addIssue({ code: "custom", path: [key], message: "required when MESSENGER_PAGE_ACCESS_TOKEN is set" });
    }
    if (env.PUBLIC_URL && env.ZALO_BOT_TOKEN && !env.ZALO_WEBHOOK_SECRET) {
      ctx.addIssue({ code: "custom", path: ["ZALO_WEBHOOK_SECRET"], message: "required when PUBLIC_URL and ZALO_BOT_TOKEN are set" });
    }
  });

/** The service's validated configuration. */
export type Config = z.infer<typeof schema>;

/** Thrown when the environment holds a missing or malformed value; the message names each variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * Reads and validates the configuration from environment variables. Empty values count as unset,
 * so a copied `.env.example` with blanks works as is.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new ConfigError(`invalid configuration:\n${problems.join("\n")}`);
}

/** Fastify's `trustProxy` from TRUST_PROXY: whether, and from which proxies, X-Forwarded-For names the client. */
export function trustProxyOf(value: string): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (value === "true") return true;
  if (value === "false") return false;
  // N hops: the N nearest proxies are trusted, whatever their address.
  if (/^\d{1,2}$/.test(value)) return (_address, hop) => hop < Number(value);
  return value.split(",").map((address) => address.trim());
}
