/**
 * The contract of a dialog: a module with a versioned zod schema for its state and four entry
 * points. The engine owns the stack and the order in which a message is tried at each step:
 * a button of the step, then cancel, then a correction of an earlier field, then an unrelated
 * question (answered, then the step is asked again), and only then the step's own parsing.
 */
import type { z } from "zod";
import type { Effect } from "../conversation.ts";
import type { Turn } from "../turn.ts";
import type { Language, Reply, SourceRef } from "../types.ts";

/** What a dialog says after a message: its next state (undefined once finished) and its replies. */
export interface DialogStep<S> {
  readonly state: S | undefined;
  readonly replies: readonly Reply[];
  readonly intent: string;
  readonly sources?: readonly SourceRef[];
  readonly effects?: readonly Effect[];
}

/** A dialog module. */
export interface Dialog<S> {
  readonly name: string;
  /** Raised whenever the state's shape changes; a stored state of another version is dropped with a note. */
  readonly version: number;
  readonly schema: z.ZodType<S>;
  /** Begins the dialog from the message that asked for it (which may already hold some answers). */
  start(turn: Turn): Promise<DialogStep<S>> | DialogStep<S>;
  /** Reads the message as the answer to the current step; undefined when it is not one. */
  answer(turn: Turn, state: S): Promise<DialogStep<S> | undefined> | DialogStep<S> | undefined;
  /** Reads the message as a change to an earlier answer ("ý mình là 5 hộp", "đổi địa chỉ …"); undefined otherwise. */
  correct(turn: Turn, state: S): Promise<DialogStep<S> | undefined> | DialogStep<S> | undefined;
  /** The current step's question, asked again (with a word saying so) after something else was answered in between. */
  resume(state: S, language: Language): Promise<Reply> | Reply;
  /** What to say when the user drops the dialog, and the intent reported. */
  cancel(state: S, language: Language): { readonly reply: Reply; readonly intent: string };
  /** A dialog left too long is dropped before the next message is read, with a notice. */
  readonly expiry?: {
    isExpired(state: S, now: Date): boolean;
    notice(language: Language): Reply;
  };
}

/** Any dialog, as the engine's registry holds them. */
export type AnyDialog = Dialog<any>;
