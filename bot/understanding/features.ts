/**
 * The features the intent classifier reads from a message's signals: its words and word pairs with
 * each entity replaced by its type ("giá kẹo lạc" → "gia @product"), character trigrams that survive
 * typos and missing diacritics, the entity types present, and the question type.
 */
import { foldForSearch, hasVietnameseDiacritics, singular } from "../../knowledge/vietnamese.ts";
import type { Features } from "./classifier.ts";
import type { Signals } from "./signals.ts";

const WEIGHTS = { word: 1, accented: 0.6, pair: 0.8, trigram: 0.25, entity: 1, entityValue: 0.6, questionType: 0.7, length: 0.3 } as const;

/** The classifier's features of one message. */
export function featuresOf(signals: Pick<Signals, "text" | "entities" | "questionType">): Features {
  const features = new Map<string, number>();
  const add = (name: string, weight: number) => features.set(name, (features.get(name) ?? 0) + weight);
  // Entity spans become placeholders that folding and abbreviation expansion leave alone.
  let masked = signals.text;
  for (const entity of [...signals.entities].sort((a, b) => b.from - a.from)) {
    masked = `${masked.slice(0, entity.from)} zz${entity.type.replace(/_/g, "")} ${masked.slice(entity.to)}`;
  }
  const words = (foldForSearch(masked).match(/[\p{L}\p{N}]+/gu) ?? []).map((word) => (/^\d+$/.test(word) ? "#" : singular(word)));
  words.forEach((word, i) => {
    add(`w:${word}`, WEIGHTS.word);
    if (i > 0) add(`p:${words[i - 1]}_${word}`, WEIGHTS.pair);
    if (word.length > 3 && !word.startsWith("zz")) {
      const padded = `<${word}>`;
      for (let j = 0; j + 3 <= padded.length; j++) add(`t:${padded.slice(j, j + 3)}`, WEIGHTS.trigram);
    }
  });
  // Words typed with diacritics keep what folding loses: "hội" (festival) is not "hỏi" (ask).
  for (const word of masked.toLowerCase().match(/[\p{L}]+/gu) ?? []) if (hasVietnameseDiacritics(word)) add(`a:${word}`, WEIGHTS.accented);
  for (const type of new Set(signals.entities.map((entity) => entity.type))) add(`e:${type}`, WEIGHTS.entity);
  for (const entity of signals.entities) {
    // The kind of a few entities says as much as their presence: a plan is about targets, a resolution about support.
    if (entity.type === "instrument") add(`v:instrument:${entity.kind}`, WEIGHTS.entityValue);
    if (entity.type === "province" || entity.type === "producer_kind" || entity.type === "month") add(`v:${entity.type}:${entity.value}`, WEIGHTS.entityValue);
    if (entity.type === "product" && entity.quantity !== undefined) add("v:product:quantity", WEIGHTS.entityValue);
  }
  add(`q:${signals.questionType}`, WEIGHTS.questionType);
  // The first word with the question type: "mua tỏi" (buy) is not "mua tỏi ở đâu" (where to buy).
  if (words[0]) add(`s:${words[0]}:${signals.questionType}`, WEIGHTS.questionType);
  add(words.length <= 2 ? "len:short" : words.length <= 6 ? "len:mid" : "len:long", WEIGHTS.length);
  return features;
}
