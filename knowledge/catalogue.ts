/**
 * The product catalogue as data (knowledge/data/products.json and producers.json) and the matching
 * of product names in what buyers type: with or without diacritics, in Vietnamese or English,
 * with the quantity and unit written next to the name ("2 hộp kẹo lạc", "mua 3kg toi", "two packs of …").
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { fold, hasVietnameseDiacritics, hoiNgaAlike, singular } from "./vietnamese.ts";

const PRODUCTS_FILE = fileURLToPath(new URL("./data/products.json", import.meta.url));
const PRODUCERS_FILE = fileURLToPath(new URL("./data/producers.json", import.meta.url));

const productSchema = z.object({
  id: z.string(),
  name: z.string(),
  name_en: z.string(),
  aliases: z.array(z.string()),
  producer_id: z.string(),
  group: z.string(),
  stars: z.number().int().min(1).max(5).nullable(),
  unit: z.string(),
  unit_en: z.string(),
  price_vnd: z.number().int().nonnegative(),
  price_is_sample: z.boolean(),
  available: z.boolean(),
  source: z.string(),
});

const producerSchema = z.object({
  id: z.string(),
  name: z.string(),
  name_en: z.string(),
  place_new: z.string().nullable().optional(),
  place_old: z.string().nullable().optional(),
  place_new_en: z.string().nullable().optional(),
  place_old_en: z.string().nullable().optional(),
});

/** The catalogue files as shipped, with a hash of their content to reload them only when they change. */
export interface CatalogueData {
  readonly products: z.infer<typeof productSchema>[];
  readonly producers: z.infer<typeof producerSchema>[];
  readonly contentHash: string;
}

/** Loads and validates the shipped catalogue files. */
export function loadCatalogueData(productsFile = PRODUCTS_FILE, producersFile = PRODUCERS_FILE): CatalogueData {
  const productsText = readFileSync(productsFile, "utf8");
  const producersText = readFileSync(producersFile, "utf8");
  return {
    products: z.array(productSchema).parse(JSON.parse(productsText)),
    producers: z.array(producerSchema).parse(JSON.parse(producersText)),
    contentHash: createHash("sha256").update(productsText).update(producersText).digest("hex"),
  };
}

/** A product as the database holds it; prices always come from here. */
export interface Product {
  readonly id: string;
  readonly producerId: string;
  readonly producerName: string;
  readonly producerNameEn: string;
  /** Where the producer is: the new commune or ward, and the old name. */
  readonly place: { readonly vi: string | null; readonly en: string | null };
  readonly name: string;
  readonly nameEn: string;
  readonly aliases: readonly string[];
  readonly group: ProductGroup;
  readonly stars: number | null;
  readonly unit: string;
  readonly unitEn: string;
  readonly priceVnd: number;
  readonly priceIsSample: boolean;
  readonly available: boolean;
  readonly source: string;
}

/** "phường Đồng Nguyên (trước đây: Trang Liệt, …)": the new unit with the old name, or whichever is known. */
export function placeText(now: string | null | undefined, before: string | null | undefined, formerly: string): string | null {
  if (now && before) return `${now} (${formerly}: ${before})`;
  return now ?? before ?? null;
}

/** The shipped catalogue as products, the way the database serves them once loaded (for tests and tools). */
export function productsOf(data: CatalogueData): Product[] {
  return data.products.map((p) => {
    const producer = data.producers.find((r) => r.id === p.producer_id)!;
    return {
      id: p.id,
      producerId: p.producer_id,
      producerName: producer.name,
      producerNameEn: producer.name_en,
      place: { vi: placeText(producer.place_new, producer.place_old, "trước đây"), en: placeText(producer.place_new_en, producer.place_old_en, "formerly") },
      name: p.name,
      nameEn: p.name_en,
      aliases: p.aliases,
      group: p.group as ProductGroup,
      stars: p.stars,
      unit: p.unit,
      unitEn: p.unit_en,
      priceVnd: p.price_vnd,
      priceIsSample: p.price_is_sample,
      available: p.available,
      source: p.source,
    };
  });
}

/** The product groups of the catalogue, with the words that name them. */
export const PRODUCT_GROUPS = {
  "thuc-pham": { vi: "Thực phẩm", en: "Food", words: ["thuc pham", "do an", "an uong", "food", "foods", "dac san", "specialty", "specialties"] },
  "do-uong": { vi: "Đồ uống", en: "Drinks", words: ["do uong", "nuoc uong", "drink", "drinks", "beverage", "beverages"] },
  "thu-cong-my-nghe": {
    vi: "Thủ công mỹ nghệ",
    en: "Handicrafts",
    words: ["thu cong", "thu cong my nghe", "my nghe", "handicraft", "handicrafts", "craft", "crafts", "souvenir", "souvenirs", "qua luu niem"],
  },
  "duoc-lieu": { vi: "Dược liệu", en: "Herbal products", words: ["duoc lieu", "thao duoc", "herbal", "herbs"] },
  "dich-vu-du-lich": { vi: "Dịch vụ du lịch", en: "Tourism services", words: ["dich vu du lich", "du lich", "tourism", "tour", "tours"] },
} as const;

/** The id of a product group. */
export type ProductGroup = keyof typeof PRODUCT_GROUPS;

/** The product groups a message names ("thủ công mỹ nghệ", "handicraft products"). */
export function groupsNamedIn(text: string): ProductGroup[] {
  const words = ` ${tokenize(text).map((token) => token.folded).join(" ")} `;
  return (Object.keys(PRODUCT_GROUPS) as ProductGroup[]).filter((group) =>
    PRODUCT_GROUPS[group].words.some((word) => words.includes(` ${word} `)),
  );
}

/** One word of a message: as typed (lower-case) and folded, and where it starts in the text. */
interface Token {
  readonly raw: string;
  readonly folded: string;
  readonly at: number;
}

/** Lower-cased words and numbers ("1,5" stays one number; "3kg" becomes "3" and "kg"). */
function tokenize(text: string): Token[] {
  return [...text.normalize("NFC").toLowerCase().matchAll(/\d+(?:[.,]\d+)?|\p{L}+/gu)].map((match) => ({
    raw: sameSpelling(match[0]),
    folded: sameSpelling(singular(fold(match[0]))),
    at: match.index,
  }));
}

// A syllable ending in a lone "y" after a consonant is written with "i" too: "mỳ"/"mì", "kỳ"/"kì", "lý"/"lí".
const FINAL_Y: Record<string, string> = { y: "i", "ý": "í", "ỳ": "ì", "ỷ": "ỉ", "ỹ": "ĩ", "ỵ": "ị" };
const CONSONANT_Y = /^(b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x|ch|gh|kh|ng|nh|ph|th|tr)([yýỳỷỹỵ])$/;

/** One spelling for the "i"/"y" variants of a syllable. */
function sameSpelling(word: string): string {
  const match = CONSONANT_Y.exec(word);
  return match ? `${match[1]}${FINAL_Y[match[2]!]}` : word;
}

/**
 * A typed word matches a catalogue word by its folded form, unless both carry diacritics:
 * then they must agree exactly, so "tôi" (I) is not "tỏi" (garlic) while "toi" may be either.
 */
function sameWord(typed: Token, known: Token): boolean {
  if (hasVietnameseDiacritics(typed.raw) && hasVietnameseDiacritics(known.raw)) return hoiNgaAlike(typed.raw) === hoiNgaAlike(known.raw);
  return typed.folded === known.folded || oneTypoApart(typed, known);
}

/** A long word typed without diacritics, one letter off the name's ("lichee" for "lychee"): a typo, not another word. */
function oneTypoApart(typed: Token, known: Token): boolean {
  const [a, b] = [typed.folded, known.folded];
  if (a.length < 5 || b.length < 5 || Math.abs(a.length - b.length) > 1 || hasVietnameseDiacritics(typed.raw) || /\d/.test(a + b)) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  // One letter changed, added, left out, or two swapped.
  return a.slice(i + 1) === b.slice(i + 1) || a.slice(i) === b.slice(i + 1) || a.slice(i + 1) === b.slice(i) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
}

/** Every way a buyer may name the product: its names (with and without the bracketed part) and aliases. */
export function namesOf(product: Pick<Product, "name" | "nameEn" | "aliases">): string[] {
  const bare = (name: string) => name.replace(/\s*\(.*?\)\s*/g, " ").trim();
  return [...new Set([product.name, bare(product.name), product.nameEn, bare(product.nameEn), ...product.aliases])];
}

/** One way of naming a product, as words; a shortened one gives way to a product named in full by the same words. */
interface IndexedName {
  readonly product: Product;
  readonly nameTokens: Token[];
  readonly shortened: boolean;
}

const nameIndexes = new WeakMap<readonly Product[], Map<string, IndexedName[]>>();

/** Every name of every product as words, by its first word (folded); kept for as long as the product list is. */
function nameIndex(products: readonly Product[]): Map<string, IndexedName[]> {
  let index = nameIndexes.get(products);
  if (index) return index;
  index = new Map();
  for (const product of products) {
    for (const name of namesOf(product)) {
      shortenedNames(tokenize(name)).forEach((nameTokens, i) => {
        const first = nameTokens[0]!.folded;
        index.set(first, [...(index.get(first) ?? []), { product, nameTokens, shortened: i > 0 }]);
      });
    }
  }
  nameIndexes.set(products, index);
  return index;
}

/**
 * A name of four words or more, and the same name with one or two of its middle words left out, as buyers
 * shorten it: "Tay Yen Tu wine" for "Tây Yên Tử giáp tửu wine", "mắm tép PTK" for "Mắm tép chưng thịt PTK".
 * Its first and last words stay, so what is left still names the product, not just its kind.
 */
function shortenedNames(name: Token[]): Token[][] {
  if (name.length === 0) return [];
  const shortened = [name];
  for (let gap = 1; gap <= 2; gap++) {
    for (let from = 1; from + gap < name.length; from++) {
      if (name.length - gap >= 3) shortened.push([...name.slice(0, from), ...name.slice(from + gap)]);
    }
  }
  return shortened;
}

/** Words of a product's names that do not identify it on their own. */
const WEAK_NAMES = new Set(["nem", "gom", "ruou", "nhang", "dua", "toi", "my", "mi", "gio", "cha", "xuc", "banh", "che", "tranh"]);

/** Where a message names products: the words it spans and the products that fit them equally well. */
export interface ProductMention {
  /** More than one product means the name is ambiguous ("nem", "tỏi") and the buyer must choose. */
  readonly products: readonly Product[];
  readonly start: number;
  readonly end: number;
  /** Where the name is in the text (characters), for replacing it in a follow-up ("còn chè lam?"). */
  readonly from: number;
  readonly to: number;
  /** The quantity written next to the name, if any. */
  readonly quantity?: number;
  /** The unit word written with the quantity ("hop", "kg", "pack"), folded. */
  readonly typedUnit?: string;
}

/**
 * Finds the products a message names, longest names first, in the order they appear. A name
 * several products share ("nem Bùi", "tỏi") yields one mention with all of them.
 */
export function findProductMentions(text: string, products: readonly Product[]): ProductMention[] {
  const tokens = tokenize(text);
  const byFirstWord = nameIndex(products);
  const found: { product: Product; start: number; end: number; shortened: boolean }[] = [];
  for (let start = 0; start < tokens.length; start++) {
    for (const { product, nameTokens, shortened } of byFirstWord.get(tokens[start]!.folded) ?? []) {
      if (start + nameTokens.length <= tokens.length && nameTokens.every((token, i) => sameWord(tokens[start + i]!, token))) {
        found.push({ product, start, end: start + nameTokens.length, shortened });
      }
    }
  }
  const named = (c: (typeof found)[number]) => found.some((other) => !other.shortened && other.start === c.start && other.end === c.end);
  const candidates = found.filter((c) => !c.shortened || !named(c));
  candidates.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const taken: boolean[] = [];
  const mentions: ProductMention[] = [];
  for (const candidate of candidates) {
    if (range(candidate.start, candidate.end).some((i) => taken[i])) continue;
    const sameSpan = candidates.filter((c) => c.start === candidate.start && c.end === candidate.end).map((c) => c.product);
    const typed = tokens[candidate.start]!;
    // A lone generic word ("tỏi", "nem") stands for every product whose name starts with it.
    const generic =
      candidate.end - candidate.start === 1 && WEAK_NAMES.has(typed.folded)
        ? products.filter((p) => {
            const first = tokenize(p.name)[0];
            return first !== undefined && sameWord(typed, first);
          })
        : [];
    for (const i of range(candidate.start, candidate.end)) taken[i] = true;
    const quantity = quantityAround(tokens, candidate.start, candidate.end, taken);
    if (!quantity && isPronoun(tokens, candidate)) continue;
    const last = tokens[candidate.end - 1]!;
    mentions.push({
      products: unique([...sameSpan, ...generic]),
      start: candidate.start,
      end: candidate.end,
      from: typed.at,
      to: last.at + last.raw.length,
      ...(quantity ? { quantity: quantity.value } : {}),
      ...(quantity?.unit ? { typedUnit: quantity.unit } : {}),
    });
  }
  return mergeNeighbours(mentions.sort((a, b) => a.start - b.start));
}

/** "PTK shrimp paste": two names side by side that share a product name that product alone. */
function mergeNeighbours(mentions: readonly ProductMention[]): ProductMention[] {
  const merged: ProductMention[] = [];
  for (const mention of mentions) {
    const previous = merged.at(-1);
    const shared = previous && mention.start === previous.end ? previous.products.filter((p) => mention.products.includes(p)) : [];
    if (!previous || shared.length === 0) {
      merged.push(mention);
      continue;
    }
    const quantity = previous.quantity !== undefined ? previous : mention;
    merged[merged.length - 1] = {
      products: shared,
      start: previous.start,
      end: mention.end,
      from: previous.from,
      to: mention.to,
      ...(quantity.quantity !== undefined ? { quantity: quantity.quantity } : {}),
      ...(quantity.typedUnit !== undefined ? { typedUnit: quantity.typedUnit } : {}),
    };
  }
  return merged;
}

// Typed without diacritics, "toi" is "tôi" (I) far more often than "tỏi" (garlic).
const PRONOUN_NEIGHBOURS = new Set(["cho", "cua", "giup", "voi", "ma", "thi", "muon", "dat", "can", "la", "co", "se", "da", "thich", "hoi", "dang", "xin", "di", "o", "biet"]);
const GARLIC_VERBS = new Set(["mua", "ban", "gia", "them", "loai"]);

function isPronoun(tokens: readonly Token[], span: { start: number; end: number }): boolean {
  const word = tokens[span.start]!;
  if (span.end - span.start !== 1 || word.raw !== "toi") return false;
  const before = tokens[span.start - 1]?.folded;
  const after = tokens[span.end]?.folded;
  if (before !== undefined && GARLIC_VERBS.has(before)) return false;
  if (before === undefined && after === undefined) return false;
  return before === undefined || PRONOUN_NEIGHBOURS.has(before) || (after !== undefined && PRONOUN_NEIGHBOURS.has(after));
}

const unique = <T>(items: readonly T[]) => [...new Set(items)];
const range = (start: number, end: number) => Array.from({ length: end - start }, (_, i) => start + i);

// Number words; the ones that are also common words ("năm" year, "sau" after) count only before a unit.
const NUMBER_WORDS: Record<string, { value: number; needsUnit: boolean }> = {
  mot: { value: 1, needsUnit: false }, hai: { value: 2, needsUnit: false }, ba: { value: 3, needsUnit: false },
  bon: { value: 4, needsUnit: false }, nam: { value: 5, needsUnit: true }, sau: { value: 6, needsUnit: true },
  bay: { value: 7, needsUnit: true }, tam: { value: 8, needsUnit: true }, chin: { value: 9, needsUnit: true },
  muoi: { value: 10, needsUnit: false }, chuc: { value: 10, needsUnit: true },
  a: { value: 1, needsUnit: true }, an: { value: 1, needsUnit: true }, one: { value: 1, needsUnit: false },
  two: { value: 2, needsUnit: false }, three: { value: 3, needsUnit: false }, four: { value: 4, needsUnit: false },
  five: { value: 5, needsUnit: false }, six: { value: 6, needsUnit: false }, seven: { value: 7, needsUnit: false },
  eight: { value: 8, needsUnit: false }, nine: { value: 9, needsUnit: false }, ten: { value: 10, needsUnit: false },
  dozen: { value: 12, needsUnit: false },
};

// The catalogue's units (Vietnamese, as stored) each word may mean.
const UNIT_WORDS: Record<string, readonly string[]> = {
  kg: ["kg"], ki: ["kg"], ky: ["kg"], kilo: ["kg"], kilogram: ["kg"], can: ["kg", "lon"],
  hop: ["hộp"], box: ["hộp"], goi: ["gói"], tui: ["gói"], pack: ["gói"], packet: ["gói"], bag: ["gói"],
  hu: ["hũ"], lo: ["hũ"], jar: ["hũ"], chai: ["chai"], bottle: ["chai"], lon: ["lon"],
  cai: ["cái"], chiec: ["cái"], piece: ["cái", "quả", "bức"], pc: ["cái"], item: ["cái"],
  doi: ["đôi"], pair: ["đôi"], qua: ["quả"], trai: ["quả"], fruit: ["quả"], buc: ["bức"],
  luot: ["lượt"], visit: ["lượt"], ve: ["lượt"], ticket: ["lượt"],
};

/** True for a word that names a unit ("hộp", "kg", "packs"). */
export function isUnitWord(word: string): boolean {
  return UNIT_WORDS[singular(fold(word))] !== undefined;
}

/** True when a unit word the buyer typed can mean the unit a product is sold by. */
export function unitFits(typedUnit: string, productUnit: string): boolean {
  return (UNIT_WORDS[typedUnit] ?? []).includes(productUnit);
}

/** Reads a quantity ("2", "1,5", "hai", "two") from one word. */
function numberIn(token: { raw: string; folded: string }, beforeUnit: boolean): number | undefined {
  if (/^\d+(?:[.,]\d+)?$/.test(token.raw)) return Number(token.raw.replace(",", "."));
  const word = NUMBER_WORDS[token.folded];
  // "bà", "tám"… with their own diacritics are numbers only when spelled as numbers.
  if (!word || (hasVietnameseDiacritics(token.raw) && !["một", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười", "chục"].includes(token.raw))) return undefined;
  return word.needsUnit && !beforeUnit ? undefined : word.value;
}

/** The quantity (and unit) written just before the name ("2 hộp (of) …") or just after it ("… 2 gói", "… x2"). */
function quantityAround(tokens: readonly Token[], start: number, end: number, taken: boolean[]): { value: number; unit?: string } | undefined {
  const free = (i: number) => i >= 0 && i < tokens.length && !taken[i];
  const unitAt = (i: number) => (free(i) && UNIT_WORDS[tokens[i]!.folded] ? tokens[i]!.folded : undefined);
  const take = (...indexes: number[]) => indexes.forEach((i) => (taken[i] = true));
  // Before: NUMBER [UNIT] [of|của|loại] [the] NAME
  let i = start - 1;
  const article = free(i) && tokens[i]!.folded === "the" ? i-- : undefined;
  const linker = free(i) && ["of", "cua", "loai"].includes(tokens[i]!.folded) ? i-- : article;
  const unitBefore = unitAt(i);
  const numberAt = unitBefore ? i - 1 : i;
  if (free(numberAt) && (unitBefore || linker === undefined)) {
    const value = numberIn(tokens[numberAt]!, unitBefore !== undefined);
    if (value !== undefined) {
      take(numberAt, ...(unitBefore ? [i] : []), ...[linker, article].filter((at) => at !== undefined));
      return { value, ...(unitBefore ? { unit: unitBefore } : {}) };
    }
  }
  // After: NAME [x] NUMBER [UNIT]
  let j = end;
  const times = free(j) && tokens[j]!.folded === "x" ? j++ : undefined;
  if (free(j)) {
    const unitAfter = unitAt(j + 1);
    const value = numberIn(tokens[j]!, unitAfter !== undefined);
    if (value !== undefined && (unitAfter || times !== undefined || j + 1 === tokens.length)) {
      take(j, ...(unitAfter ? [j + 1] : []), ...(times !== undefined ? [times] : []));
      return { value, ...(unitAfter ? { unit: unitAfter } : {}) };
    }
  }
  return undefined;
}

/** A quantity answered on its own ("3", "3 gói", "ba kg", "1,5"); undefined when the text is not one. */
export function standaloneQuantity(text: string): { value: number; unit?: string } | undefined {
  const tokens = tokenize(text).filter((token) => !["thoi", "nhe", "nha", "a", "please", "cho", "minh", "toi", "lay", "mua"].includes(token.folded));
  if (tokens.length === 0 || tokens.length > 2) return undefined;
  const unit = tokens[1] && UNIT_WORDS[tokens[1].folded] ? tokens[1].folded : undefined;
  if (tokens.length === 2 && !unit) return undefined;
  const value = numberIn(tokens[0]!, true);
  return value === undefined ? undefined : { value, ...(unit ? { unit } : {}) };
}
