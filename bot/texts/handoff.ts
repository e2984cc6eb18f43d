import type { Language } from "../types.ts";

/** What the assistant says around a handoff to a person. */
export interface HandoffTexts {
  readonly offer: string;
  readonly offerAfterFailures: string;
  readonly accept: string;
  readonly decline: string;
  readonly declined: string;
  readonly waiting: (hours: string) => string;
  readonly nobodyCame: (contact: string) => string;
  readonly released: string;
  readonly alreadyWaiting: string;
  /** Words a user (or an operator in the chat) sends to give the conversation back to the assistant. */
  readonly giveBack: readonly string[];
  /** The notice to the operators' chat. */
  readonly operatorsNotice: (who: string, text: string) => string;
}

export const handoffTexts: Record<Language, HandoffTexts> = {
  vi: {
    offer: "Bạn muốn nói chuyện với nhân viên? Mình sẽ báo người phụ trách vào trả lời bạn ngay trong cuộc trò chuyện này.",
    offerAfterFailures: "Mình chưa trả lời được câu này. Bạn có muốn gặp nhân viên không?",
    accept: "Gặp nhân viên",
    decline: "Không cần",
    declined: "Dạ vâng, bạn cứ hỏi tiếp mình nhé.",
    waiting: (hours) => `Mình đã báo nhân viên, bạn đợi một chút nhé. Nhân viên trực ${hours}. Trong lúc chờ, bạn cứ nhắn, nhân viên sẽ đọc được.`,
    nobodyCame: (contact) => `Xin lỗi, hiện chưa có nhân viên trả lời được. Bạn có thể liên hệ ${contact}. Mình tiếp tục hỗ trợ bạn từ giờ nhé.`,
    released: "Nhân viên đã kết thúc trao đổi. Mình (trợ lý tự động) tiếp tục hỗ trợ bạn nhé.",
    alreadyWaiting: "Bạn đang chờ nhân viên rồi, bạn đợi thêm chút nhé.",
    giveBack: ["trả lại cho trợ lý", "tra lai cho tro ly", "quay lại trợ lý", "quay lai tro ly"],
    operatorsNotice: (who, text) => `🔔 Có người cần gặp nhân viên (${who}): "${text}". Mở bảng điều khiển, mục Gặp nhân viên.`,
  },
  en: {
    offer: "Would you like to talk to a person? I will ask the staff to answer you right here in this chat.",
    offerAfterFailures: "I could not answer that. Would you like to talk to a person?",
    accept: "Talk to a person",
    decline: "No, thanks",
    declined: "All right, go on asking me.",
    waiting: (hours) => `I have told the staff; please wait a moment. They answer ${hours}. Meanwhile, write anything you like: they will read it.`,
    nobodyCame: (contact) => `Sorry, nobody from the staff could answer just now. You can contact ${contact}. I will go on helping you meanwhile.`,
    released: "The staff member has finished. I (the automatic assistant) will go on helping you.",
    alreadyWaiting: "You are already waiting for a person; please wait a little longer.",
    giveBack: ["back to the assistant", "back to the bot"],
    operatorsNotice: (who, text) => `🔔 Someone asks for a person (${who}): "${text}". Open the console, Handoffs.`,
  },
};
