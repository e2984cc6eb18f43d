/** Texts of the score-to-stars answer. */
import type { Language } from "../types.ts";

interface ScoreTexts {
  readonly overHundred: string;
  readonly band: (score: number, stars: number, range: string) => string;
  readonly certifiedBands: string;
  readonly uncertifiedBands: string;
}

export const scoreTexts: Record<Language, ScoreTexts> = {
  vi: {
    overHundred: "Thang điểm OCOP tối đa là 100 điểm, nên không có mức điểm trên 100.",
    band: (score, stars, range) => `Sản phẩm đạt ${score} điểm thuộc hạng ${stars} sao (${range} điểm) trên thang 100 điểm theo Quyết định 148/QĐ-TTg.`,
    certifiedBands: "Các mức: 5 sao 90–100 điểm, 4 sao 70–89 điểm, 3 sao 50–69 điểm.",
    uncertifiedBands:
      "Chỉ sản phẩm từ 3 sao (từ 50 điểm) trở lên mới được công nhận là sản phẩm OCOP; mức 1–2 sao lấy từ một nguồn duy nhất theo quy định cũ.",
  },
  en: {
    overHundred: "The OCOP scale goes up to 100 points, so a score above 100 is not possible.",
    band: (score, stars, range) => `${score} points falls in the ${stars}-star band (${range} points) of the 100-point scale of Decision 148/QĐ-TTg.`,
    certifiedBands: "Bands: 5 stars 90–100, 4 stars 70–89, 3 stars 50–69.",
    uncertifiedBands:
      "Only products with 3 stars or more (50 points and up) are recognised as OCOP products; the 1–2 star bands come from a single source on the earlier rules.",
  },
};
