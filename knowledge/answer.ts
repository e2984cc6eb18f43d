import type { ChunkHit } from "./ports.ts";
import type { RetrievalResult, RetrievedPassage } from "./retriever.ts";
import { fold, searchTerms, sentences } from "./vietnamese.ts";

/** Reply language; the same values as the conversation core's. */
export type AnswerLanguage = "vi" | "en";

/** A document an answer cites. */
export interface CitedSource {
  readonly id: string;
  readonly title: string;
}

/** A cited answer, or the reason there is none. */
export type Answer =
  | { readonly kind: "answer"; readonly text: string; readonly sources: readonly CitedSource[] }
  | { readonly kind: "unknown" }
  | { readonly kind: "off_topic" };

/** Anything that answers a question from the knowledge base. */
export interface QuestionAnswerer {
  answer(question: string, language: AnswerLanguage): Promise<Answer>;
}

/** Anything that searches the knowledge base (the hybrid retriever, or a baseline in the evaluation). */
export interface PassageSearch {
  search(query: string): Promise<RetrievalResult>;
  /** Every passage of one document. */
  passagesOf(documentId: string): Promise<readonly ChunkHit[]>;
}

/** Share of the query's weight a passage must cover before we trust it to answer. */
const MIN_COVERAGE = 0.2;
const ANSWER_LIMITS = { sentences: 3, chars: 650, minShareOfBest: 0.4 } as const;
const LIST_LIMITS = { sentences: 8, chars: 1300, minShareOfBest: 0.25 } as const;
const LIST_QUESTION = /\b(nhung (buoc|gi|ai|noi|san pham|nhom|phan)|cac (buoc|nhom|phan|muc)|gom (nhung|may)|may (buoc|nhom|phan)|liet ke|what are|which are|steps|list)\b/;
const PASSAGES_CONSIDERED = 12;
/** Documents read in full before answering. */
const DOCUMENTS_READ = 2;
/** How much better another document's best sentence must match to take over from the first. */
const FIRST_DOCUMENT_PREFERENCE = 1.2;
/** A sentence in the other language must match about twice as well to be quoted. */
const OTHER_LANGUAGE_FACTOR = 0.5;

// Words (and word pairs, where a folded word alone is ambiguous: "hoi" is hội or hỏi, "toi" tỏi or tôi)
// that show a question is about what we cover, even when the corpus cannot answer it.
const DOMAIN_TERMS = new Set(
  ("ocop sao san_pham ho_tro lang nghe le_hoi hoi_lim hoi_lang bac_ninh bac_giang chung_nhan diem hop_tac_xa " +
    "doanh_nghiep nghi_quyet quyet_dinh tranh gom duc_dong do_go may_tre banh keo toi_mot gia mua dat_hang don_hang " +
    "du_lich phuong huyen tinh thuong_hieu village festival pottery product star subsidy support certificate craft " +
    "market painting bronze order price cooperative resolution tourism tour").split(" "),
);

/** Answers from the best passages' own sentences, in the asker's language, citing the documents used. */
export class ExtractiveAnswerer implements QuestionAnswerer {
  constructor(private readonly retriever: PassageSearch) {}

  async answer(question: string, language: AnswerLanguage): Promise<Answer> {
    return answerFrom(this.retriever, question, language);
  }
}

/** Retrieves (unless `result` is given), then composes from the passages of the best documents. */
export async function answerFrom(
  search: PassageSearch,
  question: string,
  language: AnswerLanguage,
  result?: RetrievalResult,
): Promise<Answer> {
  result ??= await search.search(question);
  const contenders = result.documents.slice(0, DOCUMENTS_READ);
  const passages = await Promise.all(contenders.map((document) => search.passagesOf(document.id)));
  return composeExtractiveAnswer(question, language, result, passages);
}

/**
 * Builds an extractive answer: checks the retrieval covers the question, reads the best documents
 * (`documentPassages[i]` holds every chunk of `result.documents[i]`), and answers from the one whose
 * sentences match the question best, quoting those sentences and citing it.
 */
export function composeExtractiveAnswer(
  question: string,
  language: AnswerLanguage,
  result: RetrievalResult,
  documentPassages: readonly (readonly ChunkHit[])[],
): Answer {
  const { queryTerms } = result;
  const passages = result.passages.slice(0, PASSAGES_CONSIDERED);
  const totalWeight = [...queryTerms.values()].reduce((sum, weight) => sum + weight, result.missingWeight);
  const coverage = Math.max(0, ...passages.slice(0, 3).map((p) => weightIn(queryTerms, passageTerms(p)) / (totalWeight || 1)));
  if (passages.length === 0 || documentPassages.length === 0 || coverage < MIN_COVERAGE) {
    return searchTerms(question).some((term) => DOMAIN_TERMS.has(term)) ? { kind: "unknown" } : { kind: "off_topic" };
  }

  const retrievedRank = new Map(passages.map((p, rank) => [p.chunkId, rank]));
  // The retriever's first document wins unless another one holds a clearly better-matching sentence.
  const readings = documentPassages.map((chunks, rank) => {
    const candidates = rankSentences(queryTerms, chunks, language, retrievedRank);
    return { rank, candidates, strength: (candidates[0]?.score ?? 0) * (rank === 0 ? FIRST_DOCUMENT_PREFERENCE : 1) };
  });
  const { rank, candidates } = readings.reduce((best, reading) => (reading.strength > best.strength ? reading : best));
  // "Những bước nào?", "what are the steps": a list wants more of the document, in its own order.
  const list = LIST_QUESTION.test(fold(question));
  const limits = list ? LIST_LIMITS : ANSWER_LIMITS;
  const best = candidates[0]?.score ?? 0;
  const chosen: ScoredSentence[] = [];
  let length = 0;
  for (const candidate of candidates) {
    if (chosen.length >= limits.sentences || candidate.score < best * limits.minShareOfBest) break;
    if (chosen.length > 0 && length + candidate.sentence.length > limits.chars) continue;
    chosen.push(candidate);
    length += candidate.sentence.length;
  }
  if (list) chosen.sort((a, b) => a.position - b.position);
  const { id, title } = result.documents[rank]!;
  // A sentence quoted from the other language is said to be a quotation, after the ones in the asker's language.
  const inLanguage = chosen.filter((c) => c.language === language).map((c) => c.sentence);
  const quoted = chosen.filter((c) => c.language !== language).map((c) => c.sentence);
  const quoteLabel = language === "en" ? "From our Vietnamese source:" : "Trích nguồn tiếng Anh:";
  const body = [...inLanguage, ...(quoted.length > 0 ? [`${quoteLabel} ${quoted.join(" ")}`] : [])].join(" ");
  const citation = language === "en" ? `Source: ${title.en} (${title.vi})` : `Nguồn: ${title.vi}`;
  return {
    kind: "answer",
    text: `${body}\n\n${citation}`,
    sources: [{ id, title: language === "en" ? title.en : title.vi }],
  };
}

interface ScoredSentence {
  readonly sentence: string;
  readonly score: number;
  readonly language: "vi" | "en";
  /** Order in the document. */
  readonly position: number;
}

/**
 * Scores every sentence of the document by the query weight it contains. Sentences in the asker's
 * language come first; a sentence in the other language is used only when it matches far better.
 */
function rankSentences(
  queryTerms: ReadonlyMap<string, number>,
  passages: readonly ChunkHit[],
  language: AnswerLanguage,
  retrievedRank: ReadonlyMap<number, number>,
): ScoredSentence[] {
  const seen = new Set<string>();
  const scored: ScoredSentence[] = [];
  for (const passage of passages) {
    // Passages the retriever ranked higher win ties.
    const rank = retrievedRank.get(passage.chunkId);
    const tieBreak = rank === undefined ? 0 : 0.05 / (1 + rank);
    const languageFactor = passage.language === language ? 1 : OTHER_LANGUAGE_FACTOR;
    for (const sentence of sentences(passage.content)) {
      if (seen.has(sentence)) continue;
      seen.add(sentence);
      const score = (weightIn(queryTerms, new Set(searchTerms(sentence))) + tieBreak) * languageFactor;
      scored.push({ sentence, score, language: passage.language, position: scored.length });
    }
  }
  return scored.sort((a, b) => b.score - a.score);
}

function passageTerms(passage: RetrievedPassage): Set<string> {
  return new Set(searchTerms(`${passage.title.vi}. ${passage.title.en}. ${passage.section}. ${passage.content}`));
}

function weightIn(queryTerms: ReadonlyMap<string, number>, terms: ReadonlySet<string>): number {
  let sum = 0;
  for (const [term, weight] of queryTerms) if (terms.has(term)) sum += weight;
  return sum;
}
