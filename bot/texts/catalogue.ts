/** Texts of catalogue answers: prices, lists, products not in the catalogue, and facts about a product. */
import type { Product } from "../../knowledge/catalogue.ts";
import type { Language } from "../types.ts";
import { formats } from "./format.ts";

interface CatalogueTexts {
  readonly inCatalogue: string;
  readonly notSoldByChat: string;
  readonly priceFrom: (source: string) => string;
  readonly orderHint: string;
  readonly orderButton: (product: Product) => string;
  readonly listHeading: (heading: string, count: number) => string;
  readonly more: (count: number) => string;
  readonly emptyList: (heading: string) => string;
  readonly starsHeading: (stars: number) => string;
  readonly placeHeading: (place: string) => string;
  readonly closestIntro: (asked: string) => string;
  readonly notInCatalogue: (asked: string) => string;
  readonly catalogueButton: string;
  readonly overviewIntro: (count: number) => string;
  readonly overviewPick: string;
  readonly whichProduct: string;
  /** The note every catalogue answer cites beside its document. */
  readonly catalogueNote: string;
  /** "Kẹo lạc Trang Toàn là sản phẩm OCOP 4 sao của …, ở …". */
  readonly about: (product: Product) => string;
  readonly starsMatch: (asked: number, product: Product) => string;
  readonly starsUnknown: (product: Product) => string;
  readonly askOffice: string;
}

export const catalogueTexts: Record<Language, CatalogueTexts> = {
  vi: {
    inCatalogue: "Trong danh mục của mình:",
    notSoldByChat: "không bán qua chat",
    priceFrom: (source) => ` — giá theo ${source}`,
    orderHint: "Bạn muốn đặt mua không? Chọn bên dưới hoặc gõ số lượng.",
    orderButton: (product) => `Đặt mua ${product.name}`,
    listHeading: (heading, count) => `${heading} (${count}):`,
    more: (count) => `…và ${count} sản phẩm khác.`,
    emptyList: (heading) => `Danh mục hiện chưa có: ${heading.toLowerCase()}.`,
    starsHeading: (stars) => `Sản phẩm OCOP ${stars} sao`,
    placeHeading: (place) => `Sản phẩm ở ${place}`,
    closestIntro: (asked) => `Mình không thấy đúng "${asked}"; gần nhất trong danh mục là:`,
    notInCatalogue: (asked) =>
      `Danh mục OCOP của mình chưa có "${asked}", nên mình không có giá hay nơi bán. Bạn có thể hỏi Sở Công Thương tỉnh Bắc Ninh về nơi bán sản phẩm OCOP.`,
    catalogueButton: "Xem danh mục sản phẩm",
    overviewIntro: (count) => `Danh mục có ${count} sản phẩm OCOP và đặc sản tiêu biểu:`,
    overviewPick: "Chọn một nhóm để xem sản phẩm và giá.",
    whichProduct: "Bạn muốn hỏi sản phẩm nào? Gõ tên sản phẩm, hoặc xem danh mục.",
    catalogueNote: "danh mục sản phẩm của trợ lý (giá mẫu chỉ để minh họa, không phải giá của cơ sở)",
    about: (p) =>
      `${p.name} là sản phẩm ${formats.vi.stars(p.stars)} của ${p.producerName}${p.place.vi ? `, ở ${p.place.vi}` : ""}.`,
    starsMatch: (asked, p) =>
      p.stars === asked ? `Đúng, ${p.name} đạt ${asked} sao.`
        : p.stars !== null && asked > p.stars ? `Theo nguồn thì ${p.name} đạt ${p.stars} sao; mình chưa có thông tin sản phẩm đã được công nhận ${asked} sao hay chưa.`
        : `Không, theo nguồn thì ${p.name} đạt ${p.stars} sao chứ không phải ${asked} sao.`,
    starsUnknown: (p) => `Nguồn của mình chỉ nói ${p.name} là sản phẩm OCOP, chưa nêu số sao.`,
    askOffice: "Muốn biết hạng sao hiện hành, bạn nên hỏi Sở Nông nghiệp và Môi trường tỉnh Bắc Ninh (Chi cục Phát triển nông thôn).",
  },
  en: {
    inCatalogue: "In our catalogue:",
    notSoldByChat: "not sold by chat",
    priceFrom: (source) => ` — price from ${source}`,
    orderHint: "Would you like to order? Pick one below or type the quantity.",
    orderButton: (product) => `Order ${product.nameEn}`,
    listHeading: (heading, count) => `${heading} (${count}):`,
    more: (count) => `…and ${count} more.`,
    emptyList: (heading) => `Our catalogue has no ${heading.toLowerCase()} yet.`,
    starsHeading: (stars) => `${stars}-star OCOP products`,
    placeHeading: (place) => `Products from ${place}`,
    closestIntro: (asked) => `I found no "${asked}" exactly; the closest in our catalogue:`,
    notInCatalogue: (asked) =>
      `"${asked}" is not in our OCOP catalogue, so I have no price or seller for it. The Bắc Ninh Department of Industry and Trade (Sở Công Thương) can say where OCOP products are sold.`,
    catalogueButton: "Product catalogue",
    overviewIntro: (count) => `Our catalogue has ${count} OCOP and typical products:`,
    overviewPick: "Pick a group to see its products and prices.",
    whichProduct: "Which product do you mean? Type its name, or see the catalogue.",
    catalogueNote: "our product catalogue (sample prices are illustrative, not the producers' prices)",
    about: (p) =>
      `${p.nameEn} is a ${formats.en.stars(p.stars)} product of ${p.producerNameEn}${p.place.en ? `, in ${p.place.en}` : ""}.`,
    starsMatch: (asked, p) =>
      p.stars === asked ? `Yes, ${p.nameEn} is rated ${asked} stars.`
        : p.stars !== null && asked > p.stars ? `Our sources rate ${p.nameEn} ${p.stars} stars; there is no information yet on whether it has since been rated ${asked} stars.`
        : `No: according to our sources ${p.nameEn} is rated ${p.stars} stars, not ${asked}.`,
    starsUnknown: (p) => `Our sources only say ${p.nameEn} is an OCOP product; they give no star rating.`,
    askOffice: "For its current rating, ask the Bắc Ninh Department of Agriculture and Environment (Sở Nông nghiệp và Môi trường, Chi cục Phát triển nông thôn).",
  },
};
