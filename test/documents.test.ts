/**
 * Knowledge documents edited in the console: added and answered from within seconds, edited with a
 * history and reverted, deleted, refused when malformed; and, across restarts, a console edit standing
 * until the shipped copy of that document changes.
 */
import { randomUUID } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildHttpServer } from "../adapters/http/server.ts";
import { openAssistant, type Assistant } from "../app/compose.ts";
import { CORPUS_DIR } from "../knowledge/corpus.ts";
import { callConsole, signIn as signInConsole, type ConsoleSession } from "./support/console-client.ts";
import { databaseKinds } from "./support/databases.ts";
import { testLogger } from "./support/logger.ts";

const PASSWORD = "correct horse battery";

/** A document as an operator would add it: the corpus's front matter, then Markdown. */
const document = (id: string, body: string) => `---
id: ${id}
title:
  vi: Lịch tiếp dân của tổ thử nghiệm
  en: Reception hours of the test desk
sources:
  - "Thông báo của tổ thử nghiệm"
date: 2026-12-01
aliases:
  - tổ thử nghiệm
---

${body}
`;

const ask = async (assistant: Assistant, text: string) =>
  (await assistant.receive({ channel: "web", eventId: randomUUID(), userId: `asker-${randomUUID()}`, chatId: "c", text, receivedAt: new Date() }))!;

for (const kind of databaseKinds) {
  describe.skipIf(!kind.available)(`knowledge documents in the console on ${kind.label}`, () => {
    let assistant: Assistant;
    let drop: () => Promise<void>;
    let server: FastifyInstance;
    let base: string;
    let session = { cookie: "", csrf: "" };

    beforeAll(async () => {
      const fresh = await kind.create();
      drop = fresh.drop;
      assistant = await openAssistant({ database: fresh.target, logger: testLogger });
      await assistant.console.operators.upsert({ email: "editor@ocop.test", password: PASSWORD, role: "editor" });
      await assistant.console.operators.upsert({ email: "toan@ocop.test", password: PASSWORD, role: "producer", producerId: "co-so-vu-cong-toan" });
      server = buildHttpServer(assistant, testLogger);
      base = await server.listen({ port: 0, host: "127.0.0.1" });
      session = await signIn("editor@ocop.test");
    }, 120_000);
    afterAll(async () => {
      await server?.close();
      await assistant?.close();
      await drop?.();
    });

    const signIn = (email: string) => signInConsole(base, email, PASSWORD);
    const call = (method: string, path: string, body?: unknown, as: ConsoleSession = session) => callConsole(base, as, method, path, body);

    it("lists the shipped documents, and keeps them from producers", async () => {
      const { body } = await call("GET", "/documents");
      expect(body.documents.length).toBeGreaterThan(20);
      expect(body.documents.every((d: { origin: string; status: string }) => d.origin === "shipped" && d.status === "ready")).toBe(true);
      expect((await call("GET", "/documents", undefined, await signIn("toan@ocop.test"))).status).toBe(403);
    });

    it("answers from a document added in the console within 10 seconds, citing it", async () => {
      const started = Date.now();
      const created = await call("POST", "/documents", { markdown: document("to-thu-nghiem", "Tổ thử nghiệm tiếp dân vào sáng thứ Tư hằng tuần, từ 8 giờ đến 11 giờ.") });
      expect(created.status).toBe(201);
      expect(created.body.document).toMatchObject({ id: "to-thu-nghiem", origin: "console" });
      let answer = "";
      while (Date.now() - started < 10_000) {
        answer = (await ask(assistant, "Tổ thử nghiệm tiếp dân vào thứ mấy?")).replies[0]!.text;
        if (/thứ Tư/.test(answer)) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(answer).toMatch(/thứ Tư/);
      expect(answer).toMatch(/Nguồn: .*Lịch tiếp dân của tổ thử nghiệm/);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await call("POST", "/documents", { markdown: document("to-thu-nghiem", "Trùng.") })).status).toBe(409);
    });

    it("keeps the previous version at each save, reverts to it, and refuses malformed or mismatched documents", async () => {
      const edited = await call("PUT", "/documents/to-thu-nghiem", { markdown: document("to-thu-nghiem", "Tổ thử nghiệm tiếp dân vào chiều thứ Sáu hằng tuần, từ 14 giờ đến 16 giờ.") });
      expect(edited.status).toBe(200);
      await assistant.console.documents.settled();
      expect((await ask(assistant, "Tổ thử nghiệm tiếp dân vào thứ mấy?")).replies[0]!.text).toMatch(/thứ Sáu/);
      const { document: stored } = (await call("GET", "/documents/to-thu-nghiem")).body;
      expect(stored.markdown).toMatch(/thứ Sáu/);
      expect(stored.history).toHaveLength(1);
      expect((await call("POST", "/documents/to-thu-nghiem/revert", { version: stored.history[0].version })).status).toBe(200);
      await assistant.console.documents.settled();
      expect((await ask(assistant, "Tổ thử nghiệm tiếp dân vào thứ mấy?")).replies[0]!.text).toMatch(/thứ Tư/);

      expect((await call("PUT", "/documents/to-thu-nghiem", { markdown: "no front matter" })).body.fields.markdown).toMatch(/front matter/);
      expect((await call("PUT", "/documents/to-thu-nghiem", { markdown: document("other-id", "x") })).status).toBe(400);
      expect((await call("PUT", "/documents/no-such-document", { markdown: document("no-such-document", "x") })).status).toBe(404);
      const audit = await assistant.db.pool.query<{ action: string }>("SELECT action FROM audit_log WHERE target = 'to-thu-nghiem' ORDER BY id");
      expect(audit.rows.map((row) => row.action)).toEqual(["document.create", "document.update", "document.revert"]);
    });

    it("stops answering from a deleted document", async () => {
      expect((await call("DELETE", "/documents/to-thu-nghiem")).status).toBe(204);
      await assistant.console.documents.settled();
      expect((await ask(assistant, "Tổ thử nghiệm tiếp dân vào thứ mấy?")).replies[0]!.text).not.toMatch(/thứ Tư|thứ Sáu/);
      expect((await call("GET", "/documents/to-thu-nghiem")).status).toBe(404);
      expect((await call("DELETE", "/documents/to-thu-nghiem")).status).toBe(404);
    });
  });
}

describe("console edits across restarts", () => {
  const dir = mkdtempSync(join(tmpdir(), "ocop-docs-"));
  const corpusDir = join(dir, "corpus");
  const dataDir = join(dir, "data");
  const FILE = "bac-ninh-ocop-so-lieu.md";
  mkdirSync(corpusDir);
  beforeAll(() => {
    for (const file of [FILE, "bac-ninh-ocop-muc-tieu.md"]) copyFileSync(join(CORPUS_DIR, file), join(corpusDir, file));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const open = () => openAssistant({ database: { dataDir }, logger: testLogger, knowledge: { embeddings: "local", corpusDir } });

  it("keeps a console edit until the shipped copy of that document changes, which then wins (the edit stays in the history)", async () => {
    const shipped = readFileSync(join(corpusDir, FILE), "utf8");
    const edited = `${shipped.trimEnd()}\n\nGhi chú của người vận hành: bản sửa trong bảng điều khiển.\n`;
    let assistant = await open();
    expect((await assistant.console.documents.update("bac-ninh-ocop-so-lieu", edited, "editor@ocop.test")).kind).toBe("saved");
    await assistant.console.documents.settled();
    await assistant.close();

    assistant = await open();
    expect((await assistant.console.documents.get("bac-ninh-ocop-so-lieu"))!.markdown).toBe(edited);
    expect((await assistant.console.documents.list()).find((d) => d.id === "bac-ninh-ocop-so-lieu")!.origin).toBe("edited");
    await assistant.close();

    writeFileSync(join(corpusDir, FILE), `${shipped.trimEnd()}\n\nBản mới của tệp gốc.\n`);
    assistant = await open();
    const now = (await assistant.console.documents.get("bac-ninh-ocop-so-lieu"))!;
    expect(now.markdown).toMatch(/Bản mới của tệp gốc/);
    expect(now.origin).toBe("shipped");
    expect(now.history.length).toBeGreaterThanOrEqual(2);
    await assistant.close();
  }, 120_000);
});
