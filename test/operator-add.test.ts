/**
 * `npm run operator:add` as an operator runs it: the password from standard input (never an argument),
 * an account that then signs in, an update that ends the old sessions, and clear refusals.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../adapters/db/database.ts";
import { createOperatorStore } from "../adapters/db/operators.ts";
import { collect, exited, runScript } from "./support/processes.ts";

const dataDir = mkdtempSync(join(tmpdir(), "ocop-operator-"));

/** Runs the command with `stdin` piped in; resolves to its exit code and standard error. */
async function operatorAdd(args: string[], stdin: string) {
  const child = runScript("app/cli/operator-add.ts", [...args, "--data-dir", dataDir], { DATABASE_URL: "" });
  const stderr = collect(child.stderr);
  child.stdin.end(stdin);
  return { code: await exited(child), stderr: stderr.text() };
}

describe("npm run operator:add", () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("creates an operator from a password on standard input, then updates them", async () => {
    const created = await operatorAdd(["Hoa@Example.vn", "--role", "producer", "--producer", "co-so-vu-cong-toan"], "a long enough passphrase\n");
    expect(created.code).toBe(0);
    expect(created.stderr).toMatch(/Created producer hoa@example\.vn for co-so-vu-cong-toan/);
    const updated = await operatorAdd(["hoa@example.vn", "--role", "editor"], "another long passphrase\n");
    expect(updated.stderr).toMatch(/Updated editor hoa@example\.vn/);

    const db = await openDatabase({ dataDir });
    try {
      const store = createOperatorStore(db);
      expect((await store.signIn("hoa@example.vn", "a long enough passphrase", "test")).kind).toBe("refused");
      const signedIn = await store.signIn("hoa@example.vn", "another long passphrase", "test");
      expect(signedIn).toMatchObject({ kind: "signed_in", operator: { role: "editor", producerId: null } });
    } finally {
      await db.close();
    }
  }, 180_000);

  it("refuses a short password, a missing role, a producer role without its producer, and an unknown producer", async () => {
    expect(await operatorAdd(["x@example.vn", "--role", "admin"], "short\n")).toMatchObject({ code: 1, stderr: expect.stringMatching(/at least 10 characters/) });
    expect(await operatorAdd(["x@example.vn"], "a long enough passphrase\n")).toMatchObject({ code: 1, stderr: expect.stringMatching(/--role must be/) });
    expect(await operatorAdd(["x@example.vn", "--role", "producer"], "a long enough passphrase\n")).toMatchObject({ code: 1, stderr: expect.stringMatching(/--producer/) });
    expect(await operatorAdd(["x@example.vn", "--role", "admin"], "")).toMatchObject({ code: 1, stderr: expect.stringMatching(/no password/) });
    const unknown = await operatorAdd(["x@example.vn", "--role", "producer", "--producer", "nope"], "a long enough passphrase\n");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown producer id "nope"[\s\S]*co-so-vu-cong-toan/);
  }, 180_000);
});
