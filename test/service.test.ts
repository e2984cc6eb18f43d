import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { databaseKinds } from "./support/databases.ts";
import { collect, exited, runScript, waitForStart } from "./support/processes.ts";

/** Starts the service (`npm start`'s entry point) on a free port and waits until it is ready. */
async function startService(env: Record<string, string>) {
  const child = runScript("app/main.ts", [], { PORT: "0", HOST: "127.0.0.1", ...env });
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  const ready = await waitForStart(child, () => stdout.text() + stderr.text(), (text) => text.includes("is ready")).catch((error: Error) => error.message);
  const port = /"port":(\d+)/.exec(ready)?.[1];
  if (!port) throw new Error(`service did not start:\n${ready}`);
  return { child, base: `http://127.0.0.1:${port}`, stdout, stderr };
}

const chat = async (base: string, user: string, text: string) => {
  const response = await fetch(`${base}/api/chat`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user, text }),
  });
  return (await response.json()) as { replies: { text: string }[] };
};

describe("the service (npm start)", () => {
  it("starts on the embedded database, serves health and metrics, stops cleanly and keeps its data", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "ocop-service-"));
    const first = await startService({ DATA_DIR: dataDir });
    expect(first.stdout.text()).toContain("npm run chat");
    expect(await (await fetch(`${first.base}/healthz`)).json()).toEqual({ status: "ok", database: "pglite" });
    expect(await (await fetch(`${first.base}/metrics`)).text()).toContain("ocop_inbound_events_total");
    await chat(first.base, "visitor", "/lang en");

    // A second instance on the same data directory must refuse rather than corrupt it.
    const intruder = runScript("app/main.ts", [], { PORT: "0", DATA_DIR: dataDir });
    const intruderErr = collect(intruder.stderr);
    expect(await exited(intruder)).toBe(1);
    expect(intruderErr.text()).toContain("is in use by process");

    first.child.kill("SIGTERM");
    expect(await exited(first.child)).toBe(0);
    expect(first.stdout.text()).toContain("stopped");

    const second = await startService({ DATA_DIR: dataDir });
    expect(second.stdout.text()).not.toContain("database migrated");
    expect((await chat(second.base, "visitor", "xin chào")).replies[0]!.text).toMatch(/^Hello/);
    second.child.kill("SIGINT");
    expect(await exited(second.child)).toBe(0);
  }, 600_000);

  it("refuses to start on a bad value and names the variable", async () => {
    const child = runScript("app/main.ts", [], { PORT: "not-a-port" });
    const stderr = collect(child.stderr);
    expect(await exited(child)).toBe(1);
    expect(stderr.text()).toContain("PORT: expected a port number");
  });

  const postgres = databaseKinds[1]!;
  it.skipIf(!postgres.available)("runs on PostgreSQL with DATABASE_URL", async () => {
    const fresh = await postgres.create();
    const service = await startService({ DATABASE_URL: "url" in fresh.target ? fresh.target.url : "" });
    try {
      expect(await (await fetch(`${service.base}/healthz`)).json()).toEqual({ status: "ok", database: "postgres" });
      expect((await chat(service.base, "pg-user", "xin chao")).replies[0]!.text).toMatch(/^Xin chào/);
    } finally {
      service.child.kill("SIGTERM");
      expect(await exited(service.child)).toBe(0);
      await fresh.drop();
    }
  }, 600_000);
});
