/**
 * Answers from the knowledge base with citations: the fallback for every question the router does
 * not place with confidence, and the handler of the "knowledge" intent. It says so when it does not
 * know (naming the office to ask) and redirects questions outside what the assistant covers.
 */
import type { QuestionAnswerer } from "../../knowledge/answer.ts";
import { withCitation } from "../texts/cite.ts";
import { feedbackTexts } from "../texts/feedback.ts";
import { handoffTexts } from "../texts/handoff.ts";
import { smallTalkTexts } from "../texts/smalltalk.ts";
import type { Turn, TurnResult } from "../turn.ts";

/**
 * The knowledge handler: answer, "don't know — ask …", or "that is outside what I cover". A question that
 * structured data answers (a resolution's rules for a kind of producer) is answered from that data first.
 */
export function knowledgeHandler(answerer: QuestionAnswerer, structured: readonly ((turn: Turn) => TurnResult | undefined)[] = []): (turn: Turn) => Promise<TurnResult> {
  return async (turn) => {
    for (const answerFromData of structured) {
      const answered = answerFromData(turn);
      if (answered) return answered;
    }
    const { text, questionType, askedUnit } = turn.signals;
    const answer = await answerer.answer(text, turn.language, { questionType, ...(askedUnit ? { unit: askedUnit } : {}) });
    const t = smallTalkTexts[turn.language];
    switch (answer.kind) {
      case "answer":
        return { replies: [{ text: withCitation(answer.body, answer.sources, turn.language), buttons: [feedbackTexts[turn.language].button] }], intent: "question", sources: answer.sources };
      case "unknown": {
        const text = answer.ask ? t.unknownAsk(answer.ask) : t.unknown;
        // The second question in a row it cannot answer: a person is offered instead of the menu.
        if (turn.state.lastIntent === "unknown") {
          const h = handoffTexts[turn.language];
          return { replies: [{ text }, { text: h.offerAfterFailures, buttons: [h.accept, h.decline] }], intent: "unknown" };
        }
        return { replies: [{ text, buttons: t.menu }], intent: "unknown" };
      }
      case "off_topic":
        return { replies: [{ text: t.offTopic, buttons: t.menu }], intent: "off_topic", followable: false };
    }
  };
}
