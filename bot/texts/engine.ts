/** Texts the engine itself says: input problems, "did you mean …?", and where a dialog stands. */
import type { Language } from "../types.ts";

interface EngineTexts {
  readonly empty: string;
  readonly tooLong: (limit: number) => string;
  readonly clarify: (labels: readonly string[]) => string;
  readonly neither: string;
  readonly rephrase: string;
  readonly dialogExpired: string;
}

export const engineTexts: Record<Language, EngineTexts> = {
  vi: {
    empty: "Bạn chưa nhập nội dung. Hãy gõ câu hỏi của bạn nhé.",
    tooLong: (limit) => `Tin nhắn dài quá (tối đa ${limit} ký tự). Bạn gửi ngắn gọn hơn giúp mình nhé.`,
    clarify: (labels) => `Bạn muốn hỏi về ${labels.map((label) => `"${label}"`).join(" hay ")}?`,
    neither: "Không phải",
    rephrase: "Bạn nói rõ hơn một chút giúp mình nhé, ví dụ nêu tên sản phẩm, làng nghề hoặc chính sách bạn quan tâm.",
    dialogExpired: "Phần trò chuyện dở dang trước đó đã hết hiệu lực, mình bắt đầu lại nhé.",
  },
  en: {
    empty: "Your message is empty. Please type your question.",
    tooLong: (limit) => `Your message is too long (at most ${limit} characters). Please shorten it.`,
    clarify: (labels) => `Do you mean ${labels.map((label) => `"${label}"`).join(" or ")}?`,
    neither: "Neither",
    rephrase: "Could you say a little more, for example the product, village or policy you are asking about?",
    dialogExpired: "The conversation we had started earlier has expired; let's start again.",
  },
};
