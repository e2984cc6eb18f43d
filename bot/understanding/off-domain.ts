/**
 * Words only the out-of-scope examples use. "còn thời tiết mấy hôm đó thế nào?" after a question on Hội
 * Lim points back at the festival, but asks about the weather, which no intent of the assistant serves: a
 * message naming such a thing is not a follow-up of the last question, whatever it points back at.
 *
 * A term is a folded word that is not a function word, or a pair of such words ("thoi tiet", "ty gia"),
 * since Vietnamese syllables folded alone ("thoi", "tiet") are shared by too many words. A term counts when
 * the out-of-scope examples use it and the examples of every other intent do not.
 */
import { searchWords, STOPWORDS } from "../../knowledge/vietnamese.ts";
import { examplesOf, type IntentDeclaration } from "./intents.ts";

/** The intent whose examples say what the assistant does not cover. */
const OUT_OF_SCOPE = "out_of_scope";

function termsOf(text: string): Set<string> {
  const words = searchWords(text).map((word) => (word.length >= 2 && !STOPWORDS.has(word) && !/^\d+$/.test(word) ? word : undefined));
  const terms = new Set<string>();
  words.forEach((word, i) => {
    if (word && word.length >= 3) terms.add(word);
    const before = words[i - 1];
    if (word && before) terms.add(`${before} ${word}`);
  });
  return terms;
}

/** The terms only the out-of-scope examples use, learnt from the intents' examples. */
export class OffDomainTerms {
  private constructor(private readonly terms: ReadonlySet<string>) {}

  /** Learns the terms from the declared intents. */
  static from(intents: readonly IntentDeclaration[]): OffDomainTerms {
    const inScope = new Set<string>();
    const outOfScope = new Set<string>();
    for (const intent of intents) for (const example of examplesOf(intent)) for (const term of termsOf(example)) (intent.name === OUT_OF_SCOPE ? outOfScope : inScope).add(term);
    return new OffDomainTerms(new Set([...outOfScope].filter((term) => !inScope.has(term))));
  }

  /** The off-domain terms `text` uses (none for a message about the assistant's subjects). */
  in(text: string): string[] {
    return [...termsOf(text)].filter((term) => this.terms.has(term));
  }
}
