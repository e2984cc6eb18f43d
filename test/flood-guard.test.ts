import { describe, expect, it } from "vitest";
import { createFloodGuard, windowVerdict } from "../bot/flood-guard.ts";
import { createSharedFloodGuard } from "../adapters/db/flood-counts.ts";
import { createInbox } from "../adapters/db/inbox.ts";
import { databaseKinds, migratedDatabase } from "./support/databases.ts";

/** Each call a new event of `user` ("channel:id"), unless `eventId` names one already sent. */
let nextEvent = 0;
function message(user: string, eventId = `e${nextEvent++}`) {
  const [channel, userId] = user.includes(":") ? user.split(":") : ["telegram", user];
  return { channel: channel as "telegram", userId: userId!, eventId };
}

function guardAt(start = 0) {
  let now = start;
  const guard = createFloodGuard({ limit: 3, windowMs: 10_000, clock: () => now });
  return { guard, advance: (ms: number) => (now += ms) };
}

describe("flood guard", () => {
  it("accepts up to the limit, warns once, then drops until the window slides", () => {
    const { guard, advance } = guardAt();
    const verdicts = Array.from({ length: 6 }, () => guard.check(message("telegram:1")));
    expect(verdicts).toEqual(["accept", "accept", "accept", "warn", "drop", "drop"]);
    expect(guard.check(message("telegram:2"))).toBe("accept");
    advance(10_000);
    expect(guard.check(message("telegram:1"))).toBe("accept");
  });

  it("counts a redelivered event once", () => {
    const { guard } = guardAt();
    const first = message("telegram:3");
    expect([first, first, first, message("telegram:3"), message("telegram:3")].map((m) => guard.check(m))).toEqual([
      "accept",
      "accept",
      "accept",
      "accept",
      "accept",
    ]);
    expect(guard.check(message("telegram:3"))).toBe("warn");
  });

  it("counts a sliding window, not a fixed one", () => {
    const { guard, advance } = guardAt();
    guard.check(message("u"));
    advance(6_000);
    guard.check(message("u"));
    guard.check(message("u"));
    advance(5_000); // the first message has left the window; two remain
    expect(guard.check(message("u"))).toBe("accept");
    expect(guard.check(message("u"))).toBe("warn");
  });

  it("forgets users idle for a window, so a stream of new users does not grow it without bound", () => {
    const { guard, advance } = guardAt();
    for (let i = 0; i < 30_000; i++) guard.check(message(`telegram:${i}`));
    expect(guard.size).toBe(30_000);
    advance(4_000);
    guard.check(message("telegram:0"));
    expect(guard.size).toBe(30_000);
    advance(10_000);
    guard.check(message("telegram:new"));
    expect(guard.size).toBe(1);
  });
});

describe("the two-window estimate", () => {
  it("counts the previous window for the part of it the sliding window still covers", () => {
    expect(windowVerdict(4, 4, 1, 0.5)).toBe("accept"); // 2 carried + 1
    expect(windowVerdict(4, 4, 3, 0.5)).toBe("warn"); // 2 + 3 goes over, 2 + 2 did not
    expect(windowVerdict(4, 4, 4, 0.5)).toBe("drop");
    expect(windowVerdict(4, 8, 1, 0)).toBe("drop"); // a flood that goes on into the next window stays dropped
    expect(windowVerdict(4, 8, 1, 0.9)).toBe("accept");
  });
});

for (const kind of databaseKinds) {
  describe.skipIf(!kind.available)(`shared flood guard (${kind.label})`, () => {
    const database = migratedDatabase(kind);

    it("holds one limit for a user whose messages reach two instances", async () => {
      let now = 1_000_000_000_000; // the start of a window
      const clock = () => now;
      const [a, b] = [0, 1].map(() => createSharedFloodGuard(database.db, { limit: 3, windowMs: 10_000, clock }));
      const verdicts = [];
      for (let i = 0; i < 6; i++) verdicts.push(await (i % 2 === 0 ? a! : b!).check(message("telegram:9")));
      expect(verdicts).toEqual(["accept", "accept", "accept", "warn", "drop", "drop"]);
      expect(await b!.check(message("telegram:10"))).toBe("accept");
      now += 25_000; // two windows later nothing is carried
      expect(await a!.check(message("telegram:9"))).toBe("accept");
    });

    it("does not count again an event the inbox holds or the batch repeats", async () => {
      const guard = createSharedFloodGuard(database.db, { limit: 2, windowMs: 10_000, clock: () => 3_000_000_000_000 });
      const recorded = message("telegram:77");
      await createInbox(database.db).record({ ...recorded, chatId: "77", text: "xin chào", receivedAt: new Date() });
      expect(await guard.check(recorded)).toBe("accept");
      const twice = message("telegram:77");
      expect(await Promise.all([twice, twice].map((m) => guard.check(m)))).toEqual(["accept", "accept"]);
      expect(await Promise.all([message("telegram:77"), recorded, message("telegram:77")].map((m) => guard.check(m)))).toEqual(["accept", "accept", "warn"]);
    });

    it("slides over tenths of the window: a burst at the start of the last window is not taken as spread over it", async () => {
      let now = 4_000_000_000_000; // the start of a window
      const guard = createSharedFloodGuard(database.db, { limit: 8, windowMs: 10_000, clock: () => now });
      const steady = [];
      for (let i = 0; i < 9; i++, now += 1_000) steady.push(await guard.check(message("zalo:s")));
      expect(steady).toEqual([...Array<string>(8).fill("accept"), "warn"]); // one a second: the ninth in 10 s goes over
      now = 4_000_000_100_000;
      for (let i = 0; i < 8; i++, now += 50) expect(await guard.check(message("zalo:b"))).toBe("accept");
      now = 4_000_000_110_500; // the burst (0–0.4 s) has left the window that ends now
      expect(await guard.check(message("zalo:b"))).toBe("accept");
    });

    it("counts the messages of one batch in arrival order", async () => {
      const guard = createSharedFloodGuard(database.db, { limit: 2, windowMs: 10_000, clock: () => 2_000_000_000_000 });
      const verdicts = await Promise.all(["z:1", "z:2", "z:1", "z:1", "z:1", "z:2"].map((user) => guard.check(message(user))));
      expect(verdicts).toEqual(["accept", "accept", "accept", "warn", "drop", "accept"]);
    });
  });
}
