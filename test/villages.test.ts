import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAssistant, type Assistant } from "../app/compose.ts";
import { loadVillages } from "../knowledge/villages.ts";
import { say } from "./support/conversation.ts";
import { testLogger } from "./support/logger.ts";

describe("village directions and itineraries", () => {
  let assistant: Assistant;
  beforeAll(async () => {
    assistant = await openAssistant({ database: { memory: true }, logger: testLogger });
  });
  afterAll(() => assistant.close());
  const ask = (text: string, user = "tourist") => say(assistant, user, text);

  it("has data for every village of the facts", () => {
    expect(loadVillages().map((v) => v.id).sort()).toEqual(["dai-bai", "diem-viem-xa", "dinh-bang", "dong-ho", "dong-ky", "phu-lang", "xuan-hoi", "xuan-lai"]);
  });

  it.each([
    ["Đi từ Hà Nội đến làng gốm Phù Lãng thế nào?", "lang-gom-phu-lang", ["60 km", "Quốc lộ 18", "trước đây: xã Phù Lãng, thị xã Quế Võ", "giờ mở cửa"]],
    ["di tu ha noi den lang tranh dong ho bao xa", "lang-tranh-dong-ho", ["30–35 km", "phường Thuận Thành", "Giáp Bát"]],
    ["làng Diềm có gì chơi", "lang-diem-viem-xa", ["Vua Bà", "phường Kinh Bắc"]],
  ])("answers %j with location, routes, sights and unknowns", async (question, doc, expected) => {
    const response = await ask(question);
    expect(response.intent).toBe("village_directions");
    for (const text of expected) expect(response.replies[0]!.text).toContain(text);
    expect(response.sources.map((s) => s.id)).toEqual([doc]);
  });

  it("answers a tourist in English, keeping the Vietnamese names", async () => {
    const response = await ask("How do I get to Phu Lang pottery village?", "visitor");
    expect(response.intent).toBe("village_directions");
    expect(response.replies[0]!.text).toContain("From Hà Nội: About 60 km");
    expect(response.replies[0]!.text).toContain("Source: ");
  });

  it("says what is not known and whom to ask", async () => {
    const response = await ask("lang dong ky o dau");
    expect(response.replies[0]!.text).toContain("Từ Hà Nội: chưa có thông tin");
    expect(response.replies[0]!.text).toMatch(/bạn nên hỏi .*UBND phường Đồng Nguyên/);
  });

  it("plans a day for the villages named, in the order named", async () => {
    const response = await ask("lich trinh 1 ngay phu lang va lang diem");
    expect(response.intent).toBe("itinerary");
    const text = response.replies[0]!.text;
    expect(text.indexOf("Sáng: Làng gốm Phù Lãng")).toBeGreaterThan(0);
    expect(text).toMatch(/Chiều: Làng Diềm/);
    expect(text).toContain("chưa có thông tin về thời gian di chuyển giữa các làng");
    expect(response.sources.map((s) => s.id)).toEqual(["lang-gom-phu-lang", "lang-diem-viem-xa"]);
  });

  it("suggests the pilot OCOP tourism villages for a day trip that names none", async () => {
    const response = await ask("Can you plan a day trip for me?", "visitor");
    expect(response.intent).toBe("itinerary");
    expect(response.replies[0]!.text).toContain("three pilot OCOP tourism villages");
    expect(response.sources).toHaveLength(3);
  });
});
