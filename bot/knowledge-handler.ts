import type { QuestionAnswerer } from "../knowledge/answer.ts";
import type { Handler } from "./engine.ts";
import { messagesFor } from "./messages.ts";

/**
 * Answers questions from the knowledge base with citations; says so when it does not know, and
 * redirects questions outside OCOP, subsidies, villages and orders. It answers every turn, so it goes last.
 */
export function knowledgeHandler(answerer: QuestionAnswerer): Handler {
  return async (turn) => {
    const answer = await answerer.answer(turn.text, turn.language);
    const texts = messagesFor(turn.language);
    switch (answer.kind) {
      case "answer":
        return { replies: [{ text: answer.text }], intent: "question", sources: answer.sources };
      case "unknown":
        return { replies: [{ text: texts.unknown, buttons: texts.menu }], intent: "unknown" };
      case "off_topic":
        return { replies: [{ text: texts.offTopic, buttons: texts.menu }], intent: "off_topic" };
    }
  };
}
