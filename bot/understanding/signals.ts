/**
 * One understanding step per message: the text is normalised and read once into signals — folded
 * text, words, entities with their spans, question type — which the router and every handler share.
 */
import { fold, foldForSearch, singular } from "../../knowledge/vietnamese.ts";
import { findEntities, type Entity, type Lexicon } from "./entities.ts";
import { askedUnit, questionTypeOf, type QuestionType } from "./question-type.ts";

/** What one message says, read once. */
export interface Signals {
  /** NFC-normalised text without control characters. */
  readonly text: string;
  /** `text` lower-cased without diacritics; same length as `text`, so entity spans apply to both. */
  readonly folded: string;
  /** Folded words with chat abbreviations expanded and English plurals made singular ("ko dc" → "khong duoc"). */
  readonly words: readonly string[];
  readonly entities: readonly Entity[];
  readonly questionType: QuestionType;
  /** What a count or amount question counts ("bao nhiêu điểm" → "diem"), folded. */
  readonly askedUnit?: string;
  /** A question mark, or a question word or frame. */
  readonly isQuestion: boolean;
  /**
   * Elliptical: only a follow-up marker ("còn", "thế còn", "what about") and entities, or entities
   * alone ("2028?", "4 sao thì sao"). Such a message continues the previous question.
   */
  readonly elliptical: boolean;
  /**
   * Another side of the last question's subject: a short message that opens with a follow-up marker and
   * names nothing ("còn ở đâu?", "thế ai cấp?", "and how long does it take?").
   */
  readonly switchesAspect: boolean;
}

/** The most words an aspect follow-up has; a longer message says enough to be read on its own. */
const ASPECT_FOLLOW_UP_WORDS = 7;

// Words that open or close a follow-up and carry nothing else.
const FOLLOW_UP_WORDS = new Set(
  ("con the vay the thi sao nhi nua a ha nhe oi ban ad shop cho minh hoi voi lai cung " +
    "and what about how for in the one ones please also then of at add too plus can could i we them nua ca bao nhieu many much nam year " +
    // Words that only say how the new value is counted: "mấy cái 5 sao", "in total, 3 stars and up?", "3 hoặc 4 sao".
    "may cai tong cong total or hoac up tro len " +
    // "đợt tới", "lần tới", "next time": the next occurrence, which the follow-up reads as dropping the last year.
    "dot lan toi sap next upcoming coming time").split(" "),
);
const FOLLOW_UP_MARKER = /^(con|the con|vay con|the thi|con thi|and|what about|how about|and what about|and for|and in|also)\b/;

/** Reads a message (already normalised) into signals. */
export function understand(text: string, lexicon: Lexicon): Signals {
  const folded = fold(text);
  const entities = findEntities(text, lexicon);
  const searchFolded = foldForSearch(text);
  const words = (searchFolded.match(/[\p{L}\p{N}]+/gu) ?? []).map(singular);
  const questionType = looksLikeName(text) ? "none" : questionTypeOf(searchFolded);
  const unit = askedUnit(searchFolded);
  return {
    text,
    folded,
    words,
    entities,
    questionType,
    ...(unit ? { askedUnit: unit } : {}),
    isQuestion: text.includes("?") || questionType !== "none",
    elliptical: isElliptical(folded, entities),
    switchesAspect: entities.length === 0 && FOLLOW_UP_MARKER.test(folded.trim()) && words.length <= ASPECT_FOLLOW_UP_WORDS,
  };
}

/**
 * "Đỗ Thị Hoa", "David Brown": a few capitalised words and nothing else are a name, which the question patterns
 * must not read ("Đỗ" folds to the English "do" that opens a yes/no question).
 */
function looksLikeName(text: string): boolean {
  const words = text.trim().split(/\s+/);
  return !text.includes("?") && words.length >= 2 && words.length <= 5 && words.every((word) => /^\p{Lu}[\p{L}.'-]*$/u.test(word));
}

function isElliptical(folded: string, entities: readonly Entity[]): boolean {
  if (entities.length === 0 || entities.some((entity) => entity.type === "order_code" || entity.type === "link_code" || entity.type === "phone")) return false;
  // What is left once the entities are taken out must be follow-up words only.
  let rest = folded;
  for (const entity of [...entities].sort((a, b) => b.from - a.from)) rest = `${rest.slice(0, entity.from)} ${rest.slice(entity.to)}`;
  const leftover = (rest.match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => !FOLLOW_UP_WORDS.has(word));
  const marked = FOLLOW_UP_MARKER.test(folded.trim());
  return leftover.length === 0 || (marked && leftover.length <= 1 && folded.split(/\s+/).length <= 8);
}
