/**
 * What the core remembers about one user between messages, stored as JSON and validated with zod on
 * every load: a state written by an older release that no longer parses starts afresh (keeping the
 * language) rather than breaking the conversation.
 */
import { z } from "zod";

const language = z.enum(["vi", "en"]);

/** One open dialog: its module's name, the version of its state schema, and the state (validated by the dialog). */
export const dialogFrameSchema = z.object({ name: z.string(), version: z.number().int(), data: z.unknown() });
/** An open dialog as stored. */
export type DialogFrame = z.infer<typeof dialogFrameSchema>;

/** A side effect decided by a turn, run once after the state is saved (placing an order, linking a chat…). */
export const effectSchema = z.object({ kind: z.string(), payload: z.unknown() });
/** A side effect as stored until it has run. */
export type Effect = z.infer<typeof effectSchema>;

const replySchema = z.object({ text: z.string(), buttons: z.array(z.string()).optional() });

export const conversationStateSchema = z.object({
  /** Language of the last message that gave clear evidence of one. */
  language: language.optional(),
  /** Language the user chose explicitly (/lang); wins over detection. */
  pinnedLanguage: language.optional(),
  /** Open dialogs, innermost last: a dialog started inside another resumes the outer one when it ends. */
  dialogs: z.array(dialogFrameSchema).default([]),
  /** The quick replies last offered; a bare number answers with the matching label. */
  buttons: z.array(z.string()).optional(),
  /** The last question answered, so an elliptical follow-up ("còn năm 2028?") can be read as the same question. */
  topic: z.object({ intent: z.string(), text: z.string(), at: z.string() }).optional(),
  /** A "did you mean …?" question waiting for its answer: the message and the intent behind each button. */
  clarifying: z.object({ text: z.string(), options: z.array(z.object({ label: z.string(), intent: z.string() })) }).optional(),
  /** Side effects of a saved turn that have not finished yet; run again (they are idempotent) before the next turn. */
  pending: z
    .object({ eventId: z.string(), effects: z.array(effectSchema), replies: z.array(replySchema), intent: z.string() })
    .optional(),
  /** What the last turn came to ("unknown" twice in a row offers a person). */
  lastIntent: z.string().optional(),
  turns: z.number().int().default(0),
});

/** What the core remembers about one user between messages. */
export type ConversationState = z.infer<typeof conversationStateSchema>;

/** A fresh conversation. */
export const NEW_CONVERSATION: ConversationState = { dialogs: [], turns: 0 };

/** Reads a stored state; anything that no longer fits the schema starts a fresh conversation in the same language. */
export function parseConversationState(stored: unknown): ConversationState {
  const parsed = conversationStateSchema.safeParse(stored ?? {});
  if (parsed.success) return parsed.data;
  const old = stored as { language?: unknown; pinnedLanguage?: unknown } | null;
  const keep = (value: unknown) => (value === "vi" || value === "en" ? value : undefined);
  const languageOf = keep(old?.language);
  const pinned = keep(old?.pinnedLanguage);
  return { ...NEW_CONVERSATION, ...(languageOf ? { language: languageOf } : {}), ...(pinned ? { pinnedLanguage: pinned } : {}) };
}
