/**
 * Why a turn goes to the operators' inbox. A turn is flagged when the assistant was unsure (it asked
 * "did you mean …?", fell back on a weak guess, or its two best readings were close), did not know,
 * took a question that looks like the domain as off-topic, or when the user asks again right after.
 */
import { questionSimilarity } from "./curated.ts";
import type { BotResponse } from "./types.ts";

/** A reason to flag a turn. */
export type FlagReason = "unsure" | "close_candidates" | "dont_know" | "off_topic_domain" | "asked_again" | "thumbs_down";

/** Two readings this close (router scores) mean the assistant could as well have done the other thing. */
const CLOSE_MARGIN = 0.15;
/** A domain intent this likely among the runners-up makes an "off-topic" answer suspect. */
const DOMAIN_RUNNER_UP = 0.2;
/** The same user asking something this alike within this long is asking again. */
const AGAIN_WITHIN_MS = 3 * 60_000;
const AGAIN_SIMILARITY = 0.5;

/** Intents that are not about the domain: small talk, the fallbacks and "clarify" itself. */
const NOT_DOMAIN = new Set(["greeting", "help", "thanks", "goodbye", "acknowledge", "cancel", "language", "out_of_scope", "clarify", "topic_menu"]);

/** Whether a response intent means "I don't know" ("unknown", and the features' own: "festival_unknown"…). */
export function isDontKnow(intent: string): boolean {
  return intent === "unknown" || intent.endsWith("_unknown");
}

/** The user's previous turn, as far as flagging needs it. */
export interface PreviousTurn {
  readonly text: string;
  readonly intent: string;
  readonly at: Date;
}

/** The reasons to flag a turn; none for a turn that went well. */
export function flagReasons(text: string, response: BotResponse, at: Date, previous?: PreviousTurn): FlagReason[] {
  const reasons: FlagReason[] = [];
  const understanding = response.understanding;
  if (response.intent === "clarify" || understanding?.by === "fallback") reasons.push("unsure");
  const [first, second] = understanding?.candidates ?? [];
  if (understanding?.by === "router" && first && second && !NOT_DOMAIN.has(first.intent) && first.score - second.score < CLOSE_MARGIN) reasons.push("close_candidates");
  if (isDontKnow(response.intent)) reasons.push("dont_know");
  if (response.intent === "off_topic" && understanding?.candidates.some((c) => !NOT_DOMAIN.has(c.intent) && c.score >= DOMAIN_RUNNER_UP)) reasons.push("off_topic_domain");
  if (
    previous &&
    at.getTime() - previous.at.getTime() < AGAIN_WITHIN_MS &&
    !NOT_DOMAIN.has(previous.intent) &&
    !previous.intent.startsWith("order_") &&
    questionSimilarity(text, previous.text) >= AGAIN_SIMILARITY
  ) {
    reasons.push("asked_again");
  }
  return reasons;
}

/** A flagged turn in the inbox. */
export interface FlaggedTurn {
  readonly id: number;
  readonly channel: string;
  readonly userId: string;
  readonly at: Date;
  readonly text: string;
  readonly intent: string;
  readonly flags: readonly string[];
}

/** Flagged turns asking about the same thing, newest first. */
export interface FlagGroup {
  /** The newest turn's id: the group's handle. */
  readonly id: number;
  readonly question: string;
  readonly reasons: readonly string[];
  readonly lastAt: Date;
  readonly turns: readonly FlaggedTurn[];
}

/** Questions this alike go in one group of the inbox. */
const GROUP_SIMILARITY = 0.55;

/** Groups flagged turns (newest first) by similar question: each joins the first group whose question it resembles. */
export function groupFlagged(turns: readonly FlaggedTurn[]): FlagGroup[] {
  const groups: { question: string; turns: FlaggedTurn[] }[] = [];
  for (const turn of [...turns].sort((a, b) => b.id - a.id)) {
    const group = groups.find((candidate) => questionSimilarity(candidate.question, turn.text) >= GROUP_SIMILARITY);
    if (group) group.turns.push(turn);
    else groups.push({ question: turn.text, turns: [turn] });
  }
  return groups.map(({ question, turns: members }) => ({
    id: members[0]!.id,
    question,
    reasons: [...new Set(members.flatMap((member) => member.flags))],
    lastAt: members[0]!.at,
    turns: members,
  }));
}
