/**
 * Follow-ups: an elliptical message ("còn chè lam Trang Toàn?", "thế còn năm 2028?", "what about Dong
 * Ho?") is read as the previous question with the new value in place of the old one of the same kind,
 * or added to it when the previous question's intent takes that kind of slot. The rewritten question
 * then goes through understanding and routing like any other message.
 */
import type { Entity, EntityType } from "./entities.ts";
import type { IntentDeclaration } from "./intents.ts";
import type { Signals } from "./signals.ts";
import { fold, STOPWORDS } from "../../knowledge/vietnamese.ts";

const NEXT_TIME = /\b(dot toi|lan toi|sap toi|ke tiep|tiep theo|next|upcoming|coming)\b/;

/** Entity types that fill the same slot: a village or a festival both say where. */
const SLOT_OF: Partial<Record<EntityType, string>> = { village: "place", festival: "place" };
const slotOf = (type: EntityType) => SLOT_OF[type] ?? type;

/**
 * The previous question rewritten with the follow-up's values, or undefined when the follow-up names
 * nothing the previous question had or takes (then it is read on its own).
 */
export function carryOver(previous: Signals, followUp: Signals, slots: IntentDeclaration["slots"]): string | undefined {
  // "thêm làng Diềm nữa", "add Diem village too": the new value joins the old ones instead of replacing them.
  const adding = /\b(them|nua|ca|also|too|add|as well|plus)\b/.test(followUp.folded);
  const replacements: { from: number; to: number; text: string }[] = [];
  const additions: string[] = [];
  const seen = new Set<string>();
  for (const entity of followUp.entities) {
    const slot = slotOf(entity.type);
    if (seen.has(slot)) continue;
    seen.add(slot);
    const value = followUp.text.slice(entity.from, entity.to);
    const old = previous.entities.filter((other: Entity) => slotOf(other.type) === slot);
    if (old.length > 0 && !adding) {
      // Every mention of the old value goes ("Hội Lim … hội Lim"), replaced once by the new one.
      old.forEach((other, i) => replacements.push({ from: other.from, to: other.to, text: i === 0 ? value : "" }));
    } else if (adding || (slots as readonly string[]).includes(entity.type) || (slot === "place" && slots.some((s) => s === "village" || s === "festival"))) {
      additions.push(value);
    }
  }
  // "còn hội Đồng Kỵ đợt tới?" after "thế năm nay?": the next time, whatever year the last question named.
  if (NEXT_TIME.test(followUp.folded) && !followUp.entities.some((entity) => entity.type === "year")) {
    for (const year of previous.entities.filter((entity) => entity.type === "year")) replacements.push({ from: year.from, to: year.to, text: "" });
  }
  if (replacements.length === 0 && additions.length === 0) return undefined;
  let text = previous.text;
  for (const { from, to, text: value } of replacements.sort((a, b) => b.from - a.from)) text = `${text.slice(0, from)}${value}${text.slice(to)}`;
  const joined = [text.replace(/[?.!\s]+$/, ""), ...additions].join(" ").replace(/\s+/g, " ").trim();
  return /\?$/.test(previous.text.trim()) ? `${joined}?` : joined;
}

// Words that point back at something named before: "nghị quyết này", "sản phẩm ấy", "it", "there". After a
// word of time, "này" and "this" point at the present instead ("cuối tuần này", "năm nay", "this weekend").
const TIME_WORDS = "tuan|thang|nam|hom|bua|hien|sang|chieu|toi|dem|gio|luc|dip|mua|dot|ky|week|weekend|month|year|morning|afternoon|evening|time|season|spring|summer|autumn|winter";
const ANAPHOR = new RegExp(`\\b((?<!\\b(?:${TIME_WORDS})\\s)nay|ay|kia|it|its|this(?!\\s(?:${TIME_WORDS})\\b)|that|these|those|them|they|their|there|the two|both|ca hai|hai lang|cai do|cai nay)\\b`);
// "đó" and "nó" point back too, but they fold to "do" and "no", which are also the Vietnamese "do"
// (by: "do sở nào quản lý") and the English "do" and "no". Typed with diacritics they are told apart;
// typed without, "do" is taken unless English or "by whom" surrounds it.
const ACCENTED_ANAPHOR = /(^|[^\p{L}])(đó|nó)(?![\p{L}])/u;
const UNACCENTED_ANAPHOR = /(?<!\b(?:how|what|where|when|which|why|who|i|we|you|they|to|did|does|not)\s)\b(?:do(?!\s+(?:you|u|i|we|they|he|she|not|so|ai|ben|cap|nguoi|don vi|co quan|dau)\b)|(?<=\S\s)no(?!\s+(?:thanks?|one|more|longer|idea|need)\b))\b/;

/** True when a message points back at something named before ("nq này do sở nào quản lý", "who produces it?"). */
export function pointsBack(signals: Signals): boolean {
  if (ANAPHOR.test(signals.folded)) return true;
  const accented = signals.text.normalize("NFD") !== signals.text || /đ/i.test(signals.text);
  return accented ? ACCENTED_ANAPHOR.test(signals.text.toLowerCase()) : UNACCENTED_ANAPHOR.test(signals.folded);
}

/**
 * The message with the names of the previous question it lacks added ("who produces it?" after a
 * question about Vải thiều Lục Ngạn → "who produces it? Vải thiều Lục Ngạn"), or undefined when the
 * previous question named nothing the message does not name itself. With `slots`, only names of those kinds.
 */
export function withContext(previous: Signals, message: Signals, slots?: IntentDeclaration["slots"]): string | undefined {
  const named = new Set(message.entities.map((entity) => slotOf(entity.type)));
  if (slots && slots.length === 0) return undefined;
  const wanted = slots && new Set(slots.map((slot) => slotOf(slot as EntityType)));
  // "đợt tới" (the next time) is a time of its own: the last question's year is not borrowed.
  if (NEXT_TIME.test(message.folded)) named.add("year");
  const borrowed = [
    ...new Set(
      previous.entities
        .filter((entity) => !named.has(slotOf(entity.type)) && (!wanted || wanted.has(slotOf(entity.type))))
        .map((entity) => previous.text.slice(entity.from, entity.to)),
    ),
  ];
  return borrowed.length > 0 ? `${message.text.replace(/[?.!\s]+$/, "")} ${borrowed.join(" ")}` : undefined;
}

// Words that ask rather than name ("bao lâu", "ở đâu", "how long"): a question's subject is what is left.
const ASKING_WORDS = new Set(
  ("bao lau dau nao gi ai sao khi nhieu may chua roi nhi vay thi what when where who whom which why how long many much " +
    "did will would should need get take it they there the an a").split(" "),
);

/**
 * The message with the words the last question named its subject by, for an aspect follow-up of a question
 * that named no entity ("còn ai cấp?" after "giấy chứng nhận OCOP có hiệu lực bao lâu?" → "còn ai cấp
 * giấy chứng nhận OCOP hiệu lực"); undefined when the last question has no such words.
 */
export function withSubjectWords(previous: Signals, message: Signals): string | undefined {
  const asked = new Set(message.words);
  const subject = (previous.text.match(/[\p{L}\p{N}/-]+/gu) ?? []).filter((word) => {
    const folded = fold(word);
    return !STOPWORDS.has(folded) && !ASKING_WORDS.has(folded) && !asked.has(folded);
  });
  return subject.length > 0 ? `${message.text.replace(/[?.!\s]+$/, "")} ${subject.join(" ")}` : undefined;
}
