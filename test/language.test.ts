import { describe, expect, it } from "vitest";
import { detectLanguage } from "../bot/language.ts";
import { fold, normalizeText } from "../knowledge/vietnamese.ts";

describe("detectLanguage", () => {
  it.each([
    "Đi từ Hà Nội đến làng gốm Phù Lãng thế nào?",
    "hoi lim nam 2027 ngay nao",
    "san pham 4 sao can bao nhieu diem",
    "cho minh dat 2 hop keo lac",
    "ko biet dc ko",
    "mua 3kg toi",
    "HTX cua toi co duoc ho tro khong",
  ])("reads %j as Vietnamese", (text) => {
    expect(detectLanguage(text, "en")).toBe("vi");
  });

  it.each([
    "When is the Dong Ho painting market?",
    "How do I get to Phu Lang pottery village?",
    "I'd like two packs of kẹo lạc Trang Toàn",
    "Tell me about làng Diềm",
    "show me handicraft products",
    "What is Hội Lim?",
  ])("reads %j as English", (text) => {
    expect(detectLanguage(text, "vi")).toBe("en");
  });

  it("keeps the conversation's language when a message gives no evidence", () => {
    expect(detectLanguage("ok", "en")).toBe("en");
    expect(detectLanguage("ok", "vi")).toBe("vi");
    expect(detectLanguage("2", "en")).toBe("en");
    expect(detectLanguage("nem Bui", "en")).toBe("en");
  });
});

describe("Vietnamese text helpers", () => {
  it("folds diacritics and đ", () => {
    expect(fold("Đồng Kỵ, Phù Lãng, ĐƯỜNG")).toBe("dong ky, phu lang, duong");
  });

  it("normalises to NFC and drops control characters", () => {
    const decomposed = "Ho\u0302\u0300i Lim\u0000\u0007";
    expect(normalizeText(decomposed)).toBe("Hồi Lim");
    expect(normalizeText(decomposed).length).toBe(7);
  });
});
