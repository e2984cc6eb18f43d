import { fold } from "./vietnamese.ts";

const words = (text: string) => ` ${fold(text).replace(/[^\p{L}\p{N}]+/gu, " ").trim()} `;

/**
 * The items a question names, by the longest alias it contains as whole words, with or without
 * diacritics ("hội làng Diềm" beats "làng Diềm"). Items tied on that length are all returned.
 */
export function itemsNamedIn<T>(question: string, items: readonly T[], aliasesOf: (item: T) => readonly string[]): T[] {
  const text = words(question);
  const scored = items.map((item) => ({
    item,
    score: Math.max(0, ...aliasesOf(item).map(words).filter((alias) => alias.trim() && text.includes(alias)).map((alias) => alias.length)),
  }));
  const best = Math.max(0, ...scored.map((entry) => entry.score));
  return best === 0 ? [] : scored.filter((entry) => entry.score === best).map((entry) => entry.item);
}

/** Every item the question names (each by any of its aliases), in the order they appear in the question. */
export function allItemsNamedIn<T>(question: string, items: readonly T[], aliasesOf: (item: T) => readonly string[]): T[] {
  const text = words(question);
  return items
    .map((item) => ({ item, at: Math.min(...aliasesOf(item).map(words).filter((alias) => alias.trim()).map((alias) => text.indexOf(alias)).filter((at) => at >= 0)) }))
    .filter((entry) => Number.isFinite(entry.at))
    .sort((a, b) => a.at - b.at)
    .map((entry) => entry.item);
}
