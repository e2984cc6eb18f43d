import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import type { ConsoleServices } from "./services.ts";
import { PRODUCT_GROUPS, type Product, type ProductGroup } from "../../../knowledge/catalogue.ts";
import type { ChangeRecorder } from "../../db/catalogue.ts";
import type { Operator } from "../../db/operators.ts";
import { HttpError, httpErrors } from "../errors.ts";
import { operatorOf, ownProducer, parseOr400 } from "./auth.ts";

const name = z.string().trim().min(2, "at least 2 characters").max(120, "at most 120 characters");
const unit = z.string().trim().min(1, "required").max(30, "at most 30 characters");
const price = z.number({ error: "expected a price in đồng" }).int("expected whole đồng").min(0, "cannot be negative").max(1_000_000_000, "too large");
const stars = z.number().int().min(1, "OCOP stars are 1 to 5").max(5, "OCOP stars are 1 to 5").nullable();

const idParams = z.object({ id: z.string().min(1).max(100) });

const productChange = z
  .object({ price, available: z.boolean(), stars, name, nameEn: name, unit, unitEn: unit })
  .partial()
  .strict()
  .refine((change) => Object.keys(change).length > 0, "nothing to change");

const newProduct = z
  .object({
    id: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,79}$/, "lower-case letters, digits and dashes").optional(),
    producerId: z.string().min(1).max(100),
    name,
    nameEn: name,
    aliases: z.array(z.string().trim().min(2).max(80)).max(20).default([]),
    group: z.enum(Object.keys(PRODUCT_GROUPS) as [ProductGroup, ...ProductGroup[]]),
    stars: stars.default(null),
    unit,
    unitEn: unit,
    price,
    available: z.boolean().default(true),
    source: z.string().trim().min(2).max(300).default("Nhập từ bảng điều khiển / entered in the console"),
  })
  .strict();

/** A product as the console shows it. */
function view(product: Product) {
  const { priceVnd, ...rest } = product;
  return { ...rest, price: priceVnd };
}

/** A readable id from a name: "Gạo nếp cái hoa vàng" → "gao-nep-cai-hoa-vang". */
function slug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
}

/**
 * The catalogue: list, add and edit products. A producer sees and edits only their own; an edit is
 * one transaction with its audit entry, and chat answers and new orders read the new values at once.
 */
export const catalogueRoutes: FastifyPluginAsync<{ services: ConsoleServices }> = async (app, { services }) => {
  const { catalogue, operators } = services;
  const recorder =
    (operator: Operator, action: string): ChangeRecorder =>
    (client, before, after) =>
      operators.audit(operator, { action, target: after.id, before: before && view(before), after: view(after) }, client);

  app.get("/products", async (request) => {
    const own = ownProducer(operatorOf(request));
    const producers = await catalogue.producers();
    return {
      products: (await catalogue.list(own)).map(view),
      producers: own ? producers.filter((producer) => producer.id === own) : producers,
      groups: Object.entries(PRODUCT_GROUPS).map(([id, group]) => ({ id, vi: group.vi, en: group.en })),
    };
  });

  app.post("/products", async (request, reply) => {
    const input = parseOr400(newProduct, request.body);
    const operator = operatorOf(request);
    const own = ownProducer(operator);
    if (own && input.producerId !== own) throw new HttpError(404, httpErrors.notFound());
    const created = await catalogue.create(
      { ...input, id: input.id ?? slug(input.name), priceVnd: input.price, aliases: input.aliases },
      recorder(operator, "product.create"),
    );
    if (created.kind === "exists") return reply.code(409).send(httpErrors.exists("a product with this id"));
    if (created.kind === "unknown_producer") throw new HttpError(400, httpErrors.invalid({ producerId: "unknown producer" }));
    return reply.code(201).send({ product: view(created.product) });
  });

  app.patch("/products/:id", async (request) => {
    const { id } = parseOr400(idParams, request.params);
    const { price: priceVnd, ...change } = parseOr400(productChange, request.body);
    const operator = operatorOf(request);
    const updated = await catalogue.update(id, { ...change, ...(priceVnd !== undefined ? { priceVnd } : {}) }, recorder(operator, "product.update"), ownProducer(operator));
    if (!updated) throw new HttpError(404, httpErrors.notFound());
    return { product: view(updated) };
  });
};
