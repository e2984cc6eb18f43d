/**
 * End-to-end evaluation of conversations: each dev-set conversation is played through the whole
 * engine, and each turn is scored on the intent understood, the facts its reply must state, and
 * numbers the reply states that no source, no data file and no message of the user contains.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { fold, hasVietnameseDiacritics } from "../knowledge/vietnamese.ts";
import type { BotResponse } from "./types.ts";

const turnSchema = z.object({ user: z.string(), intent: z.string(), facts: z.array(z.string()) });
const conversationSchema = z.object({
  id: z.string(),
  category: z.string(),
  style: z.enum(["vi", "vi-noacc", "en"]),
  turns: z.array(turnSchema).min(1),
});

/** A labelled conversation of the dev set. */
export type DevConversation = z.infer<typeof conversationSchema>;

/** The ways of typing the report breaks down by. */
export const STYLES = ["vi", "vi-noacc", "en"] as const;

/** Reads every conversation of the JSONL files given. */
export function loadConversations(paths: readonly string[]): DevConversation[] {
  return paths.flatMap((path) =>
    readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => line.trim())
      .map((line, i) => {
        const parsed = conversationSchema.safeParse(JSON.parse(line));
        if (!parsed.success) throw new Error(`${path}:${i + 1}: ${parsed.error.message}`);
        return parsed.data;
      }),
  );
}

/** One turn played: what was expected and what came back. */
export interface TurnOutcome {
  readonly conversation: DevConversation;
  readonly index: number;
  readonly expectedIntent: string;
  readonly understood: string;
  readonly reply: string;
  readonly intentCorrect: boolean;
  /** Undefined when the turn lists no facts. */
  readonly factsFound?: boolean;
  readonly missingFacts: readonly string[];
  readonly inventedNumbers: readonly string[];
  /** A run of words in the other language (outside brackets and quotes), if the reply has one. */
  readonly otherLanguage?: string;
}

// What an honest "don't know" says: that the fact is not known, and whom to ask.
const UNKNOWN = /(chua co thong tin|khong co thong tin|chua co so lieu|khong muon doan|don't have|do not have|no information|not known|won't guess|not in our sources|not given in our sources)/;
const ASK = /(hoi|ask|lien he|contact)/;
const ORDER_CODE = /\bDH-[A-Z0-9]{5}\b/;
const ORDER_PLACED = /(dat hang thanh cong|order placed)/;

/** Folds text and writes numbers without thousands separators, so "100.000 đ" matches "100,000" and "100000". */
export function normaliseForFacts(text: string): string {
  return fold(text)
    .replace(/(\d)[.,](?=\d{3}\b)/g, "$1")
    .replace(/\s+/g, " ");
}

/** True when `reply` states `fact` (alternatives separated by " | "; "@unknown", "@order-code", "@no-order" are checks). */
export function statesFact(reply: string, fact: string): boolean {
  const text = normaliseForFacts(reply);
  switch (fact.trim()) {
    case "@unknown":
      return UNKNOWN.test(text) && ASK.test(text);
    case "@order-code":
      return ORDER_CODE.test(reply);
    case "@no-order":
      return !ORDER_PLACED.test(text);
    default:
      return fact.split(" | ").some((alternative) => text.includes(normaliseForFacts(alternative.trim())));
  }
}

/**
 * Numbers in a reply that appear in none of `known` (the corpus, the data files and what the user
 * typed). Dates, order codes, phone numbers and the arithmetic of an order summary are left out:
 * they are computed or echoed, not stated as facts.
 */
export function inventedNumbers(reply: string, known: ReadonlySet<string>): string[] {
  const kept = reply
    .split("\n")
    .filter((line) => !/[×=]|Tổng cộng|Total|DH-|\b0\d{9}\b/.test(line))
    // Phone numbers (the example in "(ví dụ 0912 345 678)", "+84…") are not facts.
    .map((line) => line.replace(/\+?\b(?:84|0)\d{2,3}[\s.]?\d{3}[\s.]?\d{3,4}\b|\+84/g, " "))
    .join("\n")
    .replace(/\b\d{1,2}\/\d{1,2}\/\d{4}\b|\b\d{1,2}:\d{2}\b|\b\d{1,2}\/\d{4}\b|\b\d{1,2}\/\d{1,2}\b/g, " ");
  return [...new Set((normaliseForFacts(kept).match(/\d+(?:[.,]\d+)?/g) ?? []).filter((n) => !known.has(n) && Number(n) > 10))];
}

/** Every number written in `texts`, normalised as `inventedNumbers` reads them. */
export function numbersIn(texts: Iterable<string>): Set<string> {
  const numbers = new Set<string>();
  for (const text of texts) for (const n of normaliseForFacts(text).match(/\d+(?:[.,]\d+)?/g) ?? []) numbers.add(n);
  return numbers;
}

const ENGLISH_WORD = /^(the|and|of|to|is|are|in|for|with|on|by|from|this|that|please|you|your|can|will|has|have|not|was|were|be)$/i;

/**
 * A run of words in the other language than the conversation's, outside brackets and quotes (where
 * a Vietnamese name or an English gloss belongs): three lower-case Vietnamese words in an English
 * reply ("được hỗ trợ không"), or three English function words in a Vietnamese one.
 */
export function otherLanguageRun(reply: string, style: DevConversation["style"]): string | undefined {
  // A Vietnamese name glossed in English ("Chi cục Phát triển nông thôn (the Sub-department…)") is a name, not a sentence.
  // Quotes go first: a quoted Vietnamese saying may hold commas ("dân biết, dân bàn, …" (people know, …)).
  const plain = reply.replace(/"[^"\n]*"|“[^”\n]*”/g, " ").replace(/[^,.;:()\n]*\(/g, "(").replace(/\([^()]*\)|'[^']*'/g, " ");
  for (const line of plain.split("\n")) {
    const words = line.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    let run: string[] = [];
    for (const word of words) {
      const foreign = style === "en" ? hasVietnameseDiacritics(word) && word === word.toLowerCase() && word.length > 1 : ENGLISH_WORD.test(word);
      run = foreign ? [...run, word] : [];
      if (run.length >= 3) return run.join(" ");
    }
  }
  return undefined;
}

/** Scores one turn. */
export function scoreTurn(conversation: DevConversation, index: number, response: BotResponse, known: ReadonlySet<string>): TurnOutcome {
  const expected = conversation.turns[index]!;
  const reply = response.replies.map((r) => r.text).join("\n");
  const understood = response.understanding?.intent ?? response.intent;
  const missingFacts = expected.facts.filter((fact) => !statesFact(reply, fact));
  const switched = conversation.turns.slice(0, index + 1).some((turn) => turn.intent === "language");
  return {
    conversation,
    index,
    expectedIntent: expected.intent,
    understood,
    reply,
    intentCorrect: understood === expected.intent,
    ...(expected.facts.length > 0 ? { factsFound: missingFacts.length === 0 } : {}),
    missingFacts,
    inventedNumbers: inventedNumbers(reply, known),
    // After the user asks for the other language, its replies are rightly in that one.
    ...(!switched && otherLanguageRun(reply, conversation.style) ? { otherLanguage: otherLanguageRun(reply, conversation.style)! } : {}),
  };
}

/** Intent accuracy, fact-in-answer and "no invented number" over some turns. */
export interface Scores {
  readonly turns: number;
  readonly intentAccuracy: number;
  /** Share of the turns with facts whose reply states all of them. */
  readonly factInAnswer: number;
  readonly factTurns: number;
  /** Share of turns whose reply states no number absent from every source. */
  readonly noInventedNumber: number;
  /** Share of turns whose reply is in the conversation's language only. */
  readonly oneLanguage: number;
}

const round = (value: number) => Math.round(value * 1000) / 1000;
const share = (hits: number, total: number) => (total === 0 ? 1 : round(hits / total));

/** The scores of a set of turns. */
export function scoresOf(outcomes: readonly TurnOutcome[]): Scores {
  const withFacts = outcomes.filter((o) => o.factsFound !== undefined);
  return {
    turns: outcomes.length,
    intentAccuracy: share(outcomes.filter((o) => o.intentCorrect).length, outcomes.length),
    factInAnswer: share(withFacts.filter((o) => o.factsFound).length, withFacts.length),
    factTurns: withFacts.length,
    noInventedNumber: share(outcomes.filter((o) => o.inventedNumbers.length === 0).length, outcomes.length),
    oneLanguage: share(outcomes.filter((o) => o.otherLanguage === undefined).length, outcomes.length),
  };
}

/** The whole report: overall, per way of typing, per category, and the confusions (expected → understood). */
export function report(outcomes: readonly TurnOutcome[]) {
  const by = (key: (o: TurnOutcome) => string) => {
    const groups = new Map<string, TurnOutcome[]>();
    for (const o of outcomes) groups.set(key(o), [...(groups.get(key(o)) ?? []), o]);
    return Object.fromEntries([...groups].sort(([a], [b]) => a.localeCompare(b)).map(([name, group]) => [name, scoresOf(group)]));
  };
  const confusions = new Map<string, number>();
  for (const o of outcomes) if (!o.intentCorrect) confusions.set(`${o.expectedIntent} → ${o.understood}`, (confusions.get(`${o.expectedIntent} → ${o.understood}`) ?? 0) + 1);
  return {
    ...scoresOf(outcomes),
    conversations: new Set(outcomes.map((o) => o.conversation.id)).size,
    multiTurnConversations: new Set(outcomes.filter((o) => o.conversation.turns.length > 1).map((o) => o.conversation.id)).size,
    byLanguage: Object.fromEntries(STYLES.map((style) => [style, scoresOf(outcomes.filter((o) => o.conversation.style === style))])),
    byCategory: by((o) => o.conversation.category),
    byIntent: by((o) => o.expectedIntent),
    confusions: Object.fromEntries([...confusions].sort((a, b) => b[1] - a[1])),
  };
}
