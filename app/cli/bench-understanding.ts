/**
 * `npm run bench:understanding [-- --rounds N] [--json]`: what understanding adds to a turn — reading a
 * message into signals (entities, question type) and routing it — measured on every user message of
 * the dev set, and how long the router takes to train at start. No database: the shipped catalogue is read.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadConversations } from "../../bot/evaluation.ts";
import { examplesOf, loadIntents } from "../../bot/understanding/intents.ts";
import { Router } from "../../bot/understanding/router.ts";
import { understand } from "../../bot/understanding/signals.ts";
import { loadCatalogueData, productsOf } from "../../knowledge/catalogue.ts";
import { loadFestivalEvents } from "../../knowledge/festivals.ts";
import { loadVillages } from "../../knowledge/villages.ts";
import { summarize } from "./latency.ts";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "5" }, json: { type: "boolean", default: false } } });
const dir = fileURLToPath(new URL("../../test/eval/conversations/", import.meta.url));
const messages = loadConversations(readdirSync(dir).filter((file) => file.endsWith(".jsonl")).map((file) => join(dir, file))).flatMap((c) => c.turns.map((t) => t.user));

const lexicon = { products: productsOf(loadCatalogueData()), villages: loadVillages(), festivals: loadFestivalEvents() };
const intents = loadIntents();
const trainingStarted = performance.now();
const router = Router.train(intents, lexicon);
const trainingMs = Math.round(performance.now() - trainingStarted);

const reading: number[] = [];
const routing: number[] = [];
for (let round = 0; round < Number(values.rounds); round++) {
  for (const message of messages) {
    const started = performance.now();
    const signals = understand(message, lexicon);
    const read = performance.now();
    router.route(signals);
    reading.push(read - started);
    routing.push(performance.now() - read);
  }
}
const perTurn = reading.map((ms, i) => ms + routing[i]!);
const result = {
  messages: messages.length,
  intents: intents.length,
  examples: intents.reduce((sum, intent) => sum + examplesOf(intent).length, 0),
  trainingMs,
  signalsMs: summarize(reading),
  routeMs: summarize(routing),
  perTurnMs: summarize(perTurn),
};
if (values.json) {
  console.log(JSON.stringify(result));
} else {
  console.log(`Router: ${result.intents} intents, ${result.examples} examples, trained in ${trainingMs} ms.`);
  console.log(`Per message (${result.messages} dev-set messages × ${values.rounds}): signals p50 ${result.signalsMs.p50} ms, p95 ${result.signalsMs.p95} ms; ` +
    `routing p50 ${result.routeMs.p50} ms, p95 ${result.routeMs.p95} ms; together p95 ${result.perTurnMs.p95} ms.`);
}
