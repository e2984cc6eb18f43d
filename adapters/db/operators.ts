import { createHash, randomBytes } from "node:crypto";
import type pg from "pg";
import type { Database } from "./database.ts";

/** What an operator may do: everything; conversations, orders and catalogue; or one producer's own products and orders. */
export type OperatorRole = "admin" | "editor" | "producer";
export const OPERATOR_ROLES: readonly OperatorRole[] = ["admin", "editor", "producer"];

/** A signed-in operator, as every console route sees them. */
export interface Operator {
  readonly id: number;
  readonly email: string;
  readonly role: OperatorRole;
  /** Set for the producer role only: the producer whose products and orders they manage. */
  readonly producerId: string | null;
}

/** An operator in the admin's list. */
export interface OperatorSummary extends Operator {
  readonly disabled: boolean;
  readonly createdAt: Date;
  readonly lastSignInAt: Date | null;
  readonly activeSessions: number;
}

/** OWASP's password storage cheat sheet: Argon2id with 19 MiB, two passes, one lane. */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** The native addon, loaded at the first sign-in or new password rather than at every start. */
const loadArgon2 = async () => (await import("argon2")).default;

/** Shortest password accepted; long passphrases are welcome (the hash takes any length). */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

/** Failed sign-ins allowed per account and per client address in the window, before 429. */
export const SIGN_IN_FAILURES_ALLOWED = 10;
const SIGN_IN_WINDOW_MINUTES = 15;

/** How long a session lives without use, and at most. */
export interface SessionTimeouts {
  readonly idleMinutes: number;
  readonly absoluteHours: number;
}
export const DEFAULT_SESSION_TIMEOUTS: SessionTimeouts = { idleMinutes: 30, absoluteHours: 12 };

/** A last-seen time is written at most this often (every request would write otherwise). */
const TOUCH_AFTER_SECONDS = 60;

/** What signing in came to. */
export type SignIn =
  | { readonly kind: "signed_in"; readonly operator: Operator; readonly sessionId: string; readonly csrfToken: string }
  /** Wrong password, unknown or disabled account: one answer for all, so an email cannot be probed. */
  | { readonly kind: "refused" }
  | { readonly kind: "limited"; readonly retryAfterSeconds: number };

/** An open session: who, and the CSRF token their changes must carry. */
export interface OperatorSession {
  readonly operator: Operator;
  readonly csrfToken: string;
}

/** One entry of the audit log. */
export interface AuditEntry {
  readonly action: string;
  readonly target: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

type Queryable = Pick<pg.PoolClient, "query">;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const token = () => randomBytes(32).toString("base64url");
export const normalEmail = (email: string) => email.trim().toLowerCase();

interface OperatorRow {
  id: string;
  email: string;
  role: OperatorRole;
  producer_id: string | null;
}
const toOperator = (row: OperatorRow): Operator => ({ id: Number(row.id), email: row.email, role: row.role, producerId: row.producer_id });

/** Hashes a password for storage. */
export async function hashPassword(password: string): Promise<string> {
  const argon2 = await loadArgon2();
  return argon2.hash(password, { ...ARGON2_OPTIONS, type: argon2.argon2id });
}

// Verified against when the email is unknown, so that an unknown email costs the same time as a wrong password.
let decoyHash: Promise<string> | undefined;

/** Operator accounts, their sessions, sign-in failures and the audit log. */
export function createOperatorStore(db: Database, timeouts: SessionTimeouts = DEFAULT_SESSION_TIMEOUTS) {
  async function failuresSince(column: "email" | "origin", value: string): Promise<{ count: number; oldest: Date | null }> {
    const { rows } = await db.pool.query<{ count: string; oldest: Date | null }>(
      `SELECT count(*) AS count, min(at) AS oldest FROM sign_in_failures WHERE ${column} = $1 AND at > now() - make_interval(mins => $2)`,
      [value, SIGN_IN_WINDOW_MINUTES],
    );
    return { count: Number(rows[0]!.count), oldest: rows[0]!.oldest };
  }

  return {
    /** Creates the operator, or updates the role, producer and password of an existing one. */
    async upsert(input: { email: string; password: string; role: OperatorRole; producerId?: string | null }): Promise<{ created: boolean; operator: Operator }> {
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (client) => {
        const { rows } = await client.query<OperatorRow & { created: boolean }>(
          `INSERT INTO operators (email, password_hash, role, producer_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role,
             producer_id = excluded.producer_id, disabled = false, updated_at = now()
           RETURNING id, email, role, producer_id, (xmax = 0) AS created`,
          [normalEmail(input.email), passwordHash, input.role, input.role === "producer" ? input.producerId : null],
        );
        const operator = toOperator(rows[0]!);
        // A changed password or role ends the sessions opened under the old one.
        if (!rows[0]!.created) await client.query("DELETE FROM operator_sessions WHERE operator_id = $1", [operator.id]);
        return { created: rows[0]!.created, operator };
      });
    },

    /**
     * Checks an email and password and opens a new session (a new id every time: the one the browser
     * held before, if any, is ended). Refuses without checking once the account or the address has
     * failed too often in the window.
     */
    async signIn(email: string, password: string, origin: string, previousSessionId?: string): Promise<SignIn> {
      const account = normalEmail(email);
      const [byAccount, byOrigin] = await Promise.all([failuresSince("email", account), failuresSince("origin", origin)]);
      const blocking = [byAccount, byOrigin].filter((f) => f.count >= SIGN_IN_FAILURES_ALLOWED);
      if (blocking.length > 0) {
        const oldest = Math.min(...blocking.map((f) => f.oldest!.getTime()));
        return { kind: "limited", retryAfterSeconds: Math.max(1, Math.ceil((oldest + SIGN_IN_WINDOW_MINUTES * 60_000 - Date.now()) / 1000)) };
      }
      const { rows } = await db.pool.query<OperatorRow & { password_hash: string; disabled: boolean }>(
        "SELECT id, email, role, producer_id, password_hash, disabled FROM operators WHERE email = $1",
        [account],
      );
      const row = rows[0];
      decoyHash ??= hashPassword(token());
      const matches = await (await loadArgon2()).verify(row?.password_hash ?? (await decoyHash), password).catch(() => false);
      if (!row || row.disabled || !matches) {
        await db.pool.query("INSERT INTO sign_in_failures (email, origin) VALUES ($1, $2)", [account, origin]);
        return { kind: "refused" };
      }
      const sessionId = token();
      const csrfToken = token();
      await db.transaction(async (client) => {
        if (previousSessionId) await client.query("DELETE FROM operator_sessions WHERE id_hash = $1", [sha256(previousSessionId)]);
        await client.query(
          `INSERT INTO operator_sessions (id_hash, operator_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))`,
          [sha256(sessionId), row.id, csrfToken, timeouts.absoluteHours],
        );
        await client.query("UPDATE operators SET last_sign_in_at = now() WHERE id = $1", [row.id]);
        await client.query("DELETE FROM sign_in_failures WHERE email = $1", [account]);
      });
      return { kind: "signed_in", operator: toOperator(row), sessionId, csrfToken };
    },

    /** The session a cookie names, if it is open (not expired, not idle too long, operator not disabled). */
    async session(sessionId: string): Promise<OperatorSession | undefined> {
      const { rows } = await db.pool.query<OperatorRow & { csrf_token: string; stale: boolean }>(
        `SELECT o.id, o.email, o.role, o.producer_id, s.csrf_token, s.last_seen_at < now() - make_interval(secs => $3) AS stale
         FROM operator_sessions s JOIN operators o ON o.id = s.operator_id
         WHERE s.id_hash = $1 AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(mins => $2) AND NOT o.disabled`,
        [sha256(sessionId), timeouts.idleMinutes, TOUCH_AFTER_SECONDS],
      );
      const row = rows[0];
      if (!row) return undefined;
      if (row.stale) await db.pool.query("UPDATE operator_sessions SET last_seen_at = now() WHERE id_hash = $1", [sha256(sessionId)]);
      return { operator: toOperator(row), csrfToken: row.csrf_token };
    },

    async signOut(sessionId: string): Promise<void> {
      await db.pool.query("DELETE FROM operator_sessions WHERE id_hash = $1", [sha256(sessionId)]);
    },

    /** Every operator, for the admin's page. */
    async list(): Promise<OperatorSummary[]> {
      const { rows } = await db.pool.query<OperatorRow & { disabled: boolean; created_at: Date; last_sign_in_at: Date | null; sessions: string }>(
        `SELECT o.id, o.email, o.role, o.producer_id, o.disabled, o.created_at, o.last_sign_in_at,
           (SELECT count(*) FROM operator_sessions s WHERE s.operator_id = o.id AND s.expires_at > now()) AS sessions
         FROM operators o ORDER BY o.email`,
      );
      return rows.map((row) => ({ ...toOperator(row), disabled: row.disabled, createdAt: row.created_at, lastSignInAt: row.last_sign_in_at, activeSessions: Number(row.sessions) }));
    },

    /** Disables (ending every session) or re-enables an operator; undefined for an unknown id. */
    async setDisabled(id: number, disabled: boolean): Promise<{ before: boolean } | undefined> {
      return db.transaction(async (client) => {
        const { rows } = await client.query<{ disabled: boolean }>("SELECT disabled FROM operators WHERE id = $1 FOR UPDATE", [id]);
        if (!rows[0]) return undefined;
        await client.query("UPDATE operators SET disabled = $2, updated_at = now() WHERE id = $1", [id, disabled]);
        if (disabled) await client.query("DELETE FROM operator_sessions WHERE operator_id = $1", [id]);
        return { before: rows[0].disabled };
      });
    },

    /** Writes who changed what; pass the transaction's client to commit it with the change. */
    async audit(operator: Pick<Operator, "id" | "email">, entry: AuditEntry, client: Queryable = db.pool): Promise<void> {
      await client.query(
        "INSERT INTO audit_log (operator_id, operator_email, action, target, before, after) VALUES ($1, $2, $3, $4, $5, $6)",
        [operator.id, operator.email, entry.action, entry.target, entry.before === undefined ? null : JSON.stringify(entry.before), entry.after === undefined ? null : JSON.stringify(entry.after)],
      );
    },

    /** The audit log, newest first. */
    async auditLog(limit = 200): Promise<{ id: number; at: Date; operator: string; action: string; target: string; before: unknown; after: unknown }[]> {
      const { rows } = await db.pool.query<{ id: string; at: Date; operator_email: string; action: string; target: string; before: unknown; after: unknown }>(
        `SELECT id, at, operator_email, action, target, before, after FROM audit_log ORDER BY id DESC LIMIT ${Math.trunc(limit)}`,
      );
      return rows.map((row) => ({ id: Number(row.id), at: row.at, operator: row.operator_email, action: row.action, target: row.target, before: row.before, after: row.after }));
    },
  };
}

/** Operator accounts and sessions in the database. */
export type OperatorStore = ReturnType<typeof createOperatorStore>;
