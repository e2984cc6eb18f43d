/** The declared intents (intents.yaml): what each one is served by, the slots it reads, and its labelled examples. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CORE_SCHEMA, load } from "js-yaml";
import { z } from "zod";
import type { EntityType } from "./entities.ts";

const INTENTS_FILE = fileURLToPath(new URL("./intents.yaml", import.meta.url));

const SLOT_TYPES = [
  "product", "village", "festival", "year", "stars", "score", "province", "instrument", "producer_kind",
  "product_group", "month", "order_code", "link_code", "phone", "quantity", "place",
] as const satisfies readonly (EntityType | "quantity" | "place")[];

const localized = z.object({ vi: z.string().min(1), en: z.string().min(1) });

const intentSchema = z.object({
  name: z.string().regex(/^[a-z_]+$/),
  /** "feature.handler" for a handler, "dialog.<name>" for a dialog it starts. */
  serve: z.string().regex(/^[a-z_]+\.[a-z_]+$/),
  slots: z.array(z.enum(SLOT_TYPES)),
  /** Slots it cannot be served without: a message that lacks them borrows them from the last question. */
  needs: z.array(z.enum(SLOT_TYPES)).default([]),
  label: localized,
  description: z.string(),
  examples: z.object({ vi: z.array(z.string()), noacc: z.array(z.string()), en: z.array(z.string()) }),
});

/** One declared intent. */
export type IntentDeclaration = z.output<typeof intentSchema>;

/** Loads and validates the intent declarations; names must be unique and every intent needs examples. */
export function loadIntents(path: string = INTENTS_FILE): IntentDeclaration[] {
  const intents = z.array(intentSchema).parse(load(readFileSync(path, "utf8").normalize("NFC"), { schema: CORE_SCHEMA }));
  const names = new Set<string>();
  for (const intent of intents) {
    if (names.has(intent.name)) throw new Error(`${path}: intent ${intent.name} is declared twice`);
    names.add(intent.name);
    const { vi, noacc, en } = intent.examples;
    const undeclared = intent.needs.filter((slot) => !intent.slots.includes(slot));
    if (undeclared.length > 0) throw new Error(`${path}: intent ${intent.name} needs ${undeclared.join(", ")} but does not take it`);
    if (vi.length + noacc.length + en.length === 0) throw new Error(`${path}: intent ${intent.name} has no examples`);
  }
  return intents;
}

/** Every example of an intent, whatever the way of typing. */
export function examplesOf(intent: IntentDeclaration): string[] {
  return [...intent.examples.vi, ...intent.examples.noacc, ...intent.examples.en];
}
