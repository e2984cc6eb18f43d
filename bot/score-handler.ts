import type { Handler } from "./engine.ts";
import type { Language, SourceRef } from "./types.ts";

// "72 điểm thì mấy sao", "sp dc 85 diem xep hang gi", "72 points how many stars"
const SCORE = /\b(\d{1,3})\s*(diem|points?|pts)\b/;
const ABOUT_STARS = /\b(sao|star|stars|hang|rank|rated|rating|xep)\b/;
const SOURCE_ID = "ocop-cham-diem";

/** The star bands of Decision 148 (1–2 stars from a single source of the earlier rules). */
const BANDS = [
  { min: 90, stars: 5, range: "90–100" },
  { min: 70, stars: 4, range: "70–89" },
  { min: 50, stars: 3, range: "50–69" },
  { min: 30, stars: 2, range: "30–49" },
  { min: 0, stars: 1, range: "0–29" },
] as const;

/** Self-assessment: turns a score out of 100 into the OCOP star band it falls in, citing the scoring document. */
export function scoreHandler(titles: ReadonlyMap<string, { vi: string; en: string }>): Handler {
  const source = (language: Language): SourceRef => ({ id: SOURCE_ID, title: titles.get(SOURCE_ID)?.[language] ?? SOURCE_ID });
  return (turn) => {
  const match = SCORE.exec(turn.folded);
  if (!match || !ABOUT_STARS.test(turn.folded)) return undefined;
  const score = Number(match[1]);
  const en = turn.language === "en";
  const sources = [source(turn.language)];
  const citation = en ? `Source: ${sources[0]!.title}` : `Nguồn: ${sources[0]!.title}`;
  if (score > 100) {
    const text = en ? "The OCOP scale goes up to 100 points, so a score above 100 is not possible." : "Thang điểm OCOP tối đa là 100 điểm, nên không có mức điểm trên 100.";
    return { replies: [{ text: `${text}\n\n${citation}` }], intent: "score_to_stars", sources };
  }
  const band = BANDS.find((b) => score >= b.min)!;
  const certified = band.stars >= 3;
  const text = en
    ? `${score} points falls in the ${band.stars}-star band (${band.range} points) of the 100-point scale of Decision 148/QĐ-TTg` +
      (certified
        ? ". Bands: 5 stars 90–100, 4 stars 70–89, 3 stars 50–69."
        : ". Only products with 3 stars or more (50 points and up) are recognised as OCOP products; the 1–2 star bands come from a single source on the earlier rules.")
    : `Sản phẩm đạt ${score} điểm thuộc hạng ${band.stars} sao (${band.range} điểm) trên thang 100 điểm theo Quyết định 148/QĐ-TTg` +
      (certified
        ? ". Các mức: 5 sao 90–100 điểm, 4 sao 70–89 điểm, 3 sao 50–69 điểm."
        : ". Chỉ sản phẩm từ 3 sao (từ 50 điểm) trở lên mới được công nhận là sản phẩm OCOP; mức 1–2 sao lấy từ một nguồn duy nhất theo quy định cũ.");
  return { replies: [{ text: `${text}\n\n${citation}` }], intent: "score_to_stars", sources };
  };
}
