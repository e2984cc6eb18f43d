import { randomUUID } from "node:crypto";
import type { FastifyPluginAsync } from "fastify";
import type { Assistant } from "../../bot/compose.ts";
import { chatRequestSchema, describeInvalidRequest, toChatReply } from "../chat-contract.ts";

/** `POST /api/chat`: `{user, text}` in, the chat contract's reply object out (the web chat uses it). */
export const chatRoutes: FastifyPluginAsync<{ assistant: Assistant }> = async (app, { assistant }) => {
  app.post("/api/chat", async (request, reply) => {
    const parsed = chatRequestSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: describeInvalidRequest(parsed.error) });
    const { user, text } = parsed.data;
    const response = await assistant.receive({
      channel: "web",
      eventId: randomUUID(),
      userId: user,
      chatId: user,
      text,
      receivedAt: new Date(),
    });
    // A fresh UUID is never a duplicate; the guard only satisfies the type.
    if (!response) return reply.code(409).send({ error: "duplicate message" });
    return toChatReply(user, response);
  });
};
