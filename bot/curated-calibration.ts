/**
 * Calibrates the curated-answer threshold on a set of paraphrases (test/eval/curated/paraphrases.jsonl):
 * questions of one group ask for the same thing and deserve the same answer; groups of one topic differ
 * in one detail (another year, village or star level) and must not take each other's answer. Pairs are
 * taken within one script — Vietnamese with or without diacritics, or English — since an operator gives a
 * curated answer its questions in each language.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { questionSimilarity } from "./curated.ts";

const paraphraseSchema = z.object({ group: z.string(), topic: z.string(), lang: z.enum(["vi", "vi-noacc", "en"]), text: z.string() });
export type Paraphrase = z.infer<typeof paraphraseSchema>;

/** Reads the paraphrase set (one JSON object per line). */
export function loadParaphrases(path: string): Paraphrase[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => paraphraseSchema.parse(JSON.parse(line)));
}

/** At one threshold: of the pairs above it, how many ask the same thing; of those that do, how many are above it. */
export interface ThresholdRow {
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
  /** Pairs above the threshold that ask different things, and of those, the same topic's near misses. */
  readonly falseMatches: number;
  readonly nearMisses: number;
}

/**
 * How a message is matched in use: against every question of a curated answer, the best one counting.
 * So each question is matched against each other group's questions (a false match if any is above the
 * threshold) and its own group's other questions (found if any is above it).
 */
export function calibrateCurated(paraphrases: readonly Paraphrase[], thresholds: readonly number[]) {
  const script = (p: Paraphrase) => (p.lang === "en" ? "en" : "vi");
  const best: { same: boolean; nearMiss: boolean; score: number }[] = [];
  for (const question of paraphrases) {
    const byGroup = new Map<string, { score: number; topic: string }>();
    for (const other of paraphrases) {
      if (other === question || script(other) !== script(question)) continue;
      const score = questionSimilarity(question.text, other.text);
      const current = byGroup.get(other.group);
      if (!current || score > current.score) byGroup.set(other.group, { score, topic: other.topic });
    }
    for (const [group, { score, topic }] of byGroup) best.push({ same: group === question.group, nearMiss: group !== question.group && topic === question.topic, score });
  }
  const positives = best.filter((pair) => pair.same).length;
  const rows: ThresholdRow[] = thresholds.map((threshold) => {
    const above = best.filter((pair) => pair.score >= threshold);
    const right = above.filter((pair) => pair.same).length;
    return {
      threshold,
      precision: above.length === 0 ? 1 : right / above.length,
      recall: positives === 0 ? 0 : right / positives,
      falseMatches: above.length - right,
      nearMisses: above.filter((pair) => pair.nearMiss).length,
    };
  });
  return { questions: paraphrases.length, groups: new Set(paraphrases.map((p) => p.group)).size, comparisons: best.length, positives, rows };
}
