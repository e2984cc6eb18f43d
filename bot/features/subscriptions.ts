/**
 * Opt-in news: "đăng ký nhận tin lễ hội", `/subscribe`, "subscribe to festival news" subscribe to a
 * topic (all three when none is named); "hủy đăng ký", `/stop`, "unsubscribe" stop everything. Only
 * channels that can push take subscriptions.
 */
import type { ExactRule } from "../engine.ts";
import type { Buyer, ChannelDirectory } from "../ports.ts";
import { subscriptionTexts, TOPICS, type Topic } from "../texts/subscriptions.ts";
import type { EffectRunner } from "../turn.ts";
import type { ChannelName, Language } from "../types.ts";

/** Who subscribed to what. */
export interface SubscriptionBook {
  subscribe(user: Buyer, topics: readonly Topic[], language: Language): Promise<void>;
  /** Resolves to how many subscriptions were removed. */
  unsubscribe(user: { readonly channel: ChannelName; readonly userId: string }): Promise<number>;
}

// "hủy đăng ký" alone (or "… nhận tin"): not "hủy đăng ký OCOP", which is a question about the programme; and a bare
// "stop" ends what is going on (an order, a dialog), not the news.
const UNSUBSCRIBE = /^\/(stop|unsubscribe)\b|^huy dang ky( nhan tin| tin)?( nhe| a)?[.!]*$|\b(huy dang ky nhan tin|ngung nhan tin|dung gui tin|unsubscribe|stop (the )?(news|updates))\b/;
const SUBSCRIBE = /^\/subscribe\b|\b(dang ky nhan tin|dang ky theo doi|nhan tin (ve )?(le hoi|chinh sach|san pham)|subscribe|sign me up for|send me (the )?(news|updates))\b/;
const TOPIC_WORDS: Record<Topic, RegExp> = {
  festivals: /\b(le hoi|hoi|festival|festivals|events?)\b/,
  policies: /\b(chinh sach|ho tro|nghi quyet|polic(y|ies)|support)\b/,
  products: /\b(san pham|ocop moi|products?)\b/,
};

/** The topics a subscription message names; all of them when it names none. */
export function topicsNamed(folded: string): Topic[] {
  const named = TOPICS.filter((topic) => TOPIC_WORDS[topic].test(folded.replace(/^\/subscribe\b/, "")));
  return named.length > 0 ? named : [...TOPICS];
}

export function subscriptionFeature(book: SubscriptionBook, channels: ChannelDirectory): { rules: ExactRule[]; effects: Record<string, EffectRunner> } {
  return {
    rules: [
      {
        intent: "unsubscribe",
        match: (turn) => (UNSUBSCRIBE.test(turn.signals.folded) ? () => ({ replies: [], intent: "unsubscribe", effects: [{ kind: "unsubscribe", payload: {} }], followable: false }) : undefined),
      },
      {
        intent: "subscribe",
        match: (turn) =>
          SUBSCRIBE.test(turn.signals.folded)
            ? () => ({ replies: [], intent: "subscribe", effects: [{ kind: "subscribe", payload: { topics: topicsNamed(turn.signals.folded) } }], followable: false })
            : undefined,
      },
    ],
    effects: {
      async subscribe(payload, { event, language }) {
        const t = subscriptionTexts[language];
        if (!channels.canPush(event.channel)) return { replies: [{ text: t.cannotPush }], intent: "subscribe_refused" };
        const { topics } = payload as { topics: Topic[] };
        await book.subscribe({ channel: event.channel, userId: event.userId, chatId: event.chatId }, topics, language);
        return { replies: [{ text: t.subscribed(topics.map((topic) => t.topic[topic]).join(", ")) }], intent: "subscribed" };
      },
      async unsubscribe(_payload, { event, language }) {
        const t = subscriptionTexts[language];
        const removed = await book.unsubscribe({ channel: event.channel, userId: event.userId });
        return { replies: [{ text: removed > 0 ? t.unsubscribed : t.notSubscribed }], intent: "unsubscribed" };
      },
    },
  };
}
