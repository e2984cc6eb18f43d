/**
 * `npm run eval`: conversations of the dev set (test/eval/conversations/*.jsonl) played through the
 * whole engine — intent accuracy, fact-in-answer and "no invented number", per way of typing and per
 * category — and retrieval on the question set (test/eval/devset.jsonl) against a plain BM25 baseline.
 * `-- --json` prints one JSON object (last on stdout); `-- --misses` lists the turns that went wrong;
 * `-- --conversations DIR` plays the conversations of another folder (a held-out set) instead.
 * It measures the assistant as the environment configures it: EMBEDDINGS=openai embeds with the API's model,
 * and an OPENAI_API_KEY makes the answers grounded by its chat model; with neither, everything runs offline.
 */
import { parseArgs } from "node:util";
import { STYLES, type Scores } from "../../bot/evaluation.ts";
import { SUBSETS, type SubsetName, type SubsetScores } from "../../knowledge/evaluation.ts";
import { loadConfig } from "../../adapters/config.ts";
import { knowledgeOptionsFrom } from "../compose.ts";
import { evaluateConversations, evaluateDevSet } from "../evaluation.ts";

const { values } = parseArgs({
  options: { json: { type: "boolean", default: false }, misses: { type: "boolean", default: false }, conversations: { type: "string" } },
});
const knowledge = knowledgeOptionsFrom(loadConfig());
const conversations = await evaluateConversations(values.conversations, knowledge);
const retrieval = await evaluateDevSet(undefined, knowledge);
const { report } = conversations;
const answerer = knowledge.openai ? `grounded by ${knowledge.openai.chatModel}` : "extractive (offline)";

if (values.json) {
  console.log(JSON.stringify({ ...report, latencyMs: conversations.latencyMs, embedder: retrieval.embedder, answerer, questions: retrieval.questions, hybrid: retrieval.hybrid, bm25: retrieval.bm25 }));
} else {
  const row = (name: string, s: Scores) =>
    [name.padEnd(22), String(s.turns).padStart(5), s.intentAccuracy.toFixed(3).padStart(9), `${s.factInAnswer.toFixed(3)} (${s.factTurns})`.padStart(14), s.noInventedNumber.toFixed(3).padStart(11), s.oneLanguage.toFixed(3).padStart(10)].join("");
  console.log(`Embedder: ${retrieval.embedder}; answers: ${answerer}.`);
  console.log(`Conversations: ${report.conversations} (${report.multiTurnConversations} multi-turn), ${report.turns} turns; answer p50 ${conversations.latencyMs.p50} ms, p95 ${conversations.latencyMs.p95} ms.\n`);
  console.log(["".padEnd(22), "turns".padStart(5), "intent".padStart(9), "facts (n)".padStart(14), "no-invent".padStart(11), "one-lang".padStart(10)].join(""));
  console.log(row("all", report));
  for (const style of STYLES) console.log(row(style, report.byLanguage[style]!));
  console.log("");
  for (const [category, scores] of Object.entries(report.byCategory)) console.log(row(category, scores));
  console.log("\nMost frequent confusions (expected → understood):");
  for (const [pair, count] of Object.entries(report.confusions).slice(0, 15)) console.log(`  ${String(count).padStart(3)}  ${pair}`);

  const metrics: (keyof SubsetScores)[] = ["recallAt1", "recallAt5", "mrrAt10", "factInAnswer"];
  console.log(`\nRetrieval: ${retrieval.questions} questions. Hybrid = ours; BM25 = MiniSearch over the same chunks, no folding.\n`);
  console.log(["subset".padEnd(15), "n".padStart(4), ...metrics.map((m) => `${m} hybrid/bm25`.padStart(26))].join(""));
  for (const subset of Object.keys(SUBSETS) as SubsetName[]) {
    const ours = retrieval.hybrid[subset];
    const theirs = retrieval.bm25[subset];
    console.log([subset.padEnd(15), String(ours.questions).padStart(4), ...metrics.map((m) => `${ours[m].toFixed(3)} / ${theirs[m].toFixed(3)}`.padStart(26))].join(""));
  }
  if (values.misses) {
    console.log("\nTurns that went wrong:");
    for (const o of conversations.outcomes) {
      if (o.intentCorrect && o.factsFound !== false && o.inventedNumbers.length === 0 && !o.otherLanguage) continue;
      const problems = [
        ...(o.intentCorrect ? [] : [`intent ${o.expectedIntent} → ${o.understood}`]),
        ...(o.missingFacts.length > 0 ? [`missing ${o.missingFacts.join(" / ")}`] : []),
        ...(o.inventedNumbers.length > 0 ? [`invented ${o.inventedNumbers.join(", ")}`] : []),
        ...(o.otherLanguage ? [`other language "${o.otherLanguage}"`] : []),
      ];
      console.log(`\n${o.conversation.id}#${o.index + 1} [${o.conversation.style}/${o.conversation.category}] ${o.conversation.turns[o.index]!.user}\n  ${problems.join("; ")}\n  → ${o.reply.replace(/\s*\n\s*/g, " ").slice(0, 400)}`);
    }
  }
}
