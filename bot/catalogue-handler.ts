/**
 * Catalogue questions answered from the database: a product's price ("giá tỏi một nhánh bao nhiêu"),
 * whether it is sold ("có bán nem Bùi không"), products by star level ("sản phẩm 4 sao") or by group
 * ("show me handicraft products"), and the catalogue itself. Sample prices are always marked.
 */
import { findProductMentions, groupsNamedIn, PRODUCT_GROUPS, type Product, type ProductGroup } from "../knowledge/catalogue.ts";
import type { Handler, Turn, TurnResult } from "./engine.ts";
import { priceText, productName, starsText } from "./order-messages.ts";
import type { Catalogue } from "./ports.ts";
import type { Language, SourceRef } from "./types.ts";

const PRICE = /\b(gia|bao nhieu tien|bao tien|het bao nhieu|price|prices|how much|cost)\b/;
const AVAILABILITY = /\b(co ban|ban khong|ban ko|con hang|mua o dau|o dau ban|dat o dau|mua duoc khong|do you sell|do you have|sell|sold|where (can i |to )?buy|available|in stock)\b/;
const LISTING = /\b(san pham|sp|mat hang|product|products|show|list|xem|co gi|nhung gi|which|what)\b/;
const CATALOGUE = /^(xem )?(danh muc|danh muc san pham|catalog|catalogue|product catalog(ue)?|xem danh muc san pham|cac san pham( ocop)?|san pham co ban|what (products )?do you sell|product list|all products)$/;
// "có bán mật ong không", "do you sell honey": a product named in a fixed frame, to say when it is not in the catalogue.
const ASKS_FOR_PRODUCT = /^(co ban|ben ban co ban|shop co ban|ban co ban|gia|do you sell|do you have|how much is|how much are) (.{2,40}?) ?(khong|ko|k|bao nhieu|bao nhieu tien|the nao)?$/;
const STARS = /\b([345])\s*(?:sao|-?\s*stars?)\b/;
// The corpus document about the province's products, cited beside the catalogue.
const PRODUCTS_DOC = "san-pham-ocop-tieu-bieu";
const LIST_LIMIT = 15;

/** Answers catalogue questions from the database. */
export function catalogueHandler(catalogue: Catalogue, titles: ReadonlyMap<string, { vi: string; en: string }>): Handler {
  return async (turn) => {
    const folded = turn.folded.replace(/[.!?]+$/, "").trim();
    const groupLabel = (Object.keys(PRODUCT_GROUPS) as ProductGroup[]).find((g) => [PRODUCT_GROUPS[g].vi, PRODUCT_GROUPS[g].en].some((label) => label.toLowerCase() === turn.text.toLowerCase()));
    if (CATALOGUE.test(folded)) return overview(turn, await catalogue.products());
    if (groupLabel) return listing(turn, (await catalogue.products()).filter((p) => p.group === groupLabel), PRODUCT_GROUPS[groupLabel][turn.language]);
    if (PRICE.test(folded) || AVAILABILITY.test(folded)) {
      const named = findProductMentions(turn.text, await catalogue.products()).flatMap((mention) => mention.products);
      if (named.length > 0) return productFacts(turn, [...new Set(named)]);
      const frame = ASKS_FOR_PRODUCT.exec(folded);
      if (frame) {
        // Folding keeps each letter's position, so the same slice of the message is the name as typed.
        const at = folded.indexOf(frame[2]!, frame[1]!.length);
        const asked = turn.text.slice(at, at + frame[2]!.length);
        return notInCatalogue(turn, asked, await catalogue.closest(asked, 3));
      }
    }
    if (!LISTING.test(folded)) return undefined;
    const stars = STARS.exec(folded)?.[1];
    // "sản phẩm 4 sao ở Bắc Ninh" lists; "sản phẩm 4 sao cần bao nhiêu điểm" is for the scoring guide.
    if (stars && !/\b(diem|point|score|can|need|tieu chi|criteria|dieu kien)\b/.test(folded)) {
      const products = await catalogue.products();
      return listing(turn, products.filter((p) => p.stars === Number(stars)), turn.language === "en" ? `${stars}-star OCOP products` : `Sản phẩm OCOP ${stars} sao`);
    }
    const groups = groupsNamedIn(turn.text);
    if (groups.length > 0) {
      const products = await catalogue.products();
      return listing(turn, products.filter((p) => groups.includes(p.group)), groups.map((g) => PRODUCT_GROUPS[g][turn.language]).join(", "));
    }
    return undefined;
  };

  function sources(language: Language): SourceRef[] {
    return [{ id: PRODUCTS_DOC, title: titles.get(PRODUCTS_DOC)?.[language] ?? PRODUCTS_DOC }];
  }

  function cited(turn: Turn, lines: string[], buttons: readonly string[], intent: string): TurnResult {
    const en = turn.language === "en";
    const refs = sources(turn.language);
    const footer = en
      ? `Sources: ${refs.map((s) => s.title).join("; ")}; our product catalogue (sample prices are illustrative, not the producers' prices).`
      : `Nguồn: ${refs.map((s) => s.title).join("; ")}; danh mục sản phẩm của trợ lý (giá mẫu chỉ để minh họa, không phải giá của cơ sở).`;
    const text = `${lines.join("\n")}\n\n${footer}`;
    return { replies: [buttons.length > 0 ? { text, buttons } : { text }], intent, sources: refs };
  }

  function productFacts(turn: Turn, products: readonly Product[], intro?: string): TurnResult {
    const { language } = turn;
    const en = language === "en";
    const lines = products.map((p) => {
      const sale = p.available ? priceText(p, language) : en ? "not sold by chat" : "không bán qua chat";
      const origin = p.priceIsSample ? "" : en ? ` — price from ${p.source}` : ` — giá theo ${p.source}`;
      return `• ${productName(p, language)} (${p.producerName}; ${starsText(p.stars, language)}): ${sale}${origin}`;
    });
    const orderable = products.filter((p) => p.available).slice(0, 3);
    const heading = intro ?? (en ? "In our catalogue:" : "Trong danh mục của mình:");
    const hint = orderable.length > 0 ? [en ? "Would you like to order? Pick one below or type the quantity." : "Bạn muốn đặt mua không? Chọn bên dưới hoặc gõ số lượng."] : [];
    const buttons = orderable.map((p) => (en ? `Order ${p.nameEn}` : `Đặt mua ${p.name}`));
    return cited(turn, [heading, ...lines, ...hint], buttons, "catalogue_product");
  }

  function listing(turn: Turn, products: readonly Product[], heading: string): TurnResult {
    const { language } = turn;
    const en = language === "en";
    if (products.length === 0) {
      return cited(turn, [en ? `Our catalogue has no ${heading.toLowerCase()} yet.` : `Danh mục hiện chưa có: ${heading.toLowerCase()}.`], [], "catalogue_list");
    }
    const shown = products.slice(0, LIST_LIMIT);
    const lines = shown.map((p) => `• ${productName(p, language)} (${starsText(p.stars, language)}) — ${p.available ? priceText(p, language) : en ? "not sold by chat" : "không bán qua chat"}`);
    const more = products.length > shown.length ? [en ? `…and ${products.length - shown.length} more.` : `…và ${products.length - shown.length} sản phẩm khác.`] : [];
    const buttons = shown.filter((p) => p.available).slice(0, 4).map((p) => (en ? `Order ${p.nameEn}` : `Đặt mua ${p.name}`));
    return cited(turn, [`${heading} (${products.length}):`, ...lines, ...more], buttons, "catalogue_list");
  }

  function notInCatalogue(turn: Turn, asked: string, closest: readonly Product[]): TurnResult {
    const en = turn.language === "en";
    if (closest.length > 0) {
      return productFacts(turn, closest, en ? `I found no "${asked}" exactly; the closest in our catalogue:` : `Mình không thấy đúng "${asked}"; gần nhất trong danh mục là:`);
    }
    const text = en
      ? `"${asked}" is not in our OCOP catalogue, so I have no price or seller for it. The Bắc Ninh Department of Industry and Trade (Sở Công Thương) can say where OCOP products are sold.`
      : `Danh mục OCOP của mình chưa có "${asked}", nên mình không có giá hay nơi bán. Bạn có thể hỏi Sở Công Thương tỉnh Bắc Ninh về nơi bán sản phẩm OCOP.`;
    return { replies: [{ text, buttons: [en ? "Product catalogue" : "Xem danh mục sản phẩm"] }], intent: "catalogue_unknown_product" };
  }

  function overview(turn: Turn, products: readonly Product[]): TurnResult {
    const { language } = turn;
    const groups = (Object.keys(PRODUCT_GROUPS) as ProductGroup[]).filter((g) => products.some((p) => p.group === g));
    const lines = [
      language === "en" ? `Our catalogue has ${products.length} OCOP and typical products:` : `Danh mục có ${products.length} sản phẩm OCOP và đặc sản tiêu biểu:`,
      ...groups.map((g) => `• ${PRODUCT_GROUPS[g][language]}: ${products.filter((p) => p.group === g).length}`),
      language === "en" ? "Pick a group to see its products and prices." : "Chọn một nhóm để xem sản phẩm và giá.",
    ];
    return cited(turn, lines, groups.map((g) => PRODUCT_GROUPS[g][language]), "catalogue_overview");
  }
}
