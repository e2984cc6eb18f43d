import type { ChunkHit } from "./ports.ts";
import type { RetrievalResult, RetrievedPassage } from "./retriever.ts";
import { accentedWords, asksAboutMoney, fold, searchTerms, searchWords, sentences, STOPWORDS } from "./vietnamese.ts";

/** Reply language; the same values as the conversation core's. */
export type AnswerLanguage = "vi" | "en";

/** What kind of answer a question wants (the core's question types), which decides the sentences quoted. */
export type AnswerShape = "definition" | "when" | "where" | "who" | "amount" | "count" | "list" | "why" | "how" | "yes_no" | "none";

/** A document an answer cites. */
export interface CitedSource {
  readonly id: string;
  readonly title: string;
}

/** A cited answer (its body; the caller adds the citation), or the reason there is none. */
export type Answer =
  | { readonly kind: "answer"; readonly body: string; readonly sources: readonly CitedSource[] }
  /** `ask`: the office the closest document says to ask, when it names one. */
  | { readonly kind: "unknown"; readonly ask?: string }
  | { readonly kind: "off_topic" };

/** Hints from the understanding step. */
export interface AnswerOptions {
  readonly questionType?: AnswerShape;
  /** What a count or amount question counts, folded ("diem", "mau", "group"): a sentence with a number of it answers. */
  readonly unit?: string;
}

/** Anything that answers a question from the knowledge base. */
export interface QuestionAnswerer {
  answer(question: string, language: AnswerLanguage, options?: AnswerOptions): Promise<Answer>;
}

/** Anything that searches the knowledge base (the hybrid retriever, or a baseline in the evaluation). */
export interface PassageSearch {
  search(query: string): Promise<RetrievalResult>;
  /** Every passage of one document. */
  passagesOf(documentId: string): Promise<readonly ChunkHit[]>;
}

/** Share of the query's weight, and of its content words, one passage must hold before we trust the corpus to answer. */
const MIN_COVERAGE = 0.1;
const MIN_WORD_COVERAGE = 0.4;
/** Words of asking rather than of the question's subject ("cho mình hỏi", "tell me", "I want to know"). */
const ASKING_WORDS = new Set("hoi biet muon xin giup hom con tell know want like need question ask wonder thank thanks".split(" "));
const ANSWER_LIMITS = { sentences: 3, chars: 650, minShareOfBest: 0.5 } as const;
const LIST_LIMITS = { sentences: 10, chars: 1300 } as const;
const PASSAGES_CONSIDERED = 12;
/** Documents read in full before answering. */
const DOCUMENTS_READ = 3;
/** How much the retriever's ranking of documents counts when sentences of several compete. */
const DOCUMENT_PRIOR = [1.2, 1, 0.9] as const;
/** Query terms in a document's title or other names count this much in its sentences (they chose the document, not the sentence). */
const TOPIC_TERM_SHARE = 0.7;
/** How much the query weight matched by a document's title and names adds to its best sentence when documents compete. */
const TOPIC_SHARE_OF_DOCUMENT = 1;
/** How much more a sentence of the retriever's first passage counts (decreasing with the passage's rank). */
const PASSAGE_PRIOR = 0.3;
/** A "not known" sentence competes at this share of its score. */
const UNKNOWN_SENTENCE_SHARE = 0.75;
/** A sentence stating a number of what a count question counts ("40 điểm" for "bao nhiêu điểm") counts this much more. */
const UNIT_BOOST = 2;
/** …and a sentence with no number of it, this much less. */
const UNIT_MISSING = 0.6;
/** Share of a query term's weight earned by a sentence whose section heading or document title holds the term. */
const HEADING_SHARE = 0.4;
/**
 * The best sentence must hold this share of the query weight that its document holds anywhere; below
 * it the document is about the topic but does not state what was asked, and the answer is "don't know".
 */
const MIN_SENTENCE_SHARE = 0.2;

// Words (and word pairs, where a folded word alone is ambiguous: "hoi" is hội or hỏi, "toi" tỏi or tôi)
// that show a question is about what we cover, even when the corpus cannot answer it.
const DOMAIN_TERMS = new Set(
  ("ocop sao san_pham ho_tro lang nghe le_hoi hoi_lim hoi_lang bac_ninh bac_giang chung_nhan diem hop_tac_xa " +
    "doanh_nghiep nghi_quyet quyet_dinh tranh gom duc_dong do_go may_tre banh keo toi_mot gia mua dat_hang don_hang " +
    "du_lich phuong huyen tinh thuong_hieu village festival pottery product star subsidy support certificate craft " +
    "market painting bronze order price cooperative resolution tourism tour").split(" "),
);

/** Sentences that say a fact is not known; they answer a question of any shape. */
const UNKNOWN_SENTENCE = /(chua co thong tin|khong co thong tin|chua tim thay|no information|not known|not found|were not found|was not found|is unknown|are unknown)/;

/**
 * Kinds of question a document cannot answer without a sentence of that kind: its strength is multiplied by
 * WITHOUT_ASKED_KIND when its best sentence lacks one, so "who gives the 5-star rating?" is answered by the
 * document that names who recognises 5-star products, not by the one titled "star ratings" that names nobody.
 */
const KIND_DECIDES: ReadonlySet<AnswerShape> = new Set(["who", "when", "where", "amount"]);
const WITHOUT_ASKED_KIND = 0.5;

/**
 * What a sentence must contain to state the kind of fact a question asks for, and how much that
 * weighs: a "when" question wants a date, "who" a body, "how much" an amount.
 */
const SHAPE_EVIDENCE: Partial<Record<AnswerShape, { readonly pattern: RegExp; readonly boost: number; readonly without: number }>> = {
  when: { pattern: /\b\d{1,2}\/\d{1,2}\b|\b(19|20)\d\d\b|\b(thang|ngay|(?<!viet )nam|month|day|year|lunar|am lich|january|february|march|april|may|june|july|august|september|october|november|december)\b/, boost: 1.4, without: 0.6 },
  // "Sở"/"Bộ" fold to "so"/"bo" (also "số", "bộ tiêu chí"), so the ministry or department is named; "NQ-HĐND" names a document.
  who: { pattern: /(?<![a-z]-)\b((so|bo) (nong nghiep|cong thuong|van hoa|khoa hoc|tai chinh|ke hoach|noi vu|xay dung|y te|tu phap)|ubnd|uy ban|hoi dong|hdnd|chi cuc|trung tam|thu tuong|pho thu tuong|cap (tinh|huyen|xa|trung uong)|lien minh|hiep hoi|department|ministry|committee|council|centre|center|prime minister|provincial level|central level|district level|alliance|association|artisan|nghe nhan|doanh nghiep|hop tac xa|to hop tac|ho san xuat|ho kinh doanh|enterprise|enterprises|cooperative|cooperatives|household|households|viettel|vnpost|buu dien)\b/, boost: 1.5, without: 0.6 },
  where: { pattern: /\b(xa|phuong|huyen|tinh|thon|song|km|cach|commune|ward|district|province|river|village|located|from|north|south|bank)\b/, boost: 1.4, without: 0.7 },
  // "đồng" only after a number or "triệu"/"tỷ": Đông Hồ and đúc đồng fold to "dong" too.
  amount: { pattern: /(\b\d[\d.,]*\s*(trieu|ty|nghin|dong|d|vnd|usd|%)|\b(trieu|ty|million|billion|phan tram|percent|toi da|up to|mien phi|free of charge)\b)/, boost: 1.6, without: 0.5 },
  count: { pattern: /\b\d+\b|\b(mot|hai|ba|bon|nam|sau|one|two|three|four|five|six)\b/, boost: 1.3, without: 0.6 },
  definition: { pattern: /\b(la|is|are|means|nghia la|gom)\b/, boost: 1.2, without: 0.9 },
  list: { pattern: /[,;:]/, boost: 1.25, without: 0.8 },
};

// An amount of money, which a percentage ("20% of producers") is not; "tỷ" only after a number, since "tỷ lệ" (a rate) folds to "ty le".
const MONEY_EVIDENCE = { pattern: /(\b\d[\d.,]*\s*(trieu|ty|nghin|ngan|dong|d|vnd|usd)\b|\b(trieu dong|ty dong|million|billion|mien phi|free of charge)\b)/, boost: 1.6, without: 0.5 };

/**
 * "Đang áp dụng bây giờ", "now", "latest": the question asks what holds today, so a sentence about what
 * replaced the old rule counts more than one about the first or former rule (the corpus keeps both).
 */
const ASKS_CURRENT = /\b(hien nay|bay gio|hien hanh|dang ap dung|hien tai|moi nhat|con hieu luc|current|currently|now|today|in force|latest|nowadays)\b/;
const STATES_CURRENT = /\b(hien hanh|hien nay|dang ap dung|moi nhat|thay the|sua doi|current|currently|in force|latest|replaced|amended|new)\b/;
const STATES_FORMER = /\b(dau tien|truoc day|cu(?! the)|first|former|formerly|old|previous|no longer)\b/;
const CURRENT_BOOST = 1.3;
const FORMER_PENALTY = 0.7;

/** Answers from the best passages' own sentences, in the asker's language, citing the documents used. */
export class ExtractiveAnswerer implements QuestionAnswerer {
  constructor(private readonly retriever: PassageSearch) {}

  async answer(question: string, language: AnswerLanguage, options: AnswerOptions = {}): Promise<Answer> {
    return answerFrom(this.retriever, question, language, undefined, options);
  }
}

/** Retrieves (unless `result` is given), then composes from the passages of the best documents. */
export async function answerFrom(
  search: PassageSearch,
  question: string,
  language: AnswerLanguage,
  result?: RetrievalResult,
  options: AnswerOptions = {},
): Promise<Answer> {
  result ??= await search.search(question);
  const contenders = result.documents.slice(0, DOCUMENTS_READ);
  const passages = await Promise.all(contenders.map((document) => search.passagesOf(document.id)));
  return composeExtractiveAnswer(question, language, result, passages, options);
}

/**
 * Builds an extractive answer: checks the retrieval covers the question, reads the best documents
 * (`documentPassages[i]` holds every chunk of `result.documents[i]`), and answers from the one whose
 * sentences in the asker's language state the asked kind of fact best, quoting them and citing it.
 */
export function composeExtractiveAnswer(
  question: string,
  language: AnswerLanguage,
  result: RetrievalResult,
  documentPassages: readonly (readonly ChunkHit[])[],
  options: AnswerOptions = {},
): Answer {
  const { queryTerms } = result;
  const passages = result.passages.slice(0, PASSAGES_CONSIDERED);
  const totalWeight = [...queryTerms.values()].reduce((sum, weight) => sum + weight, result.missingWeight);
  const coverage = Math.max(0, ...passages.map((p) => weightIn(queryTerms, passageTerms(p)) / (totalWeight || 1)));
  // The share of the question's own content words one passage holds: "con mèo nhà bạn" shares none with the corpus.
  const content = [...new Set(searchWords(question).filter((word) => word.length > 1 && !STOPWORDS.has(word) && !ASKING_WORDS.has(word)))];
  // A word typed with diacritics is found only as typed: "Trái Đất" (the Earth) is not "đạt" (reached).
  const typed = new Map(accentedWords(question).map((word) => [fold(word), word]));
  const wordCoverage = content.length === 0 ? 0 : Math.max(0, ...passages.map((p) => {
    const terms = passageTerms(p);
    const accented = typed.size > 0 ? new Set(accentedWords(`${p.title.vi}. ${p.section}. ${p.content}`)) : undefined;
    return content.filter((word) => (typed.has(word) ? accented!.has(typed.get(word)!) : terms.has(word))).length / content.length;
  }));
  if (passages.length === 0 || documentPassages.length === 0 || coverage < MIN_COVERAGE || wordCoverage < MIN_WORD_COVERAGE) {
    return searchTerms(question).some((term) => DOMAIN_TERMS.has(term)) ? { kind: "unknown" } : { kind: "off_topic" };
  }
  const shape = options.questionType ?? "none";
  const retrievedRank = new Map(passages.map((p, rank) => [p.chunkId, rank]));
  const asksCurrent = ASKS_CURRENT.test(fold(question));
  const asksMoney = asksAboutMoney(searchWords(question));
  // Every sentence of the best documents competes; the retriever's order of documents is a prior.
  const readings = documentPassages.map((chunks, rank) => {
    const reading = rankSentences(queryTerms, chunks, language, retrievedRank, shape, options.unit, asksCurrent, asksMoney);
    // The words the document is named by pick the document; its sentences are then told apart by the rest.
    const strength = ((reading.candidates[0]?.score ?? 0) + TOPIC_SHARE_OF_DOCUMENT * reading.topicWeight) * (DOCUMENT_PRIOR[rank] ?? 0.8) *
      (KIND_DECIDES.has(shape) && !reading.candidates[0]?.ofAskedKind ? WITHOUT_ASKED_KIND : 1);
    return { rank, strength, ...reading };
  });
  const reading = readings.reduce((best, next) => (next.strength > best.strength ? next : best));
  const { rank, candidates, documentWeight } = reading;
  const { id, title } = result.documents[rank]!;
  const best = candidates[0];
  // The best-matching of the leading sentences must hold enough of what the document holds of the question.
  const matched = Math.max(0, ...candidates.slice(0, 3).map((c) => c.matched));
  if (!best || matched < documentWeight * MIN_SENTENCE_SHARE) {
    const ask = whomToAsk(documentPassages[rank] ?? [], language);
    return ask ? { kind: "unknown", ask } : { kind: "unknown" };
  }
  const chosen = shape === "list" ? listAround(best, candidates) : bestFew(best, candidates);
  return { kind: "answer", body: chosen.map((c) => c.sentence).join(" "), sources: [{ id, title: title[language] }] };
}

/**
 * "Những bước nào?", "what are the steps": the section whose sentences together match best (the
 * items of a list are its sentences), in the document's order, after the best sentence if it stands elsewhere.
 */
function listAround(best: ScoredSentence, candidates: readonly ScoredSentence[]): ScoredSentence[] {
  const sections = new Map<string, ScoredSentence[]>();
  for (const candidate of candidates) sections.set(candidate.section, [...(sections.get(candidate.section) ?? []), candidate]);
  const strength = (sentences: readonly ScoredSentence[]) => sentences.filter((c) => c.score >= best.score * 0.3).reduce((sum, c) => sum + c.score, 0);
  const [, list] = [...sections].reduce((top, next) => (strength(next[1]) > strength(top[1]) ? next : top));
  if (list.length < 2) return bestFew(best, candidates);
  const chosen: ScoredSentence[] = list.includes(best) ? [] : [best];
  let length = best.sentence.length;
  for (const candidate of [...list].sort((a, b) => a.position - b.position)) {
    if (chosen.length >= LIST_LIMITS.sentences || (chosen.length > 0 && length + candidate.sentence.length > LIST_LIMITS.chars)) break;
    chosen.push(candidate);
    length += candidate.sentence.length;
  }
  return chosen;
}

/** The best sentence and up to two more that match nearly as well, in the document's order. */
function bestFew(best: ScoredSentence, candidates: readonly ScoredSentence[]): ScoredSentence[] {
  const chosen: ScoredSentence[] = [];
  let length = 0;
  for (const candidate of candidates) {
    if (chosen.length >= ANSWER_LIMITS.sentences || candidate.score < best.score * ANSWER_LIMITS.minShareOfBest) break;
    if (chosen.length > 0 && length + candidate.sentence.length > ANSWER_LIMITS.chars) continue;
    chosen.push(candidate);
    length += candidate.sentence.length;
  }
  return chosen.sort((a, b) => a.position - b.position);
}

interface ScoredSentence {
  readonly sentence: string;
  readonly section: string;
  /** Query weight the sentence holds, adjusted for what the question asks and how common its words are in the document. */
  readonly score: number;
  /** Query weight the sentence holds, unadjusted. */
  readonly matched: number;
  /** Order in the document. */
  readonly position: number;
  /** Whether it holds what the question's kind asks for (a body for "who", a date for "when"…). */
  readonly ofAskedKind: boolean;
}

/**
 * Scores every sentence of the document in the asker's language. A query term that recurs in most
 * of the document's sentences ("Nghị quyết 14" in the resolution's own document) says little about
 * which sentence answers, so it counts less; a sentence holding the kind of fact asked for counts more.
 */
function rankSentences(
  queryTerms: ReadonlyMap<string, number>,
  passages: readonly ChunkHit[],
  language: AnswerLanguage,
  retrievedRank: ReadonlyMap<number, number>,
  shape: AnswerShape,
  unit: string | undefined,
  current: boolean,
  money: boolean,
): { candidates: ScoredSentence[]; documentWeight: number; topicWeight: number } {
  const counted = unit ? new RegExp(`(?:\\b\\d+(?:[.,]\\d+)?|\\b(?:mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi|one|two|three|four|five|six|seven|eight|nine|ten))\\b[\\s-]*(?:\\S+\\s+){0,2}${unit}`) : undefined;
  const seen = new Set<string>();
  const all: { sentence: string; section: string; terms: Set<string>; heading: Set<string>; tieBreak: number }[] = [];
  for (const passage of passages) {
    if (passage.language !== language) continue;
    // A sentence of a passage the retriever ranked high is more likely the one asked about.
    const rank = retrievedRank.get(passage.chunkId);
    const tieBreak = rank === undefined ? 1 : 1 + PASSAGE_PRIOR / (1 + rank);
    const heading = new Set(searchTerms(`${passage.title[language]} . ${passage.section}`));
    for (const sentence of sentences(passage.content)) {
      if (seen.has(sentence)) continue;
      seen.add(sentence);
      all.push({ sentence, section: passage.section, terms: new Set(searchTerms(sentence)), heading, tieBreak });
    }
  }
  const first = passages[0];
  const topic = new Set(first ? searchTerms(`${first.title.vi} . ${first.title.en} . ${first.aliases.join(" . ")}`) : []);
  const topicWeight = weightIn(queryTerms, topic);
  const frequency = new Map<string, number>();
  for (const { terms } of all) for (const term of terms) if (queryTerms.has(term)) frequency.set(term, (frequency.get(term) ?? 0) + 1);
  // A term in most sentences of the document ("Nghị quyết 14" in its own document) says little about which one answers.
  const spread = (term: string) => Math.log(1 + all.length / (frequency.get(term) ?? 1)) / Math.log(1 + all.length);
  const documentWeight = weightIn(queryTerms, new Set(frequency.keys()));
  const evidence = shape === "amount" && money ? MONEY_EVIDENCE : SHAPE_EVIDENCE[shape];
  const candidates = all.map(({ sentence, section, terms, heading, tieBreak }, position) => {
    let score = 0;
    let matched = 0;
    for (const [term, raw] of queryTerms) {
      const weight = topic.has(term) ? raw * TOPIC_TERM_SHARE : raw;
      if (terms.has(term)) {
        matched += raw;
        score += weight * (0.35 + 0.65 * spread(term));
      } else if (heading.has(term)) {
        score += weight * HEADING_SHARE;
      }
    }
    const folded = fold(sentence);
    const unknown = UNKNOWN_SENTENCE.test(folded);
    const stated = evidence?.pattern.test(folded) ?? false;
    // "Not known: X, Y and Z" names many topics at once; it answers only when it names the asked one well.
    if (unknown) score *= shape === "list" ? UNKNOWN_SENTENCE_SHARE / 2 : UNKNOWN_SENTENCE_SHARE;
    else if (counted) score *= counted.test(folded) ? UNIT_BOOST : UNIT_MISSING;
    else if (evidence) score *= stated ? evidence.boost : evidence.without;
    // Whether it can answer at all: "not known" answers any kind, and a place to go may be named by its office
    // ("nộp hồ sơ ở đâu" → "Sở Công Thương").
    const ofAskedKind = unknown || stated || (shape === "where" && SHAPE_EVIDENCE.who!.pattern.test(folded));
    if (current) score *= STATES_CURRENT.test(folded) ? CURRENT_BOOST : STATES_FORMER.test(folded) ? FORMER_PENALTY : 1;
    return { sentence, section, score: score * tieBreak, matched, position, ofAskedKind };
  });
  return { candidates: candidates.sort((a, b) => b.score - a.score), documentWeight, topicWeight };
}

/** The office a document says to ask about what it does not know ("… bạn nên hỏi X." / "… please ask X."). */
function whomToAsk(passages: readonly ChunkHit[], language: AnswerLanguage): string | undefined {
  const pattern = language === "en" ? /\b(?:please )?ask (.+?)\.?$/i : /\bnên hỏi (.+?)\.?$/i;
  for (const passage of passages) {
    if (passage.language !== language) continue;
    for (const sentence of sentences(passage.content)) {
      const match = pattern.exec(sentence);
      if (match) return match[1]!.trim();
    }
  }
  return undefined;
}

function passageTerms(passage: RetrievedPassage): Set<string> {
  return new Set(searchTerms(`${passage.title.vi}. ${passage.title.en}. ${passage.section}. ${passage.content}`));
}

function weightIn(queryTerms: ReadonlyMap<string, number>, terms: ReadonlySet<string>): number {
  let sum = 0;
  for (const [term, weight] of queryTerms) if (terms.has(term)) sum += weight;
  return sum;
}
