import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "./support/free-port.ts";
import { collect, exited, patience, runScript, waitForStart } from "./support/processes.ts";
import { startTelegramEmulator } from "./support/telegram-emulator.ts";

const TOKEN = "555:restart-test-token";

describe("a service killed after acknowledging a message", () => {
  it("sends the reply, once, after it restarts", async () => {
    const telegram = await startTelegramEmulator({ token: TOKEN });
    const port = await freePort();
    const env = {
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: mkdtempSync(join(tmpdir(), "ocop-restart-")),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: "restart-secret",
      TELEGRAM_API_ROOT: telegram.apiRoot,
    };
    const logs: (() => string)[] = [];
    const start = async () => {
      const child = runScript("app/main.ts", [], { ...env, LOG_LEVEL: "debug" });
      const output = collect(child.stdout);
      logs.push(output.text, collect(child.stderr).text);
      await waitForStart(child, output.text, (text) => text.includes("telegram webhook registered"));
      return child;
    };
    try {
      const first = await start();
      // Telegram refuses every send, so the answer can only wait in the outbox.
      telegram.failNext("sendMessage", 10_000, 500);
      expect(await telegram.pushUpdate(telegram.makeTextUpdate({ chatId: 4242, text: "giấy chứng nhận OCOP có hiệu lực bao lâu" }))).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      first.kill("SIGKILL");
      await exited(first);
      expect(telegram.sent()).toHaveLength(0);

      telegram.failNext("sendMessage", 0, 500);
      const second = await start();
      const reply = await telegram.waitForSent((p) => p.chat_id === "4242", patience(20_000));
      expect(reply.text).toContain("36 tháng");
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(telegram.sent().filter((p) => p.chat_id === "4242")).toHaveLength(1);
      second.kill("SIGTERM");
      expect(await exited(second)).toBe(0);
      // Debug logs of both runs never show the token, the secret or what the user wrote.
      const allLogs = logs.map((read) => read()).join("\n");
      for (const secret of [TOKEN, TOKEN.split(":")[1]!, env.TELEGRAM_WEBHOOK_SECRET, "hiệu lực bao lâu"]) {
        expect(allLogs).not.toContain(secret);
      }
    } finally {
      await telegram.close();
    }
  }, 600_000);
});
