import type { Language } from "../types.ts";

/** The 👎 button offered after an answer, and what the assistant says when it is pressed. */
export const feedbackTexts: Record<Language, { readonly button: string; readonly thanks: string; readonly nothingToRate: string }> = {
  vi: {
    button: "👎 Chưa đúng ý",
    thanks: "Cảm ơn bạn. Mình đã chuyển câu trả lời này cho người phụ trách xem lại.",
    nothingToRate: "Cảm ơn bạn. Bạn có thể hỏi lại theo cách khác để mình thử trả lời nhé.",
  },
  en: {
    button: "👎 Not helpful",
    thanks: "Thank you. I have passed this answer on to the people who run me, to review.",
    nothingToRate: "Thank you. Try asking another way and I will have another go.",
  },
};
