/**
 * Runs the evaluations on fresh embedded databases (for `npm run eval` and the regression tests):
 * retrieval on the question set, against a BM25 baseline; and whole conversations through the engine.
 */
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openAssistant, openModels, type KnowledgeOptions } from "./compose.ts";
import { loadConversations, numbersIn, report, scoreTurn, type TurnOutcome } from "../bot/evaluation.ts";
import { openDatabase } from "../adapters/db/database.ts";
import { createKnowledgeIndex } from "../adapters/db/knowledge-index.ts";
import { migrate } from "../adapters/db/migrate.ts";
import { createLogger } from "../adapters/logger.ts";
import { loadCatalogueData } from "../knowledge/catalogue.ts";
import { CORPUS_DIR, loadCorpus } from "../knowledge/corpus.ts";
import { createBm25Baseline, loadDevSet, runDevSet, score } from "../knowledge/evaluation.ts";
import { ingestCorpus } from "../knowledge/ingest.ts";
import { HybridRetriever } from "../knowledge/retriever.ts";

const DEV_SET = fileURLToPath(new URL("../test/eval/devset.jsonl", import.meta.url));
const CONVERSATIONS_DIR = fileURLToPath(new URL("../test/eval/conversations/", import.meta.url));
const DATA_DIR = fileURLToPath(new URL("../knowledge/data/", import.meta.url));
/** The dev set's "today": 09:00 in Việt Nam on 2 December 2026, so "upcoming festivals" has one answer. */
export const EVALUATION_NOW = new Date("2026-12-02T02:00:00Z");

/** The offline default: what the regression tests measure whatever the environment configures. */
const OFFLINE: KnowledgeOptions = { embeddings: "local" };

/**
 * Evaluates retrieval for both systems on the embedded database, with the embedder `knowledge` asks for;
 * also used by the regression test.
 */
export async function evaluateDevSet(devSetPath = DEV_SET, knowledge: KnowledgeOptions = OFFLINE) {
  const questions = loadDevSet(devSetPath);
  const documents = loadCorpus();
  const db = await openDatabase({ memory: true });
  try {
    await migrate(db);
    const index = createKnowledgeIndex(db);
    const { embedder } = await openModels(knowledge);
    await ingestCorpus(index, embedder, documents);
    const hybrid = await runDevSet(questions, new HybridRetriever({ index, embedder, names: documents.flatMap((document) => document.aliases) }));
    const baseline = await runDevSet(questions, createBm25Baseline(documents));
    return { questions: questions.length, embedder: embedder.id, hybrid: score(hybrid), bm25: score(baseline), outcomes: { hybrid, baseline } };
  } finally {
    await db.close();
  }
}

/**
 * Plays every dev-set conversation through a fresh assistant (each as its own user) and scores each turn;
 * `knowledge` chooses the embedder and, with an API key, the grounded answerer, as for the service.
 */
export async function evaluateConversations(dir = CONVERSATIONS_DIR, knowledge: KnowledgeOptions = OFFLINE) {
  const files = readdirSync(dir).filter((file) => file.endsWith(".jsonl")).sort().map((file) => join(dir, file));
  const conversations = loadConversations(files);
  // Numbers a reply may state: those of the corpus and the data files (and, per conversation, of what the user typed).
  const sources = [
    ...readdirSync(CORPUS_DIR).map((file) => readFileSync(join(CORPUS_DIR, file), "utf8")),
    ...readdirSync(DATA_DIR).map((file) => readFileSync(join(DATA_DIR, file), "utf8")),
  ];
  const known = numbersIn(sources);
  // Counts the catalogue answers compute from the database ("43 products", "Food: 31") are data too.
  const products = loadCatalogueData().products;
  const counts = [
    products.length,
    ...[...new Set(products.map((p) => p.group))].map((group) => products.filter((p) => p.group === group).length),
    ...[3, 4, 5].map((stars) => products.filter((p) => p.stars === stars).length),
  ];
  for (const count of counts) known.add(String(count));
  const assistant = await openAssistant({ database: { memory: true }, logger: createLogger("silent"), clock: () => EVALUATION_NOW, knowledge });
  const outcomes: TurnOutcome[] = [];
  const latencies: number[] = [];
  try {
    for (const conversation of conversations) {
      const user = `eval-${conversation.id}`;
      const typed = new Set(known);
      for (const [index, turn] of conversation.turns.entries()) {
        for (const n of numbersIn([turn.user])) typed.add(n);
        const started = performance.now();
        const response = await assistant.receive({ channel: "cli", eventId: randomUUID(), userId: user, chatId: user, text: turn.user, receivedAt: EVALUATION_NOW });
        latencies.push(performance.now() - started);
        outcomes.push(scoreTurn(conversation, index, response!, typed));
      }
    }
  } finally {
    await assistant.close();
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 10) / 10;
  return { report: report(outcomes), outcomes, latencyMs: { p50: at(0.5), p95: at(0.95) } };
}
