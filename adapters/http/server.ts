import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Assistant } from "../../bot/compose.ts";
import type { Logger } from "../logger.ts";
import { chatRoutes } from "./chat-routes.ts";
import { healthRoutes } from "./health-routes.ts";
import { webRoutes } from "./web-routes.ts";
import { webhookRoutes, type WebhookChannels } from "./webhook-routes.ts";

/** Largest request body accepted; Telegram and Zalo updates are a few kilobytes. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Builds the HTTP server with every route group registered; the caller listens and closes. */
export function buildHttpServer(assistant: Assistant, logger: Logger, channels: WebhookChannels = {}): FastifyInstance {
  // Request logging is off: request lines add noise, and /metrics already counts every request.
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    logController: new LogController({ disableRequestLogging: true }),
  });

  app.addHook("onResponse", async (request, reply) => {
    assistant.metrics.httpRequestSeconds.observe(
      { method: request.method, route: request.routeOptions.url ?? "unmatched", status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  // One error shape for every route: `{error}`; client mistakes keep their 4xx, the rest are logged as 500.
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status < 500) return reply.code(status).send({ error: error.message });
    request.log.error({ err: error, route: request.routeOptions.url }, "request failed");
    return reply.code(500).send({ error: "internal error" });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: "not found" }));

  app.register(healthRoutes, { assistant });
  app.register(chatRoutes, { assistant });
  app.register(webRoutes);
  app.register(webhookRoutes, channels);
  return app;
}
