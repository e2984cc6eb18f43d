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
  return namedSpans(question, items, aliasesOf).map((span) => span.item).filter((item, i, all) => all.indexOf(item) === i);
}

/** Where a text names an item: the item and the characters of the name. */
export interface NamedSpan<T> {
  readonly item: T;
  readonly from: number;
  readonly to: number;
}

const compiled = new WeakMap<object, { item: unknown; pattern: RegExp; length: number }[]>();

/**
 * Every place `text` names one of `items` by an alias (whole words, diacritics and case ignored), longest
 * names first and never overlapping, in text order. Folding keeps each letter's position, so the
 * offsets are those of the text as typed. `items` should be a long-lived array: its patterns are cached.
 */
export function namedSpans<T>(text: string, items: readonly T[], aliasesOf: (item: T) => readonly string[]): NamedSpan<T>[] {
  let patterns = compiled.get(items);
  if (!patterns) {
    patterns = items
      .flatMap((item) =>
        [...new Set(aliasesOf(item).map((alias) => fold(alias).match(/[\p{L}\p{N}]+/gu) ?? []).filter((parts) => parts.length > 0).map((parts) => parts.join(" ")))].map((alias) => ({
          item,
          pattern: new RegExp(`(?<![\\p{L}\\p{N}])${alias.split(" ").map(escape).join("[^\\p{L}\\p{N}]+")}(?![\\p{L}\\p{N}])`, "gu"),
          length: alias.length,
        })),
      )
      .sort((a, b) => b.length - a.length);
    compiled.set(items, patterns);
  }
  const folded = fold(text);
  const taken: NamedSpan<T>[] = [];
  for (const { item, pattern } of patterns) {
    for (const match of folded.matchAll(pattern)) {
      const from = match.index;
      const to = from + match[0].length;
      if (taken.some((span) => from < span.to && to > span.from)) continue;
      taken.push({ item: item as T, from, to });
    }
  }
  return taken.sort((a, b) => a.from - b.from);
}

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
