import { randomUUID } from "node:crypto";
import rateLimit from "@fastify/rate-limit";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { chatRequestSchema, describeInvalidRequest, toChatReply } from "../chat-contract.ts";
import { originOf } from "./client-origin.ts";
import { httpErrors } from "./errors.ts";
import type { HttpService } from "./server.ts";

/** How much one client address and one user may send to the public web chat. */
export interface WebChatLimits {
  readonly perAddressPerMinute: number;
  readonly perUserPerMinute: number;
  /** Messages of one user waiting for their answer (one answer at a time per user). */
  readonly queuedPerUser: number;
}

/** Generous for a person typing (a message every few seconds), tight for a script; see `.env.example`. */
export const DEFAULT_WEB_CHAT_LIMITS: WebChatLimits = { perAddressPerMinute: 60, perUserPerMinute: 20, queuedPerUser: 5 };

const MINUTE_MS = 60_000;

/**
 * `POST /api/chat`: `{user, text}` in, the chat contract's reply object out (the web chat uses it).
 * Open to the internet, so it is limited per client address and per user id (429 with Retry-After),
 * and a user's messages are answered one at a time, in order, across instances.
 */
export const chatRoutes: FastifyPluginAsync<{ service: HttpService; limits?: WebChatLimits }> = async (app, { service, limits = DEFAULT_WEB_CHAT_LIMITS }) => {
  await app.register(rateLimit, { global: false });
  const byAddress = app.createRateLimit({ max: limits.perAddressPerMinute, timeWindow: MINUTE_MS, keyGenerator: (request) => `address:${request.ip}` });
  const byUser = app.createRateLimit({ max: limits.perUserPerMinute, timeWindow: MINUTE_MS, keyGenerator: (request) => `user:${userOf(request)}` });
  const turns = service.userTurns(limits.queuedPerUser);
  app.addHook("onClose", async () => turns.close());

  app.post("/api/chat", async (request, reply) => {
    const address = await byAddress(request);
    if (!address.isAllowed && address.isExceeded) return slowDown(reply, address.ttlInSeconds);
    const parsed = chatRequestSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: describeInvalidRequest(parsed.error) });
    const { user, text } = parsed.data;
    const sender = await byUser(request);
    if (!sender.isAllowed && sender.isExceeded) return slowDown(reply, sender.ttlInSeconds);
    const outcome = await turns.run(user, () =>
      service.receive({ channel: "web", eventId: randomUUID(), userId: user, chatId: user, text, receivedAt: new Date(), origin: originOf(request.ip) }),
    );
    if (outcome.kind === "busy") return reply.code(429).header("retry-after", "1").send(httpErrors.oneAtATime());
    // A fresh UUID is never a duplicate; the guard only satisfies the type.
    if (!outcome.value) return reply.code(409).send(httpErrors.duplicate());
    return toChatReply(user, outcome.value);
  });

  // The page asks for replies nobody could push to it (an operator's, after a handoff); each comes once.
  app.get("/api/chat/updates", async (request, reply) => {
    const address = await byAddress(request);
    if (!address.isAllowed && address.isExceeded) return slowDown(reply, address.ttlInSeconds);
    const parsed = updatesQuery.safeParse(request.query);
    if (!parsed.success) return reply.code(400).send({ error: describeInvalidRequest(parsed.error) });
    return { replies: await service.collectReplies(parsed.data.user) };
  });
};

/** A web user's id in a query string: what the page keeps in its local storage. */
const updatesQuery = z.object({ user: z.string().trim().min(1).max(128) });

function slowDown(reply: FastifyReply, seconds: number) {
  const wait = Math.max(1, seconds);
  return reply.code(429).header("retry-after", String(wait)).send(httpErrors.slowDown(wait));
}

/** The user id of a chat request, before validation (the per-user limit runs on what was sent). */
function userOf(request: FastifyRequest): string {
  const body = request.body as { user?: unknown } | undefined;
  return typeof body?.user === "string" ? body.user.trim().slice(0, 128) : "";
}
