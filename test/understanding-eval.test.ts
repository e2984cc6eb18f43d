import { describe, expect, it } from "vitest";
import { evaluateConversations } from "../app/evaluation.ts";
import { STYLES } from "../bot/evaluation.ts";

// Floors a little under the measured figures (README, "Understanding"), so a regression in routing,
// dialogs, follow-ups or answers fails CI. The dev set is whole conversations through the engine; its
// follow-ups that switch to another side of the same subject (follow-ups.jsonl) are the hardest part.
describe("understanding on the conversation dev set", () => {
  it("routes, answers with the asked facts and keeps to one language, in each way of typing", async () => {
    const { report } = await evaluateConversations();
    expect(report.turns).toBeGreaterThanOrEqual(400);
    expect(report.byLanguage["vi-noacc"]!.turns).toBeGreaterThanOrEqual(100);
    expect(report.byLanguage.en!.turns).toBeGreaterThanOrEqual(100);
    expect(report.multiTurnConversations).toBeGreaterThanOrEqual(40);
    expect(report.intentAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(report.factInAnswer).toBeGreaterThanOrEqual(0.92);
    expect(report.noInventedNumber).toBeGreaterThanOrEqual(0.98);
    expect(report.oneLanguage).toBeGreaterThanOrEqual(0.98);
    for (const style of STYLES) {
      expect(report.byLanguage[style]!.intentAccuracy, style).toBeGreaterThanOrEqual(0.92);
      expect(report.byLanguage[style]!.factInAnswer, style).toBeGreaterThanOrEqual(0.90);
    }
  }, 240_000);
});
