/** Greetings, help, thanks, the main menu, "off topic" and "don't know", and the language switch. */
import type { Language } from "../types.ts";

interface SmallTalkTexts {
  readonly greeting: string;
  readonly help: string;
  readonly menu: readonly string[];
  readonly thanks: string;
  readonly goodbye: string;
  readonly acknowledged: string;
  readonly nothingToCancel: string;
  readonly offTopic: string;
  readonly unknown: string;
  /** "Not known" naming the office the matching document says to ask. */
  readonly unknownAsk: (whom: string) => string;
  readonly languageSet: string;
  readonly languageChoice: string;
  readonly languageButtons: readonly string[];
}

export const smallTalkTexts: Record<Language, SmallTalkTexts> = {
  vi: {
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
    goodbye: "Chào bạn, hẹn gặp lại! Khi cần cứ nhắn cho mình nhé.",
    acknowledged: "Dạ. Bạn cần gì thêm cứ nhắn cho mình nhé.",
    nothingToCancel: "Hiện không có việc gì đang làm dở để hủy. Bạn cần gì cứ nhắn cho mình nhé.",
    offTopic:
      "Xin lỗi, câu này nằm ngoài phạm vi của mình. Mình hỗ trợ về chương trình OCOP, chính sách hỗ trợ, " +
      "làng nghề, lễ hội và đặt mua sản phẩm OCOP ở Bắc Ninh. Bạn thử hỏi về các chủ đề đó, hoặc chọn một mục bên dưới nhé.",
    unknown:
      "Mình chưa có thông tin đáng tin cậy về câu này nên không muốn đoán. Bạn có thể hỏi:\n" +
      "• Sở Nông nghiệp và Môi trường tỉnh Bắc Ninh (Chi cục Phát triển nông thôn) về chương trình OCOP\n" +
      "• Sở Công Thương Bắc Ninh về hỗ trợ thương hiệu và thương mại điện tử\n" +
      "• Sở Văn hóa, Thể thao và Du lịch Bắc Ninh về làng nghề, lễ hội\n" +
      "• UBND xã/phường nơi sản xuất về hồ sơ và giấy tờ tại địa phương.",
    unknownAsk: (whom) => `Hiện mình chưa có thông tin về câu này nên không muốn đoán. Bạn nên hỏi ${whom}.`,
    languageSet: "Đã chuyển sang tiếng Việt.",
    languageChoice: "Bạn muốn dùng ngôn ngữ nào?",
    languageButtons: ["Tiếng Việt", "English"],
  },
  en: {
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
    goodbye: "Goodbye, and see you again! Message me any time.",
    acknowledged: "OK. Message me any time you need something.",
    nothingToCancel: "There is nothing in progress to cancel. Message me any time you need something.",
    offTopic:
      "Sorry, that is outside what I cover. I help with the OCOP programme, support policies, craft villages, " +
      "festivals and ordering OCOP products in Bắc Ninh. Try one of those topics, or pick one below.",
    unknown:
      "I don't have reliable information on that, so I won't guess. You could ask:\n" +
      "• the Bắc Ninh Department of Agriculture and Environment (Sở Nông nghiệp và Môi trường) about the OCOP programme\n" +
      "• the Bắc Ninh Department of Industry and Trade (Sở Công Thương) about brand support and e-commerce\n" +
      "• the Bắc Ninh Department of Culture, Sports and Tourism (Sở Văn hóa, Thể thao và Du lịch) about villages and festivals\n" +
      "• the commune or ward People's Committee (UBND xã/phường) about local paperwork.",
    unknownAsk: (whom) => `I don't have information on that yet, so I won't guess. Please ask ${whom}.`,
    languageSet: "Switched to English.",
    languageChoice: "Which language would you like?",
    languageButtons: ["Tiếng Việt", "English"],
  },
};
