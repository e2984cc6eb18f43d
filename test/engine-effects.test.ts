/**
 * The engine's contract for side effects: a turn decides its effects, they run once after the
 * conversation is saved, never again when the turn is replayed after losing a race, and a crash
 * between the save and the effect is finished on the next message rather than forgotten.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEngine } from "../bot/engine.ts";
import type { ConversationStore } from "../bot/ports.ts";
import type { InboundEvent } from "../bot/types.ts";
import type { IntentDeclaration } from "../bot/understanding/intents.ts";
import { Router } from "../bot/understanding/router.ts";

const declare = (name: string, serve: string, examples: string[]): IntentDeclaration => ({
  name,
  serve,
  slots: [],
  needs: [],
  label: { vi: name, en: name },
  description: name,
  examples: { vi: examples, noacc: [], en: [] },
});

const intents = [
  declare("pay", "test.pay", ["thanh toán", "trả tiền", "pay now", "pay the bill", "thanh toan luon"]),
  declare("knowledge", "test.knowledge", ["ocop là gì", "chương trình ocop", "what is ocop"]),
  declare("cancel", "test.cancel", ["thôi", "hủy", "cancel"]),
];
const lexicon = { products: [], villages: [], festivals: [] };

/** A conversation store in memory whose saves can be made to lose a race a given number of times. */
function memoryStore() {
  const rows = new Map<string, { state: unknown; version: number }>();
  let racesToLose = 0;
  const store: ConversationStore & { loseRaces(n: number): void } = {
    loseRaces: (n) => (racesToLose = n),
    async load({ channel, userId }) {
      return rows.get(`${channel}:${userId}`);
    },
    async save({ channel, userId }, state, expectedVersion) {
      const key = `${channel}:${userId}`;
      if (racesToLose > 0) {
        racesToLose--;
        // Another instance saved this conversation meanwhile.
        rows.set(key, { state: rows.get(key)?.state ?? {}, version: (rows.get(key)?.version ?? 0) + 1 });
        return false;
      }
      if ((rows.get(key)?.version ?? 0) !== expectedVersion) return false;
      rows.set(key, { state: JSON.parse(JSON.stringify(state)), version: expectedVersion + 1 });
      return true;
    },
  };
  return store;
}

function engineWith(store: ConversationStore, runner: () => Promise<void>) {
  return createEngine({
    conversations: store,
    router: Router.train(intents, lexicon),
    lexicon: async () => lexicon,
    rules: [],
    handlers: {
      "test.pay": () => ({ replies: [{ text: "paying" }], intent: "pay", effects: [{ kind: "charge", payload: { amount: 1 } }] }),
      "test.knowledge": () => ({ replies: [{ text: "OCOP is a programme" }], intent: "question" }),
      "test.cancel": () => ({ replies: [{ text: "ok" }], intent: "cancel" }),
    },
    dialogs: [],
    effects: {
      charge: async () => {
        await runner();
        return { replies: [{ text: "charged" }], intent: "charged" };
      },
    },
    fallback: () => ({ replies: [{ text: "don't know" }], intent: "unknown" }),
  });
}

const message = (text: string): InboundEvent => ({ channel: "cli", eventId: randomUUID(), userId: "u", chatId: "u", text, receivedAt: new Date() });

describe("side effects of a turn", () => {
  it("run once, after the save, even when the turn is replayed after losing a race", async () => {
    const store = memoryStore();
    let runs = 0;
    const engine = engineWith(store, async () => void runs++);
    store.loseRaces(2);
    const response = await engine.respond(message("thanh toán"));
    expect(runs).toBe(1);
    expect(response.replies.map((r) => r.text)).toEqual(["paying", "charged"]);
    expect(response.intent).toBe("charged");
  });

  it("that fail after the save are finished before the next message is answered", async () => {
    const store = memoryStore();
    let attempts = 0;
    let done = 0;
    const engine = engineWith(store, async () => {
      if (++attempts === 1) throw new Error("the payment service is down");
      done++;
    });
    await expect(engine.respond(message("pay now"))).rejects.toThrow("the payment service is down");
    expect(done).toBe(0);
    const next = await engine.respond(message("what is ocop"));
    expect(done).toBe(1);
    expect(next.replies.map((r) => r.text)).toEqual(["charged", "OCOP is a programme"]);
    // Finished once: a third message runs nothing again.
    await engine.respond(message("what is ocop"));
    expect(done).toBe(1);
  });

  it("of an event delivered again after a crash are finished, not decided again", async () => {
    const store = memoryStore();
    let attempts = 0;
    const engine = engineWith(store, async () => {
      if (++attempts === 1) throw new Error("crash");
    });
    const event = message("trả tiền");
    await expect(engine.respond(event)).rejects.toThrow("crash");
    const again = await engine.respond(event);
    expect(attempts).toBe(2);
    expect(again.replies.map((r) => r.text)).toEqual(["paying", "charged"]);
  });
});
