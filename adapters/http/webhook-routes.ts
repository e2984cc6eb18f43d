import type { FastifyPluginAsync } from "fastify";
import type { Channel } from "../../bot/ports.ts";
import { httpErrors } from "./errors.ts";

/**
 * The webhook of every channel that has one, at the path it names: the request's secret or signature is
 * checked against the raw bytes before the body is even parsed (401/403, nothing recorded), the body
 * becomes events that are recorded, and the platform is answered at once; answering happens afterwards
 * in the chat worker. A channel with a subscription handshake (Messenger) also answers it on GET.
 */
export const webhookRoutes: FastifyPluginAsync<{ channels: readonly Channel[] }> = async (app, { channels }) => {
  // Signatures are computed over the exact bytes sent, so the body is kept raw until it is verified.
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) => done(null, body));

  for (const channel of channels) {
    const webhook = channel.webhook;
    if (!webhook) continue;
    app.post(webhook.path, async (request, reply) => {
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const verdict = webhook.verify({ headers: request.headers, rawBody });
      if (!verdict.ok) return reply.code(verdict.status).send({ error: verdict.error });
      let body: unknown;
      try {
        body = JSON.parse(rawBody.toString("utf8"));
      } catch {
        return reply.code(400).send(httpErrors.malformed());
      }
      const answer = await webhook.receive(body);
      return answer.body === undefined ? reply.code(answer.status).send() : reply.code(answer.status).send(answer.body);
    });
    if (webhook.handshake) {
      app.get(webhook.path, async (request, reply) => {
        const answer = webhook.handshake!(request.query as Record<string, unknown>);
        return reply.code(answer.status).type("text/plain; charset=utf-8").send(answer.body ?? "");
      });
    }
  }
};
