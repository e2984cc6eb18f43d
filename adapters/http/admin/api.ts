import "@fastify/cookie";
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import type { ConsoleServices } from "./services.ts";
import { MAX_PASSWORD_LENGTH } from "../../db/operators.ts";
import { originOf } from "../client-origin.ts";
import { HttpError, httpErrors } from "../errors.ts";
import { assertRole, assertSameOrigin, cookieOptions, isStateChanging, noStore, operatorOf, parseOr400, sameToken, SESSION_COOKIE } from "./auth.ts";
import { catalogueRoutes } from "./catalogue-routes.ts";
import { conversationRoutes } from "./conversation-routes.ts";
import { broadcastRoutes } from "./broadcast-routes.ts";
import { documentRoutes } from "./document-routes.ts";
import { handoffRoutes } from "./handoff-routes.ts";
import { improvementRoutes } from "./improvement-routes.ts";
import { operatorRoutes } from "./operator-routes.ts";
import { orderRoutes } from "./order-routes.ts";

/** What the console's API needs. */
export interface AdminApiOptions {
  readonly services: ConsoleServices;
  /** Cookies are marked Secure when the service is reached over https. */
  readonly secureCookies: boolean;
}

const signInSchema = z.object({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});

/**
 * `/admin/api`: every route needs a session (cookie) except signing in; every state-changing one the
 * session's CSRF token in `X-CSRF-Token` and no foreign Origin; routes declare the roles they allow.
 */
export const adminApi: FastifyPluginAsync<AdminApiOptions> = async (app, { services, secureCookies }) => {
  const { operators } = services;
  app.decorateRequest("operator", null);

  app.addHook("onRequest", async (request, reply) => {
    noStore(reply);
    if (isStateChanging(request)) assertSameOrigin(request);
    if (request.routeOptions.config.public) return;
    const sessionId = request.cookies[SESSION_COOKIE];
    const session = sessionId ? await operators.session(sessionId) : undefined;
    if (!session) throw new HttpError(401, httpErrors.signedOut());
    if (isStateChanging(request) && !sameToken(request.headers["x-csrf-token"] as string | undefined, session.csrfToken)) {
      throw new HttpError(403, httpErrors.csrf());
    }
    request.operator = session.operator;
  });
  app.addHook("preHandler", async (request) => {
    if (!request.routeOptions.config.public) assertRole(request);
  });

  app.post("/session", { config: { public: true } }, async (request, reply) => {
    const { email, password } = parseOr400(signInSchema, request.body);
    const outcome = await operators.signIn(email, password, originOf(request.ip), request.cookies[SESSION_COOKIE]);
    if (outcome.kind === "limited") {
      return reply.code(429).header("retry-after", String(outcome.retryAfterSeconds)).send(httpErrors.signInLimited(outcome.retryAfterSeconds));
    }
    if (outcome.kind === "refused") return reply.code(401).send(httpErrors.signInRefused());
    await operators.audit(outcome.operator, { action: "session.sign_in", target: outcome.operator.email });
    reply.setCookie(SESSION_COOKIE, outcome.sessionId, cookieOptions(secureCookies));
    return { csrfToken: outcome.csrfToken, operator: publicOperator(outcome.operator) };
  });

  // The pages ask on load who is signed in, and get the CSRF token of the session again.
  app.get("/session", async (request) => {
    const session = (await operators.session(request.cookies[SESSION_COOKIE]!))!;
    return { csrfToken: session.csrfToken, operator: publicOperator(session.operator) };
  });

  app.delete("/session", async (request, reply) => {
    await operators.signOut(request.cookies[SESSION_COOKIE]!);
    await operators.audit(operatorOf(request), { action: "session.sign_out", target: operatorOf(request).email });
    reply.clearCookie(SESSION_COOKIE, cookieOptions(secureCookies));
    return reply.code(204).send();
  });

  await app.register(orderRoutes, { services });
  await app.register(catalogueRoutes, { services });
  await app.register(conversationRoutes, { services });
  await app.register(operatorRoutes, { services });
  await app.register(improvementRoutes, { services });
  await app.register(documentRoutes, { services });
  await app.register(handoffRoutes, { services });
  await app.register(broadcastRoutes, { services });
};

/** What the pages learn of an operator. */
function publicOperator(operator: { email: string; role: string; producerId: string | null }) {
  return { email: operator.email, role: operator.role, producerId: operator.producerId };
}
