import { readFileSync } from "node:fs";
import MiniSearch from "minisearch";
import { z } from "zod";
import { answerFrom, type AnswerLanguage, type PassageSearch } from "./answer.ts";
import { chunkDocument } from "./chunker.ts";
import type { KnowledgeDocument } from "./corpus.ts";
import { chunkContext } from "./ingest.ts";
import type { RetrievedPassage } from "./retriever.ts";
import { fold, searchTerms } from "./vietnamese.ts";

const questionSchema = z.object({
  id: z.string(),
  q: z.string().min(1),
  lang: z.enum(["vi", "en"]),
  accents: z.boolean(),
  style: z.string(),
  relevant: z.array(z.string()).min(1),
  expected: z.array(z.string()).min(1),
});

/** A labelled question of the dev set. */
export type DevQuestion = z.infer<typeof questionSchema>;

/** Reads a JSONL dev set. */
export function loadDevSet(path: string): DevQuestion[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => questionSchema.parse(JSON.parse(line)));
}

/** Retrieval and answer quality over one subset of questions. */
export interface SubsetScores {
  readonly questions: number;
  readonly recallAt1: number;
  readonly recallAt5: number;
  readonly mrrAt10: number;
  /** Share of answers containing one of the question's expected facts. */
  readonly factInAnswer: number;
}

/** The subsets every report breaks down into. */
export const SUBSETS = {
  "vi-accented": (q: DevQuestion) => q.lang === "vi" && q.accents,
  "vi-unaccented": (q: DevQuestion) => q.lang === "vi" && !q.accents,
  en: (q: DevQuestion) => q.lang === "en",
  all: () => true,
} as const;

export type SubsetName = keyof typeof SUBSETS;

/** One question's outcome. */
export interface QuestionOutcome {
  readonly question: DevQuestion;
  readonly rankedDocuments: readonly string[];
  readonly answer: string;
}

/** Runs every question through `search` and the extractive composer. */
export async function runDevSet(questions: readonly DevQuestion[], search: PassageSearch): Promise<QuestionOutcome[]> {
  const outcomes: QuestionOutcome[] = [];
  for (const question of questions) {
    const result = await search.search(question.q);
    const answer = await answerFrom(search, question.q, question.lang as AnswerLanguage, result);
    outcomes.push({
      question,
      rankedDocuments: result.documents.map((document) => document.id),
      answer: answer.kind === "answer" ? answer.body : "",
    });
  }
  return outcomes;
}

/** Recall@1, Recall@5, MRR@10 and fact share for each subset. */
export function score(outcomes: readonly QuestionOutcome[]): Record<SubsetName, SubsetScores> {
  const entries = Object.entries(SUBSETS).map(([name, belongs]) => {
    const subset = outcomes.filter((outcome) => belongs(outcome.question));
    const rankOf = (outcome: QuestionOutcome) => {
      const index = outcome.rankedDocuments.findIndex((id) => outcome.question.relevant.includes(id));
      return index < 0 ? Infinity : index + 1;
    };
    const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
    const round = (value: number) => Math.round(value * 1000) / 1000;
    return [
      name,
      {
        questions: subset.length,
        recallAt1: round(mean(subset.map((o) => (rankOf(o) <= 1 ? 1 : 0)))),
        recallAt5: round(mean(subset.map((o) => (rankOf(o) <= 5 ? 1 : 0)))),
        mrrAt10: round(mean(subset.map((o) => (rankOf(o) <= 10 ? 1 / rankOf(o) : 0)))),
        factInAnswer: round(mean(subset.map((o) => (containsExpectedFact(o) ? 1 : 0)))),
      },
    ];
  });
  return Object.fromEntries(entries) as Record<SubsetName, SubsetScores>;
}

/** True when the answer (folded) contains one of the expected facts (folded). */
export function containsExpectedFact(outcome: QuestionOutcome): boolean {
  const answer = fold(outcome.answer);
  return outcome.question.expected.some((fact) => answer.includes(fold(fact)));
}

/**
 * The baseline: plain BM25 (MiniSearch) over the same chunks, with its default tokeniser —
 * lower-casing only, no diacritic folding, no word pairs, no vectors.
 */
export function createBm25Baseline(documents: readonly KnowledgeDocument[]): PassageSearch {
  const passages: RetrievedPassage[] = [];
  const texts: string[] = [];
  for (const document of documents) {
    for (const chunk of chunkDocument(document)) {
      texts.push(chunkContext(document, chunk));
      passages.push({
        chunkId: passages.length,
        documentId: document.id,
        title: document.title,
        aliases: document.aliases,
        section: chunk.section,
        language: chunk.language,
        content: chunk.content,
        score: 0,
        fused: 0,
      });
    }
  }
  const index = new MiniSearch<{ id: number; text: string }>({ fields: ["text"] });
  index.addAll(texts.map((text, id) => ({ id, text })));
  return {
    async search(query) {
      const hits = index.search(query).slice(0, 40);
      const ranked = hits.map((hit) => ({ ...passages[hit.id as number]!, score: hit.score, fused: hit.score }));
      const documentsSeen = new Map<string, { id: string; title: { vi: string; en: string }; score: number }>();
      for (const p of ranked) if (!documentsSeen.has(p.documentId)) documentsSeen.set(p.documentId, { id: p.documentId, title: p.title, score: p.fused });
      // The composer weighs sentences by query terms; give the baseline the same unweighted terms.
      const queryTerms = new Map(searchTerms(query).map((term) => [term, 1]));
      return { passages: ranked, documents: [...documentsSeen.values()], queryTerms, missingWeight: 0 };
    },
    async passagesOf(documentId) {
      return passages.filter((passage) => passage.documentId === documentId);
    },
  };
}
