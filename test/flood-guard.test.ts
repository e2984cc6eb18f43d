import { describe, expect, it } from "vitest";
import { createFloodGuard } from "../bot/flood-guard.ts";

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
