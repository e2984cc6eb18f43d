import { flagReasons, type FlaggedTurn } from "../../bot/flags.ts";
import type { TurnLog } from "../../bot/ports.ts";
import type { Reply, SourceRef, Understanding } from "../../bot/types.ts";
import type { Database } from "./database.ts";

/** Vietnam keeps one offset all year (UTC+7, no summer time), so a day there is a shifted UTC day. */
const VIETNAM_DAY = "((t.at + interval '7 hours')::date)";

/** One conversation in the console's list. */
export interface ConversationSummary {
  readonly channel: string;
  readonly userId: string;
  readonly turns: number;
  readonly firstAt: Date;
  readonly lastAt: Date;
  readonly lastText: string;
  readonly lastIntent: string;
}

/** One turn of a transcript. */
export interface TranscriptTurn {
  readonly id: number;
  readonly at: Date;
  readonly text: string;
  readonly replies: readonly Reply[];
  readonly intent: string;
  readonly understanding: Understanding | null;
  readonly sources: readonly SourceRef[];
  readonly language: string;
  readonly latencyMs: number;
}

/** Which conversations to list: words in a message or reply (diacritics ignored), a channel, a time range. */
export interface ConversationFilter {
  readonly q?: string;
  readonly channel?: string;
  readonly from?: Date;
  readonly to?: Date;
}

/** The dashboard's figures over a time range. */
export interface Stats {
  readonly messagesPerDay: readonly { day: string; channel: string; messages: number }[];
  readonly topIntents: readonly { intent: string; turns: number }[];
  readonly turns: number;
  /** Shares of all turns in the range, 0–1. */
  readonly unknownShare: number;
  readonly offTopicShare: number;
  readonly ordersByStatus: readonly { status: string; orders: number }[];
  readonly latencyMs: { readonly p50: number | null; readonly p95: number | null };
}

/** The response intents that mean "the assistant did not know" (with the features' "…_unknown") and "not what it is for". */
const UNKNOWN_INTENT = "unknown";
const OFF_TOPIC_INTENT = "off_topic";

/** The turns table: written by the engine's turn log, read by the console. */
export function createTurnLog(db: Database) {
  /** Builds the WHERE clause of a filter over `turns t`. */
  function where(filter: ConversationFilter): [string, unknown[]] {
    const conditions: string[] = [];
    const values: unknown[] = [];
    const add = (sql: (param: string) => string, value: unknown) => {
      values.push(value);
      conditions.push(sql(`$${values.length}`));
    };
    if (filter.channel) add((p) => `t.channel = ${p}`, filter.channel);
    if (filter.from) add((p) => `t.at >= ${p}`, filter.from);
    if (filter.to) add((p) => `t.at < ${p}`, filter.to);
    if (filter.q) {
      add(
        (p) => `lower(unaccent(t.text || ' ' || t.replies::text)) LIKE '%' || lower(unaccent(${p})) || '%'`,
        filter.q.replace(/[%_\\]/g, (c) => `\\${c}`),
      );
    }
    return [conditions.length ? `WHERE ${conditions.join(" AND ")}` : "", values];
  }

  // PostgreSQL text cannot hold NUL; the inbox drops it the same way.
  const clean = (text: string) => text.replaceAll("\u0000", "");
  const log: TurnLog = {
    async record({ event, response, latencyMs }) {
      const { rows } = await db.pool.query<{ id: string; text: string; intent: string; at: Date }>(
        "SELECT id, text, intent, at FROM turns WHERE channel = $1 AND user_id = $2 ORDER BY id DESC LIMIT 1",
        [event.channel, event.userId],
      );
      const previous = rows[0];
      const flags = flagReasons(event.text, response, new Date(), previous);
      await db.pool.query(
        `INSERT INTO turns (channel, user_id, chat_id, event_id, text, replies, intent, understanding, sources, language, latency_ms, flags, flag_status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (channel, event_id) DO NOTHING`,
        [
          event.channel, event.userId, event.chatId, event.eventId, clean(event.text), clean(JSON.stringify(response.replies)), response.intent,
          response.understanding ? JSON.stringify(response.understanding) : null, JSON.stringify(response.sources), response.language, latencyMs,
          flags, flags.length > 0 ? "open" : null,
        ],
      );
      // Asking again says the answer before missed: that turn goes to the inbox too.
      if (previous && flags.includes("asked_again")) {
        await db.pool.query(
          `UPDATE turns SET flags = array_append(flags, 'asked_again'), flag_status = coalesce(flag_status, 'open')
           WHERE id = $1 AND NOT ('asked_again' = ANY (flags))`,
          [previous.id],
        );
      }
    },
  };

  return {
    ...log,

    /** Conversations with a turn matching the filter, most recently active first. */
    async conversations(filter: ConversationFilter, limit = 100): Promise<ConversationSummary[]> {
      const [condition, values] = where(filter);
      const { rows } = await db.pool.query<{ channel: string; user_id: string; turns: string; first_at: Date; last_at: Date; last_text: string; last_intent: string }>(
        // The page of conversations first (by their latest matching turn), then the figures of those only.
        `WITH matched AS (SELECT t.channel, t.user_id, max(t.id) AS last_match FROM turns t ${condition}
                         GROUP BY 1, 2 ORDER BY last_match DESC LIMIT ${Math.trunc(limit)})
         SELECT m.channel, m.user_id, s.turns, s.first_at, s.last_at, l.text AS last_text, l.intent AS last_intent
         FROM matched m
         CROSS JOIN LATERAL (SELECT count(*) AS turns, min(at) AS first_at, max(at) AS last_at, max(id) AS last_id
                             FROM turns WHERE channel = m.channel AND user_id = m.user_id) s
         JOIN turns l ON l.id = s.last_id
         ORDER BY s.last_at DESC`,
        values,
      );
      return rows.map((row) => ({
        channel: row.channel,
        userId: row.user_id,
        turns: Number(row.turns),
        firstAt: row.first_at,
        lastAt: row.last_at,
        lastText: row.last_text,
        lastIntent: row.last_intent,
      }));
    },

    /** Every turn of one conversation, oldest first (the most recent `limit`). */
    async transcript(channel: string, userId: string, limit = 500): Promise<TranscriptTurn[]> {
      const { rows } = await db.pool.query<{ id: string; at: Date; text: string; replies: Reply[]; intent: string; understanding: Understanding | null; sources: SourceRef[]; language: string; latency_ms: number }>(
        `SELECT * FROM (SELECT id, at, text, replies, intent, understanding, sources, language, latency_ms FROM turns
           WHERE channel = $1 AND user_id = $2 ORDER BY id DESC LIMIT ${Math.trunc(limit)}) recent ORDER BY id`,
        [channel, userId],
      );
      return rows.map((row) => ({
        id: Number(row.id),
        at: row.at,
        text: row.text,
        replies: row.replies,
        intent: row.intent,
        understanding: row.understanding,
        sources: row.sources,
        language: row.language,
        latencyMs: row.latency_ms,
      }));
    },

    /** A 👎 on the user's last answer from the knowledge base (or a curated one): it goes to the inbox. */
    async thumbsDown(user: { channel: string; userId: string }): Promise<boolean> {
      const result = await db.pool.query(
        `UPDATE turns SET flags = CASE WHEN 'thumbs_down' = ANY (flags) THEN flags ELSE array_append(flags, 'thumbs_down') END, flag_status = 'open'
         WHERE id = (SELECT id FROM turns WHERE channel = $1 AND user_id = $2 AND intent IN ('question', 'curated_answer') ORDER BY id DESC LIMIT 1)`,
        [user.channel, user.userId],
      );
      return (result.rowCount ?? 0) > 0;
    },

    /** The open flagged turns, newest first. */
    async openFlags(limit = 500): Promise<FlaggedTurn[]> {
      const { rows } = await db.pool.query<{ id: string; channel: string; user_id: string; at: Date; text: string; intent: string; flags: string[] }>(
        `SELECT id, channel, user_id, at, text, intent, flags FROM turns WHERE flag_status = 'open' ORDER BY id DESC LIMIT ${Math.trunc(limit)}`,
      );
      return rows.map((row) => ({ id: Number(row.id), channel: row.channel, userId: row.user_id, at: row.at, text: row.text, intent: row.intent, flags: row.flags }));
    },

    /** The turns around one: `before` earlier and `after` later turns of the same conversation, and the turn itself. */
    async around(id: number, before = 2, after = 1): Promise<TranscriptTurn[]> {
      const { rows } = await db.pool.query<{ id: string; at: Date; text: string; replies: Reply[]; intent: string; understanding: Understanding | null; sources: SourceRef[]; language: string; latency_ms: number }>(
        `WITH t AS (SELECT channel, user_id FROM turns WHERE id = $1)
         (SELECT x.* FROM turns x, t WHERE x.channel = t.channel AND x.user_id = t.user_id AND x.id <= $1 ORDER BY x.id DESC LIMIT $2)
         UNION ALL
         (SELECT x.* FROM turns x, t WHERE x.channel = t.channel AND x.user_id = t.user_id AND x.id > $1 ORDER BY x.id LIMIT $3)`,
        [id, before + 1, after],
      );
      return rows
        .map((row) => ({ id: Number(row.id), at: row.at, text: row.text, replies: row.replies, intent: row.intent, understanding: row.understanding, sources: row.sources, language: row.language, latencyMs: row.latency_ms }))
        .sort((a, b) => a.id - b.id);
    },

    /** Closes flags with what was done about them; resolves to the turns' texts (for curated questions and examples). */
    async resolveFlags(ids: readonly number[], status: "answered" | "example" | "out_of_scope" | "dismissed"): Promise<string[]> {
      const { rows } = await db.pool.query<{ text: string }>(
        "UPDATE turns SET flag_status = $2 WHERE id = ANY($1) AND flag_status = 'open' RETURNING text",
        [ids, status],
      );
      return rows.map((row) => row.text);
    },

    /** The dashboard's figures for turns and orders in [from, to). */
    async stats(range: { from: Date; to: Date }): Promise<Stats> {
      const values = [range.from, range.to];
      const inRange = "t.at >= $1 AND t.at < $2";
      const [perDay, intents, totals, orders] = await Promise.all([
        db.pool.query<{ day: string; channel: string; messages: string }>(
          `SELECT to_char(${VIETNAM_DAY}, 'YYYY-MM-DD') AS day, t.channel, count(*) AS messages FROM turns t WHERE ${inRange}
           GROUP BY 1, 2 ORDER BY 1, 2`,
          values,
        ),
        db.pool.query<{ intent: string; turns: string }>(
          `SELECT t.intent, count(*) AS turns FROM turns t WHERE ${inRange} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`,
          values,
        ),
        db.pool.query<{ turns: string; unknown: string; off_topic: string; p50: number | null; p95: number | null }>(
          `SELECT count(*) AS turns, count(*) FILTER (WHERE t.intent = $3 OR t.intent LIKE '%\_unknown') AS unknown, count(*) FILTER (WHERE t.intent = $4) AS off_topic,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY t.latency_ms) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY t.latency_ms) AS p95
           FROM turns t WHERE ${inRange}`,
          [...values, UNKNOWN_INTENT, OFF_TOPIC_INTENT],
        ),
        db.pool.query<{ status: string; orders: string }>(
          "SELECT status, count(*) AS orders FROM orders WHERE created_at >= $1 AND created_at < $2 GROUP BY 1 ORDER BY 1",
          values,
        ),
      ]);
      const total = totals.rows[0]!;
      const turns = Number(total.turns);
      const share = (n: string) => (turns === 0 ? 0 : Math.round((Number(n) / turns) * 1000) / 1000);
      const ms = (value: number | null) => (value === null ? null : Math.round(Number(value)));
      return {
        messagesPerDay: perDay.rows.map((row) => ({ day: row.day, channel: row.channel, messages: Number(row.messages) })),
        topIntents: intents.rows.map((row) => ({ intent: row.intent, turns: Number(row.turns) })),
        turns,
        unknownShare: share(total.unknown),
        offTopicShare: share(total.off_topic),
        ordersByStatus: orders.rows.map((row) => ({ status: row.status, orders: Number(row.orders) })),
        latencyMs: { p50: ms(total.p50), p95: ms(total.p95) },
      };
    },
  };
}

/** The turn log with the console's reads. */
export type TurnLogStore = ReturnType<typeof createTurnLog>;
