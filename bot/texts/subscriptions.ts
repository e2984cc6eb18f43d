import type { Language } from "../types.ts";

/** The news topics a user can subscribe to. */
export type Topic = "festivals" | "policies" | "products";
export const TOPICS: readonly Topic[] = ["festivals", "policies", "products"];

/** What the assistant says about subscriptions. */
export const subscriptionTexts: Record<
  Language,
  { readonly topic: Record<Topic, string>; readonly subscribed: (topics: string) => string; readonly unsubscribed: string; readonly notSubscribed: string; readonly cannotPush: string }
> = {
  vi: {
    topic: { festivals: "lễ hội", policies: "chính sách hỗ trợ", products: "sản phẩm OCOP" },
    subscribed: (topics) => `Đã đăng ký nhận tin về: ${topics}. Mình chỉ gửi từ 7 giờ đến 21 giờ. Gửi "hủy đăng ký" bất cứ lúc nào để ngừng nhận.`,
    unsubscribed: "Đã hủy đăng ký. Mình sẽ không gửi tin cho bạn nữa.",
    notSubscribed: "Bạn chưa đăng ký nhận tin nào.",
    cannotPush: "Trang web không nhận được tin gửi tự động. Bạn đăng ký nhận tin qua Telegram, Zalo hoặc Messenger nhé.",
  },
  en: {
    topic: { festivals: "festivals", policies: "support policies", products: "OCOP products" },
    subscribed: (topics) => `Subscribed to news about: ${topics}. I only send between 7:00 and 21:00. Send "unsubscribe" at any time to stop.`,
    unsubscribed: "Unsubscribed. I will not send you news any more.",
    notSubscribed: "You are not subscribed to any news.",
    cannotPush: "The web page cannot receive messages sent later. Subscribe on Telegram, Zalo or Messenger.",
  },
};
