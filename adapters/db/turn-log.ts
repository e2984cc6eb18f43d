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

/** The response intents that mean "the assistant did not know" and "not what it is for". */
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
      await db.pool.query(
        `INSERT INTO turns (channel, user_id, chat_id, event_id, text, replies, intent, understanding, sources, language, latency_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (channel, event_id) DO NOTHING`,
        [
          event.channel, event.userId, event.chatId, event.eventId, clean(event.text), clean(JSON.stringify(response.replies)), response.intent,
          response.understanding ? JSON.stringify(response.understanding) : null, JSON.stringify(response.sources), response.language, latencyMs,
        ],
      );
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
          `SELECT count(*) AS turns, count(*) FILTER (WHERE t.intent = $3) AS unknown, count(*) FILTER (WHERE t.intent = $4) AS off_topic,
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
