import type { ChannelName, ConversationState, InboundEvent, Reply } from "./types.ts";

/** Identifies one user's conversation. */
export interface ConversationKey {
  readonly channel: string;
  readonly userId: string;
}

/** A stored conversation with the version it was read at, for optimistic concurrency. */
export interface StoredConversation {
  readonly state: ConversationState;
  readonly version: number;
}

/** Persists per-user conversation state so that any instance can take the next message. */
export interface ConversationStore {
  load(key: ConversationKey): Promise<StoredConversation | undefined>;
  /**
   * Saves `state` if the stored version is still `expectedVersion` (0 for a new conversation).
   * Resolves false when another writer got there first.
   */
  save(key: ConversationKey, state: ConversationState, expectedVersion: number): Promise<boolean>;
}

/** Records inbound events once, keyed by channel + event id. */
export interface Inbox {
  /** Resolves true the first time an event is seen, false for a duplicate delivery. */
  record(event: InboundEvent): Promise<boolean>;
  markProcessed(event: InboundEvent): Promise<void>;
}

/** Sends replies to one channel's chats; implemented by each channel adapter. */
export interface ChannelSender {
  readonly channel: ChannelName;
  /** Delivers one reply (splitting it as the channel requires); throws when it could not. */
  send(chatId: string, reply: Reply): Promise<void>;
  /** Shows "typing…" while the answer is being prepared; best effort. */
  typing(chatId: string): Promise<void>;
}

/** Schedules a message to a chat at a later time (festival reminders); only push channels can take one. */
export interface ReminderScheduler {
  /** Resolves false when the chat's channel cannot receive a message it did not ask for right now. */
  schedule(chat: { channel: ChannelName; chatId: string }, at: Date, text: string): Promise<boolean>;
}
