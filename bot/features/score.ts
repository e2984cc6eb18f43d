/** Self-assessment: turns a score out of 100 into the OCOP star band it falls in, citing the scoring document. */
import { sourcesOf, withCitation, type Titles } from "../texts/cite.ts";
import { scoreTexts } from "../texts/score.ts";
import type { IntentHandler } from "../turn.ts";
import { firstOf } from "../understanding/entities.ts";

const SOURCE_ID = "ocop-cham-diem";

/** The star bands of Decision 148 (1–2 stars from a single source of the earlier rules). */
const BANDS = [
  { min: 90, stars: 5, range: "90–100" },
  { min: 70, stars: 4, range: "70–89" },
  { min: 50, stars: 3, range: "50–69" },
  { min: 30, stars: 2, range: "30–49" },
  { min: 0, stars: 1, range: "< 30" },
] as const;

/** The score handler, by the `serve` name of intents.yaml. */
export function scoreHandlers(titles: Titles): Record<string, IntentHandler> {
  return {
    "score.stars": (turn) => {
      const t = scoreTexts[turn.language];
      const score = firstOf(turn.signals.entities, "score")?.value;
      // Without a score this is a question about the scale, which the scoring document answers.
      if (score === undefined) return undefined;
      const sources = sourcesOf([SOURCE_ID], titles, turn.language);
      const band = BANDS.find((b) => score >= b.min)!;
      const body = score > 100 ? t.overHundred : `${t.band(score, band.stars, band.range)} ${band.stars >= 3 ? t.certifiedBands : t.uncertifiedBands}`;
      return { replies: [{ text: withCitation(body, sources, turn.language) }], intent: "score_to_stars", sources };
    },
  };
}
