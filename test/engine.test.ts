import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MAX_TEXT_LENGTH } from "../bot/engine.ts";
import type { InboundEvent } from "../bot/types.ts";
import { assistantOn } from "./support/assistant.ts";
import { databaseKinds } from "./support/databases.ts";

function message(userId: string, text: string, eventId: string = randomUUID()): InboundEvent {
  return { channel: "cli", eventId, userId, chatId: userId, text, receivedAt: new Date() };
}

describe.each(databaseKinds)("conversation core on $label", (kind) => {
  const assistant = assistantOn(kind);

  const say = async (user: string, text: string) => (await assistant().receive(message(user, text)))!;

  describe.skipIf(!kind.available)("", () => {
    it("greets in Vietnamese, with or without diacritics, and offers the menu", async () => {
      for (const text of ["Xin chào", "xin chao", "chào bạn"]) {
        const response = await say(`greet-${text}`, text);
        expect(response.intent).toBe("greeting");
        expect(response.language).toBe("vi");
        expect(response.replies[0]!.text).toContain("trợ lý OCOP Bắc Ninh");
        expect(response.replies[0]!.buttons).toContain("Chứng nhận OCOP");
      }
    });

    it("greets an English speaker in English", async () => {
      const response = await say("tourist", "Hello, what can you do?");
      expect(response.intent).toBe("greeting");
      expect(response.language).toBe("en");
      expect(response.replies[0]!.text).toContain("OCOP Bắc Ninh assistant");
    });

    it("explains what it can do on /help and 'huong dan'", async () => {
      expect((await say("helper", "/help")).intent).toBe("help");
      const response = await say("helper", "huong dan");
      expect(response.intent).toBe("help");
      expect(response.replies[0]!.text).toContain("Sản phẩm 4 sao cần bao nhiêu điểm");
    });

    it("redirects an off-topic message politely in the user's language", async () => {
      const vi = await say("lost-vi", "cho mình hỏi về con mèo nhà bạn");
      expect(vi.intent).toBe("off_topic");
      expect(vi.replies[0]!.text).toMatch(/^Xin lỗi, câu này nằm ngoài phạm vi/);
      const en = await say("lost-en", "Where can I rent a bicycle tomorrow?");
      expect(en.intent).toBe("off_topic");
      expect(en.replies[0]!.text).toMatch(/^Sorry/);
    });

    it("answers a question from the knowledge base with its source", async () => {
      const response = await say("producer", "chung nhan ocop co hieu luc bao lau");
      expect(response.intent).toBe("question");
      expect(response.replies[0]!.text).toContain("36 tháng");
      expect(response.replies[0]!.text).toContain("Nguồn:");
      expect(response.sources.map((s) => s.id)).toContain("ocop-cap-cong-nhan");
    });

    it("asks for text when the message is empty or only control characters", async () => {
      for (const text of ["", "   ", "\u0000\u0001"]) {
        const response = await say("empty", text);
        expect(response.intent).toBe("empty");
      }
    });

    it("asks to shorten a message that is too long", async () => {
      const response = await say("long", "a".repeat(MAX_TEXT_LENGTH + 1));
      expect(response.intent).toBe("too_long");
      expect(response.replies[0]!.text).toContain(String(MAX_TEXT_LENGTH));
    });

    it("remembers a chosen language per user, in the database", async () => {
      const chosen = await say("polyglot", "/lang en");
      expect(chosen.language).toBe("en");
      expect((await say("polyglot", "xin chào")).language).toBe("en");
      expect((await say("someone-else", "xin chào")).language).toBe("vi");
      const stored = await assistant().db.pool.query(
        "SELECT state FROM conversations WHERE channel = 'cli' AND user_id = 'polyglot'",
      );
      expect(stored.rows[0].state).toMatchObject({ pinnedLanguage: "en", turns: 2 });
      expect((await say("polyglot", "/lang")).replies[0]!.buttons).toEqual(["Tiếng Việt", "English"]);
      expect((await say("polyglot", "Tiếng Việt")).language).toBe("vi");
    });

    it("answers a duplicate delivery only once", async () => {
      const first = message("dup-user", "xin chào", "same-event");
      expect(await assistant().receive(first)).toBeDefined();
      expect(await assistant().receive({ ...first })).toBeUndefined();
      const { rows } = await assistant().db.pool.query("SELECT state FROM conversations WHERE user_id = 'dup-user'");
      expect(rows[0].state.turns).toBe(1);
    });

    it("keeps turns of one user consistent when messages race", async () => {
      await Promise.all(Array.from({ length: 5 }, () => say("racer", "xin chào")));
      const { rows } = await assistant().db.pool.query("SELECT state FROM conversations WHERE user_id = 'racer'");
      expect(rows[0].state.turns).toBe(5);
    });
  });
});
