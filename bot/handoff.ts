/**
 * Handing a conversation to a person. A user who asks for one (the `human_handoff` intent), or whose
 * last two questions went unanswered (the knowledge handler offers it then), is offered it; accepting puts the conversation in the operators'
 * queue. While it waits for an operator, or an operator holds it, the assistant stays silent: what the
 * user writes is still recorded (the operators read it), and the operators' replies go out through the
 * user's own channel. The operator's release, the user's "trả lại cho trợ lý", or a timeout hands it
 * back. The desk (the port below) keeps who holds what, across instances.
 */
import type { Engine, ExactRule } from "./engine.ts";
import { detectLanguage } from "./language.ts";
import type { Buyer } from "./ports.ts";
import { handoffTexts } from "./texts/handoff.ts";
import type { EffectRunner, IntentHandler } from "./turn.ts";
import { fold } from "../knowledge/vietnamese.ts";
import type { BotResponse, ChannelName, Language } from "./types.ts";

/** Who answers a conversation: the assistant, nobody yet (waiting for an operator), or an operator. */
export type HandoffMode = "bot" | "waiting" | "held";

/** The operators' desk: which conversations are handed over, and to whom. */
export interface HandoffDesk {
  mode(user: { readonly channel: ChannelName; readonly userId: string }): Promise<HandoffMode>;
  /** Queues the conversation for an operator (once: a second request while one is open changes nothing). */
  request(user: Buyer, language: Language, firstMessage: string): Promise<"queued" | "already">;
  /** Gives the conversation back to the assistant. */
  release(user: { readonly channel: ChannelName; readonly userId: string }, by: string): Promise<boolean>;
}

/** What the desk says where: the hours operators answer, and whom to call when none does. */
export interface HandoffSettings {
  readonly hours: Readonly<Record<Language, string>>;
}

const isLabel = (text: string, pick: (t: (typeof handoffTexts)["vi"]) => string) =>
  (["vi", "en"] as const).some((language) => fold(text).trim() === fold(pick(handoffTexts[language])));
const givesBack = (text: string) => (["vi", "en"] as const).some((language) => handoffTexts[language].giveBack.some((phrase) => fold(text).includes(fold(phrase))));

/** The offer with its two buttons. */
function offer(language: Language, text: string) {
  const t = handoffTexts[language];
  return { text, buttons: [t.accept, t.decline] };
}

/** The `handoff.offer` handler, the rules for the offer's buttons, and the effect that queues the conversation. */
export function handoffFeature(desk: HandoffDesk, settings: HandoffSettings): { handlers: Record<string, IntentHandler>; rules: ExactRule[]; effects: Record<string, EffectRunner> } {
  return {
    handlers: {
      "handoff.offer": (turn) => ({ replies: [offer(turn.language, handoffTexts[turn.language].offer)], intent: "handoff_offer", followable: false }),
    },
    rules: [
      {
        intent: "handoff_accept",
        match: (turn) =>
          isLabel(turn.signals.text, (t) => t.accept)
            ? () => ({ replies: [], intent: "handoff_accept", effects: [{ kind: "request_handoff", payload: {} }], followable: false })
            : undefined,
      },
      {
        intent: "handoff_decline",
        match: (turn) => (isLabel(turn.signals.text, (t) => t.decline) ? () => ({ replies: [{ text: handoffTexts[turn.language].declined }], intent: "handoff_decline", followable: false }) : undefined),
      },
    ],
    effects: {
      async request_handoff(_payload, { event, language }) {
        const t = handoffTexts[language];
        const queued = await desk.request({ channel: event.channel, userId: event.userId, chatId: event.chatId }, language, event.text);
        return { replies: [{ text: queued === "queued" ? t.waiting(settings.hours[language]) : t.alreadyWaiting }], intent: "handoff_requested" };
      },
    },
  };
}

/** The engine, silent while the conversation is handed over (the message is still answered with no reply, so it is recorded). */
export function handoffAware(engine: Engine, desk: HandoffDesk): Engine {
  return {
    async respond(event) {
      const user = { channel: event.channel, userId: event.userId };
      const mode = await desk.mode(user);
      if (mode !== "bot") {
        if (givesBack(event.text) && (await desk.release(user, "user"))) {
          const language = detectLanguage(event.text);
          return { replies: [{ text: handoffTexts[language].released }], intent: "handoff_released", sources: [], language };
        }
        return { replies: [], intent: mode === "waiting" ? "handoff_waiting" : "handoff_held", sources: [], language: "vi" } satisfies BotResponse;
      }
      return engine.respond(event);
    },
  };
}
