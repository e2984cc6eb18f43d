import { randomUUID } from "node:crypto";
import type { Assistant } from "../../app/compose.ts";
import type { BotResponse } from "../../bot/types.ts";

/** Sends `text` from `user` through the assistant as the scriptable chat would, and returns the answer. */
export async function say(assistant: Assistant, user: string, text: string): Promise<BotResponse> {
  const response = await assistant.receive({ channel: "cli", eventId: randomUUID(), userId: user, chatId: user, text, receivedAt: new Date() });
  if (!response) throw new Error("a fresh event was taken for a duplicate");
  return response;
}
