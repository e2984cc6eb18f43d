import { describe, expect, it } from "vitest";
import { readAddress, readEdit, readName, readPhone, saysNo, saysYes } from "../bot/order-input.ts";
import { findProductMentions, groupsNamedIn, loadCatalogueData, productsOf, standaloneQuantity, type Product } from "../knowledge/catalogue.ts";
import { fold } from "../knowledge/vietnamese.ts";

const data = loadCatalogueData();
const products: Product[] = productsOf(data);

const mentions = (text: string) =>
  findProductMentions(text, products).map((m) => ({ ids: m.products.map((p) => p.id).sort(), quantity: m.quantity, unit: m.typedUnit }));

describe("product catalogue data", () => {
  it("has every product's producer, and only the garlic price is real", () => {
    const producerIds = new Set(data.producers.map((p) => p.id));
    expect(data.products.every((p) => producerIds.has(p.producer_id))).toBe(true);
    expect(data.products.filter((p) => !p.price_is_sample).map((p) => p.id)).toEqual(["toi-mot-nhanh-gia-binh"]);
    expect(data.products.find((p) => p.id === "toi-mot-nhanh-gia-binh")!.price_vnd).toBe(100_000);
  });
});

describe("finding products in what buyers type", () => {
  it("reads the product and the quantity before it, with or without diacritics", () => {
    expect(mentions("cho mình đặt 2 hộp kẹo lạc Trang Toàn")).toEqual([{ ids: ["keo-lac-trang-toan"], quantity: 2, unit: "hop" }]);
    expect(mentions("cho minh dat 2 goi keo lac trang toan")).toEqual([{ ids: ["keo-lac-trang-toan"], quantity: 2, unit: "goi" }]);
    expect(mentions("kẹo lạc Trang Toàn 3 gói")).toEqual([{ ids: ["keo-lac-trang-toan"], quantity: 3, unit: "goi" }]);
    expect(mentions("lấy chè lam x4")).toEqual([{ ids: ["che-lam-trang-toan"], quantity: 4, unit: undefined }]);
  });

  it("reads English numbers, units and plurals", () => {
    expect(mentions("I'd like two packs of Trang Toan peanut candy")).toEqual([{ ids: ["keo-lac-trang-toan"], quantity: 2, unit: "pack" }]);
    expect(mentions("3 boxes of black garlic and 1.5 kg of asparagus")).toEqual([
      { ids: ["toi-den-mot-nhanh-nanocare"], quantity: 3, unit: "box" },
      { ids: ["mang-tay-xanh-gia-binh"], quantity: 1.5, unit: "kg" },
    ]);
  });

  it("reads a quantity before 'of the', and a name shortened by a middle word or two", () => {
    expect(mentions("I'd like to buy 2 bottles of the Tay Yen Tu wine")).toEqual([{ ids: ["ruou-giap-tuu-tay-yen-tu"], quantity: 2, unit: "bottle" }]);
    expect(mentions("can i order 3 boxes of the black garlic")).toEqual([{ ids: ["toi-den-mot-nhanh-nanocare"], quantity: 3, unit: "box" }]);
    expect(mentions("2 hũ mắm tép PTK")).toEqual([{ ids: ["mam-tep-chung-thit-ptk"], quantity: 2, unit: "hu" }]);
    // A product named in full by the same words is not taken for another one shortened to them.
    expect(mentions("mua 3kg tỏi một nhánh")[0]!.ids).toEqual(["toi-mot-nhanh-gia-binh"]);
  });

  it("reads a product name with a hỏi for a ngã, or a long English word one letter off", () => {
    expect(mentions("mỳ gạo chủ xuân trường giá bao nhiêu")[0]!.ids).toEqual(["my-gao-chu-xuan-truong"]);
    expect(mentions("how much is the Luc Ngan lichee per kg")[0]!.ids).toEqual(["vai-thieu-luc-ngan-hong-xuan"]);
    // Two letters off is another word.
    expect(mentions("how much is the Luc Ngan lichi")).toEqual([]);
  });

  it("finds several products in one message, in order", () => {
    expect(mentions("mua 2 gói kẹo lạc và 1 hũ mắm tép").map((m) => m.ids)).toEqual([["keo-lac-trang-toan"], ["mam-tep-chung-thit-ptk"]]);
  });

  it("offers every product a generic name fits ('tỏi', 'nem Bùi')", () => {
    expect(mentions("mua 3kg toi")).toEqual([{ ids: ["toi-an-thinh", "toi-den-mot-nhanh-nanocare", "toi-mot-nhanh-gia-binh"], quantity: 3, unit: "kg" }]);
    expect(mentions("có bán nem Bùi không")[0]!.ids).toEqual(["nem-bui-ninh-xa", "nem-bui-thuong-hai"]);
    expect(mentions("giá tỏi một nhánh bao nhiêu")[0]!.ids).toEqual(["toi-mot-nhanh-gia-binh"]);
  });

  it("does not take the pronoun 'tôi' (or an unaccented 'toi' used as one) for garlic", () => {
    expect(mentions("tôi muốn đặt 2 gói kẹo lạc").map((m) => m.ids)).toEqual([["keo-lac-trang-toan"]]);
    expect(mentions("cho toi dat 2 goi keo lac").map((m) => m.ids)).toEqual([["keo-lac-trang-toan"]]);
    expect(mentions("toi muon mua keo lac")).toHaveLength(1);
  });

  it("does not read a phone number or a year as a quantity", () => {
    expect(mentions("kẹo lạc, số 0912345678")[0]!.quantity).toBeUndefined();
    expect(mentions("hội Lim năm 2027")).toEqual([]);
  });

  it("names groups in Vietnamese and English", () => {
    expect(groupsNamedIn("show me handicraft products")).toEqual(["thu-cong-my-nghe"]);
    expect(groupsNamedIn("sản phẩm thủ công mỹ nghệ")).toEqual(["thu-cong-my-nghe"]);
    expect(groupsNamedIn("do uong gi ngon")).toEqual(["do-uong"]);
  });

  it("reads a quantity given on its own", () => {
    expect(standaloneQuantity("3")).toEqual({ value: 3 });
    expect(standaloneQuantity("3 gói")).toEqual({ value: 3, unit: "goi" });
    expect(standaloneQuantity("hai kg")).toEqual({ value: 2, unit: "kg" });
    expect(standaloneQuantity("1,5")).toEqual({ value: 1.5 });
    expect(standaloneQuantity("Nguyễn Văn An")).toBeUndefined();
  });
});

describe("reading the buyer's answers", () => {
  it("accepts Vietnamese phone numbers in their usual spellings and normalises them", () => {
    for (const typed of ["0912345678", "0912 345 678", "091.234.5678", "+84 912 345 678", "+84912345678", "84912345678", "sđt: 0912-345-678"]) {
      expect(readPhone(typed), typed).toEqual({ phone: "0912345678" });
    }
    expect(readPhone("024 3825 1234")).toEqual({ phone: "02438251234" });
  });

  it("rejects what is not a Vietnamese phone number", () => {
    for (const typed of ["12345678", "0112345678", "091234567", "09123456789", "+1 415 555 0100"]) {
      expect(readPhone(typed), typed).toHaveProperty("invalid");
    }
    expect(readPhone("Nguyễn Văn An")).toBeUndefined();
  });

  it("understands edits with and without a new value", () => {
    expect(readEdit("sửa số lượng thành 3")).toEqual({ field: "quantity", value: "3" });
    expect(readEdit("đổi địa chỉ")).toEqual({ field: "address" });
    expect(readEdit("đổi địa chỉ thành Số 5 Lý Thái Tổ, Bắc Ninh")).toEqual({ field: "address", value: "Số 5 Lý Thái Tổ, Bắc Ninh" });
    expect(readEdit("change the phone number to 0987654321")).toEqual({ field: "phone", value: "0987654321" });
    expect(readEdit("doi ten nguoi nhan la Tran Binh")).toEqual({ field: "name", value: "Tran Binh" });
    expect(readEdit("kẹo lạc giá bao nhiêu")).toBeUndefined();
  });

  it("tells names and addresses from questions", () => {
    expect(readName("nguyễn văn an")).toBe("Nguyễn Văn An");
    expect(readName("tên mình là Lan")).toBe("Lan");
    expect(readName("hội Lim ngày nào")).toBeUndefined();
    expect(readName("có bán nem Bùi không")).toBeUndefined();
    expect(readName("0912345678")).toBeUndefined();
    expect(readAddress("thôn Đông Hồ, xã Song Hồ, Bắc Ninh")).toBe("thôn Đông Hồ, xã Song Hồ, Bắc Ninh");
    expect(readAddress("12 Tran Phu street")).toBe("12 Tran Phu street");
    expect(readAddress("hội Lim năm nay vào ngày nào?")).toBeUndefined();
    expect(readAddress("ok")).toBeUndefined();
  });

  it("understands yes and no in both languages, with or without diacritics", () => {
    for (const yes of ["đồng ý", "ok", "xác nhận", "yes", "Dong y", "OK nhé"]) expect(saysYes(fold(yes)), yes).toBe(true);
    for (const no of ["hủy", "thôi", "no", "không", "cancel"]) expect(saysNo(fold(no)), no).toBe(true);
    expect(saysYes(fold("không"))).toBe(false);
  });
});
