/**
 * Webhook registration at start: an instance finding the webhook registered with its settings leaves it
 * alone (instances starting together, restarts), and a changed secret is registered again.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createTelegramChannel } from "../adapters/telegram/channel.ts";
import { createZaloChannel } from "../adapters/zalo/channel.ts";
import { testLogger } from "./support/logger.ts";
import { startTelegramEmulator } from "./support/telegram-emulator.ts";
import { startZaloEmulator } from "./support/zalo-emulator.ts";

const publicUrl = "https://ocop.example.vn";
const runAlone = <T>(_name: string, work: () => Promise<T>) => work();
const onEvent = async () => {};

describe("webhook registration", () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it("registers Telegram's webhook only when what is registered differs, so a changed secret is registered again", async () => {
    const telegram = await startTelegramEmulator({ token: "601:registration" });
    closers.push(() => telegram.close());
    const start = async (secret: string) => {
      const channel = createTelegramChannel({ token: "601:registration", apiRoot: telegram.apiRoot, logger: testLogger, onEvent, exclusive: runAlone, webhook: { publicUrl, secret } });
      await channel.start();
      await channel.stop();
    };
    const registrations = () => telegram.calls.filter((call) => call.method.toLowerCase() === "setwebhook" && call.ok).length;
    await start("first-secret");
    await start("first-secret");
    expect(registrations()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // Telegram refuses a second setWebhook within a second
    await start("second-secret");
    expect(registrations()).toBe(2);
    expect(telegram.webhook?.secretToken).toBe("second-secret");
  });

  it("does the same for Zalo's", async () => {
    const zalo = await startZaloEmulator({ token: "602:registration" });
    closers.push(() => zalo.close());
    const start = async (secret: string) => {
      const channel = createZaloChannel({ token: "602:registration", apiBase: zalo.apiBase, logger: testLogger, onEvent, exclusive: runAlone, webhook: { publicUrl, secret } });
      await channel.start();
      await channel.stop();
    };
    const registrations = () => zalo.sent.filter((call) => call.method === "setWebhook" && call.status === 200).length;
    await start("first-zalo-secret");
    await start("first-zalo-secret");
    expect(registrations()).toBe(1);
    await start("second-zalo-secret");
    expect(registrations()).toBe(2);
  });
});
