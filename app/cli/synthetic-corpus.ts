/**
 * Synthetic documents for the retrieval benchmark, built so that vector neighbourhoods look like those
 * of real text, not of recombined sentences (which tie at equal distances):
 *
 * - Each document takes the genre of one shipped document (one language of it): its running text comes
 *   from a word-pair (bigram) chain learnt from that document's sentences, with a third of the steps
 *   taken in the chain of the whole corpus of that language instead. So word frequencies are the
 *   corpus's own Zipf-like ones, neighbouring words pair as they do there, and no sentence is copied.
 * - It has a topic of its own: two made-up names (pairs of the genre's words) and ten of the genre's
 *   content words drawn with Zipf-like weights (1/√rank); a fifth of its words come from the topic, the
 *   earlier topic words more often. A chunk's nearest neighbours are then its siblings, then documents
 *   of the same genre sharing its words, at graded distances, as in a corpus of many real documents.
 * - A document has 3–12 chunks of 3–6 sentences of 8–24 words, about the size of the corpus's chunks.
 *
 * A fixed seed makes the same documents on every run.
 */
import { mulberry32 } from "../../bot/understanding/classifier.ts";
import { chunkDocument } from "../../knowledge/chunker.ts";
import { loadCorpus } from "../../knowledge/corpus.ts";
import { fold, sentences, STOPWORDS } from "../../knowledge/vietnamese.ts";

/** One synthetic document: its id and the text of each of its chunks. */
export interface SyntheticDocument {
  readonly id: string;
  readonly chunks: readonly string[];
}

const TOPIC_WORDS = 10;
const TOPIC_NAMES = 2;
const TOPIC_SHARE = 0.2;
const GENRE_SHARE = 2 / 3;

/** Documents of the synthetic corpus, `chunkCount` chunks in all. */
export function* syntheticDocuments(chunkCount: number, seed = 42): Generator<SyntheticDocument> {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));

  const chunks = loadCorpus().flatMap((document) => chunkDocument(document));
  const wordsOf = (text: string) =>
    sentences(text)
      .map((sentence) => sentence.match(/[\p{L}\p{N}]+/gu) ?? [])
      .filter((words) => words.length >= 4);
  const languages = new Map((["vi", "en"] as const).map((language) => [
    language,
    chain(chunks.filter((chunk) => chunk.language === language).flatMap((chunk) => wordsOf(chunk.content)), random),
  ]));
  const parts = new Map<string, typeof chunks>();
  for (const chunk of chunks) parts.set(`${chunk.documentId} ${chunk.language}`, [...(parts.get(`${chunk.documentId} ${chunk.language}`) ?? []), chunk]);
  const genres = [...parts.values()]
    .map((part) => ({ language: part[0]!.language, model: chain(part.flatMap((chunk) => wordsOf(chunk.content)), random) }))
    .filter((genre) => genre.model.sentences >= 20);
  // Genres drawn in proportion to their size, as the corpus has them.
  const weighted = genres.flatMap((genre) => Array.from({ length: genre.model.sentences }, () => genre));

  let written = 0;
  for (let number = 1; written < chunkCount; number++) {
    const genre = pick(weighted);
    const general = languages.get(genre.language)!;
    const topic = [...Array.from({ length: TOPIC_NAMES }, genre.model.madeUpName), ...Array.from({ length: TOPIC_WORDS }, genre.model.topicWord)];
    // Zipf within the topic too: the first topic word is used about twice as often as the second, and so on.
    const fromTopic = () => topic[Math.floor(topic.length ** random()) - 1]!;
    const next = (previous: string) => {
      if (random() < TOPIC_SHARE) return fromTopic();
      const last = previous.split(" ").at(-1)!;
      const followers = random() < GENRE_SHARE ? genre.model.successors.get(last) : general.successors.get(last);
      return followers ? pick(followers) : pick(genre.model.words);
    };
    const sentence = () => {
      const words = [random() < TOPIC_SHARE ? fromTopic() : pick(genre.model.openers)];
      for (let length = between(8, 24); words.length < length; ) words.push(next(words.at(-1)!));
      return `${capitalised(words.join(" "))}.`;
    };
    const texts = Array.from({ length: Math.min(between(3, 12), chunkCount - written) }, () =>
      Array.from({ length: between(3, 6) }, sentence).join(" "),
    );
    written += texts.length;
    yield { id: `synthetic-${String(number).padStart(6, "0")}`, chunks: texts };
  }
}

/** A bigram chain over `sentences` (lists of words) and draws of topic words and names from its vocabulary. */
function chain(sentences: readonly string[][], random: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  // Each word's successors, repeated as often as they follow it.
  const successors = new Map<string, string[]>();
  const counts = new Map<string, number>();
  for (const words of sentences) {
    words.forEach((word, i) => {
      counts.set(word, (counts.get(word) ?? 0) + 1);
      if (i === 0) return;
      const following = successors.get(words[i - 1]!) ?? [];
      successors.set(words[i - 1]!, following);
      following.push(word);
    });
  }
  // Content words by falling frequency, drawn for topics with weight 1/√rank.
  const vocabulary = [...counts.entries()]
    .filter(([word]) => !STOPWORDS.has(fold(word)) && !/\d/.test(word) && word.length > 1)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([word]) => word);
  const cumulative: number[] = [];
  vocabulary.reduce((sum, _word, rank) => (cumulative[rank] = sum + 1 / Math.sqrt(rank + 1)), 0);
  const topicWord = () => {
    const target = random() * cumulative.at(-1)!;
    let low = 0;
    for (let high = cumulative.length - 1; low < high; ) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return vocabulary[low]!;
  };
  const madeUpName = () => [pick(vocabulary), pick(vocabulary)].map((word) => capitalised(word.toLowerCase())).join(" ");
  return {
    sentences: sentences.length,
    openers: sentences.map((words) => words[0]!),
    words: sentences.flat(),
    successors,
    topicWord,
    madeUpName,
  };
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
