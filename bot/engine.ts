import { fold, normalizeText } from "../knowledge/vietnamese.ts";
import { detectLanguage } from "./language.ts";
import type { ConversationStore, Inbox } from "./ports.ts";
import type { BotResponse, ConversationState, InboundEvent, Language, Reply, SourceRef } from "./types.ts";

/** Longest message the core reads; longer ones are answered with a request to shorten. */
export const MAX_TEXT_LENGTH = 2000;

/** One inbound message as the handlers see it. */
export interface Turn {
  readonly event: InboundEvent;
  /** NFC-normalised text without control characters. */
  readonly text: string;
  /** `text` lower-cased without diacritics, for matching. */
  readonly folded: string;
  readonly language: Language;
  readonly now: Date;
  /** The user's conversation; handlers change it and the engine saves it after the turn. */
  state: ConversationState;
}

/** What a handler answers with. */
export interface TurnResult {
  readonly replies: readonly Reply[];
  readonly intent: string;
  readonly sources?: readonly SourceRef[];
  /** Language of the replies when the handler changed it (e.g. /lang). */
  readonly language?: Language;
}

/** A step of the pipeline: answers the turn, or returns undefined to let the next handler try. */
export type Handler = (turn: Turn) => Promise<TurnResult | undefined> | TurnResult | undefined;

/** Dependencies of the engine. */
export interface EngineOptions {
  readonly conversations: ConversationStore;
  /** Tried in order; the last one should always answer (a fallback). */
  readonly handlers: readonly Handler[];
  readonly clock?: () => Date;
}

/** The conversation engine: turns an event into a response, keeping per-user state. */
export interface Engine {
  respond(event: InboundEvent): Promise<BotResponse>;
}

const MAX_SAVE_ATTEMPTS = 10;

/** Creates the engine; handlers are tried in order until one answers. */
export function createEngine(options: EngineOptions): Engine {
  const clock = options.clock ?? (() => new Date());
  const key = (event: InboundEvent) => ({ channel: event.channel, userId: event.userId });

  async function runTurn(event: InboundEvent, state: ConversationState): Promise<[BotResponse, ConversationState]> {
    const typed = normalizeText(event.text);
    const text = chooseButton(typed, state.buttons);
    // A button's label (often a Vietnamese product name) says nothing about the language of the person pressing it.
    const language = state.pinnedLanguage ?? (text === typed ? detectLanguage(text, state.language ?? "vi") : (state.language ?? "vi"));
    const turn: Turn = { event, text, folded: fold(text), language, now: clock(), state: { ...state, language } };
    const dialog = turn.state.dialog;
    for (const handler of options.handlers) {
      const result = await handler(turn);
      if (!result) continue;
      // Another handler answered while a dialog waits: remind the user where the dialog stands.
      const replies = dialog?.resume && turn.state.dialog === dialog ? [...result.replies, dialog.resume] : result.replies;
      const buttons = replies.at(-1)?.buttons ?? [];
      turn.state = { ...turn.state, turns: turn.state.turns + 1, buttons };
      const response: BotResponse = {
        replies,
        intent: result.intent,
        sources: result.sources ?? [],
        language: result.language ?? language,
      };
      return [response, turn.state];
    }
    throw new Error("no handler answered the turn; the handler list must end with a fallback");
  }

  return {
    async respond(event) {
      // Optimistic concurrency: if another instance saved this conversation meanwhile, replay the turn on its state.
      for (let attempt = 1; ; attempt++) {
        const stored = await options.conversations.load(key(event));
        const [response, next] = await runTurn(event, stored?.state ?? { turns: 0 });
        if (await options.conversations.save(key(event), next, stored?.version ?? 0)) return response;
        if (attempt >= MAX_SAVE_ATTEMPTS) throw new Error("conversation state kept changing under the turn");
      }
    },
  };
}

/** "2" (or "#2") after a reply with buttons means the second button's label; anything else passes through. */
export function chooseButton(text: string, buttons: readonly string[] = []): string {
  const choice = /^#?(\d{1,2})$/.exec(text);
  return (choice && buttons[Number(choice[1]) - 1]) || text;
}

/** Records each event once and answers it; a duplicate delivery yields undefined. */
export async function receiveOnce(inbox: Inbox, engine: Engine, event: InboundEvent): Promise<BotResponse | undefined> {
  if (!(await inbox.record(event))) return undefined;
  const response = await engine.respond(event);
  await inbox.markProcessed(event);
  return response;
}
