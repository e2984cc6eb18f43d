/**
 * The order dialog: fills in products, quantities, recipient, phone and address one question at a
 * time, shows a summary priced by the database, and stores the order when the buyer confirms.
 * The buyer may change any detail, ask something else in between, or drop the order.
 */
import { randomUUID } from "node:crypto";
import { findProductMentions, isUnitWord, standaloneQuantity, unitFits, type Product, type ProductMention } from "../knowledge/catalogue.ts";
import { fold } from "../knowledge/vietnamese.ts";
import type { Handler, Turn, TurnResult } from "./engine.ts";
import {
  abandons, looksLikeQuestion, MAX_QUANTITY, readAddress, readEdit, readName, readPhone, saysNo, saysYes, withoutPhone, type EditableField,
} from "./order-input.ts";
import { lineText, money, newOrderNotice, priceText, productName, quantityText, samplePriceNote, unitLabel } from "./order-messages.ts";
import type { Catalogue, OrderBook } from "./ports.ts";
import { canPush, type Language, type Reply } from "./types.ts";

const DIALOG = "order";
const DRAFT_LIFETIME_MS = 24 * 60 * 60 * 1000;
const FEATURED_COUNT = 6;

type Slot = "product" | "choice" | "quantity" | "name" | "phone" | "address" | "confirm" | "edit";

interface DraftLine {
  readonly productId: string;
  readonly quantity?: number;
}

/** The order being filled in, kept in the conversation state. */
interface OrderDraft {
  /** Makes confirming this draft twice find the same orders. */
  readonly id: string;
  /** When the draft was started (ISO time); an old draft is dropped rather than confirmed by a stray "ok". */
  readonly startedAt: string;
  readonly lines: readonly DraftLine[];
  /** Names that fit several products, waiting for the buyer to choose. */
  readonly choices: readonly { readonly productIds: readonly string[]; readonly quantity?: number | undefined; readonly typedUnit?: string | undefined }[];
  readonly recipientName?: string;
  readonly phone?: string;
  readonly address?: string;
  readonly asking?: Slot;
}

// Accented (or English) words that mean "I want to order" even in a question ("đặt 2 hộp được không?").
const STRONG_ORDER = /(^|\s)(đặt|đặt mua|order|i'?d like|i would like|i want|i'll take|lấy cho|gửi cho)(\s|$)/;
// Words that mean ordering unless the message asks where or how much ("mua nem Bùi ở đâu").
const WEAK_ORDER = /(^|\s)(mua|dat|lay|lấy|buy|purchase)(\s|$)/;
// An order verb with no product named: "mua bánh chưng" (to look up), but not "đặt phòng" or "đặt câu hỏi".
const ORDER_VERB = /(^|\s)(đặt|đặt mua|order|buy|purchase|mua|dat)(\s|$)/;
const NOT_A_PRODUCT = /\b(phong|homestay|tour|ve|lich|cau hoi|ban|xe|cho|room|ticket|table|question|hotel|khach san)\b/;
const BARE_ORDER = /^(toi |minh |em |i )?(muon |want to |would like to )?(dat hang|mua hang|dat mua|dat|mua|order|place an order|buy|buy something|mua san pham( ocop)?|dat san pham)$/;
const ADD = /^(them|add|mua them|dat them|lay them)\b/;
const REMOVE = /^(bo|xoa|bot|khong lay|khong mua|remove|delete|drop|take out)\b/;
const EDIT_BUTTONS: Record<Language, readonly [EditableField, string][]> = {
  vi: [["quantity", "Số lượng"], ["product", "Sản phẩm"], ["name", "Tên người nhận"], ["phone", "Số điện thoại"], ["address", "Địa chỉ"]],
  en: [["quantity", "Quantity"], ["product", "Products"], ["name", "Recipient name"], ["phone", "Phone number"], ["address", "Address"]],
};
const CONFIRM_BUTTONS: Record<Language, readonly string[]> = { vi: ["Xác nhận đặt hàng", "Sửa", "Hủy"], en: ["Confirm order", "Edit", "Cancel"] };

/** What one turn of the dialog has to say before its question (notes on what it understood or refused). */
type Notes = string[];

/** The order dialog over the catalogue and the order book. */
export function orderDialog(catalogue: Catalogue, book: OrderBook, newDraftId: () => string = randomUUID): Handler {
  return async (turn) => {
    const draft = turn.state.dialog?.name === DIALOG ? (turn.state.dialog.data as unknown as OrderDraft) : undefined;
    const products = await catalogue.products();
    if (draft && turn.now.getTime() - Date.parse(draft.startedAt) > DRAFT_LIFETIME_MS) {
      turn.state = { ...turn.state, dialog: undefined };
      const expired = turn.language === "en"
        ? "The order you started more than a day ago has expired; nothing was placed."
        : "Đơn đặt dở từ hơn một ngày trước đã hết hạn; chưa có đơn nào được tạo.";
      const fresh = await start(turn, products);
      if (fresh) return { ...fresh, replies: [{ text: expired }, ...fresh.replies] };
      // A stray "ok" must learn that nothing was placed; anything else goes on to the other handlers.
      return saysYes(turn.folded) ? { replies: [{ text: expired }], intent: "order_expired" } : undefined;
    }
    if (!draft) return start(turn, products);
    return proceed(turn, draft, products);
  };

  async function start(turn: Turn, products: readonly Product[]): Promise<TurnResult | undefined> {
    if (abandons(turn.folded)) return undefined;
    const lower = turn.text.toLowerCase();
    const strong = STRONG_ORDER.test(lower);
    const question = looksLikeQuestion(turn.text) || /\b(gia|price|cost|ban khong|co ban)\b/.test(turn.folded);
    const wants = strong || (WEAK_ORDER.test(lower) && !question);
    const mentions = findProductMentions(turn.text, products);
    // A phone number given with the order ("… giao cho mình, sđt 0912 345 678") is not asked again.
    const phone = readPhone(turn.text);
    const fresh: OrderDraft = { id: newDraftId(), startedAt: turn.now.toISOString(), lines: [], choices: [], ...(phone && "phone" in phone ? { phone: phone.phone } : {}) };
    if (mentions.length > 0 && (wants || (!question && mentions.some((m) => m.quantity !== undefined)))) {
      const notes: Notes = [];
      return ask(turn, addMentions(fresh, mentions, turn.language, notes), products, notes);
    }
    if (BARE_ORDER.test(turn.folded.replace(/[.!?]+$/, ""))) return ask(turn, fresh, products, []);
    // "mua bánh chưng": an order for something not in the catalogue by that name.
    const wanted = orderWordsRemoved(turn.text);
    if (!wants || !ORDER_VERB.test(lower) || NOT_A_PRODUCT.test(fold(wanted)) || wanted.split(" ").length > 5) return undefined;
    return offerClosest(turn, fresh, products, wanted);
  }

  async function proceed(turn: Turn, draft: OrderDraft, products: readonly Product[]): Promise<TurnResult | undefined> {
    const { language } = turn;
    const en = language === "en";
    if (abandons(turn.folded) || (draft.asking === "confirm" && saysNo(turn.folded))) {
      turn.state = { ...turn.state, dialog: undefined };
      return { replies: [{ text: en ? "OK, I dropped this order. Nothing was placed." : "Được, mình đã hủy đơn đang đặt dở; chưa có đơn nào được tạo." }], intent: "order_abandoned" };
    }
    if (draft.asking === "confirm" && saysYes(turn.folded)) return place(turn, draft);
    const notes: Notes = [];
    if (/^(sua|sua don|sua lai|thay doi|edit|change)$/.test(turn.folded)) return ask(turn, { ...draft, asking: "edit" }, products, notes);
    const edit = readEdit(turn.text) ?? (draft.asking === "edit" ? editChosen(turn.text) : undefined);
    if (edit) return ask(turn, applyEdit(draft, edit, turn.text, products, language, notes), products, notes);

    const mentions = findProductMentions(turn.text, products);
    if (REMOVE.test(turn.folded) && mentions.length > 0) return ask(turn, removeMentioned(draft, mentions, language, notes), products, notes);
    if (ADD.test(turn.folded)) {
      if (mentions.length > 0) return ask(turn, addMentions(draft, mentions, language, notes), products, notes);
      return offerClosest(turn, draft, products, orderWordsRemoved(turn.text));
    }
    const answered = answerSlot(turn, draft, products, notes);
    if (answered) return ask(turn, answered, products, notes);
    if (mentions.length > 0 && (draft.asking === "product" || draft.asking === "choice")) {
      return ask(turn, addMentions(draft, mentions, language, notes), products, notes);
    }
    if (notes.length > 0) return ask(turn, draft, products, notes);
    if (draft.asking === "product" && !looksLikeQuestion(turn.text)) return offerClosest(turn, draft, products, orderWordsRemoved(turn.text));
    // Not an answer: let the other handlers take it; the engine then repeats where the order stands.
    return undefined;
  }

  /** Reads the answer to the question asked; undefined when the message does not answer it. */
  function answerSlot(turn: Turn, draft: OrderDraft, products: readonly Product[], notes: Notes): OrderDraft | undefined {
    const { language } = turn;
    const en = language === "en";
    const phone = readPhone(turn.text);
    const withPhone = (next: OrderDraft): OrderDraft => (phone && "phone" in phone && !next.phone ? { ...next, phone: phone.phone } : next);
    switch (draft.asking) {
      case "choice": {
        const options = draft.choices[0]!.productIds.map((id) => products.find((p) => p.id === id)!).filter(Boolean);
        const typed = fold(turn.text);
        const named = findProductMentions(turn.text, options).flatMap((mention) => mention.products);
        const chosen = options.find((p) => [p.name, p.nameEn].some((name) => fold(name) === typed)) ?? (named.length === 1 ? named[0] : undefined);
        if (!chosen) return undefined;
        const [first, ...rest] = draft.choices;
        return addLine({ ...draft, choices: rest }, chosen, first!.quantity, language, notes, first!.typedUnit);
      }
      case "quantity": {
        const index = draft.lines.findIndex((line) => line.quantity === undefined);
        const product = products.find((p) => p.id === draft.lines[index]?.productId);
        if (!product) return undefined;
        if (/-\s*\d/.test(turn.text)) {
          notes.push(en ? "The quantity must be more than 0." : "Số lượng phải lớn hơn 0.");
          return undefined;
        }
        const quantity = standaloneQuantity(turn.text);
        if (!quantity) return undefined;
        const lines = [...draft.lines];
        lines.splice(index, 1);
        return addLine({ ...draft, lines }, product, quantity.value, language, notes, quantity.unit, index);
      }
      case "name": {
        const name = readName(withoutPhone(turn.text));
        if (name) return withPhone({ ...draft, recipientName: name });
        if (!looksLikeQuestion(turn.text) && /\p{L}/u.test(turn.text) && /\d/.test(turn.text) && !phone) {
          notes.push(en ? "A name has letters only; please send just the recipient's name." : "Tên người nhận chỉ gồm chữ; bạn gửi riêng tên nhé.");
        }
        return undefined;
      }
      case "phone": {
        if (phone && "phone" in phone) return { ...draft, phone: phone.phone };
        if (phone || /\d{4,}/.test(turn.text) || !looksLikeQuestion(turn.text)) {
          notes.push(en
            ? `"${phone && "invalid" in phone ? phone.invalid : turn.text.trim().slice(0, 20)}" is not a Vietnamese phone number. Please send 10 digits starting with 0 (e.g. 0912 345 678) or +84…`
            : `"${phone && "invalid" in phone ? phone.invalid : turn.text.trim().slice(0, 20)}" chưa phải số điện thoại Việt Nam hợp lệ. Bạn gửi số gồm 10 chữ số bắt đầu bằng 0 (ví dụ 0912 345 678) hoặc dạng +84… nhé.`);
        }
        return undefined;
      }
      case "address": {
        const address = readAddress(withoutPhone(turn.text));
        if (address) return withPhone({ ...draft, address });
        if (!looksLikeQuestion(turn.text) && turn.text.trim().split(/\s+/).length <= 3) {
          notes.push(en
            ? "Please give the full address so the producer can deliver: house number, street or hamlet, commune/ward, province."
            : "Bạn cho mình địa chỉ đầy đủ để cơ sở giao được hàng: số nhà, đường/thôn, xã/phường, tỉnh.");
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  async function offerClosest(turn: Turn, draft: OrderDraft, products: readonly Product[], name: string): Promise<TurnResult> {
    const en = turn.language === "en";
    const closest = name.length >= 2 ? (await catalogue.closest(name, 4)).filter((p) => p.available) : [];
    if (closest.length > 0) {
      const notes = [en ? `I could not find "${name}" exactly; did you mean one of these?` : `Mình không thấy đúng "${name}" trong danh mục; có phải bạn muốn một trong các sản phẩm này?`];
      return ask(turn, { ...draft, choices: [{ productIds: closest.map((p) => p.id) }, ...draft.choices] }, products, notes);
    }
    const notes = name.length >= 2 ? [en ? `"${name}" is not in our OCOP catalogue.` : `Danh mục OCOP của mình chưa có "${name}".`] : [];
    return ask(turn, draft, products, notes);
  }

  /** Stores the order (once per draft, whatever repeats) and tells the buyer its codes. */
  async function place(turn: Turn, draft: OrderDraft): Promise<TurnResult> {
    const { language, event } = turn;
    const en = language === "en";
    const orders = await book.place(
      {
        draftId: draft.id,
        buyer: { channel: event.channel, userId: event.userId, chatId: event.chatId },
        lines: draft.lines.map((line) => ({ productId: line.productId, quantity: line.quantity! })),
        recipientName: draft.recipientName!,
        phone: draft.phone!,
        address: draft.address!,
        language,
      },
      newOrderNotice,
    );
    turn.state = { ...turn.state, dialog: undefined };
    if (orders.length === 0) {
      return { replies: [{ text: en ? "Sorry, none of these products can be ordered any more." : "Xin lỗi, các sản phẩm này hiện không còn nhận đặt." }], intent: "order_failed" };
    }
    const push = canPush(event.channel);
    const text = [
      en ? `✅ Order placed (${orders.length > 1 ? "one order per producer" : "1 order"}):` : `✅ Đặt hàng thành công (${orders.length > 1 ? "mỗi cơ sở một đơn" : "1 đơn"}):`,
      ...orders.map((order) => `• ${order.code} — ${order.producer.name} — ${money(order.totalVnd, language)} — ${en ? "awaiting confirmation" : "chờ xác nhận"}`),
      "",
      en
        ? `The producer will confirm it and call ${draft.phone} about the price, delivery cost and payment.${push ? " I will message you when the status changes." : ""}`
        : `Cơ sở sản xuất sẽ xác nhận và gọi số ${draft.phone} để thống nhất giá, phí giao và cách thanh toán.${push ? " Mình sẽ nhắn bạn khi trạng thái đơn thay đổi." : ""}`,
      en ? `Type "my orders" to check them, or "cancel order ${orders[0]!.code}" before it ships.` : `Gõ "đơn hàng của tôi" để xem, hoặc "hủy đơn ${orders[0]!.code}" nếu muốn hủy khi đơn chưa giao.`,
      ...(orders.some((order) => order.pricesAreSample) ? ["", samplePriceNote(language)] : []),
    ].join("\n");
    return { replies: [{ text, buttons: [en ? "My orders" : "Đơn hàng của tôi"] }], intent: "order_placed" };
  }

  /** Asks for what the draft still lacks, or shows the summary. */
  async function ask(turn: Turn, draft: OrderDraft, products: readonly Product[], notes: Notes): Promise<TurnResult> {
    const { language } = turn;
    const en = language === "en";
    const slot = nextSlot(draft);
    const byId = (id: string) => products.find((p) => p.id === id)!;
    let question: Reply;
    switch (slot) {
      case "choice": {
        const options = draft.choices[0]!.productIds.map(byId);
        question = {
          text: [en ? "Which one would you like?" : "Bạn muốn chọn loại nào?", ...options.map((p, i) => `${i + 1}. ${productName(p, language)} — ${priceText(p, language)}`)].join("\n"),
          buttons: options.map((p) => productName(p, language)),
        };
        break;
      }
      case "product": {
        const featured = products.filter((p) => p.available && p.stars !== null).slice(0, FEATURED_COUNT);
        question = {
          text: en
            ? 'Which product would you like? Type its name and quantity (e.g. "2 packs of Trang Toàn peanut candy"), or pick one:'
            : 'Bạn muốn đặt sản phẩm nào? Gõ tên và số lượng (ví dụ "2 gói kẹo lạc Trang Toàn"), hoặc chọn bên dưới:',
          buttons: featured.map((p) => productName(p, language)),
        };
        break;
      }
      case "quantity": {
        const product = byId(draft.lines.find((line) => line.quantity === undefined)!.productId);
        const unit = en ? product.unitEn : product.unit;
        question = {
          text: en
            ? `How many ${unitLabel(product, 2, language)} of ${product.nameEn} would you like? Price: ${priceText(product, language)}.`
            : `Bạn muốn mua bao nhiêu ${unit} ${product.name}? Giá: ${priceText(product, language)}.`,
          // Button n is "n units", so typing a bare number means the same with or without the buttons.
          buttons: [1, 2, 3, 4, 5].map((n) => `${n} ${unitLabel(product, n, language)}`),
        };
        break;
      }
      case "name":
        question = { text: en ? "What is the recipient's name?" : "Cho mình xin tên người nhận hàng." };
        break;
      case "phone":
        question = { text: en ? "The recipient's phone number? (e.g. 0912 345 678)" : "Số điện thoại người nhận là gì? (ví dụ 0912 345 678)" };
        break;
      case "address":
        question = {
          text: en
            ? "The delivery address? (house number, street or hamlet, commune/ward, province)"
            : "Địa chỉ giao hàng? (số nhà, đường/thôn, xã/phường, tỉnh)",
        };
        break;
      case "edit":
        question = { text: en ? "What would you like to change?" : "Bạn muốn sửa thông tin nào?", buttons: EDIT_BUTTONS[language].map(([, label]) => label) };
        break;
      case "confirm":
        question = { text: await summary(draft, language), buttons: CONFIRM_BUTTONS[language] };
        break;
    }
    const resumePrefix = en ? "Back to your order: " : "Tiếp tục đơn hàng: ";
    turn.state = {
      ...turn.state,
      dialog: { name: DIALOG, data: { ...draft, asking: slot } as unknown as Record<string, unknown>, resume: { ...question, text: resumePrefix + question.text } },
    };
    const text = notes.length > 0 ? `${notes.join("\n")}\n\n${question.text}` : question.text;
    return { replies: [{ ...question, text }], intent: slot === "confirm" ? "order_summary" : `order_ask_${slot}` };
  }

  /** The summary priced from the database: lines, total, recipient. */
  async function summary(draft: OrderDraft, language: Language): Promise<string> {
    const en = language === "en";
    const quote = await book.quote(draft.lines.map((line) => ({ productId: line.productId, quantity: line.quantity! })));
    return [
      en ? "Please check your order:" : "Bạn kiểm tra lại đơn hàng nhé:",
      ...quote.lines.map((line) => lineText(line, language)),
      `${en ? "Total" : "Tổng cộng"}: ${money(quote.totalVnd, language)}${en ? " (delivery not included)" : " (chưa gồm phí giao hàng)"}`,
      ...(quote.producerCount > 1 ? [en ? `The products come from ${quote.producerCount} producers, so this makes ${quote.producerCount} orders.` : `Sản phẩm thuộc ${quote.producerCount} cơ sở nên sẽ thành ${quote.producerCount} đơn riêng.`] : []),
      `${en ? "Recipient" : "Người nhận"}: ${draft.recipientName}, ${draft.phone}`,
      `${en ? "Address" : "Địa chỉ"}: ${draft.address}`,
      ...(quote.pricesAreSample ? [samplePriceNote(language)] : []),
      en ? "Confirm the order?" : "Bạn xác nhận đặt hàng chứ?",
    ].join("\n");
  }
}

function nextSlot(draft: OrderDraft): Slot {
  if (draft.asking === "edit") return "edit";
  if (draft.choices.length > 0) return "choice";
  if (draft.lines.length === 0) return "product";
  if (draft.lines.some((line) => line.quantity === undefined)) return "quantity";
  if (!draft.recipientName) return "name";
  if (!draft.phone) return "phone";
  if (!draft.address) return "address";
  return "confirm";
}

/** Adds what the message named: one line per product, a choice per ambiguous name. */
function addMentions(draft: OrderDraft, mentions: readonly ProductMention[], language: Language, notes: Notes): OrderDraft {
  let next = { ...draft, asking: undefined } as OrderDraft;
  for (const mention of mentions) {
    const available = mention.products.filter((p) => p.available);
    if (available.length === 0) {
      const names = mention.products.map((p) => productName(p, language)).join(", ");
      notes.push(language === "en" ? `${names}: not available to order by chat.` : `${names}: hiện không nhận đặt qua chat.`);
    } else if (available.length === 1) {
      next = addLine(next, available[0]!, mention.quantity, language, notes, mention.typedUnit);
    } else {
      next = { ...next, choices: [...next.choices, { productIds: available.map((p) => p.id), quantity: mention.quantity, typedUnit: mention.typedUnit }] };
    }
  }
  return next;
}

/** "bỏ mắm tép": drops the lines of the products named. */
function removeMentioned(draft: OrderDraft, mentions: readonly ProductMention[], language: Language, notes: Notes): OrderDraft {
  const named = new Set(mentions.flatMap((mention) => mention.products.map((p) => p.id)));
  const removed = mentions.flatMap((mention) => mention.products).filter((p) => draft.lines.some((line) => line.productId === p.id));
  if (removed.length > 0) {
    const names = removed.map((p) => productName(p, language)).join(", ");
    notes.push(language === "en" ? `Removed: ${names}.` : `Đã bỏ: ${names}.`);
  }
  return { ...draft, asking: undefined, lines: draft.lines.filter((line) => !named.has(line.productId)) };
}

/** Adds (or adds to) a product's line, checking the quantity; an invalid quantity is asked again. */
function addLine(draft: OrderDraft, product: Product, quantity: number | undefined, language: Language, notes: Notes, typedUnit?: string, at?: number): OrderDraft {
  const en = language === "en";
  const unit = unitLabel(product, quantity ?? 1, language);
  let valid = quantity;
  if (quantity !== undefined) {
    const whole = product.unit !== "kg";
    if (quantity <= 0) {
      notes.push(en ? "The quantity must be more than 0." : "Số lượng phải lớn hơn 0.");
      valid = undefined;
    } else if (quantity > MAX_QUANTITY) {
      notes.push(en
        ? `By chat I take up to ${MAX_QUANTITY} ${unit} per product; for larger quantities please contact the producer (${product.producerName}).`
        : `Qua chat mình nhận tối đa ${MAX_QUANTITY} ${unit} mỗi sản phẩm; số lượng lớn hơn bạn liên hệ trực tiếp cơ sở (${product.producerName}) nhé.`);
      valid = undefined;
    } else if (whole && !Number.isInteger(quantity)) {
      notes.push(en ? `${product.nameEn} is sold by the ${unit}; please give a whole number.` : `${product.name} bán theo ${unit}, bạn nhập số nguyên nhé.`);
      valid = undefined;
    }
  }
  if (valid !== undefined) {
    const name = productName(product, language);
    // "2 hộp" of something sold by the pack is written as 2 packs, and the buyer is told so.
    const otherUnit = typedUnit !== undefined && !unitFits(typedUnit, product.unit);
    const caveat = otherUnit ? (en ? ` (it is sold by the ${unitLabel(product, 1, language)}; you can change it)` : ` (sản phẩm bán theo ${product.unit}; bạn có thể sửa lại)`) : "";
    notes.push(en ? `Added: ${quantityText(valid, language)} ${unit} of ${name}${caveat}.` : `Đã ghi: ${quantityText(valid, language)} ${unit} ${name}${caveat}.`);
  }
  const existing = draft.lines.findIndex((line) => line.productId === product.id);
  if (existing >= 0) {
    const old = draft.lines[existing]!;
    const merged = old.quantity !== undefined && valid !== undefined ? Math.min(old.quantity + valid, MAX_QUANTITY) : (valid ?? old.quantity);
    const lines = draft.lines.map((line, i) => (i === existing ? { productId: product.id, ...(merged !== undefined ? { quantity: merged } : {}) } : line));
    return { ...draft, lines };
  }
  const line: DraftLine = { productId: product.id, ...(valid !== undefined ? { quantity: valid } : {}) };
  const lines = [...draft.lines];
  lines.splice(at ?? lines.length, 0, line);
  return { ...draft, lines };
}

/** Applies "sửa số lượng thành 3", "đổi địa chỉ …", "change phone to …"; without a value, asks for it. */
function applyEdit(draft: OrderDraft, edit: { field: EditableField; value?: string }, text: string, products: readonly Product[], language: Language, notes: Notes): OrderDraft {
  const base = { ...draft, asking: undefined } as OrderDraft;
  switch (edit.field) {
    case "product":
      return { ...base, lines: [], choices: [] };
    case "quantity": {
      if (base.lines.length === 0) return base;
      // The line of the product the message names, or else the last one.
      const named = findProductMentions(text, products).flatMap((m) => m.products.map((p) => p.id));
      const found = base.lines.findLastIndex((line) => named.includes(line.productId));
      const target = found >= 0 ? found : base.lines.length - 1;
      const quantity = edit.value ? standaloneQuantity(edit.value.replace(/^.*?(-?\d+(?:[.,]\d+)?\s*\p{L}*)\s*$/u, "$1")) : undefined;
      const product = products.find((p) => p.id === base.lines[target]!.productId)!;
      const lines = base.lines.filter((_, i) => i !== target);
      if (edit.value && /-\s*\d/.test(edit.value)) notes.push(language === "en" ? "The quantity must be more than 0." : "Số lượng phải lớn hơn 0.");
      return addLine({ ...base, lines }, product, quantity?.value, language, notes, quantity?.unit, target);
    }
    case "name": {
      const name = edit.value ? readName(edit.value) : undefined;
      const { recipientName: _, ...rest } = base;
      return name ? { ...rest, recipientName: name } : rest;
    }
    case "phone": {
      const phone = edit.value ? readPhone(edit.value) : undefined;
      const { phone: _, ...rest } = base;
      if (phone && "invalid" in phone) notes.push(language === "en" ? `"${phone.invalid}" is not a Vietnamese phone number.` : `"${phone.invalid}" chưa phải số điện thoại hợp lệ.`);
      return phone && "phone" in phone ? { ...rest, phone: phone.phone } : rest;
    }
    case "address": {
      const address = edit.value ? readAddress(edit.value) : undefined;
      const { address: _, ...rest } = base;
      return address ? { ...rest, address } : rest;
    }
  }
}

/** A field chosen from the "what to change" buttons. */
function editChosen(text: string): { field: EditableField } | undefined {
  const typed = fold(text);
  for (const language of ["vi", "en"] as const) {
    const hit = EDIT_BUTTONS[language].find(([, label]) => fold(label) === typed);
    if (hit) return { field: hit[0] };
  }
  return undefined;
}

const ORDER_WORDS = new Set(
  "cho minh toi em to tui muon dat mua lay hang order buy purchase i d would like want to some please nhe nha voi a an the san pham ocop them add".split(" "),
);

/** The product words of an order message as typed ("cho mình mua bánh chưng" → "bánh chưng"). */
function orderWordsRemoved(text: string): string {
  return (text.toLowerCase().match(/\p{L}+/gu) ?? []).filter((word) => !ORDER_WORDS.has(fold(word)) && !isUnitWord(word)).join(" ");
}
