/** The shapes every handler and dialog works with: a turn as read once, and what a handler answers. */
import type { ConversationState, DialogFrame, Effect } from "./conversation.ts";
import type { Lexicon } from "./understanding/entities.ts";
import type { Routing } from "./understanding/router.ts";
import type { Signals } from "./understanding/signals.ts";
import type { InboundEvent, Language, Reply, SourceRef } from "./types.ts";

/** One inbound message as handlers see it: read once into signals, with the conversation it belongs to. */
export interface Turn {
  readonly event: InboundEvent;
  readonly signals: Signals;
  readonly language: Language;
  readonly now: Date;
  /** The conversation before this turn; handlers say what changes through their result, never by writing here. */
  readonly state: Readonly<ConversationState>;
  /** The names the turn was read against (the catalogue as it is now). */
  readonly lexicon: Lexicon;
  /** How the router read the message (absent for exact rules and dialog steps). */
  readonly routing?: Routing;
}

/** What a handler or dialog step answers. */
export interface TurnResult {
  readonly replies: readonly Reply[];
  /** What was done ("festival_date", "order_ask_phone", "eligibility_result"…), reported as the response's intent. */
  readonly intent: string;
  readonly sources?: readonly SourceRef[];
  /** Pins the reply language from now on (/lang). */
  readonly pinLanguage?: Language;
  /** The language of these replies when it is not the one detected (a menu button of the other language). */
  readonly replyLanguage?: Language;
  /** Opens a dialog on top of the stack (the engine asks it again after a question answered in between). */
  readonly startDialog?: DialogFrame;
  /** Run once after the conversation is saved; their replies follow these. */
  readonly effects?: readonly Effect[];
  /** False for answers a follow-up cannot continue (small talk, menus); true by default for routed questions. */
  readonly followable?: boolean;
}

/** Serves one intent; undefined means it cannot (no product named, say), and the knowledge base gets the message. */
export type IntentHandler = (turn: Turn) => Promise<TurnResult | undefined> | TurnResult | undefined;

/** Runs one kind of side effect after the turn is saved; it must be idempotent, since a crash may run it again. */
export type EffectRunner = (payload: unknown, context: { readonly event: InboundEvent; readonly language: Language }) => Promise<TurnResult>;
