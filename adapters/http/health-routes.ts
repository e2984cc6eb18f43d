import type { FastifyPluginAsync } from "fastify";
import type { Assistant } from "../../bot/compose.ts";

/** `GET /healthz` (database reachable) and `GET /metrics` (Prometheus text). */
export const healthRoutes: FastifyPluginAsync<{ assistant: Assistant }> = async (app, { assistant }) => {
  app.get("/healthz", async (_request, reply) => {
    try {
      await assistant.db.pool.query("SELECT 1");
      return { status: "ok", database: assistant.db.kind };
    } catch {
      return reply.code(503).send({ status: "unavailable", database: assistant.db.kind });
    }
  });

  app.get("/metrics", async (_request, reply) => {
    reply.type(assistant.metrics.registry.contentType);
    return assistant.metrics.registry.metrics();
  });
};
