import { Embeddings } from "@langchain/core/embeddings";
import { searchWords, STOPWORDS } from "./vietnamese.ts";

/** Vector size stored in the database; every embedder produces (or is asked for) this many dimensions. */
export const EMBEDDING_DIMENSIONS = 512;

/** An embedder with a stable identity, recorded with every stored vector. */
export interface NamedEmbeddings extends Embeddings {
  /** Changes whenever vectors from this embedder stop being comparable with earlier ones. */
  readonly id: string;
}

const FEATURE_WEIGHTS = { word: 1, stopword: 0.15, pair: 1, trigram: 0.35 } as const;

/**
 * The offline default: hashes words, word pairs and character trigrams of the folded text into a
 * fixed-size vector. Deterministic, needs no model, and tolerant of missing diacritics and typos.
 */
export class LocalHashEmbeddings extends Embeddings implements NamedEmbeddings {
  readonly id: string = `local-hash-v1-${EMBEDDING_DIMENSIONS}`;

  constructor() {
    super({});
  }

  override async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((document) => this.embed(document));
  }

  override async embedQuery(document: string): Promise<number[]> {
    return this.embed(document);
  }

  /** Embeds synchronously; the async methods wrap this for the `Embeddings` interface. */
  embed(text: string): number[] {
    const counts = new Map<string, number>();
    const add = (feature: string, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
    const words = searchWords(text);
    words.forEach((word, index) => {
      add(`w:${word}`, STOPWORDS.has(word) ? FEATURE_WEIGHTS.stopword : FEATURE_WEIGHTS.word);
      const next = words[index + 1];
      if (next && !(STOPWORDS.has(word) && STOPWORDS.has(next))) add(`p:${word}_${next}`, FEATURE_WEIGHTS.pair);
      if (word.length > 3 && !STOPWORDS.has(word)) {
        const padded = `^${word}$`;
        for (let i = 0; i + 3 <= padded.length; i++) add(`t:${padded.slice(i, i + 3)}`, FEATURE_WEIGHTS.trigram);
      }
    });
    const vector = new Array<number>(EMBEDDING_DIMENSIONS).fill(0);
    for (const [feature, weight] of counts) {
      const hash = fnv1a(feature);
      // Sublinear term frequency keeps one repeated word from dominating the vector.
      vector[hash % EMBEDDING_DIMENSIONS]! += (hash & 0x80000000 ? -1 : 1) * (1 + Math.log(weight + 1)) * Math.min(weight, 1);
    }
    const norm = Math.hypot(...vector) || 1;
    return vector.map((value) => value / norm);
  }
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
