import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collect, exited, runScript } from "./support/processes.ts";

/** Feeds lines to `chat --jsonl` and returns its stdout lines, stderr and exit code. */
async function chatJsonl(lines: string[], args: string[] = []) {
  const child = runScript("app/cli/chat.ts", ["--jsonl", ...args]);
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  child.stdin.end(lines.map((line) => `${line}\n`).join(""));
  const code = await exited(child);
  const out = stdout.text().split("\n").filter((line) => line.length > 0);
  return { out, stderr: stderr.text(), code };
}

describe("scriptable chat (npm run chat -- --jsonl)", () => {
  it("writes exactly one JSON line per input line, with separate state per user", async () => {
    const { out, stderr, code } = await chatJsonl([
      JSON.stringify({ user: "u1", text: "xin chao" }),
      "this is not json",
      JSON.stringify({ user: "u2", text: "/lang en" }),
      JSON.stringify({ user: "u1" }),
      JSON.stringify({ user: "u2", text: "xin chào" }),
      JSON.stringify({ user: "u1", text: "xin chào" }),
      "",
    ]);
    expect(code).toBe(0);
    expect(out).toHaveLength(7);
    const replies = out.map((line) => JSON.parse(line));
    expect(replies[0]).toMatchObject({ user: "u1", intent: "greeting", sources: [] });
    expect(replies[0].replies[0].text).toContain("Xin chào");
    expect(replies[1].error).toMatch(/not valid JSON/);
    expect(replies[2]).toMatchObject({ user: "u2", intent: "language" });
    expect(replies[3].error).toMatch(/"text" must be a string/);
    // u2 chose English; u1 did not, so the same words get different languages.
    expect(replies[4].replies[0].text).toMatch(/^Hello/);
    expect(replies[5].replies[0].text).toMatch(/^Xin chào/);
    expect(replies[6].error).toBeDefined();
    expect(stderr).not.toContain("xin chao");
  });

  it("keeps state in --data-dir across runs", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "ocop-chat-"));
    await chatJsonl([JSON.stringify({ user: "tourist", text: "/lang en" })], ["--data-dir", dataDir]);
    const { out } = await chatJsonl([JSON.stringify({ user: "tourist", text: "xin chào" })], ["--data-dir", dataDir]);
    expect(JSON.parse(out[0]!).replies[0].text).toMatch(/^Hello/);
  });

  it("rejects an unknown option with a usage line", async () => {
    const child = runScript("app/cli/chat.ts", ["--nope"]);
    const stderr = collect(child.stderr);
    child.stdin.end();
    expect(await exited(child)).toBe(1);
    expect(stderr.text()).toContain("usage: npm run chat");
  });
});
