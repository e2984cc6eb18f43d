import type { Language } from "./types.ts";

/** Every fixed text the core sends, in Vietnamese and English. */
export interface Messages {
  readonly greeting: string;
  readonly help: string;
  readonly menu: readonly string[];
  readonly thanks: string;
  readonly acknowledged: string;
  readonly offTopic: string;
  readonly unknown: string;
  readonly empty: string;
  readonly tooLong: (limit: number) => string;
  readonly languageSet: string;
  readonly languageChoice: string;
  readonly languageButtons: readonly string[];
}

const vi: Messages = {
  greeting:
    "Xin chào! Mình là trợ lý OCOP Bắc Ninh. Mình có thể giúp bạn:\n" +
    "• Tìm hiểu cách đánh giá, phân hạng sản phẩm OCOP\n" +
    "• Xem các chính sách hỗ trợ cho chủ thể sản xuất\n" +
    "• Chỉ đường tới làng nghề và xem lịch lễ hội\n" +
    "• Tìm và đặt mua sản phẩm OCOP\n" +
    "Bạn cứ nhắn câu hỏi, có dấu hay không dấu đều được.",
  help:
    "Bạn có thể hỏi mình, ví dụ:\n" +
    "• \"Sản phẩm 4 sao cần bao nhiêu điểm?\"\n" +
    "• \"HTX của tôi có được hỗ trợ xây dựng thương hiệu không?\"\n" +
    "• \"Đi từ Hà Nội đến làng gốm Phù Lãng thế nào?\"\n" +
    "• \"Hội Lim năm 2027 vào ngày nào?\"\n" +
    "• \"Cho mình đặt 2 hộp kẹo lạc Trang Toàn\"\n" +
    "Gõ /lang để đổi ngôn ngữ (Tiếng Việt / English).",
  menu: ["Chứng nhận OCOP", "Chính sách hỗ trợ", "Làng nghề & lễ hội", "Mua sản phẩm OCOP"],
  thanks: "Không có gì ạ! Bạn cần gì thêm cứ nhắn cho mình nhé.",
  acknowledged: "Dạ. Bạn cần gì thêm cứ nhắn cho mình nhé.",
  offTopic:
    "Xin lỗi, câu này nằm ngoài phạm vi của mình. Mình hỗ trợ về chương trình OCOP, chính sách hỗ trợ, " +
    "làng nghề, lễ hội và đặt mua sản phẩm OCOP ở Bắc Ninh. Bạn thử hỏi về các chủ đề đó, hoặc chọn một mục bên dưới nhé.",
  unknown:
    "Mình chưa có thông tin đáng tin cậy về câu này nên không muốn đoán. Bạn có thể hỏi:\n" +
    "• Sở Nông nghiệp và Môi trường tỉnh Bắc Ninh (Chi cục Phát triển nông thôn) về chương trình OCOP\n" +
    "• Sở Công Thương Bắc Ninh về hỗ trợ thương hiệu và thương mại điện tử\n" +
    "• Sở Văn hóa, Thể thao và Du lịch Bắc Ninh về làng nghề, lễ hội\n" +
    "• UBND xã/phường nơi sản xuất về hồ sơ và giấy tờ tại địa phương.",
  empty: "Bạn chưa nhập nội dung. Hãy gõ câu hỏi của bạn nhé.",
  tooLong: (limit) => `Tin nhắn dài quá (tối đa ${limit} ký tự). Bạn gửi ngắn gọn hơn giúp mình nhé.`,
  languageSet: "Đã chuyển sang tiếng Việt.",
  languageChoice: "Bạn muốn dùng ngôn ngữ nào?",
  languageButtons: ["Tiếng Việt", "English"],
};

const en: Messages = {
  greeting:
    "Hello! I am the OCOP Bắc Ninh assistant. I can help you with:\n" +
    "• how OCOP products are assessed and given stars\n" +
    "• support policies for producers\n" +
    "• directions to craft villages and festival dates\n" +
    "• finding and ordering OCOP products\n" +
    "Just type your question.",
  help:
    "You can ask me, for example:\n" +
    "• \"How many points does a 4-star product need?\"\n" +
    "• \"How do I get from Hanoi to Phù Lãng pottery village?\"\n" +
    "• \"When is the Lim festival in 2027?\"\n" +
    "• \"I'd like two boxes of Trang Toàn peanut candy\"\n" +
    "Type /lang to switch language (Tiếng Việt / English).",
  menu: ["OCOP certification", "Support policies", "Villages & festivals", "Buy OCOP products"],
  thanks: "You're welcome! Message me any time.",
  acknowledged: "OK. Message me any time you need something.",
  offTopic:
    "Sorry, that is outside what I cover. I help with the OCOP programme, support policies, craft villages, " +
    "festivals and ordering OCOP products in Bắc Ninh. Try one of those topics, or pick one below.",
  unknown:
    "I don't have reliable information on that, so I won't guess. You could ask:\n" +
    "• the Bắc Ninh Department of Agriculture and Environment (Sở Nông nghiệp và Môi trường) about the OCOP programme\n" +
    "• the Bắc Ninh Department of Industry and Trade (Sở Công Thương) about brand support and e-commerce\n" +
    "• the Bắc Ninh Department of Culture, Sports and Tourism (Sở Văn hóa, Thể thao và Du lịch) about villages and festivals\n" +
    "• the commune or ward People's Committee (UBND xã/phường) about local paperwork.",
  empty: "Your message is empty. Please type your question.",
  tooLong: (limit) => `Your message is too long (at most ${limit} characters). Please shorten it.`,
  languageSet: "Switched to English.",
  languageChoice: "Which language would you like?",
  languageButtons: ["Tiếng Việt", "English"],
};

const catalogue: Record<Language, Messages> = { vi, en };

/** The fixed texts in `language`. */
export function messagesFor(language: Language): Messages {
  return catalogue[language];
}

/** Sent once to a user who floods the bot; bilingual because it is decided before the message is read. */
export const SLOW_DOWN_TEXT =
  "Bạn gửi nhanh quá, mình xin phép bỏ qua vài tin. Đợi một chút rồi nhắn tiếp nhé. " +
  "(You are sending messages too fast; please wait a moment.)";

/** Sent when answering a message failed unexpectedly, so the user is not left waiting. */
export const INTERNAL_ERROR_TEXT =
  "Xin lỗi, mình gặp lỗi khi trả lời tin này. Bạn thử lại sau ít phút nhé. (Sorry, something went wrong; please try again later.)";
