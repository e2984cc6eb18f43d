import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import type { ConsoleServices } from "./services.ts";
import type { Order } from "../../../bot/ports.ts";
import { buyerStatusNotice } from "../../../bot/texts/orders.ts";
import type { Operator } from "../../db/operators.ts";
import { HttpError, httpErrors } from "../errors.ts";
import { operatorOf, ownProducer, parseOr400 } from "./auth.ts";
import { maskOrder } from "./masking.ts";

const STATUSES = ["pending", "confirmed", "shipping", "completed", "cancelled"] as const;
/** What an operator may move an order to: the producer's chat commands' statuses. */
const SETTABLE = ["confirmed", "shipping", "completed", "cancelled"] as const;

const listQuery = z.object({ status: z.enum(STATUSES).optional(), producer: z.string().max(100).optional() });
const codeParams = z.object({ code: z.string().regex(/^DH-[A-Z0-9]{5}$/i, "expected an order code like DH-7K3Q9") });
const statusBody = z.object({ status: z.enum(SETTABLE), note: z.string().trim().max(500).optional() }).strict();
const blockBody = z.object({ blocked: z.boolean() }).strict();

const LIST_LIMIT = 200;

/** The buyer's phone and address are shown to admins and to the order's own producer; others see them masked. */
function visible(order: Order, operator: Operator) {
  const shown = operator.role === "admin" || operator.producerId === order.producer.id ? order : maskOrder(order);
  return {
    code: shown.code,
    status: shown.status,
    producerId: shown.producer.id,
    producerName: shown.producer.name,
    channel: shown.buyer.channel,
    total: shown.totalVnd,
    pricesAreSample: shown.pricesAreSample,
    createdAt: shown.createdAt,
    recipientName: shown.recipientName,
    phone: shown.phone,
    address: shown.address,
    language: shown.language,
    lines: shown.lines.map((line) => ({ productId: line.productId, name: line.name, unit: line.unit, quantity: line.quantity, unitPrice: line.unitPriceVnd, lineTotal: line.lineTotalVnd })),
    history: shown.history,
  };
}

/**
 * Orders: the list (a producer sees only their own), one order, a status change with the chat
 * commands' rules and notice, and blocking a buyer. Another producer's order is a 404, as if absent.
 */
export const orderRoutes: FastifyPluginAsync<{ services: ConsoleServices }> = async (app, { services }) => {
  const { orders, operators } = services;

  async function visibleOrder(code: string, operator: Operator): Promise<Order> {
    const own = ownProducer(operator);
    const [found] = await orders.list({ code, ...(own ? { producerId: own } : {}) }, 1);
    if (!found) throw new HttpError(404, httpErrors.notFound());
    return found;
  }

  app.get("/orders", async (request) => {
    const query = parseOr400(listQuery, request.query);
    const operator = operatorOf(request);
    const own = ownProducer(operator);
    if (own && query.producer && query.producer !== own) return { orders: [] };
    const list = await orders.list({ ...(query.status ? { status: query.status } : {}), ...(own ?? query.producer ? { producerId: own ?? query.producer } : {}) }, LIST_LIMIT);
    return { orders: list.map((order) => visible(order, operator)) };
  });

  app.get("/orders/:code", async (request) => {
    const { code } = parseOr400(codeParams, request.params);
    const operator = operatorOf(request);
    return { order: visible(await visibleOrder(code, operator), operator) };
  });

  app.post("/orders/:code/status", async (request, reply) => {
    const { code } = parseOr400(codeParams, request.params);
    const { status, note } = parseOr400(statusBody, request.body);
    const operator = operatorOf(request);
    const order = await visibleOrder(code, operator);
    const change = await orders.changeStatus(code, status, { kind: "producer", producerId: order.producer.id, operator: operator.email }, note, buyerStatusNotice);
    if (!change.ok) {
      if (change.reason === "not_found") throw new HttpError(404, httpErrors.notFound());
      return reply.code(409).send(httpErrors.transitionRefused(change.order.status, status));
    }
    await operators.audit(operator, { action: "order.status", target: order.code, before: { status: order.status }, after: { status, ...(note ? { note } : {}) } });
    return { order: visible(change.order, operator) };
  });

  app.post("/orders/:code/block", async (request) => {
    const { code } = parseOr400(codeParams, request.params);
    const { blocked } = parseOr400(blockBody, request.body);
    const operator = operatorOf(request);
    const order = await visibleOrder(code, operator);
    await orders.blockBuyer(order.code, order.producer.id, blocked);
    await operators.audit(operator, { action: blocked ? "order.block_buyer" : "order.unblock_buyer", target: order.code, after: { producerId: order.producer.id, channel: order.buyer.channel } });
    return { blocked };
  });
};
