import { timingSafeEqual } from "node:crypto";
import type { FastifyPluginAsync, onRequestAsyncHookHandler } from "fastify";
import { isUpdate, type TelegramChannel } from "../telegram/channel.ts";
import type { ZaloChannel } from "../zalo/channel.ts";

/** The channels that receive updates by webhook (each only when configured for it). */
export interface WebhookChannels {
  readonly telegram?: TelegramChannel;
  readonly zalo?: ZaloChannel;
}

/**
 * An onRequest hook that answers 401 unless the request carries `secret` in `header`: checked in
 * constant time, before the body is even read.
 */
function requireSecret(header: string, secret: string | undefined): onRequestAsyncHookHandler {
  const expected = Buffer.from(secret ?? "");
  return async (request, reply) => {
    const given = request.headers[header.toLowerCase()];
    const matches = secret !== undefined && typeof given === "string" && Buffer.byteLength(given) === expected.length && timingSafeEqual(Buffer.from(given), expected);
    if (!matches) return reply.code(401).send({ error: `wrong or missing ${header}` });
  };
}

/**
 * `POST /webhooks/telegram` and `POST /webhooks/zalo`: check the secret header, record the event
 * and acknowledge at once; answering happens afterwards in the chat worker.
 */
export const webhookRoutes: FastifyPluginAsync<WebhookChannels> = async (app, { telegram, zalo }) => {
  if (telegram) {
    app.post("/webhooks/telegram", { onRequest: requireSecret("X-Telegram-Bot-Api-Secret-Token", telegram.webhookSecret) }, async (request, reply) => {
      if (!isUpdate(request.body)) return reply.code(400).send({ error: "not a Telegram update" });
      await telegram.receive(request.body);
      return reply.code(200).send();
    });
  }
  if (zalo) {
    app.post("/webhooks/zalo", { onRequest: requireSecret("X-Bot-Api-Secret-Token", zalo.webhookSecret) }, async (request) => {
      await zalo.receive(request.body);
      return { message: "OK" };
    });
  }
};
