/** Texts of the support-eligibility check around the rendered result. */
import type { Language } from "../types.ts";

interface EligibilityTexts {
  readonly cancelled: string;
  readonly resumePrefix: string;
}

export const eligibilityTexts: Record<Language, EligibilityTexts> = {
  vi: { cancelled: "Được, mình dừng phần kiểm tra hỗ trợ.", resumePrefix: "Tiếp tục kiểm tra hỗ trợ: " },
  en: { cancelled: "OK, I stopped the eligibility check.", resumePrefix: "Back to the eligibility check: " },
};
