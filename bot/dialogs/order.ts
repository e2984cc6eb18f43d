/**
 * The order dialog: fills in products, quantities, recipient, phone and address one question at a
 * time, shows a summary priced by the database, and places the order when the buyer confirms — as a
 * side effect the engine runs once, after the conversation is saved. The buyer may change any detail
 * ("sửa số lượng thành 3", "ý mình là 5 hộp chứ không phải 2"), add or drop a product, ask something
 * else in between, or drop the order.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { findProductMentions, isUnitWord, standaloneQuantity, unitFits, type Product } from "../../knowledge/catalogue.ts";
import { fold } from "../../knowledge/vietnamese.ts";
import type { Catalogue, ChannelDirectory, OrderBook, OrderRequest } from "../ports.ts";
import { formats } from "../texts/format.ts";
import { lineText, newOrderNotice, orderTexts, type EditableField } from "../texts/orders.ts";
import type { EffectRunner, Turn } from "../turn.ts";
import type { Language, Reply } from "../types.ts";
import { allOf, firstOf, type EntityOf } from "../understanding/entities.ts";
import { MAX_QUANTITY, readAddress, readEdit, readName, readPhone, saysNo, saysYes, withoutPhone } from "../order-input.ts";
import type { Dialog, DialogStep } from "./dialog.ts";

const DRAFT_LIFETIME_MS = 24 * 60 * 60 * 1000;
const FEATURED_COUNT = 6;

const slotSchema = z.enum(["product", "choice", "quantity", "name", "phone", "address", "confirm", "edit"]);
type Slot = z.infer<typeof slotSchema>;

const draftSchema = z.object({
  /** Makes confirming this draft twice find the same orders. */
  id: z.string(),
  /** When the draft was started (ISO time); an old draft is dropped rather than confirmed by a stray "ok". */
  startedAt: z.string(),
  lines: z.array(z.object({ productId: z.string(), quantity: z.number().optional() })),
  /** Names that fit several products, waiting for the buyer to choose. */
  choices: z.array(z.object({ productIds: z.array(z.string()), quantity: z.number().optional(), typedUnit: z.string().optional() })),
  recipientName: z.string().optional(),
  phone: z.string().optional(),
  address: z.string().optional(),
  asking: slotSchema.optional(),
});

/** The order being filled in, kept in the conversation state. */
export type OrderDraft = z.infer<typeof draftSchema>;

type ProductEntity = EntityOf<"product">;
/** Notes a step says before its question (what it understood or refused). */
type Notes = string[];

const BARE_ORDER = /^(toi |minh |em |i )?(muon |want to |would like to )?(dat hang|mua hang|dat mua|dat|mua|order|place an order|buy|buy something|mua san pham( ocop)?|dat san pham)$/;
const ADD = /^(them|add|mua them|dat them|lay them|cho (minh |toi |em )?them|them cho)\b/;
const REMOVE = /^(bo|xoa|bot|khong lay|khong mua|remove|delete|drop|take out|huy)\b/;
const EDIT_MENU = /^(sua|sua don|sua lai|thay doi|edit|change)$/;
// "ý mình là …", "à nhầm", "actually …", "… chứ không phải 2": a correction of something said before.
const CORRECTION = /^(y (minh|toi|em|to) la|a nham|nham|nham roi|xin loi|sorry|actually|i meant|i mean|oops|no wait|khong phai|ah|a|oh)\b|^(thoi |a |hay la )?(doi|chuyen|thay|sua|sua lai) (sang|thanh|bang)\b|\b(chu khong phai|chu ko phai|chu k phai|not \d+|instead|switch to|change it to)\b/;
const ORDER_WORDS = new Set(
  "cho minh toi em to tui muon dat mua lay hang order buy purchase i d would like want to some please nhe nha voi a an the san pham ocop them add".split(" "),
);

/** The order dialog over the catalogue and the order book, and the effect that places an order. */
export function orderDialog(
  catalogue: Catalogue,
  book: OrderBook,
  channels: ChannelDirectory,
  newDraftId: () => string = randomUUID,
): { dialog: Dialog<OrderDraft>; effects: Record<string, EffectRunner> } {
  const dialog: Dialog<OrderDraft> = {
    name: "order",
    version: 1,
    schema: draftSchema,
    expiry: {
      isExpired: (draft, now) => now.getTime() - Date.parse(draft.startedAt) > DRAFT_LIFETIME_MS,
      notice: (language) => ({ text: orderTexts[language].expired }),
    },

    async start(turn) {
      const products = turn.lexicon.products;
      // A phone number given with the order ("… giao cho mình, sđt 0912 345 678") is not asked again.
      const phone = firstOf(turn.signals.entities, "phone")?.value;
      const fresh: OrderDraft = { id: newDraftId(), startedAt: turn.now.toISOString(), lines: [], choices: [], ...(phone ? { phone } : {}) };
      const mentions = allOf(turn.signals.entities, "product");
      if (mentions.length > 0) {
        const notes: Notes = [];
        return ask(addMentions(fresh, mentions, turn.language, notes), turn, notes);
      }
      const wanted = orderWordsRemoved(turn.signals.text);
      if (BARE_ORDER.test(turn.signals.folded.replace(/[.!?]+$/, "").trim()) || wanted.length < 2 || wanted.split(" ").length > 5) {
        return ask(fresh, turn, []);
      }
      // "mua bánh chưng": an order for something not in the catalogue by that name.
      return offerClosest(fresh, turn, wanted, products);
    },

    async answer(turn, draft) {
      const t = orderTexts[turn.language];
      const folded = clean(turn.signals.folded);
      if (draft.asking === "confirm" && saysNo(folded)) return { state: undefined, replies: [{ text: t.abandoned }], intent: "order_abandoned" };
      if (draft.asking === "confirm" && (saysYes(folded) || folded === fold(t.confirmButtons[0]))) return place(draft, turn);
      if (EDIT_MENU.test(folded) || folded === fold(t.confirmButtons[1])) return ask({ ...draft, asking: "edit" }, turn, []);
      if (draft.asking === "edit") {
        const field = editChosen(turn.signals.text);
        if (field) return ask(applyEdit(draft, { field }, turn, []), turn, []);
      }
      const notes: Notes = [];
      const answered = answerSlot(draft, turn, notes);
      if (answered) return ask(answered, turn, notes);
      const mentions = allOf(turn.signals.entities, "product");
      if (mentions.length > 0 && (draft.asking === "product" || draft.asking === "choice")) return ask(addMentions(draft, mentions, turn.language, notes), turn, notes);
      if (notes.length > 0) return ask(draft, turn, notes);
      // A name typed at the product step is looked up; a message with digits (a phone, an address) is not a product.
      if (draft.asking === "product" && !turn.signals.isQuestion && !/\d/.test(turn.signals.text) && turn.signals.words.length <= 5) {
        return offerClosest(draft, turn, orderWordsRemoved(turn.signals.text), turn.lexicon.products);
      }
      return undefined;
    },

    async correct(turn, draft) {
      const notes: Notes = [];
      const folded = clean(turn.signals.folded);
      const mentions = allOf(turn.signals.entities, "product");
      const edit = readEdit(turn.signals.text);
      if (edit) return ask(applyEdit(draft, edit, turn, notes), turn, notes);
      if (REMOVE.test(folded) && mentions.length > 0) return ask(removeMentioned(draft, mentions, turn.language, notes), turn, notes);
      if (ADD.test(folded)) {
        if (mentions.length > 0) return ask(addMentions(draft, mentions, turn.language, notes), turn, notes);
        const wanted = orderWordsRemoved(turn.signals.text);
        return wanted.length >= 2 ? offerClosest(draft, turn, wanted, turn.lexicon.products) : undefined;
      }
      // "sđt sai rồi, đổi thành 09…": a new valid number once one is given changes it, however it is worded.
      const newPhone = draft.phone && draft.asking !== "phone" ? readPhone(turn.signals.text) : undefined;
      if (newPhone && "phone" in newPhone && newPhone.phone !== draft.phone) {
        return ask({ ...draft, phone: newPhone.phone, asking: undefined }, turn, [orderTexts[turn.language].changed("phone", newPhone.phone)]);
      }
      if (!CORRECTION.test(folded)) return undefined;
      // "ý mình là 5 hộp chứ không phải 2": the first value is the new one; what kind it is says which field.
      const said = turn.signals.text.split(/\b(?:chứ không phải|chứ ko phải|chứ k phải|chu khong phai|chu ko phai|not)\b/i)[0]!;
      const phone = readPhone(said);
      if (phone && "phone" in phone) return ask({ ...draft, phone: phone.phone, asking: undefined }, turn, [orderTexts[turn.language].changed("phone", phone.phone)]);
      const withQuantity = mentions.find((m) => m.quantity !== undefined);
      if (withQuantity) {
        const id = withQuantity.products.find((p) => draft.lines.some((line) => line.productId === p.id))?.id;
        if (id) return ask(setQuantity(draft, id, withQuantity.quantity!, withQuantity.unit, turn, notes), turn, notes);
        return ask(addMentions(draft, [withQuantity], turn.language, notes), turn, notes);
      }
      const quantity = /(-?\d+(?:[.,]\d+)?)\s*(\p{L}+)?/u.exec(said.replace(/^\D*?(?=-?\d)/u, ""));
      const read = quantity ? standaloneQuantity(quantity[0]) : undefined;
      // "đổi sang chè lam (, vẫn 2 gói)": the product replaced; the quantity stays unless a new one is given.
      const inDraft = (m: (typeof mentions)[number]) => m.products.some((p) => draft.lines.some((line) => line.productId === p.id));
      if (mentions.length > 0 && !mentions.some(inDraft)) {
        const kept = read?.value ?? (draft.lines.length === 1 ? draft.lines[0]!.quantity : undefined);
        const replaced = mentions.map((m) => (m.quantity === undefined && kept !== undefined ? { ...m, quantity: kept } : m));
        return ask(addMentions({ ...draft, lines: [], choices: [] }, replaced, turn.language, notes), turn, notes);
      }
      if (read && draft.lines.length > 0) return ask(setQuantity(draft, draft.lines.at(-1)!.productId, read.value, read.unit, turn, notes), turn, notes);
      const address = readAddress(said.replace(CORRECTION, "").replace(/^[\s,.:]+/, ""));
      if (address && draft.address) return ask({ ...draft, address, asking: undefined }, turn, [orderTexts[turn.language].changed("address", address)]);
      return undefined;
    },

    async resume(draft, language) {
      const question = await questionFor(draft, language, await catalogue.products());
      return { ...question, text: `${orderTexts[language].resumePrefix}${question.text}` };
    },

    cancel: (_draft, language) => ({ reply: { text: orderTexts[language].abandoned }, intent: "order_abandoned" }),
  };

  /** Asks for what the draft still lacks, or shows the summary. */
  async function ask(draft: OrderDraft, turn: Turn, notes: Notes): Promise<DialogStep<OrderDraft>> {
    const slot = nextSlot(draft);
    const next = { ...draft, asking: slot };
    const question = await questionFor(next, turn.language, turn.lexicon.products);
    const text = notes.length > 0 ? `${notes.join("\n")}\n\n${question.text}` : question.text;
    return { state: next, replies: [{ ...question, text }], intent: slot === "confirm" ? "order_summary" : `order_ask_${slot}` };
  }

  /** The question of the draft's current slot. */
  async function questionFor(draft: OrderDraft, language: Language, products: readonly Product[]): Promise<Reply> {
    const t = orderTexts[language];
    const f = formats[language];
    const byId = (id: string) => products.find((p) => p.id === id)!;
    switch (draft.asking ?? nextSlot(draft)) {
      case "choice": {
        const options = draft.choices[0]!.productIds.map(byId).filter(Boolean);
        return { text: [t.whichOne, ...options.map((p, i) => `${i + 1}. ${f.productName(p)} — ${f.price(p)}`)].join("\n"), buttons: options.map((p) => f.productName(p)) };
      }
      case "product": {
        const featured = products.filter((p) => p.available && p.stars !== null).slice(0, FEATURED_COUNT);
        return { text: t.whichProduct, buttons: featured.map((p) => f.productName(p)) };
      }
      case "quantity": {
        const product = byId(draft.lines.find((line) => line.quantity === undefined)!.productId);
        // Button n is "n units", so typing a bare number means the same with or without the buttons.
        return { text: t.howMany(product), buttons: [1, 2, 3, 4, 5].map((n) => `${n} ${f.unit(product, n)}`) };
      }
      case "name":
        return { text: t.askName };
      case "phone":
        return { text: t.askPhone };
      case "address":
        return { text: t.askAddress };
      case "edit":
        return { text: t.whatToChange, buttons: t.editButtons.map(([, label]) => label) };
      case "confirm":
        return { text: await summary(draft, language), buttons: [...t.confirmButtons] };
    }
  }

  /** The summary priced from the database: lines, total, recipient. */
  async function summary(draft: OrderDraft, language: Language): Promise<string> {
    const t = orderTexts[language];
    const quote = await book.quote(draft.lines.map((line) => ({ productId: line.productId, quantity: line.quantity! })));
    return [
      t.checkOrder,
      ...quote.lines.map((line) => lineText(line, language)),
      t.total(formats[language].money(quote.totalVnd)),
      ...(quote.producerCount > 1 ? [t.producers(quote.producerCount)] : []),
      t.recipient(draft.recipientName!, draft.phone!),
      t.address(draft.address!),
      ...(quote.pricesAreSample ? [t.samplePriceNote] : []),
      t.confirmQuestion,
    ].join("\n");
  }

  /** The draft is done: the order is placed by the effect, once the conversation is saved. */
  function place(draft: OrderDraft, turn: Turn): DialogStep<OrderDraft> {
    const { event } = turn;
    const request: OrderRequest = {
      draftId: draft.id,
      buyer: { channel: event.channel, userId: event.userId, chatId: event.chatId },
      lines: draft.lines.map((line) => ({ productId: line.productId, quantity: line.quantity! })),
      recipientName: draft.recipientName!,
      phone: draft.phone!,
      address: draft.address!,
      language: turn.language,
      ...(event.origin ? { origin: event.origin } : {}),
    };
    return { state: undefined, replies: [], intent: "order_placed", effects: [{ kind: "place_order", payload: request }] };
  }

  async function offerClosest(draft: OrderDraft, turn: Turn, name: string, products: readonly Product[]): Promise<DialogStep<OrderDraft>> {
    const t = orderTexts[turn.language];
    const closest = name.length >= 2 ? (await catalogue.closest(name, 4)).filter((p) => p.available) : [];
    if (closest.length > 0) {
      return ask({ ...draft, choices: [{ productIds: closest.map((p) => p.id) }, ...draft.choices] }, { ...turn, lexicon: { ...turn.lexicon, products } }, [t.didYouMean(name)]);
    }
    return ask(draft, turn, name.length >= 2 ? [t.notInCatalogue(name)] : []);
  }

  /** Reads the answer to the question asked; undefined when the message does not answer it. */
  function answerSlot(draft: OrderDraft, turn: Turn, notes: Notes): OrderDraft | undefined {
    const t = orderTexts[turn.language];
    const text = turn.signals.text;
    const products = turn.lexicon.products;
    const phone = readPhone(text);
    const withPhone = (next: OrderDraft): OrderDraft => (phone && "phone" in phone && !next.phone ? { ...next, phone: phone.phone } : next);
    switch (draft.asking) {
      case "choice": {
        const options = draft.choices[0]!.productIds.map((id) => products.find((p) => p.id === id)!).filter(Boolean);
        const typed = fold(text).trim();
        const named = findProductMentions(text, options).flatMap((mention) => mention.products);
        const chosen = options.find((p) => [p.name, p.nameEn].some((name) => fold(name) === typed)) ?? (named.length === 1 ? named[0] : undefined);
        if (!chosen) return undefined;
        const [first, ...rest] = draft.choices;
        return addLine({ ...draft, choices: rest }, chosen, first!.quantity, turn.language, notes, first!.typedUnit);
      }
      case "quantity": {
        const index = draft.lines.findIndex((line) => line.quantity === undefined);
        const product = products.find((p) => p.id === draft.lines[index]?.productId);
        if (!product) return undefined;
        if (/-\s*\d/.test(text)) {
          notes.push(t.positive);
          return undefined;
        }
        const quantity = standaloneQuantity(text);
        if (!quantity) return undefined;
        const lines = [...draft.lines];
        lines.splice(index, 1);
        return addLine({ ...draft, lines }, product, quantity.value, turn.language, notes, quantity.unit, index);
      }
      case "name": {
        const name = readName(withoutPhone(text));
        if (name) return withPhone({ ...draft, recipientName: name });
        if (!turn.signals.isQuestion && /\p{L}/u.test(text) && /\d/.test(text) && !phone) notes.push(t.nameLettersOnly);
        return undefined;
      }
      case "phone": {
        if (phone && "phone" in phone) return { ...draft, phone: phone.phone };
        if (phone || /\d{4,}/.test(text)) notes.push(t.badPhone(phone && "invalid" in phone ? phone.invalid : text.trim().slice(0, 20)));
        return undefined;
      }
      case "address": {
        const address = readAddress(withoutPhone(text));
        if (address) return withPhone({ ...draft, address });
        if (!turn.signals.isQuestion && text.trim().split(/\s+/).length <= 3) notes.push(t.vagueAddress);
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** Sets a line's quantity (a correction), checking it like any quantity. */
  function setQuantity(draft: OrderDraft, productId: string, quantity: number, unit: string | undefined, turn: Turn, notes: Notes): OrderDraft {
    const product = turn.lexicon.products.find((p) => p.id === productId)!;
    const at = draft.lines.findIndex((line) => line.productId === productId);
    const lines = draft.lines.filter((_, i) => i !== at);
    return addLine({ ...draft, lines, asking: undefined }, product, quantity, turn.language, notes, unit, at < 0 ? undefined : at);
  }

  /** Applies "sửa số lượng thành 3", "đổi địa chỉ …", "change phone to …"; without a value, asks for it. */
  function applyEdit(draft: OrderDraft, edit: { field: EditableField; value?: string }, turn: Turn, notes: Notes): OrderDraft {
    const t = orderTexts[turn.language];
    const base: OrderDraft = { ...draft, asking: undefined };
    switch (edit.field) {
      case "product":
        return { ...base, lines: [], choices: [] };
      case "quantity": {
        if (base.lines.length === 0) return base;
        // The line of the product the message names, or else the last one.
        const named = allOf(turn.signals.entities, "product").flatMap((m) => m.products.map((p) => p.id));
        const found = base.lines.findLastIndex((line) => named.includes(line.productId));
        const target = found >= 0 ? found : base.lines.length - 1;
        if (edit.value && /-\s*\d/.test(edit.value)) notes.push(t.positive);
        const quantity = edit.value ? standaloneQuantity(edit.value.replace(/^.*?(-?\d+(?:[.,]\d+)?\s*\p{L}*)\s*$/u, "$1")) : undefined;
        const product = turn.lexicon.products.find((p) => p.id === base.lines[target]!.productId)!;
        const lines = base.lines.filter((_, i) => i !== target);
        return addLine({ ...base, lines }, product, quantity?.value, turn.language, notes, quantity?.unit, target);
      }
      case "name": {
        const name = edit.value ? readName(edit.value) : undefined;
        const { recipientName: _, ...rest } = base;
        return name ? { ...rest, recipientName: name } : rest;
      }
      case "phone": {
        const phone = edit.value ? readPhone(edit.value) : undefined;
        const { phone: _, ...rest } = base;
        if (phone && "invalid" in phone) notes.push(t.badPhoneShort(phone.invalid));
        return phone && "phone" in phone ? { ...rest, phone: phone.phone } : rest;
      }
      case "address": {
        const address = edit.value ? readAddress(edit.value) : undefined;
        const { address: _, ...rest } = base;
        return address ? { ...rest, address } : rest;
      }
    }
  }

  const effects: Record<string, EffectRunner> = {
    /** Stores the order (once per draft, whatever repeats) and tells the buyer its codes. */
    async place_order(payload, { language }) {
      const request = payload as OrderRequest;
      const t = orderTexts[language];
      const placement = await book.place(request, newOrderNotice);
      if (placement.kind === "limited") return { replies: [{ text: t.limited }], intent: "order_limited" };
      if (placement.kind === "blocked") return { replies: [{ text: t.blocked(placement.producers) }], intent: "order_blocked" };
      const { orders } = placement;
      if (orders.length === 0) return { replies: [{ text: t.nothingAvailable }], intent: "order_failed" };
      const text = [
        t.placed(orders.length),
        ...orders.map(t.placedLine),
        "",
        t.producerWillCall(request.phone, channels.canPush(request.buyer.channel)),
        t.howToFollow(orders[0]!.code),
        ...(orders.some((order) => order.pricesAreSample) ? ["", t.samplePriceNote] : []),
      ].join("\n");
      return { replies: [{ text, buttons: [t.myOrdersButton] }], intent: "order_placed" };
    },
  };

  return { dialog, effects };
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
function addMentions(draft: OrderDraft, mentions: readonly ProductEntity[], language: Language, notes: Notes): OrderDraft {
  const t = orderTexts[language];
  let next: OrderDraft = { ...draft, asking: undefined };
  for (const mention of mentions) {
    const available = mention.products.filter((p) => p.available);
    if (available.length === 0) {
      notes.push(t.notOrderable(mention.products.map((p) => formats[language].productName(p)).join(", ")));
    } else if (available.length === 1) {
      next = addLine(next, available[0]!, mention.quantity, language, notes, mention.unit);
    } else {
      next = { ...next, choices: [...next.choices, { productIds: available.map((p) => p.id), ...(mention.quantity !== undefined ? { quantity: mention.quantity } : {}), ...(mention.unit ? { typedUnit: mention.unit } : {}) }] };
    }
  }
  return next;
}

/** "bỏ mắm tép": drops the lines of the products named. */
function removeMentioned(draft: OrderDraft, mentions: readonly ProductEntity[], language: Language, notes: Notes): OrderDraft {
  const named = new Set(mentions.flatMap((mention) => mention.products.map((p) => p.id)));
  const removed = mentions.flatMap((mention) => mention.products).filter((p) => draft.lines.some((line) => line.productId === p.id));
  if (removed.length > 0) notes.push(orderTexts[language].removed(removed.map((p) => formats[language].productName(p)).join(", ")));
  return { ...draft, asking: undefined, lines: draft.lines.filter((line) => !named.has(line.productId)) };
}

/** Adds (or adds to) a product's line, checking the quantity; an invalid quantity is asked again. */
function addLine(draft: OrderDraft, product: Product, quantity: number | undefined, language: Language, notes: Notes, typedUnit?: string, at?: number): OrderDraft {
  const t = orderTexts[language];
  const f = formats[language];
  const unit = f.unit(product, quantity ?? 1);
  let valid = quantity;
  if (quantity !== undefined) {
    if (quantity <= 0) {
      notes.push(t.positive);
      valid = undefined;
    } else if (quantity > MAX_QUANTITY) {
      notes.push(t.tooMany(MAX_QUANTITY, unit, product));
      valid = undefined;
    } else if (product.unit !== "kg" && !Number.isInteger(quantity)) {
      notes.push(t.wholeNumber(product, unit));
      valid = undefined;
    }
  }
  if (valid !== undefined) {
    // "2 hộp" of something sold by the pack is written as 2 packs, and the buyer is told so.
    const caveat = typedUnit !== undefined && !unitFits(typedUnit, product.unit) ? t.otherUnit(product) : "";
    notes.push(t.added(f.quantity(valid), unit, f.productName(product), caveat));
  }
  const existing = draft.lines.findIndex((line) => line.productId === product.id);
  if (existing >= 0) {
    const old = draft.lines[existing]!;
    const merged = old.quantity !== undefined && valid !== undefined ? Math.min(old.quantity + valid, MAX_QUANTITY) : (valid ?? old.quantity);
    return { ...draft, lines: draft.lines.map((line, i) => (i === existing ? { productId: product.id, ...(merged !== undefined ? { quantity: merged } : {}) } : line)) };
  }
  const lines = [...draft.lines];
  lines.splice(at ?? lines.length, 0, { productId: product.id, ...(valid !== undefined ? { quantity: valid } : {}) });
  return { ...draft, lines };
}

/** A field chosen from the "what to change" buttons, in either language. */
function editChosen(text: string): EditableField | undefined {
  const typed = fold(text).trim();
  for (const language of ["vi", "en"] as const) {
    const hit = orderTexts[language].editButtons.find(([, label]) => fold(label) === typed);
    if (hit) return hit[0];
  }
  return undefined;
}

/** The folded text without closing punctuation or politeness ("ok nhé" → "ok"). */
function clean(folded: string): string {
  return folded.replace(/[.!?,]+$/g, "").replace(/\s+(nhe|nha|a|nhe ban|please)$/, "").trim();
}

/** The product words of an order message as typed ("cho mình mua bánh chưng" → "bánh chưng"). */
function orderWordsRemoved(text: string): string {
  return (text.toLowerCase().match(/\p{L}+/gu) ?? []).filter((word) => !ORDER_WORDS.has(fold(word)) && !isUnitWord(word)).join(" ");
}
