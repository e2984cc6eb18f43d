/**
 * Catalogue answers from the database: a product's price and whether it is sold here, products by
 * star level, group or place, the catalogue itself, and facts about a product (its stars, producer and
 * place). Sample prices are always marked; every answer cites the products document and the catalogue.
 */
import { isUnitWord, PRODUCT_GROUPS, type Product, type ProductGroup } from "../../knowledge/catalogue.ts";
import { villageText } from "../../knowledge/villages.ts";
import { fold, STOPWORDS } from "../../knowledge/vietnamese.ts";
import type { Catalogue } from "../ports.ts";
import { catalogueTexts } from "../texts/catalogue.ts";
import { sourcesOf, withCitation, type Titles } from "../texts/cite.ts";
import { formats } from "../texts/format.ts";
import type { IntentHandler, Turn, TurnResult } from "../turn.ts";
import { allOf, firstOf } from "../understanding/entities.ts";

// The corpus document about the province's products, cited beside the catalogue.
const PRODUCTS_DOC = "san-pham-ocop-tieu-bieu";
const LIST_LIMIT = 15;
// Words of a price or availability question that are not the product's name ("có bán mật ong không").
const QUESTION_WORDS = new Set(
  ("co ban khong ko k gia bao nhieu tien the nao mua o dau shop ad oi cho minh hoi duoc can nua con hang a nhe voi " +
    "do you sell have how much is are the price of a an any where can i buy please what cost costs ben la loai nay san pham").split(" "),
);

/** The catalogue's intent handlers, by the `serve` names of intents.yaml. */
export function catalogueHandlers(catalogue: Catalogue, titles: Titles): Record<string, IntentHandler> {
  const cited = (turn: Turn, lines: readonly string[], buttons: readonly string[], intent: string): TurnResult => {
    const sources = sourcesOf([PRODUCTS_DOC], titles, turn.language);
    const text = withCitation(lines.join("\n"), sources, turn.language, catalogueTexts[turn.language].catalogueNote);
    return { replies: [buttons.length > 0 ? { text, buttons } : { text }], intent, sources };
  };

  function productFacts(turn: Turn, products: readonly Product[], heading?: string): TurnResult {
    const t = catalogueTexts[turn.language];
    const f = formats[turn.language];
    const lines = products.map((p) => {
      const sale = p.available ? f.price(p) : t.notSoldByChat;
      return `• ${f.productName(p)} (${f.producerName(p)}; ${f.stars(p.stars)}): ${sale}${p.priceIsSample ? "" : t.priceFrom(p.source)}`;
    });
    const orderable = products.filter((p) => p.available).slice(0, 3);
    return cited(turn, [heading ?? t.inCatalogue, ...lines, ...(orderable.length > 0 ? [t.orderHint] : [])], orderable.map(t.orderButton), "catalogue_product");
  }

  function listing(turn: Turn, products: readonly Product[], heading: string): TurnResult {
    const t = catalogueTexts[turn.language];
    const f = formats[turn.language];
    if (products.length === 0) return cited(turn, [t.emptyList(heading)], [], "catalogue_list");
    const shown = products.slice(0, LIST_LIMIT);
    const lines = shown.map((p) => `• ${f.productName(p)} (${f.stars(p.stars)}) — ${p.available ? f.price(p) : t.notSoldByChat}`);
    const buttons = shown.filter((p) => p.available).slice(0, 4).map(t.orderButton);
    return cited(turn, [t.listHeading(heading, products.length), ...lines, ...(products.length > shown.length ? [t.more(products.length - shown.length)] : [])], buttons, "catalogue_list");
  }

  function overview(turn: Turn, products: readonly Product[]): TurnResult {
    const t = catalogueTexts[turn.language];
    const groups = (Object.keys(PRODUCT_GROUPS) as ProductGroup[]).filter((g) => products.some((p) => p.group === g));
    const lines = [t.overviewIntro(products.length), ...groups.map((g) => `• ${PRODUCT_GROUPS[g][turn.language]}: ${products.filter((p) => p.group === g).length}`), t.overviewPick];
    return cited(turn, lines, groups.map((g) => PRODUCT_GROUPS[g][turn.language]), "catalogue_overview");
  }

  /** The products a message names (one list, however many mentions). */
  const named = (turn: Turn) => [...new Set(allOf(turn.signals.entities, "product").flatMap((mention) => mention.products))];

  /** "có bán mật ong không": the words left once the question's own words are taken out, as typed. */
  function askedName(turn: Turn): string {
    return (turn.signals.text.match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => !QUESTION_WORDS.has(fold(word)) && !isUnitWord(word) && !/^\d+$/.test(word)).join(" ");
  }

  return {
    "catalogue.product": async (turn) => {
      const products = named(turn);
      if (products.length > 0) return productFacts(turn, products);
      const t = catalogueTexts[turn.language];
      const asked = askedName(turn);
      if (asked.length < 2 || asked.split(" ").length > 5) {
        return { replies: [{ text: t.whichProduct, buttons: [t.catalogueButton] }], intent: "catalogue_which_product" };
      }
      const closest = await catalogue.closest(asked, 3);
      if (closest.length > 0) return productFacts(turn, closest, t.closestIntro(asked));
      return { replies: [{ text: t.notInCatalogue(asked), buttons: [t.catalogueButton] }], intent: "catalogue_unknown_product" };
    },

    "catalogue.list": (turn) => {
      const { entities } = turn.signals;
      const products = turn.lexicon.products;
      const t = catalogueTexts[turn.language];
      const stars = firstOf(entities, "stars")?.value;
      const groups = allOf(entities, "product_group").map((entity) => entity.value);
      const village = firstOf(entities, "village")?.village;
      let chosen = products;
      const headings: string[] = [];
      if (stars !== undefined) {
        chosen = chosen.filter((p) => p.stars === stars);
        headings.push(t.starsHeading(stars));
      }
      if (groups.length > 0) {
        chosen = chosen.filter((p) => groups.includes(p.group));
        headings.push(groups.map((g) => PRODUCT_GROUPS[g][turn.language]).join(", "));
      }
      if (village) {
        const place = fold(village.name.replace(/^làng( nghề)?\s+\S+\s+/i, ""));
        chosen = chosen.filter((p) => fold(`${p.name} ${p.place.vi ?? ""}`).includes(place));
        headings.push(t.placeHeading(villageText(village, turn.language).name));
      }
      // "sản phẩm của Lục Ngạn", "any products from Tan Yen?": a place the products' producers are in.
      const place = village ? undefined : placeNamed(turn.signals.folded, products);
      if (place) {
        chosen = chosen.filter((p) => place.products.includes(p));
        headings.push(t.placeHeading(place.name));
      }
      return headings.length > 0 ? listing(turn, chosen, headings.join(" · ")) : overview(turn, products);
    },

    "catalogue.overview": (turn) => overview(turn, turn.lexicon.products),

    "catalogue.info": (turn) => {
      const products = named(turn);
      // "Tỏi An Thịnh có chỉ dẫn địa lý chưa?" asks what the catalogue does not hold: the knowledge base's.
      if (products.length === 0 || products.length > 3 || asksBeyondCatalogue(turn, products)) return undefined;
      const t = catalogueTexts[turn.language];
      const asked = firstOf(turn.signals.entities, "stars")?.value;
      const lines = products.flatMap((p) => [
        t.about(p),
        ...(asked !== undefined ? [p.stars === null ? t.starsUnknown(p) : t.starsMatch(asked, p)] : []),
      ]);
      // The sources may predate a new rating: an unknown or a higher level asked about names whom to ask.
      if (products.some((p) => p.stars === null || (asked !== undefined && asked > p.stars))) lines.push(t.askOffice);
      return cited(turn, lines, products.filter((p) => p.available).slice(0, 3).map(t.orderButton), "product_info");
    },
  };
}

/** A place (two words, "tan yen", "luc ngan") that the message names and some producers' places contain. */
function placeNamed(folded: string, products: readonly Product[]): { name: string; products: Product[] } | undefined {
  const words = (folded.match(/\p{L}+/gu) ?? []).filter((word) => !STOPWORDS.has(word));
  for (let i = 0; i + 1 < words.length; i++) {
    const pair = `${words[i]} ${words[i + 1]}`;
    const found = products.filter((p) => fold(`${p.place.vi ?? ""} ${p.name}`).includes(pair));
    if (found.length > 0 && found.length < products.length / 2) {
      const place = found[0]!.place.vi ?? "";
      const at = fold(place).indexOf(pair);
      return { name: at >= 0 ? place.slice(at, at + pair.length) : pair, products: found };
    }
  }
  return undefined;
}

// What the catalogue says of a product: whether it is OCOP, its stars, its producer and its place.
const CATALOGUE_FIELDS = new Set(
  ("ocop sao hang dat duoc chua len may bao nhieu ai lam san xuat nha co so chu the cua o dau tu que nao phai dung " +
    "hay khong ko k gi ve thong tin cho minh hoi biet xin san pham sp vay a nhe oi ad shop " +
    "star stars rated rating who makes made produce produced producer from where which product tell me know is it yes how many much").split(" "),
);

/** True when a question about named products asks something besides their catalogue fields. */
function asksBeyondCatalogue(turn: Turn, products: readonly Product[]): boolean {
  let rest = turn.signals.folded;
  for (const entity of [...turn.signals.entities].sort((a, b) => b.from - a.from)) rest = `${rest.slice(0, entity.from)} ${rest.slice(entity.to)}`;
  // Words of the products' own names are no question ("PTK" found, "shrimp paste with pork" left over).
  const naming = new Set(products.flatMap((p) => [p.name, p.nameEn, ...p.aliases]).flatMap((name) => fold(name).match(/\p{L}+/gu) ?? []));
  return (rest.match(/\p{L}+/gu) ?? []).some((word) => word.length > 1 && !STOPWORDS.has(word) && !CATALOGUE_FIELDS.has(word) && !naming.has(word));
}
