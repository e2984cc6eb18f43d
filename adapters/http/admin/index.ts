import cookie from "@fastify/cookie";
import type { FastifyPluginAsync } from "fastify";
import { adminApi, type AdminApiOptions } from "./api.ts";
import { adminPages } from "./pages.ts";

/** The operator console under `/admin`: its pages and, under `/admin/api`, the JSON API they use. */
export const adminRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, options) => {
  await app.register(cookie);
  await app.register(adminPages);
  await app.register(adminApi, { ...options, prefix: "/api" });
};
