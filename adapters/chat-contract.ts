import { z } from "zod";
import type { BotResponse } from "../bot/types.ts";

/** Longest text accepted at the edge; the engine itself asks to shorten anything over its own limit. */
const MAX_INPUT_TEXT = 10_000;

/** A chat request as the scriptable chat and `POST /api/chat` accept it. */
export const chatRequestSchema = z.object({
  user: z
    .string({ error: "\"user\" must be a string" })
    .trim()
    .min(1, "\"user\" must not be empty")
    .max(128, "\"user\" must be at most 128 characters")
    .regex(/^[^\p{Cc}]+$/u, "\"user\" must not contain control characters"),
  text: z.string({ error: "\"text\" must be a string" }).max(MAX_INPUT_TEXT, `"text" must be at most ${MAX_INPUT_TEXT} characters`),
}, { error: "expected a JSON object {\"user\": \"…\", \"text\": \"…\"}" });

/** The reply object of the chat contract: `{user, replies: [{text, buttons}], intent, sources}`. */
export interface ChatReply {
  readonly user: string;
  readonly replies: { readonly text: string; readonly buttons: readonly string[] }[];
  readonly intent: string;
  readonly sources: { readonly id: string; readonly title: string }[];
}

/** Renders a core response in the chat contract's shape. */
export function toChatReply(user: string, response: BotResponse): ChatReply {
  return {
    user,
    replies: response.replies.map((reply) => ({ text: reply.text, buttons: reply.buttons ?? [] })),
    intent: response.intent,
    sources: response.sources.map((source) => ({ id: source.id, title: source.title })),
  };
}

/** One human-readable line describing why a request is invalid. */
export function describeInvalidRequest(error: z.ZodError): string {
  return error.issues.map((issue) => issue.message).join("; ");
}
