/**
 * The intent router at start-up: restored from the database when it was trained before from the same
 * examples, lexicon and code, trained (a second or two) and stored otherwise. The key hashes the
 * training inputs and every file of the core (bot/, knowledge/ but its corpus) — more than the router
 * reads, so a change anywhere there trains it once again rather than leaving a stale model in use.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RouterModels } from "../adapters/db/router-models.ts";
import type { Lexicon } from "../bot/understanding/entities.ts";
import type { IntentDeclaration } from "../bot/understanding/intents.ts";
import { Router } from "../bot/understanding/router.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CORE = ["bot", "knowledge"];
/** Not read by the router, and edited in the console: a corpus change must not cost a training. */
const OUTSIDE = new Set([join("knowledge", "corpus")]);

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (OUTSIDE.has(path)) continue;
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

/** A hash of what a router trained on `intents` and `lexicon` by the code as it is now would learn from. */
export function trainingKey(intents: readonly IntentDeclaration[], lexicon: Lexicon): string {
  const hash = createHash("sha256").update(JSON.stringify([intents, lexicon]));
  for (const file of CORE.flatMap((dir) => [...filesUnder(dir)])) hash.update(`\0${file.replaceAll("\\", "/")}\0`).update(readFileSync(join(ROOT, file)));
  return hash.digest("hex");
}

/** The router for `intents` and `lexicon`, and whether it was restored rather than trained. */
export async function trainedRouter(
  models: RouterModels,
  intents: readonly IntentDeclaration[],
  lexicon: Lexicon,
): Promise<{ readonly router: Router; readonly restored: boolean }> {
  const key = trainingKey(intents, lexicon);
  const model = await models.get(key);
  if (model) return { router: Router.restore(intents, model), restored: true };
  const router = Router.train(intents, lexicon);
  await models.put(key, router.model());
  return { router, restored: false };
}
