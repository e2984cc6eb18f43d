/**
 * Curated answers: question → answer pairs the operators wrote (from the flag inbox), matched before any
 * other way of answering a question, so a fix takes effect at the next message.
 *
 * A message matches a curated question when their vectors (the offline embedder: words, word pairs and
 * character trigrams of the folded text, so diacritics do not matter) are at least `threshold` alike and
 * they name the same numbers: "Hội Lim 2027" must not get the answer written for "Hội Lim 2028". The
 * threshold is calibrated (`npm run calibrate:curated`) on test/eval/curated/paraphrases.jsonl: groups
 * of questions asking the same thing, and near misses that differ in one detail. A wrong curated answer
 * is confidently wrong, so the threshold is set for precision: 0.8 matched no near miss there, while
 * catching the same question typed with or without diacritics (similarity 1) and close rewordings;
 * a paraphrase it misses comes back to the inbox, where one click adds it to the answer.
 */
import { LocalHashEmbeddings } from "../knowledge/embeddings.ts";
import { fold } from "../knowledge/vietnamese.ts";
import type { Language, SourceRef } from "./types.ts";

/** The similarity from which a message takes a curated answer (cosine of the offline vectors); see the module's note. */
export const CURATED_THRESHOLD = 0.8;

/** One curated answer as stored. */
export interface CuratedAnswer {
  readonly id: number;
  /** Changes with every edit, so cached vectors are recomputed. */
  readonly version: string;
  readonly questions: readonly string[];
  readonly answer: Readonly<Record<Language, string>>;
  readonly sources: readonly { readonly title: string; readonly url?: string }[];
}

/** Where curated answers are kept; read at every question, so an edit applies at once on every instance. */
export interface CuratedAnswerStore {
  active(): Promise<readonly CuratedAnswer[]>;
}

/** A curated answer a message matched, with how alike they were. */
export interface CuratedMatch {
  readonly answer: CuratedAnswer;
  readonly question: string;
  readonly score: number;
}

const embedder = new LocalHashEmbeddings();

/** The numbers a text names, in order of size: a match must name the same ones. */
export function numbersNamed(text: string): string {
  return [...fold(text).matchAll(/\d+(?:[.,]\d+)?/g)].map((m) => m[0].replace(",", ".")).sort().join(" ");
}

/** Cosine similarity of two unit vectors. */
const cosine = (a: readonly number[], b: readonly number[]) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

/** How alike two questions are, 0–1, by the offline vectors (0 when they name different numbers). */
export function questionSimilarity(a: string, b: string): number {
  if (numbersNamed(a) !== numbersNamed(b)) return 0;
  return cosine(embedder.embed(a), embedder.embed(b));
}

/** A stored sentence a message may match: `key` names its version, for the cached vector. */
export interface Candidate<T> {
  readonly key: string;
  readonly text: string;
  readonly value: T;
}

/**
 * Finds, among stored sentences, the one a message is most like, at least `threshold` alike and naming the
 * same numbers. The sentences' vectors are cached by key (a new version has a new key).
 */
export function nearestSentence<T>(threshold: number) {
  const vectors = new Map<string, number[]>();
  return (text: string, candidates: readonly Candidate<T>[]): { value: T; text: string; score: number } | undefined => {
    if (candidates.length === 0) return undefined;
    if (vectors.size > 10_000) vectors.clear();
    const message = embedder.embed(text);
    const numbers = numbersNamed(text);
    let best: { value: T; text: string; score: number } | undefined;
    for (const candidate of candidates) {
      if (numbersNamed(candidate.text) !== numbers) continue;
      let vector = vectors.get(candidate.key);
      if (!vector) vectors.set(candidate.key, (vector = embedder.embed(candidate.text)));
      const score = cosine(message, vector);
      if (score >= threshold && (!best || score > best.score)) best = { value: candidate.value, text: candidate.text, score };
    }
    return best;
  };
}

/** Finds the curated answer for a message. */
export function curatedMatcher(store: CuratedAnswerStore, threshold = CURATED_THRESHOLD) {
  const nearest = nearestSentence<CuratedAnswer>(threshold);
  return {
    async match(text: string): Promise<CuratedMatch | undefined> {
      const answers = await store.active();
      const found = nearest(
        text,
        answers.flatMap((answer) => answer.questions.map((question, index) => ({ key: `${answer.id}:${answer.version}:${index}`, text: question, value: answer }))),
      );
      return found && { answer: found.value, question: found.text, score: found.score };
    },
  };
}

/** The sources of a curated answer as the turn records them. */
export function curatedSources(answer: CuratedAnswer): SourceRef[] {
  return answer.sources.map((source, index) => ({ id: `curated-${answer.id}-${index + 1}`, title: source.url ? `${source.title} (${source.url})` : source.title }));
}
