import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import { HttpError, httpErrors } from "../errors.ts";
import { operatorOf, parseOr400 } from "./auth.ts";
import type { ConsoleServices } from "./services.ts";

const EDITORS = { roles: ["admin", "editor"] } as const;
const CHANNELS = ["telegram", "zalo", "messenger", "web", "cli"] as const;

const conversationParams = z.object({ channel: z.enum(CHANNELS), userId: z.string().min(1).max(128) });
const messageBody = z.object({ text: z.string().trim().min(1, "required").max(2000, "at most 2000 characters") }).strict();

/**
 * Human handoff: the conversations waiting for an operator or held by one; an operator's message (which
 * takes the conversation and reaches the user through their own channel, once); giving it back.
 */
export const handoffRoutes: FastifyPluginAsync<{ services: ConsoleServices }> = async (app, { services }) => {
  const { handoffs, operators } = services;

  app.get("/handoffs", { config: EDITORS }, async () => ({ handoffs: await handoffs.open() }));

  app.post("/conversations/:channel/:userId/messages", { config: EDITORS }, async (request, reply) => {
    const user = parseOr400(conversationParams, request.params);
    const { text } = parseOr400(messageBody, request.body);
    const operator = operatorOf(request);
    if (!(await handoffs.reply(user, text, operator.email))) return reply.code(409).send({ error: "this conversation is not handed to a person" });
    await operators.audit(operator, { action: "handoff.message", target: `${user.channel}:${user.userId}`, after: { text } });
    return reply.code(202).send({ queued: true });
  });

  app.post("/conversations/:channel/:userId/release", { config: EDITORS }, async (request) => {
    const user = parseOr400(conversationParams, request.params);
    const operator = operatorOf(request);
    if (!(await handoffs.release(user, operator.email))) throw new HttpError(404, httpErrors.notFound());
    await operators.audit(operator, { action: "handoff.release", target: `${user.channel}:${user.userId}` });
    return { released: true };
  });
};
