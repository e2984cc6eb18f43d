/**
 * An order end to end over real HTTP: the service started as `npm start` runs it (webhooks, embedded
 * database), a buyer on Telegram, a producer on Zalo linked with a code from `npm run producer:link`.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "./support/free-port.ts";
import { collect, exited, patience, runScript, waitForStart } from "./support/processes.ts";
import { startTelegramEmulator } from "./support/telegram-emulator.ts";
import { makeTextUpdate, startZaloEmulator } from "./support/zalo-emulator.ts";

const TELEGRAM_TOKEN = "777:orders-telegram-token";
const ZALO_TOKEN = "888:orders-zalo-token";
const BUYER = 7001;
const PRODUCER = "zalo-producer-1";

describe("an order placed on Telegram and handled by a producer on Zalo", () => {
  it("reaches the producer once, and the producer's confirmation reaches the buyer", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "ocop-orders-"));
    const link = runScript("app/cli/producer-link.ts", ["co-so-vu-cong-toan", "--data-dir", dataDir]);
    const linkOutput = collect(link.stdout);
    expect(await exited(link)).toBe(0);
    const code = linkOutput.text().trim();
    expect(code).toMatch(/^LK-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);

    const telegram = await startTelegramEmulator({ token: TELEGRAM_TOKEN });
    const zalo = await startZaloEmulator({ token: ZALO_TOKEN, envelope: "top-level" });
    const port = await freePort();
    const service = runScript("app/main.ts", [], {
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: "orders-telegram-secret",
      TELEGRAM_API_ROOT: telegram.apiRoot,
      ZALO_BOT_TOKEN: ZALO_TOKEN,
      ZALO_WEBHOOK_SECRET: "orders-zalo-secret",
      ZALO_API_BASE: zalo.apiBase,
      LOG_LEVEL: "debug",
    });
    const logs = [collect(service.stdout), collect(service.stderr)];
    const toProducer = (predicate: (text: string) => boolean) =>
      zalo.waitForSent((call) => call.method === "sendMessage" && call.status === 200 && call.body.chat_id === PRODUCER && predicate(call.body.text), patience(20_000));
    let sentToBuyer = 0;
    const buyerSays = async (text: string) => {
      expect(await telegram.pushUpdate(telegram.makeTextUpdate({ chatId: BUYER, text }))).toBe(200);
      return nextToBuyer();
    };
    const nextToBuyer = async () => {
      const skip = sentToBuyer++;
      let seen = 0;
      return telegram.waitForSent((p) => p.chat_id === String(BUYER) && seen++ === skip, patience(20_000));
    };
    try {
      await waitForStart(service, logs[0]!.text, (text) => text.includes("is ready"));

      expect(await zalo.pushUpdate(makeTextUpdate(PRODUCER, code))).toBe(200);
      expect((await toProducer((text) => text.startsWith("Đã liên kết"))).body.text).toContain("Cơ sở Vũ Công Toàn");

      expect((await buyerSays("cho mình đặt 2 gói kẹo lạc Trang Toàn")).text).toBe("Đã ghi: 2 gói Kẹo lạc Trang Toàn.\n\nCho mình xin tên người nhận hàng.");
      await buyerSays("Nguyễn Văn An");
      await buyerSays("0912 345 678");
      const summary = await buyerSays("Số 5 Lý Thái Tổ, phường Kinh Bắc, Bắc Ninh");
      expect(summary.text).toContain("Tổng cộng: 90.000 đ");
      expect(summary.reply_markup.inline_keyboard.flat()[0]).toEqual({ text: "Xác nhận đặt hàng", callback_data: "1" });

      // The confirmation button is pressed, and Telegram delivers that update twice.
      const press = telegram.makeCallbackUpdate({ chatId: BUYER, data: "1" });
      expect(await telegram.pushUpdate(press)).toBe(200);
      expect(await telegram.pushUpdate(press)).toBe(200);
      const placed = await nextToBuyer();
      const order = /DH-[A-Z0-9]{5}/.exec(placed.text)![0];
      expect(placed.text).toContain("Đặt hàng thành công");

      const notice = await toProducer((text) => text.includes(order));
      expect(notice.body.text).toContain("2 gói × 45.000 đ = 90.000 đ");
      expect(notice.body.text).toContain("0912345678");
      expect(await zalo.pushUpdate(makeTextUpdate(PRODUCER, `xác nhận ${order}`))).toBe(200);
      expect((await toProducer((text) => text.startsWith(`Đơn ${order} đã chuyển`))).body.text).toContain("đã xác nhận");
      expect((await nextToBuyer()).text).toContain(`Đơn hàng ${order} của bạn (Cơ sở Vũ Công Toàn (Kẹo lạc Trang Toàn)) đã chuyển sang: đã xác nhận.`);

      await new Promise((resolve) => setTimeout(resolve, 1500));
      const newOrderNotices = zalo.sent.filter((call) => call.method === "sendMessage" && call.status === 200 && call.body.text.startsWith("🛒"));
      expect(newOrderNotices).toHaveLength(1);
      expect(telegram.sent().filter((p) => p.chat_id === String(BUYER) && p.text.includes("Đặt hàng thành công"))).toHaveLength(1);

      service.kill("SIGTERM");
      expect(await exited(service)).toBe(0);
      // Debug logs never show the buyer's phone number, address or name, nor the link code.
      const allLogs = logs.map((log) => log.text()).join("\n");
      for (const personal of ["0912345678", "0912 345 678", "Lý Thái Tổ", "Nguyễn Văn An", code]) {
        expect(allLogs).not.toContain(personal);
      }
    } finally {
      if (service.exitCode === null) service.kill("SIGKILL");
      await telegram.close();
      await zalo.close();
    }
  }, 600_000);
});
