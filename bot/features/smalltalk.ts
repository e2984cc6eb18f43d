/**
 * Small talk and navigation: greetings, help, thanks, goodbye, a bare "ok", "cancel" with nothing open,
 * the language switch, and the main menu's topics. The commands, language names and menu buttons are
 * exact rules; the rest are routed intents.
 */
import type { ExactRule } from "../engine.ts";
import { smallTalkTexts } from "../texts/smalltalk.ts";
import { topicTexts } from "../texts/topic-menu.ts";
import type { IntentHandler, Turn, TurnResult } from "../turn.ts";
import type { Language, Reply } from "../types.ts";

const LANGUAGE_NAMES: Record<string, Language> = {
  vi: "vi", "tieng viet": "vi", vietnamese: "vi", "noi tieng viet": "vi", "tieng viet di": "vi",
  en: "en", english: "en", "tieng anh": "en", "english please": "en", "speak english": "en", "noi tieng anh": "en",
};

const reply = (text: string, buttons: readonly string[] = []): Reply => (buttons.length > 0 ? { text, buttons } : { text });
const said = (intent: string, text: string, buttons: readonly string[] = []): TurnResult => ({ replies: [reply(text, buttons)], intent, followable: false });

/** Sets the reply language, or asks which one when the message does not say. */
function switchLanguage(turn: Turn, chosen: Language | undefined): TurnResult {
  if (!chosen) {
    const texts = smallTalkTexts[turn.language];
    return said("language", texts.languageChoice, texts.languageButtons);
  }
  const texts = smallTalkTexts[chosen];
  return { replies: [reply(texts.languageSet, texts.menu)], intent: "language", pinLanguage: chosen, followable: false };
}

/** The language a message names ("tiếng Anh", "English", "vietnamese"), if any. */
function namedLanguage(folded: string): Language | undefined {
  if (/\b(tieng anh|english|anh ngu)\b/.test(folded)) return "en";
  if (/\b(tieng viet|vietnamese)\b/.test(folded)) return "vi";
  return undefined;
}

const greeting: IntentHandler = (turn) => said("greeting", smallTalkTexts[turn.language].greeting, smallTalkTexts[turn.language].menu);
const help: IntentHandler = (turn) => said("help", smallTalkTexts[turn.language].help, smallTalkTexts[turn.language].menu);

/** The routed small-talk intents, by the `serve` names of intents.yaml. */
export const smallTalkHandlers: Record<string, IntentHandler> = {
  "smalltalk.greeting": greeting,
  "smalltalk.help": help,
  "smalltalk.thanks": (turn) => said("thanks", smallTalkTexts[turn.language].thanks),
  "smalltalk.goodbye": (turn) => said("goodbye", smallTalkTexts[turn.language].goodbye),
  "smalltalk.acknowledge": (turn) => said("acknowledged", smallTalkTexts[turn.language].acknowledged),
  "smalltalk.cancel": (turn) => said("acknowledged", smallTalkTexts[turn.language].nothingToCancel),
  "smalltalk.language": (turn) => switchLanguage(turn, namedLanguage(turn.signals.folded)),
  "fallback.out_of_scope": (turn) => ({ replies: [reply(smallTalkTexts[turn.language].offTopic, smallTalkTexts[turn.language].menu)], intent: "off_topic", followable: false }),
};

/** `/start`, `/help`, `/lang [vi|en]`, a language's name on its own, and the main menu's buttons. */
export const smallTalkRules: readonly ExactRule[] = [
  { intent: "greeting", match: (turn) => (/^\/start\b/.test(turn.signals.folded) ? greeting : undefined) },
  { intent: "help", match: (turn) => (/^\/(help|menu)\b/.test(turn.signals.folded) ? help : undefined) },
  {
    intent: "language",
    match: (turn) => {
      const command = /^\/lang(?:uage)?(?:\s+(\S+))?\s*$/.exec(turn.signals.folded);
      const named = LANGUAGE_NAMES[(command ? (command[1] ?? "") : turn.signals.folded).replace(/[.!?]+$/, "").trim()];
      if (!command && !named) return undefined;
      return (t) => switchLanguage(t, named);
    },
  },
  {
    intent: "topic_menu",
    match: (turn) => {
      for (const language of ["vi", "en"] as const) {
        const index = smallTalkTexts[language].menu.findIndex((label) => label.toLowerCase() === turn.signals.text.toLowerCase());
        if (index < 0) continue;
        // The label says the language: "Villages & festivals" opens the English topic.
        return () => {
          const topic = topicTexts[language][index]!;
          return { ...said("topic_menu", topic.intro, topic.questions), replyLanguage: language };
        };
      }
      return undefined;
    },
  },
];
