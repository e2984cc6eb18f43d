/** Runs the dev-set evaluation on a fresh embedded database (for `npm run eval` and the regression test). */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { openDatabase } from "./db/database.ts";
import { createKnowledgeIndex } from "./db/knowledge-index.ts";
import { migrate } from "./db/migrate.ts";
import { loadCorpus } from "../knowledge/corpus.ts";
import { LocalHashEmbeddings } from "../knowledge/embeddings.ts";
import { createBm25Baseline, loadDevSet, runDevSet, score } from "../knowledge/evaluation.ts";
import { ingestCorpus } from "../knowledge/ingest.ts";
import { HybridRetriever } from "../knowledge/retriever.ts";

const DEV_SET = fileURLToPath(new URL("../test/eval/devset.jsonl", import.meta.url));

/** Evaluates both systems on the embedded database; also used by the regression test. */
export async function evaluateDevSet(devSetPath = DEV_SET) {
  const questions = loadDevSet(devSetPath);
  const documents = loadCorpus();
  const db = await openDatabase({ memory: true });
  try {
    await migrate(db);
    const index = createKnowledgeIndex(db);
    const embedder = new LocalHashEmbeddings();
    await ingestCorpus(index, embedder, documents);
    const hybrid = await runDevSet(questions, new HybridRetriever({ index, embedder }));
    const baseline = await runDevSet(questions, createBm25Baseline(documents));
    return { questions: questions.length, hybrid: score(hybrid), bm25: score(baseline), outcomes: { hybrid, baseline } };
  } finally {
    await db.close();
  }
}

