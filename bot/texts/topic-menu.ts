/** The main menu's topics: a short introduction and the questions offered as buttons, per language. */
import type { Language } from "../types.ts";

/** One topic of the main menu. */
export interface Topic {
  readonly intro: string;
  /** Questions the assistant answers well, offered as buttons: pressing one asks it. */
  readonly questions: readonly string[];
}

// Keyed by the menu button's position, so the Vietnamese and English labels open the same topic.
export const topicTexts: Record<Language, readonly Topic[]> = {
  vi: [
    {
      intro: "Hướng dẫn chứng nhận OCOP: chọn một câu hỏi, hoặc tự nhắn câu hỏi của bạn.",
      questions: [
        "Chu trình OCOP hằng năm gồm những bước nào?",
        "Cấp nào công nhận sản phẩm 3, 4, 5 sao?",
        "Thang điểm OCOP gồm những phần nào?",
        "Sản phẩm được 72 điểm thì mấy sao?",
        "Hồ sơ đăng ký OCOP gồm những gì?",
        "Giấy chứng nhận OCOP có hiệu lực bao lâu?",
      ],
    },
    {
      intro: "Chính sách hỗ trợ: mình có thể kiểm tra bạn có thể được hỗ trợ gì, hoặc trả lời câu hỏi cụ thể.",
      questions: [
        "Tôi có được hỗ trợ không?",
        "Nghị quyết 14/2023 hỗ trợ những gì?",
        "Hộ kinh doanh có được hỗ trợ theo Nghị quyết 14 không?",
        "Sản phẩm đạt sao OCOP có được thưởng không?",
      ],
    },
    {
      intro: "Làng nghề và lễ hội: chọn một gợi ý, hoặc hỏi về làng bạn muốn đến.",
      questions: [
        "Lễ hội sắp tới ở Bắc Ninh",
        "Đi từ Hà Nội đến làng gốm Phù Lãng thế nào?",
        "Làng tranh Đông Hồ có gì?",
        "Lịch trình 1 ngày Phù Lãng, Đông Hồ và làng Diềm",
        "Hội Lim năm nay vào ngày nào?",
      ],
    },
    {
      intro: "Sản phẩm OCOP: xem danh mục và giá, đặt hàng ngay trong chat, hoặc hỏi về sản phẩm và nơi sản xuất.",
      questions: ["Xem danh mục sản phẩm", "Sản phẩm OCOP 4 sao", "Đặt hàng", "Đơn hàng của tôi", "Những sản phẩm OCOP tiêu biểu của Bắc Ninh"],
    },
  ],
  en: [
    {
      intro: "OCOP certification guide: pick a question, or type your own.",
      questions: [
        "What are the steps of the annual OCOP cycle?",
        "Who recognises 3, 4 and 5-star products?",
        "What are the parts of the OCOP score?",
        "My product scored 72 points, how many stars?",
        "What goes into the OCOP dossier?",
        "How long is an OCOP certificate valid?",
      ],
    },
    {
      intro: "Support policies: I can check what support you may qualify for, or answer a specific question.",
      questions: ["Am I eligible for support?", "What does Resolution 14/2023 support?", "Are there rewards for OCOP stars?"],
    },
    {
      intro: "Villages and festivals: pick a suggestion, or ask about the village you want to visit.",
      questions: [
        "Upcoming festivals in Bắc Ninh",
        "How do I get to Phu Lang pottery village?",
        "When is the Dong Ho print market?",
        "Plan a day trip to Phu Lang, Dong Ho and Diem village",
      ],
    },
    {
      intro: "OCOP products: browse the catalogue and prices, order right here in the chat, or ask about products and where they are made.",
      questions: ["Product catalogue", "4-star OCOP products", "Place an order", "My orders", "Typical OCOP products of Bắc Ninh"],
    },
  ],
};

