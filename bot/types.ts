/** The conversation core's vocabulary: what comes in from a channel and what goes back out. */

export type Language = "vi" | "en";

/**
 * A channel's name: one of the registered messaging channels ("telegram", "zalo", "messenger"…), or
 * "web" and "cli", which answer in the request itself. Which channels exist is the registry's business.
 */
export type ChannelName = string;

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
  /**
   * Where the message came from when the channel does not vouch for the sender (the public web chat):
   * an opaque token of the client's address, for limits per origin. Never the address itself.
   */
  readonly origin?: string;
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

/** How the router read a message: the intent it chose, its score and the runners-up. */
export interface Understanding {
  /** The intent served, or how a dialog took the message ("dialog_answer", "dialog_cancel", "dialog_correction"). */
  readonly intent: string;
  readonly score: number;
  readonly candidates: readonly { readonly intent: string; readonly score: number }[];
  /** "rule" for exact matches (commands, codes, buttons), "dialog" for a dialog's own step, "follow_up" when the previous question was carried over, "curated" for an operator's answer. */
  readonly by: "rule" | "router" | "dialog" | "follow_up" | "fallback" | "curated";
}

/** Everything the core says in answer to one event. */
export interface BotResponse {
  readonly replies: readonly Reply[];
  /** What the core did with the message (greeting, question, order_ask_phone, eligibility_result…). */
  readonly intent: string;
  readonly sources: readonly SourceRef[];
  readonly language: Language;
  /** How the message was understood; recorded for the evaluation and the operators. */
  readonly understanding?: Understanding;
}
