/**
 * `npm run calibrate:curated [-- --json]`: how the curated-answer threshold was chosen. For each question
 * of the paraphrase set and each group of questions, the best similarity; then precision and recall of
 * "this message takes that group's curated answer" at each threshold.
 */
import { fileURLToPath } from "node:url";
import { CURATED_THRESHOLD } from "../../bot/curated.ts";
import { calibrateCurated, loadParaphrases } from "../../bot/curated-calibration.ts";

const path = fileURLToPath(new URL("../../test/eval/curated/paraphrases.jsonl", import.meta.url));
const thresholds = [0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9];
const result = calibrateCurated(loadParaphrases(path), thresholds);
if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ threshold: CURATED_THRESHOLD, ...result }));
} else {
  console.log(`${result.questions} questions in ${result.groups} groups; ${result.comparisons} question × group comparisons in one script, ${result.positives} with the question's own group`);
  console.log("threshold  precision  recall  false matches  (same topic)");
  for (const row of result.rows) {
    const mark = row.threshold === CURATED_THRESHOLD ? "  ← used" : "";
    console.log(`${row.threshold.toFixed(2).padStart(9)}  ${row.precision.toFixed(3).padStart(9)}  ${row.recall.toFixed(3).padStart(6)}  ${String(row.falseMatches).padStart(13)}  ${String(row.nearMisses).padStart(12)}${mark}`);
  }
}
