/**
 * The entities of a message — products, villages, festivals, years, star levels, scores, order and
 * link codes, phone numbers, provinces, legal instruments, kinds of producer, product groups, months —
 * each with the characters it spans, so a follow-up can put a new value where the old one stood.
 */
import { namedSpans } from "../../knowledge/aliases.ts";
import { findProductMentions, PRODUCT_GROUPS, type Product, type ProductGroup } from "../../knowledge/catalogue.ts";
import type { FestivalEvent } from "../../knowledge/festivals.ts";
import type { Village } from "../../knowledge/villages.ts";
import { fold } from "../../knowledge/vietnamese.ts";
import { readPhone } from "../order-input.ts";

/** What the understanding step matches names against: the catalogue as it is now, and the static data. */
export interface Lexicon {
  readonly products: readonly Product[];
  readonly villages: readonly Village[];
  readonly festivals: readonly FestivalEvent[];
}

/** The province a figure or question is about: the merged province (from 1/7/2025), one of the old two, or the country. */
export type Province = "bac-ninh" | "bac-ninh-old" | "bac-giang-old" | "national";

/** A kind of producer, as the support rules name them. */
export type ProducerKind = "sme" | "cooperative" | "cooperative_union" | "household_business" | "cooperative_group";

interface Span {
  /** Characters of the normalised text the entity was read from. */
  readonly from: number;
  readonly to: number;
}

/** One entity found in a message. */
export type Entity = Span &
  (
    | { readonly type: "product"; readonly products: readonly Product[]; readonly quantity?: number; readonly unit?: string }
    | { readonly type: "village"; readonly village: Village }
    | { readonly type: "festival"; readonly festival: FestivalEvent }
    | { readonly type: "year"; readonly value: number | RelativeYear }
    | { readonly type: "stars"; readonly value: number }
    | { readonly type: "score"; readonly value: number }
    | { readonly type: "province"; readonly value: Province }
    | { readonly type: "instrument"; readonly kind: "resolution" | "decision" | "plan"; readonly number: number }
    | { readonly type: "producer_kind"; readonly value: ProducerKind }
    | { readonly type: "product_group"; readonly value: ProductGroup }
    | { readonly type: "month"; readonly value: "this" | "next" | number }
    | { readonly type: "order_code"; readonly value: string }
    | { readonly type: "link_code"; readonly value: string }
    | { readonly type: "phone"; readonly value: string }
  );

/** A year named by where it stands from today: "năm nay", "sang năm", "last year". */
type RelativeYear = "this" | "next" | "last";

/** How many years a relative year is from the present one. */
const YEAR_OFFSET: Readonly<Record<RelativeYear, number>> = { this: 0, next: 1, last: -1 };

/** The name of an entity type. */
export type EntityType = Entity["type"];

/** The entity of one type. */
export type EntityOf<T extends EntityType> = Extract<Entity, { type: T }>;

const NUMBER_WORDS: Record<string, number> = { mot: 1, hai: 2, ba: 3, bon: 4, tu: 4, nam: 5, one: 1, two: 2, three: 3, four: 4, five: 5 };

// Patterns over the folded text; folding keeps every letter's position, so offsets hold for the text as typed.
const ORDER_CODE = /\bdh[-\s]?([a-z0-9]{5})\b/g;
const LINK_CODE = /\b(lk-[a-z0-9]{4}-[a-z0-9]{4})\b/g;
const YEAR = /(?<![\d/.,-])(20[0-4]\d|19[5-9]\d)(?![\d/.,])/g;
// "5 năm sau" (five years on) and "3 năm trước" count years, they do not name one.
const RELATIVE_YEAR = /(?<!\d\s*)\b(?:(nam nay|this year)|(nam sau|sang nam|nam toi|next year)|(nam ngoai|nam truoc|last year))\b/g;
const STARS = /(?<![\d.,])([1-5]|mot|hai|ba|bon|nam|one|two|three|four|five)\s*(?:-\s*)?(?:sao|stars?|★)(?![\p{L}])/gu;
const STAR_SYMBOLS = /(?<![\d.,])([1-5])\s*(?:\*|★)(?![\d])/g;
// "72 điểm", "56/100", "score 34": a number of points. ("đạt 2" is also "đặt 2", so a verb alone does not make a score.)
const SCORE = /(?<![\d.,])(\d{1,3})\s*(?:d|diem|points?|pts?|\/\s*100|out of 100|tren 100)(?![\p{L}\d])|\b(?:score|scored|tong diem|diem so|cham|got)\s+(?:la\s+|of\s+|duoc\s+)?(\d{1,3})(?![\d.,/]|\s*(?:sao|stars?|kg|goi|hop|%|trieu|ty))/gu;
const MONTH = /\b(?:thang nay|this month|trong thang)\b|\b(?:thang (?:sau|toi)|next month)\b|\b(?:thang|month)\s+(1[0-2]|[1-9])\b|\b(january|february|march|april|may|june|july|august|september|october|november|december)\b/g;
const MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const INSTRUMENT = /\b(nghi quyet|nq|quyet dinh|qd|ke hoach|kh|resolution|decision|plan)\s*(?:so\s*|no\.?\s*|number\s*)?(\d{1,4})(?:\s*\/\s*(\d{4}))?/g;

const PROVINCES: readonly { value: Province; aliases: readonly string[] }[] = [
  { value: "bac-giang-old", aliases: ["bắc giang", "bac giang cu", "tỉnh bắc giang cũ", "former bac giang", "old bac giang"] },
  {
    value: "bac-ninh-old",
    aliases: ["bắc ninh cũ", "tỉnh cũ", "trước sáp nhập", "truoc khi sap nhap", "trước khi sáp nhập", "old bac ninh", "former bac ninh", "before the merger", "pre-merger bac ninh"],
  },
  {
    value: "bac-ninh",
    aliases: ["bắc ninh", "bắc ninh mới", "tỉnh mới", "sau sáp nhập", "sau khi sáp nhập", "toàn tỉnh", "new bac ninh", "merged province", "after the merger", "the province"],
  },
  { value: "national", aliases: ["cả nước", "toàn quốc", "việt nam", "vietnam", "viet nam", "nationwide", "national", "the country", "whole country", "quốc gia"] },
];

const PRODUCER_KINDS: readonly { value: ProducerKind; aliases: readonly string[] }[] = [
  { value: "cooperative_union", aliases: ["liên hiệp hợp tác xã", "liên hiệp htx", "lhhtx", "union of cooperatives", "cooperative union"] },
  { value: "cooperative", aliases: ["hợp tác xã", "htx", "cooperative", "cooperatives", "co-op", "coop"] },
  {
    value: "household_business",
    aliases: ["hộ kinh doanh", "hộ sản xuất", "hộ gia đình", "hộ kd", "hộ cá thể", "hộ kinh doanh cá thể", "household", "household business", "households", "family business"],
  },
  { value: "cooperative_group", aliases: ["tổ hợp tác", "tht", "cooperative group"] },
  { value: "sme", aliases: ["doanh nghiệp", "dn", "công ty", "cty", "doanh nghiệp nhỏ và vừa", "dnnvv", "sme", "smes", "enterprise", "company", "business", "firm"] },
];

const GROUPS = (Object.keys(PRODUCT_GROUPS) as ProductGroup[]).map((value) => ({ value, aliases: [...PRODUCT_GROUPS[value].words] }));

/**
 * Every entity of `text` (NFC-normalised), in text order. Where readings overlap the longer wins
 * ("làng gốm Phù Lãng" is a village, not the product "gốm Phù Lãng" inside it); a name that is
 * equally a product and a village ("gốm Phù Lãng") keeps both readings, for the handler to choose.
 */
export function findEntities(text: string, lexicon: Lexicon): Entity[] {
  const folded = fold(text);
  const candidates: Entity[] = [];
  const add = (entity: Entity) => candidates.push(entity);
  for (const match of folded.matchAll(LINK_CODE)) add({ type: "link_code", value: match[1]!.toUpperCase(), ...at(match) });
  for (const match of folded.matchAll(ORDER_CODE)) add({ type: "order_code", value: `DH-${match[1]!.toUpperCase()}`, ...at(match) });
  const phone = readPhone(text);
  const digits = phone && "phone" in phone ? /(?:\+\s?)?\d[\d\s.()-]{6,18}\d/.exec(text) : null;
  if (phone && "phone" in phone && digits) add({ type: "phone", value: phone.phone, from: digits.index, to: digits.index + digits[0].length });
  for (const match of folded.matchAll(INSTRUMENT)) {
    const word = match[1]!;
    const kind = /^(nghi quyet|nq|resolution)$/.test(word) ? "resolution" : /^(ke hoach|kh|plan)$/.test(word) ? "plan" : "decision";
    add({ type: "instrument", kind, number: Number(match[2]), ...at(match) });
  }
  for (const match of folded.matchAll(SCORE)) {
    const value = Number(match[1] ?? match[2]);
    if (value <= 100 || /diem|point/.test(match[0])) add({ type: "score", value, ...at(match) });
  }
  for (const match of folded.matchAll(STARS)) add({ type: "stars", value: Number(match[1]) || NUMBER_WORDS[match[1]!]!, ...at(match) });
  for (const match of folded.matchAll(STAR_SYMBOLS)) add({ type: "stars", value: Number(match[1]), ...at(match) });
  for (const span of namedSpans(text, lexicon.festivals, (event) => event.entries.flatMap((entry) => [entry.name, entry.name_en, ...entry.aliases]))) {
    add({ type: "festival", festival: span.item, from: span.from, to: span.to });
  }
  for (const mention of findProductMentions(text, lexicon.products)) {
    add({
      type: "product",
      products: mention.products,
      from: mention.from,
      to: mention.to,
      ...(mention.quantity !== undefined ? { quantity: mention.quantity } : {}),
      ...(mention.typedUnit !== undefined ? { unit: mention.typedUnit } : {}),
    });
  }
  for (const span of namedSpans(text, lexicon.villages, (village) => [village.name, village.name_en, ...village.aliases])) {
    add({ type: "village", village: span.item, from: span.from, to: span.to });
  }
  for (const span of namedSpans(text, PRODUCER_KINDS, (kind) => kind.aliases)) add({ type: "producer_kind", value: span.item.value, from: span.from, to: span.to });
  for (const span of namedSpans(text, PROVINCES, (province) => province.aliases)) add({ type: "province", value: span.item.value, from: span.from, to: span.to });
  for (const span of namedSpans(text, GROUPS, (group) => group.aliases)) add({ type: "product_group", value: span.item.value, from: span.from, to: span.to });
  for (const match of folded.matchAll(YEAR)) add({ type: "year", value: Number(match[1]), ...at(match) });
  for (const match of folded.matchAll(RELATIVE_YEAR)) add({ type: "year", value: match[1] ? "this" : match[2] ? "next" : "last", ...at(match) });
  for (const match of folded.matchAll(MONTH)) {
    // "may" is also the folded "mấy" (how many) and "máy": the month is "May" as typed, or next to a day or year.
    if (match[2] === "may" && text.slice(match.index, match.index + 3) !== "May" && !/\d\s*$/.test(folded.slice(0, match.index)) && !/^\s*\d/.test(folded.slice(match.index + 3))) continue;
    const value = /nay|this|trong thang/.test(match[0]) ? "this" : /sau|toi|next/.test(match[0]) ? "next" : match[1] ? Number(match[1]) : MONTH_NAMES.indexOf(match[2]!) + 1;
    add({ type: "month", value, ...at(match) });
  }
  // Codes and phone numbers are exact, so they come first; then the longest readings, in the order added.
  const exact = (entity: Entity) => ["link_code", "order_code", "phone"].includes(entity.type);
  const ranked = candidates
    .map((entity, order) => ({ entity, order }))
    .sort((a, b) => Number(exact(b.entity)) - Number(exact(a.entity)) || b.entity.to - b.entity.from - (a.entity.to - a.entity.from) || a.order - b.order);
  const kept: Entity[] = [];
  for (const { entity } of ranked) {
    const clash = kept.some((other) => entity.from < other.to && entity.to > other.from && !(other.from === entity.from && other.to === entity.to && other.type !== entity.type));
    if (!clash) kept.push(entity);
  }
  return kept.sort((a, b) => a.from - b.from);
}

function at(match: RegExpMatchArray): Span {
  return { from: match.index!, to: match.index! + match[0].length };
}

/** The first entity of a type, if the message has one. */
export function firstOf<T extends EntityType>(entities: readonly Entity[], type: T): EntityOf<T> | undefined {
  return entities.find((entity): entity is EntityOf<T> => entity.type === type);
}

/** The year a message asks about, a relative one ("năm nay") read from `today`; undefined when it names none. */
export function yearAsked(entities: readonly Entity[], today: Date): number | undefined {
  const value = firstOf(entities, "year")?.value;
  if (value === undefined || typeof value === "number") return value;
  return today.getUTCFullYear() + YEAR_OFFSET[value];
}

/** Every entity of a type. */
export function allOf<T extends EntityType>(entities: readonly Entity[], type: T): EntityOf<T>[] {
  return entities.filter((entity): entity is EntityOf<T> => entity.type === type);
}
