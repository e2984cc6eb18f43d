import { describe, expect, it } from "vitest";
import { accentedWords, expandAbbreviations, foldForSearch, searchTerms, searchWords, sentences } from "../knowledge/vietnamese.ts";
import { vietnameseEquivalents } from "../knowledge/glossary.ts";
import { chunkDocument, MAX_CHUNK_CHARS } from "../knowledge/chunker.ts";
import { loadCorpus, parseDocument } from "../knowledge/corpus.ts";
import { namedSpans } from "../knowledge/aliases.ts";

describe("Vietnamese search text", () => {
  it("expands chat abbreviations", () => {
    expect(expandAbbreviations("sp nay ko dc ho tro a, gia bn, o hn")).toBe("sản phẩm nay không được ho tro a, gia bao nhiêu, o Hà Nội");
    expect(expandAbbreviations("what do u sell? pls")).toBe("what do you sell? please");
    expect(foldForSearch("HTX cua toi co dc ho tro k")).toBe("hop tac xa cua toi co duoc ho tro khong");
  });

  it("normalises numbers and dates so different spellings match", () => {
    expect(searchWords("10.000 sản phẩm")).toEqual(searchWords("10,000 san pham"));
    expect(searchWords("10.000 sản phẩm")).toEqual(["10000", "san", "pham"]);
    expect(searchTerms("ngày 06/07/2025")).toEqual(searchTerms("ngay 6/7/2025"));
    expect(searchTerms("ngày 1/7/2025")).toContain("7_2025");
  });

  it("makes words and word pairs, breaking pairs at punctuation", () => {
    expect(searchTerms("Làng gốm Phù Lãng, Quế Võ")).toEqual([
      "lang", "gom", "phu", "lang", "lang_gom", "gom_phu", "phu_lang", "que", "vo", "que_vo",
    ]);
  });

  it("singularises English plurals but never touches Vietnamese syllables", () => {
    expect(searchWords("festivals villages policies")).toEqual(["festival", "village", "policy"]);
    expect(searchWords("lúa nhiều sâu")).toEqual(["lua", "nhieu", "sau"]);
  });

  it("keeps accented words apart from their folded look-alikes", () => {
    expect(accentedWords("Bao nhiêu điểm, làng Diềm")).toEqual(["nhiêu", "điểm", "làng", "diềm"]);
  });

  it("splits sentences without breaking numbers or abbreviations", () => {
    expect(sentences("Cách Hà Nội 60 km. Từ ngày 1/7/2025 thuộc TP. Bắc Ninh mới! Còn 10.000 sản phẩm.")).toEqual([
      "Cách Hà Nội 60 km.",
      "Từ ngày 1/7/2025 thuộc TP. Bắc Ninh mới!",
      "Còn 10.000 sản phẩm.",
    ]);
  });

  it("translates English query words into the corpus's Vietnamese", () => {
    expect(vietnameseEquivalents("Phu Lang pottery village")).toBe("gốm . làng");
    expect(vietnameseEquivalents("xin chào")).toBe("");
  });
});

describe("the corpus", () => {
  const documents = loadCorpus();

  it("has valid front matter, NFC text and a full English body in every document", () => {
    expect(documents.length).toBeGreaterThanOrEqual(25);
    for (const document of documents) {
      expect(document.title.vi.length).toBeGreaterThan(0);
      expect(document.sources.length).toBeGreaterThan(0);
      expect(document.body).toBe(document.body.normalize("NFC"));
      expect(document.body, document.id).toMatch(/^# English$/m);
      // Every Vietnamese section has its English counterpart, so English answers quote English.
      const chunks = chunkDocument(document);
      const sections = (language: "vi" | "en") => new Set(chunks.filter((c) => c.language === language).map((c) => c.section)).size;
      expect(sections("en"), document.id).toBe(sections("vi"));
    }
  });

  it("turns every NOT FOUND of the facts into an explicit 'no information, ask' sentence somewhere", () => {
    const text = documents.map((d) => d.body).join("\n");
    expect(text.match(/Hiện chưa có thông tin/g)!.length).toBeGreaterThan(20);
    expect(text.match(/There is no information yet/g)!.length).toBeGreaterThan(20);
  });

  it("chunks into whole sentences within sections", () => {
    for (const document of documents) {
      for (const chunk of chunkDocument(document)) {
        expect(chunk.content.length).toBeLessThanOrEqual(MAX_CHUNK_CHARS + 400);
        expect(chunk.content).toMatch(/[.!?…)"”:]$/);
      }
    }
  });

  it("rejects a document without front matter, naming the file", () => {
    expect(() => parseDocument("# no front matter", "broken.md")).toThrow(/broken\.md: missing front matter/);
    expect(() => parseDocument("---\nid: X Y\n---\nbody", "bad.md")).toThrow(/bad\.md: bad front matter/);
  });
});

describe("names in a message", () => {
  const temples = [{ id: "den-do", aliases: ["Đền Đô", "Den Do"] }];
  const spans = (text: string) => namedSpans(text, temples, (item) => item.aliases).map((span) => text.slice(span.from, span.to));

  it("match with or without diacritics, but not when the diacritics typed are other ones", () => {
    expect(spans("Đền Đô ở đâu")).toEqual(["Đền Đô"]);
    expect(spans("den do o dau")).toEqual(["den do"]);
    expect(spans("đền do mở cửa không")).toEqual(["đền do"]);
    // "đến đó" (to there) folds to "den do" too.
    expect(spans("đến đó thì xem được gì")).toEqual([]);
  });

  it("match with a hỏi typed for a ngã, the commonest misspelling", () => {
    const villages = [{ id: "phu-lang", aliases: ["Phù Lãng"] }];
    expect(namedSpans("làng gốm phù lảng cách hà nội bn km", villages, (item) => item.aliases).map((span) => span.item.id)).toEqual(["phu-lang"]);
    expect(namedSpans("làng gốm phù làng", villages, (item) => item.aliases)).toEqual([]);
  });
});
