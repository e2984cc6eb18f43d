import { Embeddings } from "@langchain/core/embeddings";
import { loadProjection, type Projection } from "./projection.ts";
import { searchWords, STOPWORDS } from "./vietnamese.ts";

/** Vector size stored in the database; every embedder produces (or is asked for) this many dimensions. */
export const EMBEDDING_DIMENSIONS = 128;

/** Size of the hashed feature vector the offline embedders start from. */
export const HASHED_FEATURES = 512;

/** An embedder with a stable identity, recorded with every stored vector. */
export interface NamedEmbeddings extends Embeddings {
  /** Changes whenever vectors from this embedder stop being comparable with earlier ones. */
  readonly id: string;
}

/** Base of the offline embedders: a subclass writes `embed`, one text at a time; the `Embeddings` API wraps it. */
abstract class SyncEmbeddings extends Embeddings implements NamedEmbeddings {
  abstract readonly id: string;

  constructor() {
    super({});
  }

  /** Embeds synchronously; the async methods wrap this for the `Embeddings` interface. */
  abstract embed(text: string): number[];

  override async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((document) => this.embed(document));
  }

  override async embedQuery(document: string): Promise<number[]> {
    return this.embed(document);
  }
}

const FEATURE_WEIGHTS = { word: 1, stopword: 0.15, pair: 1, trigram: 0.35 } as const;

/**
 * Hashes words, word pairs and character trigrams of the folded text into a fixed-size vector. Deterministic,
 * needs no model, and tolerant of missing diacritics and typos. It is the projected embedder's input, and
 * compares texts held in memory (curated answers); its vectors are too wide for the database's column.
 */
export class LocalHashEmbeddings extends SyncEmbeddings {
  readonly id: string = `local-hash-v1-${HASHED_FEATURES}`;

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
    const vector = new Array<number>(HASHED_FEATURES).fill(0);
    for (const [feature, weight] of counts) {
      const hash = fnv1a(feature);
      // Sublinear term frequency keeps one repeated word from dominating the vector.
      vector[hash % HASHED_FEATURES]! += (hash & 0x80000000 ? -1 : 1) * (1 + Math.log(weight + 1)) * Math.min(weight, 1);
    }
    return normalized(vector);
  }
}

/**
 * The offline default: the hashed features projected onto the corpus's principal directions (projection.ts),
 * so that nearest neighbours stand out from the rest and an HNSW search finds them without walking wide.
 */
export class LocalProjectedEmbeddings extends SyncEmbeddings {
  readonly id: string;
  readonly #features = new LocalHashEmbeddings();
  readonly #projection: Projection;

  constructor(projection: Projection = loadProjection()) {
    super();
    if (projection.features !== HASHED_FEATURES) throw new Error(`the projection expects ${projection.features} features, not ${HASHED_FEATURES}`);
    this.#projection = projection;
    this.id = `local-lsa-v1-${projection.components.length}-${projection.version}`;
  }

  embed(text: string): number[] {
    const features = this.#features.embed(text);
    return normalized(
      this.#projection.components.map((component) => {
        let dot = 0;
        for (let j = 0; j < features.length; j++) dot += component[j]! * features[j]!;
        return dot;
      }),
    );
  }
}

function normalized(vector: number[]): number[] {
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
