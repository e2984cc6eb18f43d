import type { InboundEvent } from "./types.ts";

/** What to do with a message from a user who may be flooding. */
export type FloodVerdict = "accept" | "warn" | "drop";

/** A message as the flood guard sees it: whose it is, and which event (so a redelivery is not counted twice). */
export type FloodMessage = Pick<InboundEvent, "channel" | "userId" | "eventId">;

/** Judges each message of a user who may be flooding; shared by every instance, or kept by one. */
export interface FloodGuard {
  /**
   * The verdict on one more message, counting it; an event counted before (a platform's redelivery, a
   * retry after a failed acknowledgement) is not counted again and is accepted (the inbox knows it).
   */
  check(message: FloodMessage): Promise<FloodVerdict>;
}

/** The key a user's messages are counted under. */
export const floodUserKey = (message: FloodMessage) => `${message.channel}:${message.userId}`;

/**
 * The verdict on a user's `count`-th message of the sliding window that ends now, counted in fixed
 * slices: `count` holds the slices wholly inside the window, `previous` the messages of the slice that
 * is leaving it, of which the part not yet past (`1 - elapsedShare`) still counts (the usual estimate).
 */
export function windowVerdict(limit: number, previous: number, count: number, elapsedShare: number): FloodVerdict {
  const carried = previous * (1 - elapsedShare);
  if (carried + count <= limit) return "accept";
  // The message that first goes over the limit is warned; the ones after it are dropped.
  return carried + count - 1 <= limit ? "warn" : "drop";
}

/** Options of the flood guard. */
export interface FloodGuardOptions {
  /** Messages a user may send per window. */
  readonly limit: number;
  readonly windowMs: number;
  readonly clock?: () => number;
}

/**
 * A per-user sliding-window limit: within a window, messages past the limit get one "slow down"
 * ("warn") and the rest are dropped. Kept in memory: for one process (the embedded database), or
 * as a test double; instances sharing PostgreSQL count in it (adapters/db/flood-counts.ts).
 */
export function createFloodGuard({ limit, windowMs, clock = Date.now }: FloodGuardOptions) {
  // Each user's counted messages in the window, oldest first: when, and which event.
  const recent = new Map<string, { messages: { at: number; eventId: string }[]; warned: boolean }>();
  let lastSweep = clock();
  return {
    /** Users currently remembered. */
    get size() {
      return recent.size;
    },
    /** The verdict on one more message, counting it unless its event was counted before. */
    check(message: FloodMessage): FloodVerdict {
      const now = clock();
      const user = floodUserKey(message);
      const entry = recent.get(user) ?? { messages: [], warned: false };
      entry.messages = entry.messages.filter(({ at }) => now - at < windowMs);
      if (entry.messages.length === 0) entry.warned = false;
      recent.set(user, entry);
      // Forget idle users once per window, so the map holds at most two windows' users; sweeping on
      // every call once the map was large made each message cost a scan of every recent user.
      if (now - lastSweep >= windowMs) {
        lastSweep = now;
        for (const [key, value] of recent) if (value !== entry && now - (value.messages.at(-1)?.at ?? 0) >= windowMs) recent.delete(key);
      }
      if (entry.messages.some(({ eventId }) => eventId === message.eventId)) return "accept";
      entry.messages.push({ at: now, eventId: message.eventId });
      if (entry.messages.length <= limit) return "accept";
      if (entry.warned) return "drop";
      entry.warned = true;
      return "warn";
    },
  };
}
