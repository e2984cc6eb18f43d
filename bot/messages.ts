/** Texts sent before a message is read (so in both languages at once). */

/** Sent once to a user who floods the bot; bilingual because it is decided before the message is read. */
export const SLOW_DOWN_TEXT =
  "Bạn gửi nhanh quá, mình xin phép bỏ qua vài tin. Đợi một chút rồi nhắn tiếp nhé. " +
  "(You are sending messages too fast; please wait a moment.)";

/** Sent when answering a message failed unexpectedly, so the user is not left waiting. */
export const INTERNAL_ERROR_TEXT =
  "Xin lỗi, mình gặp lỗi khi trả lời tin này. Bạn thử lại sau ít phút nhé. (Sorry, something went wrong; please try again later.)";
