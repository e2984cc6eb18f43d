/**
 * The service (`npm start`'s entry point, as a process) through outages: SIGTERM during a Telegram outage
 * with sends retrying exits cleanly within 5 s and the reply is sent after the next start; SIGTERM at any
 * step of a start is not lost; and, on
 * PostgreSQL, a database unreachable at start is waited for, and `/healthz` follows the database down and up.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createScratchDatabase } from "../adapters/db/scratch-database.ts";
import { postgresSkipReason, postgresUrl } from "./support/databases.ts";
import { freePort } from "./support/free-port.ts";
import { collect, exited, patience, runScript, waitFor, waitForStart } from "./support/processes.ts";
import { startTcpProxy } from "./support/tcp-proxy.ts";
import { startTelegramEmulator } from "./support/telegram-emulator.ts";

const TOKEN = "556:outage-test-token";

describe("SIGTERM during a Telegram outage", () => {
  it("exits cleanly within 5 s, and the reply waiting in the outbox goes out after the next start", async () => {
    const telegram = await startTelegramEmulator({ token: TOKEN });
    const port = await freePort();
    const env = {
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: mkdtempSync(join(tmpdir(), "ocop-outage-")),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: "outage-secret",
      TELEGRAM_API_ROOT: telegram.apiRoot,
    };
    const start = async () => {
      const child = runScript("app/main.ts", [], env);
      const output = collect(child.stdout);
      await waitForStart(child, output.text, (text) => text.includes("telegram webhook registered"));
      return { child, output };
    };
    try {
      const first = await start();
      telegram.failNext("sendMessage", 100_000, 500);
      expect(await telegram.pushUpdate(telegram.makeTextUpdate({ chatId: 4343, text: "Hội Lim năm 2027 ngày nào?" }))).toBe(200);
      // The answer is in the outbox and the worker is retrying its send through grammY's auto-retry.
      await waitFor(() => String(telegram.calls.filter((call) => call.method === "sendMessage").length), (n) => Number(n) >= 2, patience(20_000));
      const stopped = Date.now();
      first.child.kill("SIGTERM");
      expect(await exited(first.child)).toBe(0);
      expect(Date.now() - stopped).toBeLessThan(5000);
      expect(first.output.text()).toMatch(/shutting down/);

      telegram.failNext("sendMessage", 0, 500);
      const second = await start();
      const reply = await telegram.waitForSent((payload) => payload.chat_id === "4343", patience(30_000));
      expect(reply.text).toMatch(/2027/);
      second.child.kill("SIGTERM");
      expect(await exited(second.child)).toBe(0);
    } finally {
      await telegram.close();
    }
  }, 600_000);
});

describe("SIGTERM while the service is starting", () => {
  it("is not lost: the service exits within 5 s, whichever step of its start it was in", async () => {
    // Signals landing at different steps of a start: after the corpus is checked, after the router is ready.
    for (const after of ["knowledge base ready", "intent router"]) {
      const child = runScript("app/main.ts", [], { PORT: "0", HOST: "127.0.0.1", DATA_DIR: mkdtempSync(join(tmpdir(), "ocop-early-")) });
      const output = collect(child.stdout);
      await waitForStart(child, output.text, (text) => text.includes(after));
      const signalled = Date.now();
      child.kill("SIGTERM");
      const code = await Promise.race([exited(child), new Promise((resolve) => setTimeout(resolve, patience(10_000), "still running"))]);
      expect({ after, code }).toEqual({ after, code: 0 });
      expect(Date.now() - signalled).toBeLessThan(5000);
    }
  }, 600_000);
});

describe.skipIf(!postgresUrl)(`PostgreSQL going away${postgresUrl ? "" : ` (skipped: ${postgresSkipReason})`}`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("waits for a database unreachable at start, then answers /healthz 503 while it is down and 200 once it is back", async () => {
    const scratch = await createScratchDatabase(postgresUrl!, "ocop_test");
    cleanups.push(scratch.drop);
    const real = new URL(scratch.url);
    const proxyPort = await freePort();
    const proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) }, proxyPort);
    await proxy.down(); // the database is unreachable when the service starts
    cleanups.push(proxy.down);
    const viaProxy = new URL(scratch.url);
    viaProxy.host = `127.0.0.1:${proxyPort}`;
    const port = await freePort();
    const child = runScript("app/main.ts", [], { PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: viaProxy.toString() });
    cleanups.push(async () => {
      child.kill("SIGKILL");
      await exited(child);
    });
    const output = collect(child.stdout);
    await waitFor(output.text, (text) => text.includes("database unreachable; retrying"), patience(30_000));
    expect(child.exitCode).toBeNull();

    await proxy.up();
    await waitForStart(child, output.text, (text) => text.includes("is ready"));
    const health = async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status;
    expect(await health()).toBe(200);

    await proxy.down();
    await expect.poll(health, { timeout: patience(20_000), interval: 500 }).toBe(503);
    await proxy.up();
    await expect.poll(health, { timeout: patience(30_000), interval: 500 }).toBe(200);
    child.kill("SIGTERM");
    expect(await exited(child)).toBe(0);
  }, 600_000);
});
