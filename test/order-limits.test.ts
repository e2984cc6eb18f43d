import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProducerLinkCode } from "../adapters/db/order-book.ts";
import { openAssistant, type Assistant } from "../app/compose.ts";
import type { BotResponse, ChannelName } from "../bot/types.ts";
import { databaseKinds } from "./support/databases.ts";
import { testLogger } from "./support/logger.ts";

const text = (response: BotResponse) => response.replies.map((r) => r.text).join("\n");
const codesIn = (response: BotResponse) => [...new Set([...text(response).matchAll(/DH-[A-Z0-9]{5}/g)].map((m) => m[0]))];

for (const kind of databaseKinds) {
  describe.skipIf(!kind.available)(`order spam on ${kind.label}`, () => {
    let assistant: Assistant;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      const fresh = await kind.create();
      drop = fresh.drop;
      assistant = await openAssistant({
        database: fresh.target,
        logger: testLogger,
        orderLimits: { channels: ["web"], perBuyerPerDay: 2, perOriginPerDay: 3 },
      });
    }, 120_000);
    afterAll(async () => {
      await assistant?.close();
      await drop?.();
    });

    const send = async (channel: ChannelName, user: string, message: string, origin?: string) =>
      (await assistant.receive({ channel, eventId: randomUUID(), userId: user, chatId: `chat-${user}`, text: message, receivedAt: new Date(), ...(origin ? { origin } : {}) }))!;
    /** Orders one product through the whole dialog; the last reply (placed, refused…). */
    const order = async (channel: ChannelName, user: string, product: string, origin?: string) => {
      await send(channel, user, `cho mình đặt 2 gói ${product}`, origin);
      await send(channel, user, "Trần Văn An", origin);
      await send(channel, user, "0912345678", origin);
      await send(channel, user, "số 5 Lý Thái Tổ, Bắc Ninh", origin);
      return send(channel, user, "xác nhận", origin);
    };
    const notices = async (chatId: string) => Number((await assistant.db.pool.query<{ n: string }>("SELECT count(*) AS n FROM outbox WHERE chat_id = $1", [chatId])).rows[0]!.n);
    const ordersOf = async (user: string) => Number((await assistant.db.pool.query<{ n: string }>("SELECT count(*) AS n FROM orders WHERE buyer_user_id = $1", [user])).rows[0]!.n);

    it("caps a web user's orders a day with a polite refusal that says whom to contact; other channels are not capped", async () => {
      expect((await order("web", "shopper", "chè lam Trang Toàn", "origin-a")).intent).toBe("order_placed");
      expect((await order("web", "shopper", "kẹo lạc Trang Toàn", "origin-a")).intent).toBe("order_placed");
      const third = await order("web", "shopper", "chè lam Trang Toàn", "origin-a");
      expect(third.intent).toBe("order_limited");
      expect(text(third)).toContain("chưa có đơn nào được tạo");
      expect(text(third)).toContain("Sở Công Thương");
      expect(await ordersOf("shopper")).toBe(2);
      // Telegram vouches for its users: no daily cap there.
      for (let i = 0; i < 3; i++) expect((await order("telegram", "regular", "chè lam Trang Toàn")).intent).toBe("order_placed");
    });

    it("caps the orders of one client address across web user ids", async () => {
      expect((await order("web", "script-1", "chè lam Trang Toàn", "origin-b")).intent).toBe("order_placed");
      expect((await order("web", "script-2", "chè lam Trang Toàn", "origin-b")).intent).toBe("order_placed");
      expect((await order("web", "script-3", "chè lam Trang Toàn", "origin-b")).intent).toBe("order_placed");
      expect((await order("web", "script-4", "chè lam Trang Toàn", "origin-b")).intent).toBe("order_limited");
      expect((await order("web", "someone-else", "chè lam Trang Toàn", "origin-c")).intent).toBe("order_placed");
    });

    it("lets a producer block a buyer from chat: the buyer is refused politely and the producer is not notified", async () => {
      const { code } = (await createProducerLinkCode(assistant.db, "cong-ty-ptk-879"))!;
      expect((await send("telegram", "ptk-owner", code)).intent).toBe("producer_linked");
      const [first] = codesIn(await order("zalo", "pest", "mắm tép chưng thịt PTK"));
      expect(await notices("chat-ptk-owner")).toBe(1);

      const blocked = await send("telegram", "ptk-owner", `chặn người mua ${first}`);
      expect(blocked.intent).toBe("buyer_blocked");
      expect(text(blocked)).toContain(`bỏ chặn ${first}`);
      // Only the producer the order belongs to can block its buyer.
      expect((await send("telegram", "stranger", `chặn người mua ${first}`)).intent).toBe("order_not_found");

      const refused = await order("zalo", "pest", "mắm tép chưng thịt PTK");
      expect(refused.intent).toBe("order_blocked");
      expect(text(refused)).toContain("Công ty TNHH PTK 879 Việt Nam");
      expect(text(refused)).toContain("liên hệ trực tiếp");
      expect(await notices("chat-ptk-owner")).toBe(1);
      // Other producers still take the buyer's orders, and other buyers still reach this producer.
      expect((await order("zalo", "pest", "chè lam Trang Toàn")).intent).toBe("order_placed");
      expect((await order("zalo", "fine-buyer", "mắm tép chưng thịt PTK")).intent).toBe("order_placed");
      expect(await notices("chat-ptk-owner")).toBe(2);

      expect((await send("telegram", "ptk-owner", `bỏ chặn ${first}`)).intent).toBe("buyer_unblocked");
      expect((await order("zalo", "pest", "mắm tép chưng thịt PTK")).intent).toBe("order_placed");
      expect(await notices("chat-ptk-owner")).toBe(3);
    });
  });
}
