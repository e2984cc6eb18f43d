import { randomUUID } from "node:crypto";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Channel } from "../../bot/ports.ts";
import type { BotResponse, InboundEvent, Reply } from "../../bot/types.ts";
import type { UserTurns } from "../db/user-turns.ts";
import type { Metrics } from "../metrics.ts";
import type { Logger } from "../logger.ts";
import { adminRoutes } from "./admin/index.ts";
import { chatRoutes, type WebChatLimits } from "./chat-routes.ts";
import { HttpError, httpErrors } from "./errors.ts";
import { healthRoutes } from "./health-routes.ts";
import { webRoutes } from "./web-routes.ts";
import type { ConsoleServices } from "./admin/services.ts";
import { webhookRoutes } from "./webhook-routes.ts";

/** Largest request body accepted; Telegram and Zalo updates are a few kilobytes. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** What the routes need of the service, and nothing more. */
export interface HttpService {
  /** The one answering pipeline: records the event once and answers it; undefined for a duplicate delivery. */
  receive(event: InboundEvent): Promise<BotResponse | undefined>;
  /** Whether the database answers. */
  health(): Promise<{ readonly ok: boolean; readonly database: string }>;
  readonly metrics: Metrics;
  /** A web user's messages answered one at a time, in order, across instances; at most `maxQueued` waiting. */
  userTurns(maxQueued: number): UserTurns;
  /** Replies waiting for a web chat user (an operator's message); handed over once. */
  collectReplies(userId: string): Promise<readonly Reply[]>;
  readonly console: ConsoleServices;
}

/** What the environment sets for the HTTP server. */
export interface HttpOptions {
  /** Whether (and from which proxies) X-Forwarded-For names the client: Fastify's `trustProxy`. */
  readonly trustProxy?: boolean | string[] | ((address: string, hop: number) => boolean);
  readonly webChat?: WebChatLimits;
  /** The console's session cookie is marked Secure (set when PUBLIC_URL is https). */
  readonly secureCookies?: boolean;
}

/** Builds the HTTP server with every route group registered; the caller listens and closes. */
export function buildHttpServer(service: HttpService, logger: Logger, channels: readonly Channel[] = [], options: HttpOptions = {}): FastifyInstance {
  // Request logging is off: request lines add noise, and /metrics already counts every request.
  // Request ids are ours (a client's X-Request-Id is not trusted): an error body and its log line share one.
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "requestId" }),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: options.trustProxy ?? false,
  });

  app.addHook("onResponse", async (request, reply) => {
    service.metrics.httpRequestSeconds.observe(
      { method: request.method, route: request.routeOptions.url ?? "unmatched", status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  // One error shape for every route: `{error}`; client mistakes keep their 4xx, the rest are logged as 500.
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (error instanceof HttpError) return reply.code(status).send(error.body);
    if (status < 500) return reply.code(status).send({ error: error.message });
    request.log.error({ err: error, route: request.routeOptions.url }, "request failed");
    return reply.code(500).send(httpErrors.internal(request.id));
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(httpErrors.notFound()));

  app.register(healthRoutes, { service });
  app.register(chatRoutes, { service, ...(options.webChat ? { limits: options.webChat } : {}) });
  app.register(webRoutes);
  app.register(adminRoutes, { prefix: "/admin", services: service.console, secureCookies: options.secureCookies ?? false });
  app.register(webhookRoutes, { channels });
  return app;
}
