import type { HandoffDesk, HandoffMode } from "../../bot/handoff.ts";
import type { ChannelDirectory, ChatAddress } from "../../bot/ports.ts";
import { handoffTexts } from "../../bot/texts/handoff.ts";
import type { Language } from "../../bot/types.ts";
import type { Database } from "./database.ts";

// Any constant works; it only has to be the same for every instance of the service.
const SWEEP_LOCK_KEY = 4_726_021;

/** How long a handoff may wait for an operator, and an operator may stay silent, before the assistant takes over again. */
export interface HandoffTimeouts {
  readonly waitMinutes: number;
  readonly idleMinutes: number;
}

/** Where the desk writes: whom to call when nobody answers, and the operators' own chat (optional). */
export interface HandoffOptions extends HandoffTimeouts {
  readonly contact: Readonly<Record<Language, string>>;
  readonly operatorsChat?: ChatAddress;
}

/** An open handoff as the console lists it. */
export interface OpenHandoff {
  readonly channel: string;
  readonly userId: string;
  readonly state: "waiting" | "held";
  readonly operator: string | null;
  readonly language: Language;
  readonly firstMessage: string;
  readonly requestedAt: Date;
  readonly lastActivityAt: Date;
}

type Queryable = Pick<Database["pool"], "query">;

/**
 * The handoff desk in the database. Messages to the user (an operator's reply, "handed back") go through
 * the outbox of the user's chat, in the transaction that decides them, so each is sent once; `onQueued`
 * then wakes the delivery (the web chat's page collects its own).
 */
export function createHandoffDesk(db: Database, channels: ChannelDirectory, options: HandoffOptions, onQueued: (chats: readonly ChatAddress[]) => void = () => {}) {
  async function queue(client: Queryable, chat: ChatAddress, text: string): Promise<ChatAddress> {
    await client.query("INSERT INTO outbox (channel, chat_id, reply) VALUES ($1, $2, $3)", [chat.channel, chat.chatId, { text }]);
    return chat;
  }
  const woken = (chats: readonly ChatAddress[]) => onQueued(chats.filter((chat) => channels.canPush(chat.channel)));

  /** Gives back every open handoff matching `where`, telling each user `say(language)`. */
  async function releaseWhere(client: Queryable, where: string, values: unknown[], by: string, say: (language: Language) => string | undefined): Promise<ChatAddress[]> {
    const { rows } = await client.query<{ channel: string; chat_id: string; language: Language }>(
      `UPDATE handoffs SET state = 'released', released_at = now(), released_by = $1 WHERE state <> 'released' AND ${where} RETURNING channel, chat_id, language`,
      [by, ...values],
    );
    const told: ChatAddress[] = [];
    for (const row of rows) {
      const text = say(row.language);
      if (text) told.push(await queue(client, { channel: row.channel, chatId: row.chat_id }, text));
    }
    return told;
  }

  const desk: HandoffDesk = {
    async mode(user) {
      const { rows } = await db.pool.query<{ state: HandoffMode }>("SELECT state FROM handoffs WHERE channel = $1 AND user_id = $2 AND state <> 'released'", [user.channel, user.userId]);
      return rows[0]?.state ?? "bot";
    },
    async request(user, language, firstMessage) {
      const chats = await db.transaction(async (client) => {
        const inserted = await client.query(
          `INSERT INTO handoffs (channel, user_id, chat_id, language, state, first_message) VALUES ($1, $2, $3, $4, 'waiting', $5)
           ON CONFLICT (channel, user_id) WHERE state <> 'released' DO NOTHING`,
          [user.channel, user.userId, user.chatId, language, firstMessage.slice(0, 500)],
        );
        if (inserted.rowCount === 0) return undefined;
        const { operatorsChat } = options;
        return operatorsChat ? [await queue(client, operatorsChat, handoffTexts.vi.operatorsNotice(`${user.channel} ${user.userId}`, firstMessage.slice(0, 200)))] : [];
      });
      if (!chats) return "already";
      woken(chats);
      return "queued";
    },
    async release(user, by) {
      // A user who asks for the assistant back is answered by the engine; anyone else's release tells the user.
      const told = await db.transaction((client) =>
        releaseWhere(client, "channel = $2 AND user_id = $3", [user.channel, user.userId], by, (language) => (by === "user" ? undefined : handoffTexts[language].released)),
      );
      woken(told);
      return by === "user" ? true : told.length > 0;
    },
  };

  return {
    ...desk,

    /** The conversations waiting for an operator or held by one, the longest waiting first. */
    async open(): Promise<OpenHandoff[]> {
      const { rows } = await db.pool.query<{ channel: string; user_id: string; state: "waiting" | "held"; operator_email: string | null; language: Language; first_message: string; requested_at: Date; last_activity_at: Date }>(
        "SELECT * FROM handoffs WHERE state <> 'released' ORDER BY requested_at",
      );
      return rows.map((row) => ({
        channel: row.channel,
        userId: row.user_id,
        state: row.state,
        operator: row.operator_email,
        language: row.language,
        firstMessage: row.first_message,
        requestedAt: row.requested_at,
        lastActivityAt: row.last_activity_at,
      }));
    },

    /**
     * An operator's message to the user: takes the conversation (waiting → held by them) and queues the
     * text for the user's chat. Undefined when the conversation is not handed over.
     */
    async reply(user: { channel: string; userId: string }, text: string, operator: string): Promise<ChatAddress | undefined> {
      const chat = await db.transaction(async (client) => {
        const { rows } = await client.query<{ chat_id: string }>(
          `UPDATE handoffs SET state = 'held', operator_email = $3, taken_at = coalesce(taken_at, now()), last_activity_at = now()
           WHERE channel = $1 AND user_id = $2 AND state <> 'released' RETURNING chat_id`,
          [user.channel, user.userId, operator],
        );
        return rows[0] ? queue(client, { channel: user.channel, chatId: rows[0].chat_id }, text) : undefined;
      });
      if (chat) woken([chat]);
      return chat;
    },

    /**
     * Hands back what waited too long for an operator (telling the user whom to call) and what an operator
     * left idle; one instance at a time does it.
     */
    async sweep(): Promise<number> {
      const told = await db.transaction(async (client) => {
        const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS locked", [SWEEP_LOCK_KEY]);
        if (!rows[0]!.locked) return [];
        const unanswered = await releaseWhere(client, "state = 'waiting' AND requested_at < now() - make_interval(mins => $2)", [options.waitMinutes], "timeout", (language) =>
          handoffTexts[language].nobodyCame(options.contact[language]),
        );
        const idle = await releaseWhere(client, "state = 'held' AND last_activity_at < now() - make_interval(mins => $2)", [options.idleMinutes], "idle", (language) => handoffTexts[language].released);
        return [...unanswered, ...idle];
      });
      woken(told);
      return told.length;
    },
  };
}

/** The desk with the console's reads and writes. */
export type HandoffDeskStore = ReturnType<typeof createHandoffDesk>;
