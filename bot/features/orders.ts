/**
 * Orders outside the order dialog: "đơn hàng của tôi", cancelling ("hủy đơn" asks which), a producer's
 * list of orders, delivery and payment questions, and the exact rules for codes: an order code
 * ("DH-7K3Q9", "hủy đơn DH-…", a producer's "xác nhận DH-…") and a producer's one-time link code.
 * Status changes and links are side effects, run once after the conversation is saved.
 */
import type { ExactRule } from "../engine.ts";
import type { Buyer, ChannelDirectory, OrderBook, OrderStatus, StatusActor } from "../ports.ts";
import { buyerCancelledNotice, buyerStatusNotice, orderDetails, orderListLine, orderTexts } from "../texts/orders.ts";
import type { EffectRunner, IntentHandler, Turn, TurnResult } from "../turn.ts";
import { firstOf } from "../understanding/entities.ts";

const LIST_LIMIT = 10;
const ACTIONS: readonly [RegExp, OrderStatus][] = [
  [/^(xac nhan|confirm|nhan don|accept)\b/, "confirmed"],
  [/^(dang giao|giao hang|bat dau giao|shipping|ship|shipped|out for delivery)\b/, "shipping"],
  [/^(hoan thanh|da giao|giao xong|completed?|done|delivered)\b/, "completed"],
  [/^(huy|cancel)\b/, "cancelled"],
];

// A producer stops (or resumes) taking orders from the buyer of an order: "chặn người mua DH-…", "bỏ chặn DH-…".
const UNBLOCK = /^(bo chan|mo chan|go chan|unblock)\b/;
const BLOCK = /^(chan|block)\b/;

/** A block decided by a turn, made by the effect once the turn is saved. */
interface BlockPayload {
  readonly code: string;
  readonly producerId: string;
  readonly blocked: boolean;
}

/** A status change decided by a turn, made by the effect once the turn is saved. */
interface StatusChangePayload {
  readonly code: string;
  readonly status: OrderStatus;
  readonly actor: StatusActor;
  readonly reason?: string;
}

const buyerOf = (turn: Turn): Buyer => ({ channel: turn.event.channel, userId: turn.event.userId, chatId: turn.event.chatId });

/** The order commands: routed handlers, exact rules for codes, and the effects they decide. */
export function orderFeature(book: OrderBook, channels: ChannelDirectory): { handlers: Record<string, IntentHandler>; rules: ExactRule[]; effects: Record<string, EffectRunner> } {
  async function listOrders(turn: Turn): Promise<TurnResult> {
    const t = orderTexts[turn.language];
    const buyer = buyerOf(turn);
    const orders = await book.ordersOfBuyer(buyer, LIST_LIMIT);
    if (orders.length === 0) {
      if (await book.producerOf(buyer)) return (await listProducerOrders(turn))!;
      return { replies: [{ text: t.noOrders }], intent: "order_list" };
    }
    const text = [t.yourOrders, ...orders.map((o) => orderListLine(o, turn.language)), "", t.sendCode(orders[0]!.code)].join("\n");
    return { replies: [{ text }], intent: "order_list", followable: false };
  }

  async function listProducerOrders(turn: Turn): Promise<TurnResult | undefined> {
    const t = orderTexts[turn.language];
    const producer = await book.producerOf(buyerOf(turn));
    if (!producer) return undefined;
    const orders = await book.ordersOfProducer(producer.id, LIST_LIMIT);
    const text = orders.length === 0 ? t.noProducerOrders(producer.name) : [t.producerOrders(producer.name), ...orders.map((o) => orderListLine(o, turn.language))].join("\n");
    return { replies: [{ text }], intent: "producer_order_list", followable: false };
  }

  async function askWhichToCancel(turn: Turn): Promise<TurnResult> {
    const t = orderTexts[turn.language];
    const open = (await book.ordersOfBuyer(buyerOf(turn), LIST_LIMIT)).filter((order) => order.status === "pending" || order.status === "confirmed");
    if (open.length === 0) return { replies: [{ text: t.nothingToCancel }], intent: "order_list", followable: false };
    const text = [t.whichToCancel, ...open.map((o) => orderListLine(o, turn.language))].join("\n");
    return { replies: [{ text, buttons: open.map((o) => t.cancelButton(o.code)) }], intent: "order_cancel_which", followable: false };
  }

  /** "DH-7K3Q9", "hủy đơn DH-7K3Q9", "xác nhận DH-7K3Q9"…: the buyer's own orders first, then the producer's. */
  async function orderCommand(turn: Turn, code: string, codeEnd: number): Promise<TurnResult> {
    const t = orderTexts[turn.language];
    const buyer = buyerOf(turn);
    const action = ACTIONS.find(([pattern]) => pattern.test(turn.signals.folded.trim()))?.[1];
    const asBuyer: StatusActor = { kind: "buyer", buyer };
    const own = await book.find(code, asBuyer);
    const change = (payload: StatusChangePayload): TurnResult => ({ replies: [], intent: "order_status", effects: [{ kind: "change_order_status", payload }], followable: false });
    if (own && action === "cancelled") return change({ code, status: "cancelled", actor: asBuyer });
    const producer = await book.producerOf(buyer);
    const asProducer: StatusActor | undefined = producer && { kind: "producer", producerId: producer.id };
    const theirs = asProducer && (await book.find(code, asProducer));
    const command = turn.signals.folded.trim();
    const blocking = UNBLOCK.test(command) ? false : BLOCK.test(command) ? true : undefined;
    if (theirs && producer && blocking !== undefined) {
      const payload: BlockPayload = { code, producerId: producer.id, blocked: blocking };
      return { replies: [], intent: "buyer_block", effects: [{ kind: "block_buyer", payload }], followable: false };
    }
    if (theirs && asProducer && action) {
      const reason = action === "cancelled" ? turn.signals.text.slice(codeEnd).replace(/^[\s:,.-]+/, "").trim() || undefined : undefined;
      return change({ code, status: action, actor: asProducer, ...(reason ? { reason } : {}) });
    }
    const visible = own ?? theirs;
    if (!visible) return { replies: [{ text: t.notFound(code) }], intent: "order_not_found", followable: false };
    return { replies: [{ text: orderDetails(visible, turn.language) }], intent: "order_details", followable: false };
  }

  const handlers: Record<string, IntentHandler> = {
    "orders.list": listOrders,
    "orders.cancel": askWhichToCancel,
    "orders.producer": async (turn) => (await listProducerOrders(turn)) ?? listOrders(turn),
    "orders.delivery": (turn) => ({ replies: [{ text: orderTexts[turn.language].delivery }], intent: "delivery_payment" }),
  };

  const rules: ExactRule[] = [
    {
      intent: "producer_link",
      match: (turn) => {
        const link = firstOf(turn.signals.entities, "link_code");
        return link && (() => ({ replies: [], intent: "producer_link", effects: [{ kind: "link_producer", payload: { code: link.value } }], followable: false }));
      },
    },
    {
      intent: "order_code",
      match: (turn) => {
        const code = firstOf(turn.signals.entities, "order_code");
        return code && ((t: Turn) => orderCommand(t, code.value, code.to));
      },
    },
  ];

  const effects: Record<string, EffectRunner> = {
    async link_producer(payload, { event, language }) {
      const t = orderTexts[language];
      const producer = await book.linkProducer((payload as { code: string }).code, { channel: event.channel, userId: event.userId, chatId: event.chatId });
      if (!producer) return { replies: [{ text: t.linkFailed }], intent: "producer_link_failed" };
      return { replies: [{ text: t.linked(producer.name) }], intent: "producer_linked" };
    },
    async block_buyer(raw, { language }) {
      const { code, producerId, blocked } = raw as BlockPayload;
      const t = orderTexts[language];
      const order = await book.blockBuyer(code, producerId, blocked);
      if (!order) return { replies: [{ text: t.notFound(code) }], intent: "order_not_found" };
      return { replies: [{ text: blocked ? t.buyerBlocked(code) : t.buyerUnblocked(code) }], intent: blocked ? "buyer_blocked" : "buyer_unblocked" };
    },
    async change_order_status(raw, { language }) {
      const { code, status, actor, reason } = raw as StatusChangePayload;
      const t = orderTexts[language];
      const result = await book.changeStatus(code, status, actor, reason, actor.kind === "producer" ? buyerStatusNotice : buyerCancelledNotice);
      if (!result.ok && result.reason === "not_found") return { replies: [{ text: t.notFound(code) }], intent: "order_not_found" };
      // Run again after a crash, the change is already made: report it as made.
      if (!result.ok && result.order.status !== status) {
        const current = t.status[result.order.status];
        const text = actor.kind === "buyer" ? t.cannotCancel(code, current, result.order.producer.name) : t.cannotMove(code, current, t.status[status]);
        return { replies: [{ text }], intent: "order_status_refused" };
      }
      const text = actor.kind === "buyer" ? t.cancelled(code) : t.moved(code, t.status[status], t.buyerNotified(channels.canPush(result.order.buyer.channel)));
      return { replies: [{ text }], intent: actor.kind === "buyer" ? "order_cancelled" : "order_status_changed" };
    },
  };

  return { handlers, rules, effects };
}
