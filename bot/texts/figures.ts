/** Texts around figures; the figures themselves are sentences of the figures table. */
import type { Language } from "../types.ts";

interface FigureTexts {
  readonly notePrefix: string;
  readonly bacGiangUnknown: string;
}

export const figureTexts: Record<Language, FigureTexts> = {
  vi: {
    notePrefix: "Lưu ý: ",
    bacGiangUnknown:
      "Mình chưa có số liệu OCOP riêng của tỉnh Bắc Giang cũ (trước khi sáp nhập vào tỉnh Bắc Ninh ngày 1/7/2025). Bạn nên hỏi Sở Nông nghiệp và Môi trường tỉnh Bắc Ninh (Chi cục Phát triển nông thôn).",
  },
  en: {
    notePrefix: "Note: ",
    bacGiangUnknown:
      "I don't have separate OCOP figures for the former Bắc Giang province (before it merged into Bắc Ninh on 1/7/2025). Please ask the Bắc Ninh Department of Agriculture and Environment (Sở Nông nghiệp và Môi trường, Chi cục Phát triển nông thôn).",
  },
};
