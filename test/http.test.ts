import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatReply } from "../adapters/chat-contract.ts";
import { BODY_LIMIT_BYTES, buildHttpServer } from "../adapters/http/server.ts";
import { openAssistant, type Assistant } from "../app/compose.ts";
import { testLogger } from "./support/logger.ts";

describe("HTTP server over a real socket", () => {
  let assistant: Assistant;
  let server: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    assistant = await openAssistant({ database: { memory: true }, logger: testLogger });
    server = buildHttpServer(assistant, testLogger);
    base = await server.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await server.close();
    await assistant.close();
  });

  const post = (body: string, contentType = "application/json") =>
    fetch(`${base}/api/chat`, { method: "POST", headers: { "content-type": contentType }, body });

  it("reports health with the database kind", async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "pglite" });
  });

  it("answers /api/chat with the chat contract's reply object", async () => {
    const response = await post(JSON.stringify({ user: "web-1", text: "xin chao" }));
    expect(response.status).toBe(200);
    const reply = (await response.json()) as ChatReply;
    expect(reply).toMatchObject({ user: "web-1", intent: "greeting", sources: [] });
    expect(reply.replies[0]!.text).toContain("Xin chào");
    expect(reply.replies[0]!.buttons.length).toBeGreaterThan(0);
  });

  it("exposes Prometheus metrics that count the traffic", async () => {
    await post(JSON.stringify({ user: "web-2", text: "hello" }));
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toMatch(/ocop_responses_total\{channel="web",intent="greeting"\} [1-9]/);
    expect(text).toMatch(/ocop_http_request_seconds_count\{method="POST",route="\/api\/chat",status="200"\} [1-9]/);
    expect(text).toContain("process_cpu_user_seconds_total");
  });

  it.each([
    ["malformed JSON", "{\"user\": \"x\",", 400, /JSON/],
    ["a missing text", JSON.stringify({ user: "x" }), 400, /"text" must be a string/],
    ["an empty user", JSON.stringify({ user: " ", text: "hi" }), 400, /"user" must not be empty/],
    ["a user with control characters", JSON.stringify({ user: "a\u0000b", text: "hi" }), 400, /control characters/],
    ["an array body", "[1,2]", 400, /expected a JSON object/],
  ])("rejects %s with a clear 4xx", async (_name, body, status, message) => {
    const response = await post(body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
  });

  it("rejects a body over the limit with 413", async () => {
    const response = await post(JSON.stringify({ user: "x", text: "a".repeat(BODY_LIMIT_BYTES) }));
    expect(response.status).toBe(413);
  });

  it("answers an unknown route with 404", async () => {
    const response = await fetch(`${base}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "not found" });
  });

  it("rejects a non-JSON content type with 415", async () => {
    const response = await post("user=x&text=hi", "application/x-www-form-urlencoded");
    expect(response.status).toBe(415);
  });

  it("answers binary-looking and SQL-looking text without failing", async () => {
    for (const text of ["\u0000\u0001\u0002", "'; DROP TABLE inbox; --", "\uFFFD\uFFFD"]) {
      const response = await post(JSON.stringify({ user: "fuzz", text }));
      expect(response.status).toBe(200);
    }
    const { rows } = await assistant.db.pool.query("SELECT count(*)::int AS n FROM inbox WHERE user_id = 'fuzz'");
    expect(rows[0].n).toBe(3);
  });
});
