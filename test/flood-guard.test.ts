import { describe, expect, it } from "vitest";
import { createFloodGuard, windowVerdict } from "../bot/flood-guard.ts";
import { createSharedFloodGuard } from "../adapters/db/flood-counts.ts";
import { databaseKinds, migratedDatabase } from "./support/databases.ts";

function guardAt(start = 0) {
  let now = start;
  const guard = createFloodGuard({ limit: 3, windowMs: 10_000, clock: () => now });
  return { guard, advance: (ms: number) => (now += ms) };
}

describe("flood guard", () => {
  it("accepts up to the limit, warns once, then drops until the window slides", () => {
    const { guard, advance } = guardAt();
    const verdicts = Array.from({ length: 6 }, () => guard.check("telegram:1"));
    expect(verdicts).toEqual(["accept", "accept", "accept", "warn", "drop", "drop"]);
    expect(guard.check("telegram:2")).toBe("accept");
    advance(10_000);
    expect(guard.check("telegram:1")).toBe("accept");
  });

  it("counts a sliding window, not a fixed one", () => {
    const { guard, advance } = guardAt();
    guard.check("u");
    advance(6_000);
    guard.check("u");
    guard.check("u");
    advance(5_000); // the first message has left the window; two remain
    expect(guard.check("u")).toBe("accept");
    expect(guard.check("u")).toBe("warn");
  });

  it("forgets users idle for a window, so a stream of new users does not grow it without bound", () => {
    const { guard, advance } = guardAt();
    for (let i = 0; i < 30_000; i++) guard.check(`telegram:${i}`);
    expect(guard.size).toBe(30_000);
    advance(4_000);
    guard.check("telegram:0");
    expect(guard.size).toBe(30_000);
    advance(10_000);
    guard.check("telegram:new");
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
      for (let i = 0; i < 6; i++) verdicts.push(await (i % 2 === 0 ? a! : b!).check("telegram:9"));
      expect(verdicts).toEqual(["accept", "accept", "accept", "warn", "drop", "drop"]);
      expect(await b!.check("telegram:10")).toBe("accept");
      now += 25_000; // two windows later nothing is carried
      expect(await a!.check("telegram:9")).toBe("accept");
    });

    it("counts the messages of one batch in arrival order", async () => {
      const guard = createSharedFloodGuard(database.db, { limit: 2, windowMs: 10_000, clock: () => 2_000_000_000_000 });
      const verdicts = await Promise.all(["z:1", "z:2", "z:1", "z:1", "z:1", "z:2"].map((user) => guard.check(user)));
      expect(verdicts).toEqual(["accept", "accept", "accept", "warn", "drop", "accept"]);
    });
  });
}
