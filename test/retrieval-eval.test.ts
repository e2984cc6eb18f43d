import { describe, expect, it } from "vitest";
import { evaluateDevSet } from "../app/evaluation.ts";

// Floors a little under the measured figures (see `npm run eval`), so a regression fails CI.
describe("retrieval quality on the dev set", () => {
  it("meets the recall and MRR targets and beats plain BM25 on unaccented questions", async () => {
    const { hybrid, bm25, questions, embedder } = await evaluateDevSet();
    // Offline whatever the environment configures.
    expect(embedder).toMatch(/^local-lsa-v1-128-[0-9a-f]{8}$/);
    expect(questions).toBeGreaterThanOrEqual(80);
    expect(hybrid["vi-accented"].recallAt5).toBeGreaterThanOrEqual(0.95);
    expect(hybrid["vi-unaccented"].recallAt5).toBeGreaterThanOrEqual(0.9);
    expect(hybrid.en.recallAt5).toBeGreaterThanOrEqual(0.9);
    for (const subset of ["vi-accented", "vi-unaccented", "en", "all"] as const) {
      expect(hybrid[subset].mrrAt10, subset).toBeGreaterThanOrEqual(0.8);
    }
    expect(hybrid["vi-unaccented"].recallAt5 - bm25["vi-unaccented"].recallAt5).toBeGreaterThanOrEqual(0.1);
    expect(hybrid.all.factInAnswer).toBeGreaterThanOrEqual(0.75);
  });
});
