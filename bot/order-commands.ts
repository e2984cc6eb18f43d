/**
 * Order commands outside the order dialog: "đơn hàng của tôi", an order's details, "hủy đơn DH-…",
 * a producer linking their chat with a one-time code, and a producer's status commands
 * ("xác nhận DH-…", "đang giao DH-…", "hoàn thành DH-…", "hủy DH-… <lý do>").
 */
import type { Handler, Turn, TurnResult } from "./engine.ts";
import { buyerCancelledNotice, buyerStatusNotice, orderDetails, orderListLine, statusText } from "./order-messages.ts";
import type { Buyer, OrderBook, OrderStatus, StatusActor } from "./ports.ts";
import { canPush } from "./types.ts";

const LIST_LIMIT = 10;
const LINK_CODE = /\b(lk-[a-z0-9]{4}-[a-z0-9]{4})\b/i;
const ORDER_CODE = /\bdh[-\s]?([a-z0-9]{5})\b/i;
const MY_ORDERS = /^(xem |kiem tra |tra cuu )?(cac )?(don hang|don|don dat hang)( cua (toi|minh|em|tui|to))?( dau)?$|^(my orders?|show my orders|my order status|orders|order status|check my orders?)$/;
const CANCEL_WITHOUT_CODE = /^(huy|cancel)( don| don hang| (my |the )?order)$/;
const PRODUCER_ORDERS = /^(don moi|don hang moi|don cua co so|don hang cua co so|new orders|shop orders)$/;
const ACTIONS: readonly [RegExp, OrderStatus][] = [
  [/^(xac nhan|confirm|nhan don|accept)\b/, "confirmed"],
  [/^(dang giao|giao hang|bat dau giao|shipping|ship|shipped|out for delivery)\b/, "shipping"],
  [/^(hoan thanh|da giao|giao xong|completed?|done|delivered)\b/, "completed"],
  [/^(huy|cancel)\b/, "cancelled"],
];

/** The order commands over the order book. */
export function orderCommands(book: OrderBook): Handler {
  return async (turn) => {
    const buyer: Buyer = { channel: turn.event.channel, userId: turn.event.userId, chatId: turn.event.chatId };
    const link = LINK_CODE.exec(turn.text);
    if (link) return linkProducer(turn, buyer, link[1]!);
    const folded = turn.folded.replace(/[.!?]+$/, "").trim();
    if (MY_ORDERS.test(folded)) return listOrders(turn, buyer);
    if (PRODUCER_ORDERS.test(folded)) return listProducerOrders(turn, buyer);
    const code = ORDER_CODE.exec(turn.text);
    // "hủy đơn" without a code, outside an order being filled in (where it drops the draft): which one?
    if (!code && CANCEL_WITHOUT_CODE.test(folded) && !turn.state.dialog) return askWhichToCancel(turn, buyer);
    if (!code) return undefined;
    return orderCommand(turn, buyer, `DH-${code[1]!.toUpperCase()}`, code.index + code[0].length);
  };

  async function linkProducer(turn: Turn, buyer: Buyer, code: string): Promise<TurnResult> {
    const en = turn.language === "en";
    const producer = await book.linkProducer(code, buyer);
    if (!producer) {
      return { replies: [{ text: en ? "This link code is unknown, already used or expired. Please ask the operator for a new one." : "Mã liên kết không đúng, đã dùng hoặc đã hết hạn. Bạn xin đơn vị vận hành mã mới nhé." }], intent: "producer_link_failed" };
    }
    const text = en
      ? `This chat is now linked to ${producer.name}. New orders for its products will arrive here. Answer "xác nhận DH-…", "đang giao DH-…", "hoàn thành DH-…" or "hủy DH-… <reason>"; "new orders" lists them.`
      : `Đã liên kết cuộc trò chuyện này với ${producer.name}. Đơn hàng mới cho sản phẩm của cơ sở sẽ được gửi tới đây. Trả lời "xác nhận DH-…", "đang giao DH-…", "hoàn thành DH-…" hoặc "hủy DH-… <lý do>"; gõ "đơn mới" để xem danh sách đơn.`;
    return { replies: [{ text }], intent: "producer_linked" };
  }

  async function listOrders(turn: Turn, buyer: Buyer): Promise<TurnResult> {
    const en = turn.language === "en";
    const orders = await book.ordersOfBuyer(buyer, LIST_LIMIT);
    if (orders.length === 0) {
      const producer = await book.producerOf(buyer);
      if (producer) return (await listProducerOrders(turn, buyer))!;
      return { replies: [{ text: en ? 'You have no orders yet. Type e.g. "2 packs of Trang Toàn peanut candy" to order.' : 'Bạn chưa có đơn hàng nào. Gõ ví dụ "đặt 2 gói kẹo lạc Trang Toàn" để đặt hàng.' }], intent: "order_list" };
    }
    const text = [en ? "Your orders (newest first):" : "Đơn hàng của bạn (mới nhất trước):", ...orders.map((o) => orderListLine(o, turn.language)), "", en ? `Send an order code (e.g. "${orders[0]!.code}") for its details.` : `Gửi mã đơn (ví dụ "${orders[0]!.code}") để xem chi tiết.`].join("\n");
    return { replies: [{ text }], intent: "order_list" };
  }

  async function askWhichToCancel(turn: Turn, buyer: Buyer): Promise<TurnResult> {
    const en = turn.language === "en";
    const open = (await book.ordersOfBuyer(buyer, LIST_LIMIT)).filter((order) => order.status === "pending" || order.status === "confirmed");
    if (open.length === 0) {
      return { replies: [{ text: en ? "You have no order that can still be cancelled." : "Bạn không có đơn nào còn hủy được." }], intent: "order_list" };
    }
    const text = [en ? "Which order should I cancel?" : "Bạn muốn hủy đơn nào?", ...open.map((o) => orderListLine(o, turn.language))].join("\n");
    return { replies: [{ text, buttons: open.map((o) => (en ? `Cancel order ${o.code}` : `Hủy đơn ${o.code}`)) }], intent: "order_cancel_which" };
  }

  async function listProducerOrders(turn: Turn, buyer: Buyer): Promise<TurnResult | undefined> {
    const en = turn.language === "en";
    const producer = await book.producerOf(buyer);
    if (!producer) return undefined;
    const orders = await book.ordersOfProducer(producer.id, LIST_LIMIT);
    const text = orders.length === 0
      ? (en ? `No orders for ${producer.name} yet.` : `Chưa có đơn hàng nào cho ${producer.name}.`)
      : [en ? `Orders for ${producer.name} (newest first):` : `Đơn hàng của ${producer.name} (mới nhất trước):`, ...orders.map((o) => orderListLine(o, turn.language))].join("\n");
    return { replies: [{ text }], intent: "producer_order_list" };
  }

  /** "DH-7K3Q9", "hủy đơn DH-7K3Q9", "xác nhận DH-7K3Q9"…: the buyer's own orders first, then the producer's. */
  async function orderCommand(turn: Turn, buyer: Buyer, code: string, codeEnd: number): Promise<TurnResult> {
    const en = turn.language === "en";
    const action = ACTIONS.find(([pattern]) => pattern.test(turn.folded))?.[1];
    const asBuyer: StatusActor = { kind: "buyer", buyer };
    const own = await book.find(code, asBuyer);
    if (own && action === "cancelled") return change(turn, code, "cancelled", asBuyer, undefined);
    const producer = await book.producerOf(buyer);
    const asProducer: StatusActor | undefined = producer && { kind: "producer", producerId: producer.id };
    const theirs = asProducer && (await book.find(code, asProducer));
    if (theirs && asProducer && action) {
      const reason = action === "cancelled" ? turn.text.slice(codeEnd).replace(/^[\s:,.-]+/, "").trim() || undefined : undefined;
      return change(turn, code, action, asProducer, reason);
    }
    const visible = own ?? theirs;
    if (!visible) {
      return { replies: [{ text: en ? `I found no order ${code} among yours.` : `Mình không tìm thấy đơn ${code} trong các đơn của bạn.` }], intent: "order_not_found" };
    }
    return { replies: [{ text: orderDetails(visible, turn.language) }], intent: "order_details" };
  }

  async function change(turn: Turn, code: string, status: OrderStatus, actor: StatusActor, reason: string | undefined): Promise<TurnResult> {
    const { language } = turn;
    const en = language === "en";
    const result = await book.changeStatus(code, status, actor, reason, actor.kind === "producer" ? buyerStatusNotice : buyerCancelledNotice);
    if (!result.ok && result.reason === "not_found") {
      return { replies: [{ text: en ? `I found no order ${code} among yours.` : `Mình không tìm thấy đơn ${code} trong các đơn của bạn.` }], intent: "order_not_found" };
    }
    if (!result.ok) {
      const current = statusText(result.order.status, language);
      const text = actor.kind === "buyer"
        ? (en ? `Order ${code} is ${current}, so it can no longer be cancelled here. Please contact ${result.order.producer.name}.` : `Đơn ${code} đang ở trạng thái "${current}" nên không hủy được qua chat nữa. Bạn liên hệ trực tiếp ${result.order.producer.name} nhé.`)
        : (en ? `Order ${code} is ${current}; it cannot be moved to "${statusText(status, language)}".` : `Đơn ${code} đang ở trạng thái "${current}", không chuyển sang "${statusText(status, language)}" được.`);
      return { replies: [{ text }], intent: "order_status_refused" };
    }
    const pushed = canPush(result.order.buyer.channel);
    const told = pushed
      ? (en ? "the buyer is being notified" : "khách hàng sẽ nhận được thông báo")
      : (en ? "the buyer sees it in their orders" : "khách hàng sẽ thấy khi xem đơn của mình");
    const text = actor.kind === "buyer"
      ? (en ? `Order ${code} is cancelled.` : `Đã hủy đơn ${code}.`)
      : (en ? `Order ${code} is now "${statusText(status, language)}"; ${told}.` : `Đơn ${code} đã chuyển sang "${statusText(status, language)}"; ${told}.`);
    return { replies: [{ text }], intent: actor.kind === "buyer" ? "order_cancelled" : "order_status_changed" };
  }
}
