/**
 * 👎 after an answer from the knowledge base (or a curated one): the button is offered with the answer,
 * and pressing it (or sending "👎") flags that answer for the operators' inbox and thanks the user.
 * On channels without buttons (Zalo) it is a numbered option like any other.
 */
import type { ExactRule } from "../engine.ts";
import type { AnswerFeedback } from "../ports.ts";
import { feedbackTexts } from "../texts/feedback.ts";
import type { EffectRunner } from "../turn.ts";
import { fold } from "../../knowledge/vietnamese.ts";

const THUMBS_DOWN = "👎";
const LABELS = new Set(Object.values(feedbackTexts).map((t) => fold(t.button).trim()));

/** Whether a message is the 👎 button (its label in either language) or the emoji on its own. */
export function isThumbsDown(text: string): boolean {
  const folded = fold(text).trim();
  return folded === THUMBS_DOWN || LABELS.has(folded);
}

/** The rule that takes a 👎 and the effect that records it once the turn is saved. */
export function feedbackFeature(feedback: AnswerFeedback): { rules: ExactRule[]; effects: Record<string, EffectRunner> } {
  return {
    rules: [
      {
        intent: "thumbs_down",
        match: (turn) =>
          isThumbsDown(turn.signals.text) ? () => ({ replies: [], intent: "thumbs_down", effects: [{ kind: "thumbs_down", payload: {} }], followable: false }) : undefined,
      },
    ],
    effects: {
      async thumbs_down(_payload, { event, language }) {
        const flagged = await feedback.thumbsDown({ channel: event.channel, userId: event.userId });
        const t = feedbackTexts[language];
        return { replies: [{ text: flagged ? t.thanks : t.nothingToRate }], intent: "thumbs_down" };
      },
    },
  };
}
