import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import type { ConsoleServices } from "./services.ts";
import { HttpError, httpErrors } from "../errors.ts";
import { operatorOf, parseOr400 } from "./auth.ts";
import { textMasker } from "./masking.ts";

const CHANNELS = ["telegram", "zalo", "messenger", "web", "cli"] as const;
const DAY_MS = 24 * 60 * 60 * 1000;
/** The dashboard's default range: the last two weeks. */
const DEFAULT_RANGE_DAYS = 14;
const MAX_RANGE_DAYS = 366;

const date = z.coerce.date({ error: "expected a date such as 2026-12-01" });
const listQuery = z.object({ q: z.string().trim().max(200).optional(), channel: z.enum(CHANNELS).optional(), from: date.optional(), to: date.optional() });
const transcriptParams = z.object({ channel: z.enum(CHANNELS), userId: z.string().min(1).max(128) });
const rangeQuery = z
  .object({ from: date.optional(), to: date.optional() })
  .transform(({ from, to }) => {
    const end = to ?? new Date();
    return { from: from ?? new Date(end.getTime() - DEFAULT_RANGE_DAYS * DAY_MS), to: end };
  })
  .refine(({ from, to }) => from < to && to.getTime() - from.getTime() <= MAX_RANGE_DAYS * DAY_MS, { message: `from must be before to, at most ${MAX_RANGE_DAYS} days apart`, path: ["from"] });

/** A `to` given as a bare day means the end of that day. */
const untilEndOf = (to: Date | undefined, raw: unknown) => (to && typeof raw === "string" && /^\d{4}-\d{2}-\d{2}$/.test(raw) ? new Date(to.getTime() + DAY_MS) : to);

const EDITORS = { roles: ["admin", "editor"] } as const;

/**
 * What people asked and how it went: conversations (search, transcript with each turn's intent and
 * sources) and the dashboard's figures. Admins and editors only; editors see personal data masked.
 */
export const conversationRoutes: FastifyPluginAsync<{ services: ConsoleServices }> = async (app, { services }) => {
  const { turns, orders } = services;

  app.get("/conversations", { config: EDITORS }, async (request) => {
    const query = parseOr400(listQuery, request.query);
    const to = untilEndOf(query.to, (request.query as { to?: unknown }).to);
    return { conversations: await turns.conversations({ ...query, ...(to ? { to } : {}) }) };
  });

  app.get("/conversations/:channel/:userId", { config: EDITORS }, async (request) => {
    const { channel, userId } = parseOr400(transcriptParams, request.params);
    const transcript = await turns.transcript(channel, userId);
    if (transcript.length === 0) throw new HttpError(404, httpErrors.notFound());
    const mask = operatorOf(request).role === "admin" ? (text: string) => text : textMasker(await orders.ordersOfBuyer({ channel, userId }, 100));
    return {
      channel,
      userId,
      turns: transcript.map((turn) => ({
        ...turn,
        text: mask(turn.text),
        replies: turn.replies.map((reply) => ({ ...reply, text: mask(reply.text) })),
      })),
    };
  });

  app.get("/stats", { config: EDITORS }, async (request) => {
    const range = parseOr400(rangeQuery, request.query);
    return { from: range.from, to: range.to, ...(await turns.stats(range)) };
  });
};
