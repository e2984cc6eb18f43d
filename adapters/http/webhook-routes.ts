import type { FastifyPluginAsync } from "fastify";
import { isUpdate, type TelegramChannel } from "../telegram/channel.ts";
import type { ZaloChannel } from "../zalo/channel.ts";

/** The channels that receive updates by webhook (each only when configured for it). */
export interface WebhookChannels {
  readonly telegram?: TelegramChannel;
  readonly zalo?: ZaloChannel;
}

/**
 * `POST /webhooks/telegram` and `POST /webhooks/zalo`: check the secret header, record the event
 * and acknowledge at once; answering happens afterwards in the chat worker.
 */
export const webhookRoutes: FastifyPluginAsync<WebhookChannels> = async (app, { telegram, zalo }) => {
  if (telegram) {
    app.post(
      "/webhooks/telegram",
      {
        // Rejected before the body is even read.
        onRequest: async (request, reply) => {
          if (!telegram.hasValidSecret(request.headers["x-telegram-bot-api-secret-token"])) {
            return reply.code(401).send({ error: "wrong or missing X-Telegram-Bot-Api-Secret-Token" });
          }
        },
      },
      async (request, reply) => {
        if (!isUpdate(request.body)) return reply.code(400).send({ error: "not a Telegram update" });
        await telegram.receive(request.body);
        return reply.code(200).send();
      },
    );
  }
  if (zalo) {
    app.post(
      "/webhooks/zalo",
      {
        // Rejected before the body is even read.
        onRequest: async (request, reply) => {
          if (!zalo.hasValidSecret(request.headers["x-bot-api-secret-token"])) {
            return reply.code(401).send({ error: "wrong or missing X-Bot-Api-Secret-Token" });
          }
        },
      },
      async (request) => {
        await zalo.receive(request.body);
        return { message: "OK" };
      },
    );
  }
};
