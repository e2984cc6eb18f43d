import { describe, expect, it } from "vitest";
import { splitMessage } from "../adapters/split-text.ts";

describe("splitMessage", () => {
  const withoutSpace = (text: string) => text.replace(/\s+/g, "");

  it("splits a 4500-character reply at paragraph ends into chunks of at most 2000", () => {
    const paragraph = "Sản phẩm OCOP được chấm điểm. ".repeat(24).trim();
    const paragraphs = Array.from({ length: 8 }, (_, i) => `Đoạn ${i}. ${paragraph}`);
    const text = paragraphs.join("\n\n").slice(0, 4500);
    expect(text).toHaveLength(4500);
    const chunks = splitMessage(text, 2000);
    expect(chunks).toHaveLength(3);
    for (const chunk of chunks) expect(chunk.length).toBeGreaterThan(0);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(2000);
    for (const chunk of chunks.slice(1)) expect(chunk).toMatch(/^Đoạn \d\./);
    expect(withoutSpace(chunks.join(""))).toBe(withoutSpace(text));
  });

  it("keeps short text whole and gives nothing for blank text", () => {
    expect(splitMessage("Xin chào", 2000)).toEqual(["Xin chào"]);
    expect(splitMessage("  \n\n ", 2000)).toEqual([]);
  });

  it("prefers paragraphs, then lines, then sentences, then words", () => {
    expect(splitMessage("aaaa aaaa aaaa.\n\nbbbb bbbb", 20)).toEqual(["aaaa aaaa aaaa.", "bbbb bbbb"]);
    expect(splitMessage("First line here\nSecond. Third bit", 25)).toEqual(["First line here", "Second. Third bit"]);
    expect(splitMessage("Alpha beta. Gamma delta epsilon", 20)).toEqual(["Alpha beta.", "Gamma delta epsilon"]);
    expect(splitMessage("alpha beta gamma delta", 12)).toEqual(["alpha beta", "gamma delta"]);
  });

  it("passes over a boundary that would leave a stub chunk", () => {
    expect(splitMessage("Hi.\n\nalpha beta gamma delta epsilon", 20)).toEqual(["Hi.\n\nalpha beta", "gamma delta epsilon"]);
  });

  it("cuts text without whitespace hard, never inside a surrogate pair", () => {
    expect(splitMessage("a".repeat(4500), 2000).map((chunk) => chunk.length)).toEqual([2000, 2000, 500]);
    const emoji = "😀".repeat(15);
    const chunks = splitMessage(emoji, 5);
    expect(chunks.join("")).toBe(emoji);
    for (const chunk of chunks) expect(chunk.length % 2).toBe(0);
  });
});
