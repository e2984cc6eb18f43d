/**
 * `npm run eval`: retrieval and answer quality on the dev set (test/eval/devset.jsonl), for the
 * hybrid retriever and a plain BM25 baseline over the same chunks. `-- --json` prints one JSON object.
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { openDatabase } from "../db/database.ts";
import { createKnowledgeIndex } from "../db/knowledge-index.ts";
import { migrate } from "../db/migrate.ts";
import { loadCorpus } from "../../knowledge/corpus.ts";
import { LocalHashEmbeddings } from "../../knowledge/embeddings.ts";
import { createBm25Baseline, loadDevSet, runDevSet, score, SUBSETS, type SubsetName, type SubsetScores } from "../../knowledge/evaluation.ts";
import { ingestCorpus } from "../../knowledge/ingest.ts";
import { HybridRetriever } from "../../knowledge/retriever.ts";

const DEV_SET = fileURLToPath(new URL("../../test/eval/devset.jsonl", import.meta.url));

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

function printTable(report: Awaited<ReturnType<typeof evaluateDevSet>>): void {
  const metrics: (keyof SubsetScores)[] = ["recallAt1", "recallAt5", "mrrAt10", "factInAnswer"];
  console.log(`Dev set: ${report.questions} questions. Hybrid = ours; BM25 = MiniSearch over the same chunks, no folding.\n`);
  console.log(["subset".padEnd(15), "n".padStart(4), ...metrics.map((m) => `${m} hybrid/bm25`.padStart(26))].join(""));
  for (const subset of Object.keys(SUBSETS) as SubsetName[]) {
    const ours = report.hybrid[subset];
    const theirs = report.bm25[subset];
    const cells = metrics.map((m) => `${ours[m].toFixed(3)} / ${theirs[m].toFixed(3)}`.padStart(26));
    console.log([subset.padEnd(15), String(ours.questions).padStart(4), ...cells].join(""));
  }
}

const { values } = parseArgs({ options: { json: { type: "boolean", default: false }, misses: { type: "boolean", default: false } } });
const report = await evaluateDevSet();
if (values.json) {
  console.log(JSON.stringify({ questions: report.questions, hybrid: report.hybrid, bm25: report.bm25 }));
} else {
  printTable(report);
  if (values.misses) {
    for (const outcome of report.outcomes.hybrid) {
      const rank = outcome.rankedDocuments.findIndex((id) => outcome.question.relevant.includes(id)) + 1;
      if (rank !== 1) console.log(`\n${outcome.question.id} [${rank || "-"}] ${outcome.question.q} → want ${outcome.question.relevant.join(",")} got ${outcome.rankedDocuments.slice(0, 3).join(",")}`);
    }
  }
}
