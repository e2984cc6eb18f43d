import { MAX_TEXT_LENGTH, type Handler, type TurnResult } from "./engine.ts";
import { messagesFor } from "./messages.ts";
import type { Language } from "./types.ts";

const GREETING = /^(\/start\b|xin chao|chao|hello|hi|hey|alo|good (morning|afternoon|evening))\b/;
const HELP = /^(\/help|help|menu|huong dan|tro giup|giup (toi|minh|em)?|ban (lam|giup) duoc (gi|nhung gi)|what can you do)\b/;
const THANKS = /^(cam on|thank you|thanks|tks|thank)\b/;
// A bare acknowledgement outside any dialog ("ok", "vâng") needs no answer beyond an offer of more help.
const ACKNOWLEDGEMENT = /^(ok|oke|okay|okie|vang|da|uh|uhm|u|roi|duoc roi|dong y|good|great|got it|fine)[.!]*$/;
const LANGUAGE_COMMAND = /^\/lang(?:uage)?(?:\s+(\w+))?\s*$/;
const LANGUAGE_NAMES: Record<string, Language> = {
  vi: "vi", "tieng viet": "vi", vietnamese: "vi", "noi tieng viet": "vi",
  en: "en", english: "en", "tieng anh": "en", "english please": "en", "speak english": "en",
};

/** Asks for text when a message is empty and for a shorter one when it is too long. */
export const inputGuard: Handler = (turn) => {
  const texts = messagesFor(turn.language);
  if (turn.text.length === 0) return { replies: [{ text: texts.empty }], intent: "empty" };
  if (turn.text.length > MAX_TEXT_LENGTH) {
    return { replies: [{ text: texts.tooLong(MAX_TEXT_LENGTH) }], intent: "too_long" };
  }
  return undefined;
};

/** `/lang`, `/lang en` or a language name: pins the reply language. */
export const languageSwitch: Handler = (turn) => {
  const command = LANGUAGE_COMMAND.exec(turn.folded);
  const named = command ? command[1] : turn.folded.replace(/[.!?]+$/, "");
  const chosen = named === undefined ? undefined : LANGUAGE_NAMES[named];
  if (!command && !chosen) return undefined;
  if (!chosen) {
    const texts = messagesFor(turn.language);
    return { replies: [{ text: texts.languageChoice, buttons: texts.languageButtons }], intent: "language" };
  }
  turn.state = { ...turn.state, pinnedLanguage: chosen, language: chosen };
  const texts = messagesFor(chosen);
  return { replies: [{ text: texts.languageSet, buttons: texts.menu }], intent: "language", language: chosen };
};

/** Greets, explains what the assistant does, and thanks back. */
export const smallTalk: Handler = (turn) => {
  const texts = messagesFor(turn.language);
  const short = turn.folded.split(/\s+/).length <= 6;
  if (GREETING.test(turn.folded) && short) return reply(texts.greeting, texts.menu, "greeting");
  if (HELP.test(turn.folded) && short) return reply(texts.help, texts.menu, "help");
  if (THANKS.test(turn.folded) && short) return reply(texts.thanks, [], "thanks");
  if (ACKNOWLEDGEMENT.test(turn.folded) && !turn.state.dialog) return reply(texts.acknowledged, [], "acknowledged");
  return undefined;
};

function reply(text: string, buttons: readonly string[], intent: string): TurnResult {
  return { replies: [buttons.length > 0 ? { text, buttons } : { text }], intent };
}
