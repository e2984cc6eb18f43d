/** The conversation core's vocabulary: what comes in from a channel and what goes back out. */

export type Language = "vi" | "en";

export type ChannelName = "telegram" | "zalo" | "web" | "cli";

/** Whether the channel can deliver a message the user did not just ask for (a notice, a reminder). */
export function canPush(channel: ChannelName): boolean {
  return channel === "telegram" || channel === "zalo";
}

/** One message from a user, normalised from whatever the channel delivered. */
export interface InboundEvent {
  readonly channel: ChannelName;
  /** Unique within the channel (Telegram update id, Zalo message id, a UUID for local chats). */
  readonly eventId: string;
  /** The sender, stable within the channel; conversation state is kept per channel + user. */
  readonly userId: string;
  /** Where replies go (equal to userId in private chats). */
  readonly chatId: string;
  readonly text: string;
  readonly receivedAt: Date;
}

/** One outgoing message; buttons are quick replies whose label is sent back as the user's next text. */
export interface Reply {
  readonly text: string;
  readonly buttons?: readonly string[];
}

/** A knowledge document an answer relied on. */
export interface SourceRef {
  readonly id: string;
  readonly title: string;
}

/** Everything the core says in answer to one event. */
export interface BotResponse {
  readonly replies: readonly Reply[];
  /** What the core understood the message to be (greeting, help, question, order, fallback…). */
  readonly intent: string;
  readonly sources: readonly SourceRef[];
  readonly language: Language;
}

/** A dialog in progress (an order being filled in, an eligibility check…). */
export interface DialogState {
  readonly name: string;
  readonly data: Record<string, unknown>;
  /** Asked again after another handler answers a message in the middle of the dialog. */
  readonly resume?: Reply;
}

/** What the core remembers about one user between messages; stored as JSON. */
export interface ConversationState {
  /** Language of the last message that gave clear evidence of one. */
  language?: Language;
  /** Language the user chose explicitly (/lang); wins over detection. */
  pinnedLanguage?: Language;
  dialog?: DialogState;
  /** The quick replies last offered; a bare number answers with the matching label (Zalo, Telegram buttons, CLI). */
  buttons?: readonly string[];
  turns: number;
}
