import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProducerLinkCode } from "../adapters/db/order-book.ts";
import { openAssistant, type Assistant } from "../app/compose.ts";
import type { BotResponse, ChannelName, InboundEvent } from "../bot/types.ts";
import { say } from "./support/conversation.ts";
import { testLogger } from "./support/logger.ts";

/** The order codes a reply mentions. */
const codesIn = (response: BotResponse) => [...new Set([...response.replies.map((r) => r.text).join("\n").matchAll(/DH-[A-Z0-9]{5}/g)].map((m) => m[0]))];
const text = (response: BotResponse) => response.replies.map((r) => r.text).join("\n");

describe("catalogue questions", () => {
  let assistant: Assistant;
  beforeAll(async () => {
    assistant = await openAssistant({ database: { memory: true }, logger: testLogger });
  });
  afterAll(() => assistant.close());
  const ask = (message: string) => say(assistant, "asker", message);

  it("gives the one sourced price as it is and marks sample prices", async () => {
    const garlic = await ask("giá tỏi một nhánh bao nhiêu");
    expect(garlic.intent).toBe("catalogue_product");
    expect(text(garlic)).toContain("Tỏi một nhánh Gia Bình");
    expect(text(garlic)).toContain("100.000 đ/kg — giá theo");
    expect(garlic.sources.map((s) => s.id)).toEqual(["san-pham-ocop-tieu-bieu"]);
    const nem = await ask("có bán nem Bùi không");
    expect(text(nem)).toContain("Nem Bùi Thượng Hải");
    expect(text(nem)).toContain("Nem Bùi Ninh Xá");
    expect(text(nem)).toContain("(giá mẫu)");
    expect(nem.replies[0]!.buttons).toEqual(["Đặt mua Nem Bùi Ninh Xá", "Đặt mua Nem Bùi Thượng Hải"]);
  });

  it("lists products by stars and by group, in Vietnamese and English", async () => {
    const fourStars = await ask("sản phẩm 4 sao ở Bắc Ninh");
    expect(fourStars.intent).toBe("catalogue_list");
    expect(text(fourStars)).toMatch(/^Sản phẩm OCOP 4 sao \(22\):/);
    expect(text(fourStars)).not.toContain("Vải thiều Lục Ngạn"); // 5 stars
    const crafts = await ask("show me handicraft products");
    expect(crafts.language).toBe("en");
    expect(text(crafts)).toMatch(/^Handicrafts \(6\):/);
    expect(text(crafts)).toContain("Phù Lãng pottery");
    expect((await ask("sản phẩm 4 sao cần bao nhiêu điểm?")).intent).not.toBe("catalogue_list");
  });

  it("says plainly when a product is not in the catalogue", async () => {
    const honey = await ask("có bán mật ong không");
    expect(honey.intent).toBe("catalogue_unknown_product");
    expect(text(honey)).toContain('chưa có "mật ong"');
  });
});

describe("orders by chat", () => {
  let assistant: Assistant;
  beforeAll(async () => {
    assistant = await openAssistant({ database: { memory: true }, logger: testLogger });
  });
  afterAll(() => assistant.close());
  const ask = (user: string, message: string) => say(assistant, user, message);
  const orderRows = async (user: string) =>
    (await assistant.db.pool.query<{ code: string; total_vnd: string; status: string }>("SELECT code, total_vnd, status FROM orders WHERE buyer_user_id = $1 ORDER BY id", [user])).rows;

  it("takes an order in Vietnamese with diacritics, one question at a time, priced by the database", async () => {
    const first = await ask("vi", "cho mình đặt 2 gói kẹo lạc Trang Toàn");
    expect(first.intent).toBe("order_ask_name");
    expect((await ask("vi", "Nguyễn Văn An")).intent).toBe("order_ask_phone");
    expect((await ask("vi", "0912 345 678")).intent).toBe("order_ask_address");
    const summary = await ask("vi", "Số 5 Lý Thái Tổ, phường Kinh Bắc, Bắc Ninh");
    expect(summary.intent).toBe("order_summary");
    expect(text(summary)).toContain("Kẹo lạc Trang Toàn: 2 gói × 45.000 đ = 90.000 đ");
    expect(text(summary)).toContain("Tổng cộng: 90.000 đ");
    expect(text(summary)).toContain("Giá mẫu");
    expect(summary.replies.at(-1)!.buttons).toEqual(["Xác nhận đặt hàng", "Sửa", "Hủy"]);

    const placed = await ask("vi", "1"); // the first button
    expect(placed.intent).toBe("order_placed");
    const [code] = codesIn(placed);
    expect(code).toMatch(/^DH-[2-9A-HJ-NP-Z]{5}$/);
    expect(await orderRows("vi")).toEqual([{ code, total_vnd: "90000", status: "pending" }]);

    const mine = await ask("vi", "đơn hàng của tôi");
    expect(mine.intent).toBe("order_list");
    expect(text(mine)).toContain(`${code}`);
    expect(text(mine)).toContain("chờ xác nhận");
    const details = await ask("vi", code!);
    expect(details.intent).toBe("order_details");
    expect(text(details)).toMatch(/Lịch sử:\n  – \d\d:\d\d \d\d\/\d\d\/\d{4}: chờ xác nhận/);
  });

  it("takes an unaccented order with an ambiguous name, a bad phone and an edit", async () => {
    const choice = await ask("plain", "mua 3kg toi");
    expect(choice.intent).toBe("order_ask_choice");
    expect(choice.replies[0]!.buttons).toEqual(["Tỏi An Thịnh", "Tỏi đen một nhánh Nanocare", "Tỏi một nhánh Gia Bình"]);
    expect((await ask("plain", "3")).intent).toBe("order_ask_name"); // Tỏi một nhánh Gia Bình, 3 kg
    expect((await ask("plain", "tran thi binh")).intent).toBe("order_ask_phone");
    const bad = await ask("plain", "12345");
    expect(bad.intent).toBe("order_ask_phone");
    expect(text(bad)).toContain("chưa phải số điện thoại Việt Nam hợp lệ");
    expect((await ask("plain", "+84 987 654 321")).intent).toBe("order_ask_address");
    const summary = await ask("plain", "thon Dong Ho, xa Song Ho, Bac Ninh");
    expect(text(summary)).toContain("Tỏi một nhánh Gia Bình: 3 kg × 100.000 đ = 300.000 đ");
    expect(text(summary)).toContain("Tran Thi Binh, 0987654321");
    expect(text(summary)).not.toContain("Giá mẫu"); // the one price a source gives

    const edited = await ask("plain", "sua so luong thanh 5");
    expect(edited.intent).toBe("order_summary");
    expect(text(edited)).toContain("5 kg × 100.000 đ = 500.000 đ");
    expect(text(await ask("plain", "them 1 goi che lam"))).toContain("Chè lam Trang Toàn: 1 gói × 40.000 đ = 40.000 đ");
    const removed = await ask("plain", "bo che lam");
    expect(text(removed)).toContain("Đã bỏ: Chè lam Trang Toàn.");
    expect(text(removed)).not.toContain("Chè lam Trang Toàn: 1 gói");
    const moved = await ask("plain", "doi dia chi thanh so 3 ngo 5 Nguyen Van Cu, Bac Ninh");
    expect(text(moved)).toContain("Địa chỉ: so 3 ngo 5 Nguyen Van Cu, Bac Ninh");
    expect((await ask("plain", "dong y")).intent).toBe("order_placed");
    expect((await orderRows("plain")).map((row) => row.total_vnd)).toEqual(["500000"]);
  });

  it("takes an order in English with two products from two producers as two orders", async () => {
    const first = await ask("en", "I'd like two packs of Trang Toan peanut candy and 1 jar of PTK shrimp paste");
    expect(first.intent).toBe("order_ask_name");
    expect(first.language).toBe("en");
    await ask("en", "John Smith");
    await ask("en", "0987654321");
    const summary = await ask("en", "12 Tran Phu street, Bac Ninh");
    expect(text(summary)).toContain("Trang Toàn peanut candy: 2 packs × 45,000 VND = 90,000 VND");
    expect(text(summary)).toContain("Total: 210,000 VND");
    expect(text(summary)).toContain("2 orders");
    const placed = await ask("en", "yes");
    expect(codesIn(placed)).toHaveLength(2);
    const mine = await ask("en", "my orders");
    expect(text(mine)).toContain("awaiting confirmation");
    expect(codesIn(mine).sort()).toEqual(codesIn(placed).sort());
  });

  it("keeps answering in English when an English speaker presses a button with a Vietnamese name", async () => {
    expect((await ask("en-button", "I want to order")).intent).toBe("order_ask_product");
    const choice = await ask("en-button", "nem");
    expect(choice.replies[0]!.buttons).toEqual(["3S nem", "Ninh Xá nem Bùi (Bùi-style nem)", "Thượng Hải nem Bùi (Bùi-style nem)"]);
    const quantity = await ask("en-button", "2");
    expect(quantity.language).toBe("en");
    expect(text(quantity)).toBe("How many packs of Ninh Xá nem Bùi (Bùi-style nem) would you like? Price: 50,000 VND/pack (sample price).");
  });

  it("asks for a product, then the quantity, and refuses zero, negative and huge quantities", async () => {
    const product = await ask("qty", "Đặt hàng");
    expect(product.intent).toBe("order_ask_product");
    expect(product.replies[0]!.buttons!.length).toBeGreaterThan(0);
    const quantity = await ask("qty", "chè lam");
    expect(quantity.intent).toBe("order_ask_quantity");
    expect(quantity.replies[0]!.buttons).toEqual(["1 gói", "2 gói", "3 gói", "4 gói", "5 gói"]);
    expect(text(await ask("qty", "0"))).toContain("Số lượng phải lớn hơn 0");
    expect(text(await ask("qty", "-2"))).toContain("Số lượng phải lớn hơn 0");
    expect(text(await ask("qty", "5000"))).toContain("tối đa 100");
    expect(text(await ask("qty", "1,5"))).toContain("số nguyên");
    expect((await ask("qty", "4")).intent).toBe("order_ask_name");
  });

  it("offers the closest products for a misspelt name and says when nothing is close", async () => {
    const typo = await ask("typo", "mua 1 hop banh phu te");
    expect(typo.intent).toBe("order_ask_choice");
    expect(typo.replies[0]!.buttons).toContain("Bánh phu thê Đình Bảng");
    const unknown = await ask("unknown", "mua bánh chưng");
    expect(unknown.intent).toBe("order_ask_product");
    expect(text(unknown)).toContain('chưa có "bánh chưng"');
  });

  it("asks again for an address too vague to deliver to", async () => {
    await ask("vague", "mua 1 goi che lam");
    await ask("vague", "Lan");
    await ask("vague", "0912345678");
    const vague = await ask("vague", "Hà Nội");
    expect(vague.intent).toBe("order_ask_address");
    expect(text(vague)).toContain("địa chỉ đầy đủ");
    expect((await ask("vague", "12 Hàng Bông, Hoàn Kiếm, Hà Nội")).intent).toBe("order_summary");
  });

  it("answers another question mid-order and then carries on where it stopped", async () => {
    await ask("detour", "đặt 1 hũ mắm tép");
    const detour = await ask("detour", "hội Lim năm 2027 vào ngày nào?");
    expect(detour.intent).toBe("festival_date");
    expect(detour.replies.at(-1)!.text).toBe("Tiếp tục đơn hàng: Cho mình xin tên người nhận hàng.");
    expect((await ask("detour", "Lê Thị Hoa")).intent).toBe("order_ask_phone");
  });

  it("keeps a phone number given with the order, and stores SQL-looking text as plain text", async () => {
    expect((await ask("inline", "đặt 2 gói chè lam, sđt 0912 345 678")).intent).toBe("order_ask_name");
    expect((await ask("inline", "Lan")).intent).toBe("order_ask_address");
    const summary = await ask("inline", "'); DROP TABLE orders; -- thôn Đông Hồ");
    expect(text(summary)).toContain("Lan, 0912345678");
    await ask("inline", "ok");
    const { rows } = await assistant.db.pool.query("SELECT address FROM orders WHERE buyer_user_id = 'inline'");
    expect(rows).toEqual([{ address: "'); DROP TABLE orders; -- thôn Đông Hồ" }]);
  });

  it("can be abandoned, and a cancelled summary places nothing", async () => {
    await ask("quit", "mua 2 goi che lam");
    expect((await ask("quit", "thôi")).intent).toBe("order_abandoned");
    await ask("quit2", "mua 2 goi che lam");
    await ask("quit2", "Lan");
    await ask("quit2", "0912345678");
    await ask("quit2", "so 1 duong Ngo Gia Tu, Bac Ninh");
    expect((await ask("quit2", "no")).intent).toBe("order_abandoned");
    expect(await orderRows("quit")).toEqual([]);
    expect(await orderRows("quit2")).toEqual([]);
  });

  it("stores one order for a repeated confirmation, and none for a duplicate delivery", async () => {
    await ask("twice", "mua 1 goi keo lac");
    await ask("twice", "Hai");
    await ask("twice", "0901234567");
    await ask("twice", "thon Dong Ky, phuong Dong Nguyen, Bac Ninh");
    const event: InboundEvent = { channel: "cli", eventId: randomUUID(), userId: "twice", chatId: "twice", text: "ok", receivedAt: new Date() };
    const [a, b, c] = await Promise.all([assistant.receive(event), assistant.receive(event), ask("twice", "đồng ý")]);
    expect([a, b].filter((response) => response === undefined)).toHaveLength(1);
    expect([a, b, c].some((response) => response?.intent === "order_placed")).toBe(true);
    expect(await orderRows("twice")).toHaveLength(1);
  });

  it("takes a second tap on the confirm button, after the order is placed, as the placed order's button", async () => {
    await ask("tap2", "mua 1 goi keo lac");
    await ask("tap2", "Hai");
    await ask("tap2", "0901234568");
    await ask("tap2", "thon Dong Ky, phuong Dong Nguyen, Bac Ninh");
    const placed = await ask("tap2", "1"); // "Xác nhận đặt hàng"
    expect(placed.intent).toBe("order_placed");
    const again = await ask("tap2", "1"); // the same button, tapped twice
    expect(again.intent).not.toMatch(/^order_(draft|item|started)/);
    expect(text(again)).toContain(codesIn(placed)[0]!);
    expect(await orderRows("tap2")).toHaveLength(1);
  });

  it("keeps a buyer's orders to the buyer: a stranger sees none and cannot cancel one", async () => {
    await ask("owner", "mua 2 goi che lam");
    await ask("owner", "Minh");
    await ask("owner", "0912345679");
    await ask("owner", "so 9 Ly Thai To, Bac Ninh");
    const [code] = codesIn(await ask("owner", "ok"));
    expect(text(await ask("stranger", "đơn hàng của tôi"))).toContain("chưa có đơn hàng nào");
    expect((await ask("stranger", code!)).intent).toBe("order_not_found");
    expect((await ask("stranger", `hủy đơn ${code}`)).intent).toBe("order_not_found");
    expect((await orderRows("owner"))[0]!.status).toBe("pending");
    const which = await ask("owner", "hủy đơn");
    expect(which.intent).toBe("order_cancel_which");
    expect(which.replies[0]!.buttons).toEqual([`Hủy đơn ${code}`]);
    expect((await ask("owner", "1")).intent).toBe("order_cancelled");
    expect((await orderRows("owner"))[0]!.status).toBe("cancelled");
  });

  it("lets a draft left for more than a day expire instead of placing it on a stray 'ok'", async () => {
    let now = new Date("2026-12-01T09:00:00Z");
    const clocked = await openAssistant({ database: { memory: true }, logger: testLogger, clock: () => now });
    try {
      await say(clocked, "late", "mua 2 goi che lam");
      await say(clocked, "late", "Lan");
      await say(clocked, "late", "0912345678");
      expect((await say(clocked, "late", "so 1 Ngo Gia Tu, Bac Ninh")).intent).toBe("order_summary");
      now = new Date("2026-12-02T10:00:00Z");
      const stray = await say(clocked, "late", "ok");
      expect(stray.intent).toBe("order_expired");
      const { rows } = await clocked.db.pool.query("SELECT count(*)::int AS n FROM orders");
      expect(rows[0].n).toBe(0);
    } finally {
      await clocked.close();
    }
  });

  describe("producers", () => {
    const event = (channel: ChannelName, user: string, message: string): InboundEvent => ({
      channel, eventId: randomUUID(), userId: user, chatId: `chat-${user}`, text: message, receivedAt: new Date(),
    });
    const send = async (channel: ChannelName, user: string, message: string) => (await assistant.receive(event(channel, user, message)))!;
    const outbox = async (chatId: string) =>
      (await assistant.db.pool.query<{ reply: { text: string } }>("SELECT reply FROM outbox WHERE chat_id = $1 ORDER BY id", [chatId])).rows.map((row) => row.reply.text);

    it("link their chat with a one-time code, receive new orders, and move them along; the buyer is told", async () => {
      const { code } = (await createProducerLinkCode(assistant.db, "co-so-vu-cong-toan"))!;
      expect((await send("telegram", "producer", `mã của tôi: ${code}`)).intent).toBe("producer_linked");
      expect((await send("telegram", "someone", code)).intent).toBe("producer_link_failed"); // one time only

      await send("zalo", "buyer", "cho mình đặt 3 gói kẹo lạc Trang Toàn");
      await send("zalo", "buyer", "Phạm Thu Trang");
      await send("zalo", "buyer", "0388123456");
      await send("zalo", "buyer", "số 12 đường Trần Hưng Đạo, Bắc Ninh");
      const [order] = codesIn(await send("zalo", "buyer", "xác nhận"));
      const notices = await outbox("chat-producer");
      expect(notices).toHaveLength(1);
      expect(notices[0]).toContain(`Đơn hàng mới ${order}`);
      expect(notices[0]).toContain("3 gói × 45.000 đ = 135.000 đ");
      expect(notices[0]).toContain("0388123456");

      expect((await send("telegram", "outsider", `xác nhận ${order}`)).intent).toBe("order_not_found");
      expect((await send("telegram", "producer", `xác nhận ${order}`)).intent).toBe("order_status_changed");
      expect((await send("telegram", "producer", `dang giao ${order}`)).intent).toBe("order_status_changed");
      const refused = await send("zalo", "buyer", `hủy đơn ${order}`);
      expect(refused.intent).toBe("order_status_refused");
      expect((await send("telegram", "producer", `hoàn thành ${order}`)).intent).toBe("order_status_changed");

      const toBuyer = await outbox("chat-buyer");
      expect(toBuyer.filter((t) => t.includes(`Đơn hàng ${order}`))).toEqual([
        expect.stringContaining("đã xác nhận"),
        expect.stringContaining("đang giao"),
        expect.stringContaining("hoàn thành"),
      ]);
      const details = text(await send("zalo", "buyer", order!));
      expect(details.match(/– .*: (chờ xác nhận|đã xác nhận|đang giao|hoàn thành)/g)).toHaveLength(4);
      expect(text(await send("telegram", "producer", "đơn mới"))).toContain(order);
    });

    it("cancel with a reason that reaches the buyer", async () => {
      const { code } = (await createProducerLinkCode(assistant.db, "cong-ty-ptk-879"))!;
      await send("telegram", "ptk", code);
      await send("telegram", "buyer2", "đặt 2 hũ mắm tép");
      await send("telegram", "buyer2", "Vũ Hà");
      await send("telegram", "buyer2", "0977000111");
      await send("telegram", "buyer2", "thôn Lũng Giang, xã Tiên Du, Bắc Ninh");
      const [order] = codesIn(await send("telegram", "buyer2", "ok"));
      expect((await send("telegram", "ptk", `hủy ${order} hết hàng`)).intent).toBe("order_status_changed");
      expect((await outbox("chat-buyer2")).at(-1)).toContain("Lý do: hết hàng.");
    });
  });
});
