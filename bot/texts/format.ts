/** How amounts, quantities, units, names, prices and star ratings are written in each language. */
import type { Product } from "../../knowledge/catalogue.ts";
import type { Language } from "../types.ts";

/** Formatting per language; every amount comes from database numbers. */
export interface Format {
  /** "45.000 đ" / "45,000 VND". */
  money(amount: number): string;
  /** "1,5" / "1.5". */
  quantity(quantity: number): string;
  /** The unit a quantity is counted in: "gói"; "pack" or "packs". */
  unit(item: { unit: string; unitEn: string }, quantity: number): string;
  /** A product's or a producer's name in this language. */
  name(named: { readonly name: string; readonly nameEn: string }): string;
  productName(product: Pick<Product, "name" | "nameEn">): string;
  producerName(product: Pick<Product, "producerName" | "producerNameEn">): string;
  /** "45.000 đ/gói (giá mẫu)". */
  price(product: Product): string;
  /** "OCOP 4 sao" / "4-star OCOP", or a note that the sources give no star level. */
  stars(stars: number | null): string;
  /** "Thứ Hai 1/3/2026". */
  date(date: Date): string;
}

const WEEKDAYS: Record<Language, readonly string[]> = {
  vi: ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"],
  en: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
};

const dayMonthYear = (date: Date) => `${date.getUTCDate()}/${date.getUTCMonth() + 1}/${date.getUTCFullYear()}`;

export const formats: Record<Language, Format> = {
  vi: {
    money: (amount) => `${amount.toLocaleString("vi-VN")} đ`,
    quantity: (quantity) => quantity.toLocaleString("vi-VN", { maximumFractionDigits: 1 }),
    unit: (item) => item.unit,
    name: (named) => named.name,
    productName: (product) => product.name,
    producerName: (product) => product.producerName,
    price: (product) => `${formats.vi.money(product.priceVnd)}/${product.unit}${product.priceIsSample ? " (giá mẫu)" : ""}`,
    stars: (stars) => (stars === null ? "OCOP, nguồn chưa nêu số sao" : `OCOP ${stars} sao`),
    date: (date) => `${WEEKDAYS.vi[date.getUTCDay()]} ${dayMonthYear(date)}`,
  },
  en: {
    money: (amount) => `${amount.toLocaleString("en-US")} VND`,
    quantity: (quantity) => quantity.toLocaleString("en-US", { maximumFractionDigits: 1 }),
    unit: (item, quantity) => {
      if (quantity === 1 || item.unitEn === "kg") return item.unitEn;
      return /(x|s|ch|sh)$/.test(item.unitEn) ? `${item.unitEn}es` : `${item.unitEn}s`;
    },
    name: (named) => named.nameEn,
    productName: (product) => product.nameEn,
    producerName: (product) => product.producerNameEn,
    price: (product) => `${formats.en.money(product.priceVnd)}/${product.unitEn}${product.priceIsSample ? " (sample price)" : ""}`,
    stars: (stars) => (stars === null ? "OCOP, star rating not given in our sources" : `${stars}-star OCOP`),
    date: (date) => `${WEEKDAYS.en[date.getUTCDay()]} ${dayMonthYear(date)}`,
  },
};
