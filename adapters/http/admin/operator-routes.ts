import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import type { ConsoleServices } from "./services.ts";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, OPERATOR_ROLES } from "../../db/operators.ts";
import { HttpError, httpErrors } from "../errors.ts";
import { operatorOf, parseOr400 } from "./auth.ts";

const ADMINS = { roles: ["admin"] } as const;

const newOperator = z
  .object({
    email: z.email("expected an email address").max(254),
    password: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(MAX_PASSWORD_LENGTH),
    role: z.enum(OPERATOR_ROLES as [string, ...string[]]).transform((role) => role as (typeof OPERATOR_ROLES)[number]),
    producerId: z.string().min(1).max(100).optional(),
  })
  .strict()
  .refine((input) => (input.role === "producer") === (input.producerId !== undefined), { message: "a producer id is given for the producer role, and only for it", path: ["producerId"] });
const idParams = z.object({ id: z.coerce.number().int().positive() });
const operatorChange = z.object({ disabled: z.boolean() }).strict();

/** Operators and the audit log: admins only. Passwords are never returned nor written to the log. */
export const operatorRoutes: FastifyPluginAsync<{ services: ConsoleServices }> = async (app, { services }) => {
  const { operators, catalogue } = services;

  app.get("/operators", { config: ADMINS }, async () => ({ operators: await operators.list() }));

  app.post("/operators", { config: ADMINS }, async (request, reply) => {
    const input = parseOr400(newOperator, request.body);
    if (input.producerId && !(await catalogue.producers()).some((producer) => producer.id === input.producerId)) {
      throw new HttpError(400, httpErrors.invalid({ producerId: "unknown producer" }));
    }
    const { created, operator } = await operators.upsert(input);
    await operators.audit(operatorOf(request), {
      action: created ? "operator.create" : "operator.update",
      target: operator.email,
      after: { role: operator.role, producerId: operator.producerId, password: "(set)" },
    });
    return reply.code(created ? 201 : 200).send({ operator });
  });

  app.patch("/operators/:id", { config: ADMINS }, async (request) => {
    const { id } = parseOr400(idParams, request.params);
    const { disabled } = parseOr400(operatorChange, request.body);
    const self = operatorOf(request);
    if (id === self.id && disabled) throw new HttpError(400, httpErrors.invalid({ disabled: "you cannot disable yourself" }));
    const changed = await operators.setDisabled(id, disabled);
    if (!changed) throw new HttpError(404, httpErrors.notFound());
    const target = (await operators.list()).find((operator) => operator.id === id)!;
    await operators.audit(self, { action: "operator.disable", target: target.email, before: { disabled: changed.before }, after: { disabled } });
    return { operator: target };
  });

  app.get("/audit", { config: ADMINS }, async () => ({ entries: await operators.auditLog() }));
};
