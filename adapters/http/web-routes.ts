import { readFileSync } from "node:fs";
import type { FastifyPluginAsync } from "fastify";

/** The web chat's static files, beside this adapter in `adapters/web/public/`. */
const PUBLIC_DIR = new URL("../web/public/", import.meta.url);

/** Served with every file: always revalidate (they change with each deploy), and never guess a content type. */
const COMMON_HEADERS = { "cache-control": "no-cache", "x-content-type-options": "nosniff" } as const;

/** Served with the page: nothing but this origin's own script, style and API; no referrer sent anywhere. */
const PAGE_HEADERS = {
  "content-security-policy": "default-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:",
  "referrer-policy": "no-referrer",
} as const;

const FILES = [
  { route: "/", file: "index.html", type: "text/html; charset=utf-8", page: true },
  { route: "/chat.js", file: "chat.js", type: "text/javascript; charset=utf-8", page: false },
  { route: "/chat.css", file: "chat.css", type: "text/css; charset=utf-8", page: false },
] as const;

/** `GET /` (the web chat page), `GET /chat.js` and `GET /chat.css`: files read once at registration, talking to `POST /api/chat`. */
export const webRoutes: FastifyPluginAsync = async (app) => {
  for (const { route, file, type, page } of FILES) {
    const body = readFileSync(new URL(file, PUBLIC_DIR));
    app.get(route, async (_request, reply) => {
      reply.headers({ ...COMMON_HEADERS, ...(page ? PAGE_HEADERS : {}), "content-type": type });
      return reply.send(body);
    });
  }
};
