import type { Chunk } from "./chunker.ts";
import type { KnowledgeDocument } from "./corpus.ts";

/** What the index remembers about a stored document, to decide whether to re-ingest it. */
export interface StoredDocumentState {
  readonly contentHash: string;
  readonly embedder: string;
}

/** A chunk ready to store: its search terms and its vector. */
export interface IndexedChunk extends Chunk {
  readonly terms: readonly string[];
  readonly embedding: readonly number[];
}

/** A chunk found by a search branch, with its document's titles. */
export interface ChunkHit {
  readonly chunkId: number;
  readonly documentId: string;
  readonly title: { readonly vi: string; readonly en: string };
  /** The document's other names (front matter `aliases`). */
  readonly aliases: readonly string[];
  readonly section: string;
  readonly language: "vi" | "en";
  readonly content: string;
  readonly score: number;
}

/** A weighted lexical query: each term with its weight (inverse document frequency × query weight). */
export interface LexicalQuery {
  readonly terms: readonly string[];
  readonly weights: readonly number[];
  /** The terms a chunk must contain one of to be scored at all (the selective ones, to bound the work). */
  readonly required: readonly string[];
}

/** Corpus statistics that weight lexical terms. */
export interface TermStatistics {
  readonly chunkCount: number;
  /** Number of chunks containing each term asked about (absent = none). */
  readonly documentFrequency: ReadonlyMap<string, number>;
}

/** Storage of the knowledge index (PostgreSQL + pgvector or PGlite behind it). */
export interface KnowledgeIndex {
  documentStates(): Promise<Map<string, StoredDocumentState>>;
  /** Replaces a document and all its chunks atomically. */
  replaceDocument(document: KnowledgeDocument, chunks: readonly IndexedChunk[], embedder: string): Promise<void>;
  deleteDocuments(ids: readonly string[]): Promise<void>;
  /** Recomputes term document frequencies and average chunk length after a change. */
  refreshStatistics(): Promise<void>;
  termStatistics(terms: readonly string[]): Promise<TermStatistics>;
  /** For each folded word, the corpus's spellings of it (with and without diacritics), most frequent first. */
  accentedForms(words: readonly string[]): Promise<Map<string, { term: string; chunkCount: number }[]>>;
  /** For each word, the most similar single word of the corpus (by trigrams), where one is similar enough. */
  closestWords(words: readonly string[]): Promise<Map<string, string>>;
  /** Chunks containing any query term, ranked by summed term weight with length normalisation. */
  lexicalSearch(query: LexicalQuery, limit: number): Promise<ChunkHit[]>;
  /** Every chunk of one document, in order. */
  documentChunks(documentId: string): Promise<ChunkHit[]>;
  /**
   * Chunks nearest to `embedding` by cosine distance; `exact` bypasses the approximate index, and
   * `efSearch` widens the HNSW search (pgvector's default is 40) for better recall on large corpora.
   */
  vectorSearch(embedding: readonly number[], limit: number, options?: { exact?: boolean; efSearch?: number }): Promise<ChunkHit[]>;
}
