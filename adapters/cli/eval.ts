/**
 * `npm run eval`: retrieval and answer quality on the dev set (test/eval/devset.jsonl), for the
 * hybrid retriever and a plain BM25 baseline over the same chunks. `-- --json` prints one JSON object;
 * `-- --misses` also lists the questions ranked wrong or answered without the expected fact.
 */
import { parseArgs } from "node:util";
import { SUBSETS, containsExpectedFact, type SubsetName, type SubsetScores } from "../../knowledge/evaluation.ts";
import { evaluateDevSet } from "../evaluation.ts";

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
      if (rank === 1 && containsExpectedFact(outcome)) continue;
      console.log(`\n${outcome.question.id} rank ${rank || "-"}: ${outcome.question.q} → want ${outcome.question.relevant.join(",")} [${outcome.question.expected.join(" | ")}], got ${outcome.rankedDocuments.slice(0, 3).join(",")}`);
      console.log(`   ${outcome.answer.replace(/\n+/g, " ")}`);
    }
  }
}
