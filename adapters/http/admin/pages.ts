import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { FastifyPluginAsync } from "fastify";

/** The console's files, in `adapters/web/admin/`. */
const ADMIN_DIR = new URL("../../web/admin/", import.meta.url);
/** Chart.js's self-contained build, served from this origin (the console loads nothing from elsewhere). */
const CHART_JS = join(dirname(createRequire(import.meta.url).resolve("chart.js")), "chart.umd.min.js");

/** Nothing but this origin's own scripts, styles and API; no inline script or style; never framed. */
const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
} as const;
const COMMON_HEADERS = { "cache-control": "no-cache", "x-content-type-options": "nosniff" } as const;

const FILES = [
  { route: "/", body: () => readFileSync(new URL("index.html", ADMIN_DIR)), type: "text/html; charset=utf-8", page: true },
  { route: "/admin.js", body: () => readFileSync(new URL("admin.js", ADMIN_DIR)), type: "text/javascript; charset=utf-8", page: false },
  { route: "/admin.css", body: () => readFileSync(new URL("admin.css", ADMIN_DIR)), type: "text/css; charset=utf-8", page: false },
  { route: "/chart.js", body: () => readFileSync(CHART_JS), type: "text/javascript; charset=utf-8", page: false },
] as const;

/** `GET /admin` (the console, one page) and its script, style and chart library, read once at registration. */
export const adminPages: FastifyPluginAsync = async (app) => {
  for (const { route, body, type, page } of FILES) {
    const content = body();
    app.get(route, async (_request, reply) => reply.headers({ ...COMMON_HEADERS, ...(page ? PAGE_HEADERS : {}), "content-type": type }).send(content));
  }
};
