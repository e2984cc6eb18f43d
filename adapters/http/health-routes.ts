import type { FastifyPluginAsync } from "fastify";
import type { HttpService } from "./server.ts";

/** `GET /healthz` (database reachable: 200, else 503) and `GET /metrics` (Prometheus text). */
export const healthRoutes: FastifyPluginAsync<{ service: HttpService }> = async (app, { service }) => {
  app.get("/healthz", async (_request, reply) => {
    const health = await service.health();
    return reply.code(health.ok ? 200 : 503).send({ status: health.ok ? "ok" : "unavailable", database: health.database });
  });

  app.get("/metrics", async (_request, reply) => {
    reply.type(service.metrics.registry.contentType);
    return service.metrics.registry.metrics();
  });
};
