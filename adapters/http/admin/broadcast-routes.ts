import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import { TOPICS } from "../../../bot/texts/subscriptions.ts";
import { HttpError, httpErrors } from "../errors.ts";
import { operatorOf, parseOr400 } from "./auth.ts";
import type { ConsoleServices } from "./services.ts";

const EDITORS = { roles: ["admin", "editor"] } as const;
/** Channels that can take a message nobody asked for. */
const PUSH_CHANNELS = ["telegram", "zalo", "messenger"] as const;

const topic = z.enum(TOPICS as unknown as ["festivals", "policies", "products"]);
const broadcastBody = z
  .object({
    topic,
    text: z.object({ vi: z.string().trim().min(1).max(2000), en: z.string().trim().min(1).max(2000) }).strict(),
    channels: z.array(z.enum(PUSH_CHANNELS)).min(1, "at least one channel").max(PUSH_CHANNELS.length),
    force: z.boolean().default(false),
  })
  .strict();
const idParams = z.object({ id: z.coerce.number().int().positive() });
const audienceQuery = z.object({ topic });

/**
 * Broadcasts to subscribers: the audience of a topic (the preview), sending (202; queued at once, or at
 * 07:00 after the quiet hours unless an admin forces it) and what each broadcast came to.
 */
export const broadcastRoutes: FastifyPluginAsync<{ services: ConsoleServices }> = async (app, { services }) => {
  const { broadcasts, operators } = services;

  app.get("/broadcasts", { config: EDITORS }, async () => ({ broadcasts: await broadcasts.list() }));

  app.get("/broadcasts/audience", { config: EDITORS }, async (request) => ({ audience: await broadcasts.audience(parseOr400(audienceQuery, request.query).topic) }));

  app.post("/broadcasts", { config: EDITORS }, async (request, reply) => {
    const input = parseOr400(broadcastBody, request.body);
    const operator = operatorOf(request);
    if (input.force && operator.role !== "admin") throw new HttpError(403, httpErrors.forbidden());
    const created = await broadcasts.create({ topic: input.topic, text: input.text, channels: [...new Set(input.channels)], forced: input.force, by: operator.email });
    await operators.audit(operator, { action: "broadcast.create", target: String(created.id), after: { ...input, sendAt: created.sendAt } });
    await broadcasts.dispatchDue();
    return reply.code(202).send({ id: created.id, sendAt: created.sendAt });
  });

  app.get("/broadcasts/:id", { config: EDITORS }, async (request) => {
    const { id } = parseOr400(idParams, request.params);
    const status = await broadcasts.status(id);
    if (!status) throw new HttpError(404, httpErrors.notFound());
    return { broadcast: status };
  });
};
