/**
 * The improvement loop over the console's API, on PGlite and PostgreSQL: turns flagged with their
 * reasons, the inbox grouping them with the conversation around, and the three actions — a curated
 * answer (then matched before anything else, for a paraphrase too), an example of an intent, out of
 * scope — each taking effect at the next message and audited. Also the threshold's calibration.
 */
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildHttpServer } from "../adapters/http/server.ts";
import { openAssistant, type Assistant } from "../app/compose.ts";
import { calibrateCurated, loadParaphrases } from "../bot/curated-calibration.ts";
import { CURATED_THRESHOLD, questionSimilarity } from "../bot/curated.ts";
import { knowledgeHandler } from "../bot/features/knowledge.ts";
import { flagReasons } from "../bot/flags.ts";
import type { Turn } from "../bot/turn.ts";
import { understand } from "../bot/understanding/signals.ts";
import type { QuestionAnswerer } from "../knowledge/answer.ts";
import type { BotResponse } from "../bot/types.ts";
import { fold } from "../knowledge/vietnamese.ts";
import { callConsole, signIn as signInConsole, type ConsoleSession } from "./support/console-client.ts";
import { databaseKinds } from "./support/databases.ts";
import { testLogger } from "./support/logger.ts";

const PASSWORD = "correct horse battery";
const OFFICE_HOURS = "Văn phòng OCOP tỉnh mở cửa mấy giờ?";

describe("why a turn is flagged", () => {
  const response = (intent: string, understanding?: BotResponse["understanding"]): BotResponse => ({ replies: [], intent, sources: [], language: "vi", ...(understanding ? { understanding } : {}) });
  const at = new Date("2026-12-02T03:00:00Z");

  it("flags 'did you mean', weak guesses, close readings, don't-know and domain questions taken as off-topic", () => {
    expect(flagReasons("x", response("clarify"), at)).toContain("unsure");
    expect(flagReasons("x", response("question", { intent: "knowledge", score: 0.3, candidates: [], by: "fallback" }), at)).toContain("unsure");
    expect(flagReasons("x", response("product_price", { intent: "product_price", score: 0.5, candidates: [{ intent: "product_price", score: 0.5 }, { intent: "product_stars", score: 0.4 }], by: "router" }), at)).toEqual(["close_candidates"]);
    expect(flagReasons("x", response("unknown"), at)).toEqual(["dont_know"]);
    expect(flagReasons("x", response("festival_unknown"), at)).toEqual(["dont_know"]);
    const offTopic = (runnerUp: number) => response("off_topic", { intent: "out_of_scope", score: 0.6, candidates: [{ intent: "out_of_scope", score: 0.6 }, { intent: "festival_date", score: runnerUp }], by: "router" });
    expect(flagReasons("x", offTopic(0.3), at)).toEqual(["off_topic_domain"]);
    expect(flagReasons("x", offTopic(0.05), at)).toEqual([]);
    expect(flagReasons("Hội Lim ngày nào?", response("festival_date", { intent: "festival_date", score: 0.95, candidates: [{ intent: "festival_date", score: 0.95 }], by: "router" }), at)).toEqual([]);
  });

  it("flags a question asked again right after, not one asked again the next hour or a different one", () => {
    const answered = response("question", { intent: "knowledge", score: 0.9, candidates: [], by: "router" });
    const previous = { text: OFFICE_HOURS, intent: "question", at: new Date(at.getTime() - 60_000) };
    expect(flagReasons("van phong ocop tinh mo cua may gio vay", answered, at, previous)).toContain("asked_again");
    expect(flagReasons("van phong ocop tinh mo cua may gio vay", answered, at, { ...previous, at: new Date(at.getTime() - 3_600_000) })).toEqual([]);
    expect(flagReasons("Hội Lim năm 2027 ngày nào?", answered, at, previous)).toEqual([]);
  });
});

describe("two unanswered questions in a row", () => {
  it("offers a person instead of the menu the second time", async () => {
    const unknown: QuestionAnswerer = { answer: async () => ({ kind: "unknown" }) };
    const handler = knowledgeHandler(unknown);
    const lexicon = { products: [], villages: [], festivals: [] };
    const turn = (lastIntent?: string) =>
      ({ event: {} as never, signals: understand("hỏi gì đó không có trong tài liệu", lexicon), language: "vi", now: new Date(), state: { dialogs: [], turns: 1, ...(lastIntent ? { lastIntent } : {}) }, lexicon }) as unknown as Turn;
    const first = await handler(turn("greeting"));
    expect(first.replies.at(-1)!.buttons).not.toContain("Gặp nhân viên");
    const second = await handler(turn("unknown"));
    expect(second.intent).toBe("unknown");
    expect(second.replies.at(-1)).toEqual({ text: "Mình chưa trả lời được câu này. Bạn có muốn gặp nhân viên không?", buttons: ["Gặp nhân viên", "Không cần"] });
  });
});

describe("the curated-answer threshold", () => {
  const paraphrases = loadParaphrases(fileURLToPath(new URL("./eval/curated/paraphrases.jsonl", import.meta.url)));

  it("matches no near miss of the paraphrase set (precision ≥ 0.95) and still matches rewordings", () => {
    const [row] = calibrateCurated(paraphrases, [CURATED_THRESHOLD]).rows;
    expect(row!.precision).toBeGreaterThanOrEqual(0.95);
    expect(row!.recall).toBeGreaterThan(0.05);
  });

  it("matches every question typed without its diacritics, and never across different numbers", () => {
    for (const { text } of paraphrases.filter((p) => p.lang === "vi")) expect(questionSimilarity(text, fold(text))).toBeGreaterThanOrEqual(CURATED_THRESHOLD);
    expect(questionSimilarity("Hội Lim năm 2027 là ngày nào?", "Hội Lim năm 2028 là ngày nào?")).toBe(0);
  });
});

for (const kind of databaseKinds) {
  describe.skipIf(!kind.available)(`the flag inbox and curated answers on ${kind.label}`, () => {
    let assistant: Assistant;
    let drop: () => Promise<void>;
    let server: FastifyInstance;
    let base: string;
    let cookie = "";
    let csrf = "";

    beforeAll(async () => {
      const fresh = await kind.create();
      drop = fresh.drop;
      assistant = await openAssistant({ database: fresh.target, logger: testLogger });
      await assistant.console.operators.upsert({ email: "editor@ocop.test", password: PASSWORD, role: "editor" });
      await assistant.console.operators.upsert({ email: "toan@ocop.test", password: PASSWORD, role: "producer", producerId: "co-so-vu-cong-toan" });
      server = buildHttpServer(assistant, testLogger);
      base = await server.listen({ port: 0, host: "127.0.0.1" });
      ({ cookie, csrf } = await signIn("editor@ocop.test"));
    }, 120_000);
    afterAll(async () => {
      await server?.close();
      await assistant?.close();
      await drop?.();
    });

    const signIn = (email: string) => signInConsole(base, email, PASSWORD);
    const call = (method: string, path: string, body?: unknown, as: ConsoleSession = { cookie, csrf }) => callConsole(base, as, method, path, body);
    const ask = async (user: string, text: string) => (await assistant.receive({ channel: "web", eventId: randomUUID(), userId: user, chatId: user, text, receivedAt: new Date() }))!;
    const groupWith = async (text: string) => ((await call("GET", "/flags")).body.groups as { question: string; turns: { id: number; text: string }[] }[]).find((g) => g.turns.some((t) => t.text === text));

    it("shows a question asked twice as one group, with its reasons and the conversation around it", async () => {
      await ask("visitor-1", "xin chào");
      await ask("visitor-1", OFFICE_HOURS);
      await ask("visitor-1", "van phong ocop tinh mo cua may gio vay");
      const group = (await groupWith(OFFICE_HOURS)) as any;
      expect(group.count).toBe(2);
      expect(group.reasons).toContain("asked_again");
      expect(group.context.map((turn: { text: string }) => turn.text)).toEqual(["xin chào", OFFICE_HOURS, "van phong ocop tinh mo cua may gio vay"]);
      expect((await call("GET", "/flags", undefined, await signIn("toan@ocop.test"))).status).toBe(403);
    });

    it("answers with a curated answer from the next message on: the question, a paraphrase, unaccented, in English; not a near miss", async () => {
      const group = (await groupWith(OFFICE_HOURS))!;
      const turnIds = group.turns.map((turn) => turn.id);
      const answer = { vi: "Văn phòng làm việc từ 7 giờ 30 đến 17 giờ, thứ Hai đến thứ Sáu.", en: "The office is open 7:30 to 17:00, Monday to Friday." };
      expect((await call("POST", "/answers", { questions: [], answer, sources: [], flags: turnIds })).body.fields).toHaveProperty("sources");
      const created = await call("POST", "/answers", { questions: ["What time does the provincial OCOP office open?"], answer, sources: [{ title: "Văn phòng Điều phối OCOP tỉnh", url: "https://example.vn/ocop" }], flags: turnIds });
      expect(created.status).toBe(201);
      expect(created.body.answer.questions).toEqual(expect.arrayContaining([OFFICE_HOURS, "van phong ocop tinh mo cua may gio vay"]));
      expect(await groupWith(OFFICE_HOURS)).toBeUndefined();

      for (const text of ["văn phòng ocop tỉnh mở cửa lúc mấy giờ vậy", "VAN PHONG OCOP TINH MO CUA MAY GIO?", OFFICE_HOURS]) {
        const reply = await ask(`asker-${text.length}`, text);
        expect(reply.intent, text).toBe("curated_answer");
        expect(reply.replies[0]!.text).toBe(`${answer.vi}\n\nNguồn: Văn phòng Điều phối OCOP tỉnh (https://example.vn/ocop)`);
        expect(reply.sources).toHaveLength(1);
      }
      expect((await ask("tourist-9", "what time does the provincial OCOP office open")).replies[0]!.text).toMatch(/^The office is open/);
      expect((await ask("asker-x", "Văn phòng OCOP tỉnh đóng cửa mấy giờ?")).intent).not.toBe("curated_answer");
    });

    it("applies an edit, a pause and a deletion at the next message, and audits each", async () => {
      const [answer] = (await call("GET", "/answers")).body.answers;
      expect((await call("PATCH", `/answers/${answer.id}`, { answer: { vi: "Giờ mới: 8 giờ đến 16 giờ.", en: "New hours: 8:00 to 16:00." } })).status).toBe(200);
      expect((await ask("edit-1", OFFICE_HOURS)).replies[0]!.text).toMatch(/^Giờ mới/);
      await call("PATCH", `/answers/${answer.id}`, { active: false });
      expect((await ask("edit-2", OFFICE_HOURS)).intent).not.toBe("curated_answer");
      expect((await call("PATCH", `/answers/${answer.id}`, { sources: [] })).status).toBe(400);
      expect((await call("DELETE", `/answers/${answer.id}`)).status).toBe(204);
      expect((await call("DELETE", `/answers/${answer.id}`)).status).toBe(404);
      const { rows } = await assistant.db.pool.query<{ action: string }>("SELECT action FROM audit_log WHERE target = $1 ORDER BY id", [String(answer.id)]);
      expect(rows.map((row) => row.action)).toEqual(["answer.create", "answer.update", "answer.update", "answer.delete"]);
    });

    it("offers 👎 after an answer from the knowledge base, and a press sends that answer to the inbox", async () => {
      const question = "Chứng nhận OCOP có hiệu lực bao lâu?";
      const answered = await ask("rater", question);
      expect(answered.intent).toBe("question");
      expect(answered.replies[0]!.buttons).toEqual(["👎 Chưa đúng ý"]);
      expect((await groupWith(question))).toBeUndefined();
      const pressed = await ask("rater", "👎 Chưa đúng ý");
      expect(pressed.intent).toBe("thumbs_down");
      expect(pressed.replies[0]!.text).toMatch(/Cảm ơn bạn/);
      const group = (await groupWith(question)) as any;
      expect(group.reasons).toEqual(["thumbs_down"]);
      // On Zalo the button is a numbered option: "1" presses it.
      const english = await ask("rater-en", "How long is an OCOP certificate valid?");
      expect(english.replies[0]!.buttons).toEqual(["👎 Not helpful"]);
      expect((await ask("rater-en", "1")).intent).toBe("thumbs_down");
      expect(((await groupWith("How long is an OCOP certificate valid?")) as any).reasons).toContain("thumbs_down");
    });

    it("files a flagged question under an intent or out of scope, and the next such message is read that way", async () => {
      const asking = "mình muốn được tư vấn trực tiếp thì làm sao";
      await ask("helpme", asking);
      await ask("helpme", "muon duoc tu van truc tiep thi lam sao");
      const group = (await groupWith(asking))!;
      const filed = await call("POST", "/flags/resolve", { turnIds: group.turns.map((t) => t.id), action: "example", intent: "help" });
      expect(filed.body).toEqual({ resolved: 2, examplesAdded: 2 });
      expect((await ask("helpme-2", "muốn được tư vấn trực tiếp thì làm sao ạ")).understanding?.intent).toBe("help");

      const museum = "Giá vé vào bảo tàng tỉnh bao nhiêu?";
      await ask("museum", museum);
      await ask("museum", "gia ve vao bao tang tinh bao nhieu vay");
      const museumGroup = (await groupWith(museum))!;
      expect((await call("POST", "/flags/resolve", { turnIds: museumGroup.turns.map((t) => t.id), action: "out_of_scope" })).status).toBe(200);
      expect((await ask("museum-2", "giá vé vào bảo tàng tỉnh bao nhiêu")).intent).toBe("off_topic");

      expect((await call("POST", "/flags/resolve", { turnIds: [1], action: "example" })).status).toBe(400);
      expect((await call("POST", "/flags/resolve", { turnIds: [1], action: "example", intent: "no_such_intent" })).status).toBe(400);
      const audit = await assistant.db.pool.query<{ action: string }>("SELECT action FROM audit_log WHERE action LIKE 'flags.%' ORDER BY id");
      expect(audit.rows.map((row) => row.action)).toEqual(["flags.example", "flags.out_of_scope"]);
    });
  });
}
