import type { CallbackManagerForRetrieverRun } from "@langchain/core/callbacks/manager";
import { Document } from "@langchain/core/documents";
import { BaseRetriever } from "@langchain/core/retrievers";
import type { NamedEmbeddings } from "./embeddings.ts";
import { namedSpans } from "./aliases.ts";
import { vietnameseEquivalents } from "./glossary.ts";
import type { ChunkHit, KnowledgeIndex } from "./ports.ts";
import { ACCENTED_STOPWORDS, accentedWords, fold, hasVietnameseDiacritics, searchTerms, searchWords, STOPWORDS } from "./vietnamese.ts";

/** Reciprocal rank fusion constant (the usual 60). */
const RRF_K = 60;
/** Candidates each branch contributes; an HNSW search returns at most its ef_search rows (HNSW_EF_SEARCH, above this). */
export const BRANCH_LIMIT = 40;

/** Share of a folded word's occurrences one accented spelling needs before a question's word is read as it. */
const DOMINANT_SPELLING_SHARE = 0.6;

/** Share of a missing word's weight that a missing word pair counts for. */
const MISSING_PAIR_SHARE = 0.15;

/** A term selects candidate chunks only if it occurs in at most this many chunks, or this share of them. */
const MIN_CANDIDATE_TERM_FREQUENCY = 200;
const CANDIDATE_TERM_SHARE = 0.01;
/**
 * The most chunks the lexical branch scores: each candidate costs reading its terms and testing every query
 * term (about 30 µs on PostgreSQL), and on 100,000 chunks the selective terms of one question could select
 * 4,000. Measured by `npm run bench:retrieval` (the overlap of the lexical top 10 with the unbounded one).
 */
export const CANDIDATE_BUDGET = 1500;

/** Word pairs are more specific than single words; English words count through their Vietnamese equivalents too. */
const TERM_WEIGHTS = { word: 1, pair: 1.5, numberPair: 0.5, instrument: 2, stopword: 0.1, translated: 1, restored: 0.5 } as const;

/** A passage with its fused score and its rank in each branch (undefined = not found there). */
export interface RetrievedPassage extends ChunkHit {
  readonly fused: number;
  readonly lexicalRank?: number;
  readonly vectorRank?: number;
}

/** A document ranked by its best passage. */
export interface RetrievedDocument {
  readonly id: string;
  readonly title: { readonly vi: string; readonly en: string };
  readonly score: number;
}

/** The outcome of one search. */
export interface RetrievalResult {
  readonly passages: readonly RetrievedPassage[];
  readonly documents: readonly RetrievedDocument[];
  /** The query's terms found in the corpus, with their weights (inverse document frequency × kind of term). */
  readonly queryTerms: ReadonlyMap<string, number>;
  /** The weight of query terms the corpus lacks: a question mostly about them is not covered. */
  readonly missingWeight: number;
}

/** Options of the hybrid retriever. */
export interface HybridRetrieverOptions {
  readonly index: KnowledgeIndex;
  readonly embedder: NamedEmbeddings;
  /** Passages returned through the LangChain `invoke` interface. */
  readonly k?: number;
  /** Told when the vector branch fails (e.g. an embeddings API outage); the search goes on lexically. */
  readonly onVectorError?: (error: unknown) => void;
  /** Names the corpus knows things by (its documents' aliases); a query's word pairs do not cross their edges. */
  readonly names?: readonly string[];
  /** The most chunks the lexical branch scores (CANDIDATE_BUDGET); the bench compares with Infinity. */
  readonly candidateBudget?: number;
}

/**
 * Vietnamese-aware hybrid search: diacritic-folded full text (words and word pairs weighted by
 * inverse document frequency) and vector similarity, fused by reciprocal rank.
 */
export class HybridRetriever extends BaseRetriever {
  lc_namespace = ["ocop", "knowledge", "retrievers"];
  readonly #index: KnowledgeIndex;
  readonly #embedder: NamedEmbeddings;
  readonly #k: number;
  readonly #onVectorError: (error: unknown) => void;
  readonly #names: readonly string[];
  readonly #candidateBudget: number;

  constructor(options: HybridRetrieverOptions) {
    super({});
    this.#index = options.index;
    this.#embedder = options.embedder;
    this.#names = options.names ?? [];
    this.#k = options.k ?? 6;
    this.#onVectorError = options.onVectorError ?? (() => {});
    this.#candidateBudget = options.candidateBudget ?? CANDIDATE_BUDGET;
  }

  /** Searches both branches and fuses them; the engine uses this rather than `invoke`. */
  async search(rawQuery: string): Promise<RetrievalResult> {
    const query = await this.#correctTypos(rawQuery);
    // The words as typed too: a correction ("score" → "scored") must not hide a word the glossary knows.
    const translated = vietnameseEquivalents(query === rawQuery ? query : `${rawQuery} . ${query}`);
    const { weights: queryTerms, missingWeight, required } = await this.#weighTerms(setNamesApart(query, this.#names), translated);
    const [lexical, vector] = await Promise.all([
      this.#index.lexicalSearch({ terms: [...queryTerms.keys()], weights: [...queryTerms.values()], required }, BRANCH_LIMIT),
      this.#embedder
        .embedQuery(translated ? `${query} . ${translated}` : query)
        .then((embedding) => this.#index.vectorSearch(embedding, BRANCH_LIMIT))
        .catch((error: unknown) => {
          this.#onVectorError(error);
          return [];
        }),
    ]);
    const passages = fuse(lexical, vector);
    return { passages, documents: rankDocuments(passages, queryTerms), queryTerms, missingWeight };
  }

  /** Every passage of one document, for composing an answer from more than the retrieved chunks. */
  async passagesOf(documentId: string): Promise<ChunkHit[]> {
    return this.#index.documentChunks(documentId);
  }

  override async _getRelevantDocuments(query: string, _runManager?: CallbackManagerForRetrieverRun): Promise<Document[]> {
    const { passages } = await this.search(query);
    return passages.slice(0, this.#k).map(
      (passage) =>
        new Document({
          pageContent: passage.content,
          metadata: { documentId: passage.documentId, title: passage.title, section: passage.section, score: passage.fused },
          id: String(passage.chunkId),
        }),
    );
  }

  /** Replaces words the corpus lacks by the closest corpus word ("prodcts" → "product"). */
  async #correctTypos(query: string): Promise<string> {
    const words = [...new Set(searchWords(query))].filter((word) => word.length >= 4 && !/\d/.test(word));
    const stats = await this.#index.termStatistics(words);
    const unknown = words.filter((word) => !stats.documentFrequency.has(word));
    if (unknown.length === 0) return query;
    const corrections = await this.#index.closestWords(unknown);
    if (corrections.size === 0) return query;
    return searchWords(query)
      .map((word) => corrections.get(word) ?? word)
      .join(" ");
  }

  /**
   * Weighs each query term by inverse document frequency and picks the selective ones a chunk must
   * contain to be scored: in a large corpus, common words would otherwise make every chunk a candidate.
   */
  /**
   * For words typed without diacritics, the spelling the corpus uses most when it clearly dominates:
   * "diem" is far more often "điểm" than "Diềm", so the question also searches "điểm".
   */
  async #restoreDiacritics(query: string): Promise<string[]> {
    const plain = query
      .normalize("NFC")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu)
      ?.filter((word) => !hasVietnameseDiacritics(word) && !STOPWORDS.has(word)) ?? [];
    const forms = await this.#index.accentedForms([...new Set(plain.map((word) => fold(word)))]);
    const restored: string[] = [];
    for (const variants of forms.values()) {
      const total = variants.reduce((sum, variant) => sum + variant.chunkCount, 0);
      const [top] = variants;
      if (top && hasVietnameseDiacritics(top.term) && top.chunkCount >= total * DOMINANT_SPELLING_SHARE) restored.push(top.term);
    }
    return restored;
  }

  async #weighTerms(
    query: string,
    translated: string,
  ): Promise<{ weights: Map<string, number>; missingWeight: number; required: string[] }> {
    const weights = new Map<string, number>();
    const add = (term: string, weight: number) => weights.set(term, Math.max(weights.get(term) ?? 0, weight));
    // A pair with a function word in it ("bao_nhieu", "can_bao") is question phrasing, not content.
    const kindWeight = (term: string) => {
      // "phần A", "part B": the letter names the part; it is not the particle "a".
      if (/^(phan|part)_[abc]$/.test(term)) return TERM_WEIGHTS.pair;
      // "Nghị quyết 67", "Decision 148": the number names a legal instrument, the surest sign of its document.
      if (/^(quyet|dinh|resolution|decision|hoach|plan)_\d+$/.test(term)) return TERM_WEIGHTS.instrument;
      const words = term.split("_");
      if (words.some((word) => STOPWORDS.has(word))) return TERM_WEIGHTS.stopword;
      if (words.length === 1) return TERM_WEIGHTS.word;
      // "phẩm 4" is rare only by accident of wording; pairs with a number are weak evidence.
      return words.some((word) => /^\d+$/.test(word)) ? TERM_WEIGHTS.numberPair : TERM_WEIGHTS.pair;
    };
    for (const term of searchTerms(query)) add(term, kindWeight(term));
    for (const word of accentedWords(query)) add(word, ACCENTED_STOPWORDS.has(word) ? TERM_WEIGHTS.stopword : TERM_WEIGHTS.word);
    for (const word of await this.#restoreDiacritics(query)) add(word, kindWeight(fold(word)) * TERM_WEIGHTS.restored);
    for (const term of searchTerms(translated)) add(term, kindWeight(term) * TERM_WEIGHTS.translated);

    const stats = await this.#index.termStatistics([...weights.keys()]);
    const weighted = new Map<string, number>();
    let missingWeight = 0;
    const idf = (frequency: number) => Math.log(1 + (stats.chunkCount - frequency + 0.5) / (frequency + 0.5));
    for (const [term, weight] of weights) {
      const frequency = stats.documentFrequency.get(term) ?? 0;
      if (frequency > 0) {
        weighted.set(term, weight * idf(frequency));
      } else {
        // A question about "thời tiết" or "Paris" must not look covered because "hôm nay" matched.
        // New pairs of known words are common in questions, so they count for less.
        missingWeight += weight * idf(0) * (term.includes("_") ? MISSING_PAIR_SHARE : 1);
      }
    }
    const frequency = (term: string) => stats.documentFrequency.get(term)!;
    const maxCandidates = Math.max(MIN_CANDIDATE_TERM_FREQUENCY, stats.chunkCount * CANDIDATE_TERM_SHARE);
    const rarest = [...weighted.keys()].sort((a, b) => frequency(a) - frequency(b));
    const selective = rarest.filter((term) => frequency(term) <= maxCandidates);
    return { weights: weighted, missingWeight, required: this.#withinBudget(selective.length > 0 ? selective : rarest.slice(0, 2), stats.chunkCount, frequency) };
  }

  /**
   * The rarest of `terms` (sorted rarest first) whose chunks add up to at most the candidate budget, and
   * always the rarest one. The sum bounds the candidates, so a corpus no larger than the budget keeps every
   * term; on a large one the commonest selective terms ("hỗ trợ" in 900 of 100,000 chunks) select no chunks
   * of their own but still count in the score of those the rarer terms select.
   */
  #withinBudget(terms: readonly string[], chunkCount: number, frequency: (term: string) => number): string[] {
    if (chunkCount <= this.#candidateBudget) return [...terms];
    const kept: string[] = [];
    let candidates = 0;
    for (const term of terms) {
      candidates += frequency(term);
      if (kept.length > 0 && candidates > this.#candidateBudget) break;
      kept.push(term);
    }
    return kept;
  }
}

function fuse(lexical: readonly ChunkHit[], vector: readonly ChunkHit[]): RetrievedPassage[] {
  const passages = new Map<number, RetrievedPassage>();
  const addBranch = (hits: readonly ChunkHit[], branch: "lexicalRank" | "vectorRank") =>
    hits.forEach((hit, rank) => {
      const existing = passages.get(hit.chunkId);
      const fused = (existing?.fused ?? 0) + 1 / (RRF_K + rank + 1);
      passages.set(hit.chunkId, { ...(existing ?? hit), fused, [branch]: rank + 1 });
    });
  addBranch(lexical, "lexicalRank");
  addBranch(vector, "vectorRank");
  return [...passages.values()].sort((a, b) => b.fused - a.fused || a.chunkId - b.chunkId);
}

/** A document's second-best passage adds this share of its score: two matching passages beat one. */
const SECOND_PASSAGE_WEIGHT = 0.5;
/** Weight of the third ranking fused into documents: how much of the query their titles contain. */
const TITLE_WEIGHT = 0.5;

/**
 * Ranks documents by their two best passages plus a reciprocal-rank bonus for titles that contain
 * the query's words: "bao nhiêu điểm" belongs to the scoring document even when a figures page
 * repeats "sản phẩm đạt 4 sao" more often.
 */
function rankDocuments(passages: readonly RetrievedPassage[], queryTerms: ReadonlyMap<string, number>): RetrievedDocument[] {
  const documents = new Map<string, RetrievedDocument & { count: number }>();
  for (const passage of passages) {
    const existing = documents.get(passage.documentId);
    if (!existing) {
      documents.set(passage.documentId, { id: passage.documentId, title: passage.title, score: passage.fused, count: 1 });
    } else if (existing.count === 1) {
      documents.set(passage.documentId, { ...existing, score: existing.score + SECOND_PASSAGE_WEIGHT * passage.fused, count: 2 });
    }
  }
  const titleMatch = (title: { vi: string; en: string }) => {
    const terms = new Set(searchTerms(`${title.vi} . ${title.en}`));
    let sum = 0;
    for (const [term, weight] of queryTerms) if (terms.has(term)) sum += weight;
    return sum;
  };
  const byTitle = [...documents.values()]
    .map((document) => ({ id: document.id, match: titleMatch(document.title) }))
    .filter((entry) => entry.match > 0)
    .sort((a, b) => b.match - a.match);
  byTitle.forEach(({ id }, rank) => {
    const document = documents.get(id)!;
    documents.set(id, { ...document, score: document.score + TITLE_WEIGHT / (RRF_K + rank + 1) });
  });
  return [...documents.values()].sort((a, b) => b.score - a.score).map(({ count: _count, ...document }) => document);
}

/**
 * The query with each name it contains set apart by full stops, so that no word pair spans a name's
 * edge: in "bánh phu thê Đình Bảng làm từ gì", the pair "Bảng làm" is an accident of word order that
 * would match "Đình Bảng làm quà" rather than what the cake is made from.
 */
export function setNamesApart(query: string, names: readonly string[]): string {
  if (names.length === 0) return query;
  let text = query;
  for (const span of namedSpans(query, names, (name) => [name]).sort((a, b) => b.from - a.from)) {
    text = `${text.slice(0, span.from)} . ${text.slice(span.from, span.to)} . ${text.slice(span.to)}`;
  }
  return text;
}
