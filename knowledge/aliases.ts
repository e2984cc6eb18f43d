import { fold, hoiNgaAlike } from "./vietnamese.ts";

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

interface Alias {
  readonly item: unknown;
  /** The alias's folded words. */
  readonly words: readonly string[];
  /** The same words lower-cased with their diacritics, from the alias's most marked spelling. */
  readonly spelling: readonly string[];
  readonly length: number;
}

/** Each item array's aliases, by their first folded word, so a message is compared only with aliases it may contain. */
const compiled = new WeakMap<object, Map<string, Alias[]>>();

/** How many letters of a word carry a diacritic. */
function marks(text: string): number {
  const folded = fold(text);
  return [...text].filter((letter, i) => letter !== folded[i]).length;
}

/**
 * Whether a word as typed can be the alias's word: diacritics may be left out, but where both carry one
 * they must be the same, so "đến đó" (to there) is not "Đền Đô" (a temple) although both fold to "den do".
 */
function marksAgree(typed: string, spelling: string): boolean {
  if (typed.length !== spelling.length) return true;
  const plainTyped = fold(typed);
  const plainSpelling = fold(spelling);
  return [...typed].every((letter, i) => letter === spelling[i] || letter === plainTyped[i] || spelling[i] === plainSpelling[i] || hoiNgaAlike(letter) === hoiNgaAlike(spelling[i]!));
}

/**
 * Every place `text` names one of `items` by an alias (whole words, case ignored, diacritics ignored where
 * either side leaves them out), longest
 * names first and never overlapping, in text order. Folding keeps each letter's position, so the
 * offsets are those of the text as typed. `items` should be a long-lived array: its aliases are indexed once.
 */
export function namedSpans<T>(text: string, items: readonly T[], aliasesOf: (item: T) => readonly string[]): NamedSpan<T>[] {
  let byFirstWord = compiled.get(items);
  if (!byFirstWord) {
    byFirstWord = new Map();
    for (const item of items) {
      // Each folded alias once, with its most marked spelling ("Đền Đô" rather than "Den Do").
      const spellings = new Map<string, string>();
      for (const alias of aliasesOf(item)) {
        const spelling = (alias.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(" ");
        const folded = fold(spelling);
        const known = spellings.get(folded);
        if (folded && (known === undefined || marks(spelling) > marks(known))) spellings.set(folded, spelling);
      }
      for (const [alias, spelling] of spellings) {
        const words = alias.split(" ");
        byFirstWord.set(words[0]!, [...(byFirstWord.get(words[0]!) ?? []), { item, words, spelling: spelling.split(" "), length: alias.length }]);
      }
    }
    compiled.set(items, byFirstWord);
  }
  const words = [...fold(text).matchAll(/[\p{L}\p{N}]+/gu)].map((match) => ({ word: match[0], from: match.index, to: match.index + match[0].length }));
  const found: (NamedSpan<T> & { length: number })[] = [];
  words.forEach(({ word, from }, start) => {
    for (const alias of byFirstWord.get(word) ?? []) {
      const end = start + alias.words.length;
      const typed = (i: number) => text.slice(words[start + i]!.from, words[start + i]!.to).toLowerCase();
      if (end <= words.length && alias.words.every((w, i) => words[start + i]!.word === w && marksAgree(typed(i), alias.spelling[i]!))) {
        found.push({ item: alias.item as T, from, to: words[end - 1]!.to, length: alias.length });
      }
    }
  });
  const taken: NamedSpan<T>[] = [];
  for (const span of found.sort((a, b) => b.length - a.length || a.from - b.from)) {
    if (taken.some((other) => span.from < other.to && span.to > other.from)) continue;
    taken.push({ item: span.item, from: span.from, to: span.to });
  }
  return taken.sort((a, b) => a.from - b.from);
}
