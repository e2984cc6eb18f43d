/**
 * Two instances of the service (`npm start`'s entry point, as processes) on one PostgreSQL, as behind a
 * load balancer: started together they register the Telegram webhook once, without Telegram's "too many
 * requests"; and a user whose flood is spread over both meets one limit, not one per instance.
 */
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createScratchDatabase } from "../adapters/db/scratch-database.ts";
import { SLOW_DOWN_TEXT } from "../bot/messages.ts";
import { postgresSkipReason, postgresUrl } from "./support/databases.ts";
import { freePort } from "./support/free-port.ts";
import { collect, exited, patience, runScript, waitForStart } from "./support/processes.ts";
import { startTelegramEmulator, type TelegramEmulator } from "./support/telegram-emulator.ts";

const TOKEN = "557:cluster-test-token";
const SECRET = "cluster-test-secret";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!postgresUrl)(`two instances on one PostgreSQL${postgresUrl ? "" : ` (skipped: ${postgresSkipReason})`}`, () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("register the webhook once when started together, and hold one flood limit between them", async () => {
    const scratch = await createScratchDatabase(postgresUrl!, "ocop_test");
    cleanups.push(scratch.drop);
    const telegram: TelegramEmulator = await startTelegramEmulator({ token: TOKEN });
    cleanups.push(() => telegram.close());
    const balancer = `http://127.0.0.1:${await freePort()}`;
    const instances = await Promise.all(
      [0, 1].map(async () => {
        const port = await freePort();
        const child = runScript("app/main.ts", [], {
          PORT: String(port),
          HOST: "127.0.0.1",
          DATABASE_URL: scratch.url,
          PUBLIC_URL: balancer,
          TELEGRAM_BOT_TOKEN: TOKEN,
          TELEGRAM_WEBHOOK_SECRET: SECRET,
          TELEGRAM_API_ROOT: telegram.apiRoot,
        });
        cleanups.push(async () => {
          child.kill("SIGKILL");
          await exited(child);
        });
        const output = collect(child.stdout);
        await waitForStart(child, output.text, (text) => text.includes("telegram webhook registered"));
        return { child, webhook: `http://127.0.0.1:${port}/webhooks/telegram` };
      }),
    );

    const setWebhook = telegram.calls.filter((call) => call.method.toLowerCase() === "setwebhook");
    expect(setWebhook.map((call) => call.ok)).toEqual([true]);
    expect(telegram.webhook?.url).toMatch(new RegExp(`^${balancer}/webhooks/telegram\\?v=[0-9a-f]{12}$`));

    // Twelve messages in a row from one user, delivered to the two instances in turn; the first four are
    // delivered again to the other instance too (as after a lost acknowledgement), which must not count.
    for (let i = 0; i < 12; i++) {
      const body = JSON.stringify(telegram.makeTextUpdate({ chatId: 2001, text: `tin nhắn ${i}` }));
      for (const instance of i < 4 ? [i % 2, (i + 1) % 2] : [i % 2]) {
        const response = await fetch(instances[instance]!.webhook, {
          method: "POST",
          headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
          body,
        });
        expect(response.status).toBe(200);
      }
    }
    await telegram.waitForSent((p) => p.chat_id === "2001" && p.text === SLOW_DOWN_TEXT, patience(30_000));
    const deadline = Date.now() + patience(30_000);
    while (telegram.sent().filter((p) => p.chat_id === "2001").length < 9 && Date.now() < deadline) await sleep(200);
    await sleep(patience(2_000));
    const texts = telegram.sent().filter((p) => p.chat_id === "2001").map((p) => p.text);
    expect(texts.filter((text) => text === SLOW_DOWN_TEXT)).toHaveLength(1);
    expect(texts).toHaveLength(9); // 8 answers and one "slow down", whichever instance got each message
    const client = new pg.Client(scratch.url);
    await client.connect();
    const { rows } = await client.query<{ skipped: string | null }>("SELECT skipped FROM inbox WHERE chat_id = '2001' ORDER BY id").finally(() => client.end());
    expect(rows.map((row) => row.skipped)).toEqual([...Array<null>(8).fill(null), "flood", "flood", "flood", "flood"]);

    for (const { child } of instances) child.kill("SIGTERM");
    expect(await Promise.all(instances.map(({ child }) => exited(child)))).toEqual([0, 0]);
  }, 600_000);
});
