import { timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { Operator, OperatorRole } from "../../db/operators.ts";
import { HttpError, httpErrors } from "../errors.ts";

/** The console's session cookie: scoped to /admin, never readable by scripts, never sent by another site. */
export const SESSION_COOKIE = "ocop_admin";

/** Methods that change something: they need the session's CSRF token. */
const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

declare module "fastify" {
  interface FastifyContextConfig {
    /** Who may call the route; a route without it is open to every signed-in operator. */
    roles?: readonly OperatorRole[];
    /** The sign-in route: no session needed yet. */
    public?: boolean;
  }
  interface FastifyRequest {
    operator: Operator | null;
  }
}

/** Cookie attributes; Secure when the console is served over https. */
export function cookieOptions(secure: boolean) {
  return { path: "/admin", httpOnly: true, sameSite: "strict", secure } as const;
}

export const isStateChanging = (request: FastifyRequest) => STATE_CHANGING.has(request.method);

/** The signed-in operator of a route that required a session. */
export function operatorOf(request: FastifyRequest): Operator {
  if (!request.operator) throw new HttpError(401, httpErrors.signedOut());
  return request.operator;
}

/** Whether two tokens are equal, in constant time. */
export function sameToken(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A browser sends Origin with every state-changing request; one naming another site is refused even
 * before the CSRF token is looked at (clients without Origin, such as scripts, still need the token).
 */
export function assertSameOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (!origin) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new HttpError(403, httpErrors.crossOrigin());
  }
  if (host !== request.headers.host) throw new HttpError(403, httpErrors.crossOrigin());
}

/** Refuses with 403 when the operator's role is not among the route's `roles`. */
export function assertRole(request: FastifyRequest): void {
  const roles = request.routeOptions.config.roles;
  if (roles && !roles.includes(operatorOf(request).role)) throw new HttpError(403, httpErrors.forbidden());
}

/** Parses `value` with `schema`, or answers 400 naming each field that is wrong. */
export function parseOr400<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) fields[issue.path.join(".") || "body"] ??= issue.message;
  throw new HttpError(400, httpErrors.invalid(fields));
}

/** For a producer operator, the producer whose data they may see; undefined for everyone else (all). */
export function ownProducer(operator: Operator): string | undefined {
  return operator.role === "producer" ? operator.producerId! : undefined;
}

/** No console answer may be cached by the browser or a proxy. */
export function noStore(reply: FastifyReply): void {
  reply.header("cache-control", "no-store");
}
