/** Texts of the catalogue and order flows, in Vietnamese and English; every amount is formatted from database numbers. */
import type { Product } from "../knowledge/catalogue.ts";
import type { Order, OrderLine, OrderStatus } from "./ports.ts";
import type { Language } from "./types.ts";

/** "45.000 đ" or "45,000 VND". */
export function money(amount: number, language: Language): string {
  return language === "en" ? `${amount.toLocaleString("en-US")} VND` : `${amount.toLocaleString("vi-VN")} đ`;
}

/** "1,5" in Vietnamese, "1.5" in English. */
export function quantityText(quantity: number, language: Language): string {
  return quantity.toLocaleString(language === "en" ? "en-US" : "vi-VN", { maximumFractionDigits: 1 });
}

/** The unit a quantity is counted in: "gói"; "pack" or "packs" in English. */
export function unitLabel(item: { unit: string; unitEn: string }, quantity: number, language: Language): string {
  if (language === "vi") return item.unit;
  if (quantity === 1 || item.unitEn === "kg") return item.unitEn;
  return /(x|s|ch|sh)$/.test(item.unitEn) ? `${item.unitEn}es` : `${item.unitEn}s`;
}

/** A product's name in the language of the reply. */
export function productName(product: Pick<Product, "name" | "nameEn">, language: Language): string {
  return language === "en" ? product.nameEn : product.name;
}

/** "45.000 đ/gói (giá mẫu)": the price as the database holds it, marked when it is a sample. */
export function priceText(product: Product, language: Language): string {
  const unit = language === "en" ? product.unitEn : product.unit;
  const sample = product.priceIsSample ? (language === "en" ? " (sample price)" : " (giá mẫu)") : "";
  return `${money(product.priceVnd, language)}/${unit}${sample}`;
}

/** "★★★★" for a star rating, or a note that the sources give none. */
export function starsText(stars: number | null, language: Language): string {
  if (stars === null) return language === "en" ? "OCOP, star rating not given in our sources" : "OCOP, nguồn chưa nêu số sao";
  return language === "en" ? `${stars}-star OCOP` : `OCOP ${stars} sao`;
}

const STATUS: Record<OrderStatus, Record<Language, string>> = {
  pending: { vi: "chờ xác nhận", en: "awaiting confirmation" },
  confirmed: { vi: "đã xác nhận", en: "confirmed" },
  shipping: { vi: "đang giao", en: "out for delivery" },
  completed: { vi: "hoàn thành", en: "completed" },
  cancelled: { vi: "đã hủy", en: "cancelled" },
};

/** The name of a status. */
export function statusText(status: OrderStatus, language: Language): string {
  return STATUS[status][language];
}

const timeFormat = (language: Language) =>
  new Intl.DateTimeFormat(language === "en" ? "en-GB" : "vi-VN", {
    timeZone: "Asia/Ho_Chi_Minh",
    hour: "2-digit",
    minute: "2-digit",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
  });

/** A time in Vietnam's time zone ("14:05 29/11/2026"). */
function timeText(at: Date, language: Language): string {
  return timeFormat(language).format(at);
}

/** "• Kẹo lạc Trang Toàn: 2 gói × 45.000 đ = 90.000 đ". */
export function lineText(line: OrderLine, language: Language): string {
  const unit = unitLabel(line, line.quantity, language);
  const name = language === "en" ? line.nameEn : line.name;
  return `• ${name}: ${quantityText(line.quantity, language)} ${unit} × ${money(line.unitPriceVnd, language)} = ${money(line.lineTotalVnd, language)}`;
}

/** The caveat every total with a sample price carries. */
export function samplePriceNote(language: Language): string {
  return language === "en"
    ? "Prices marked as samples are illustrative: the producer confirms the actual price and delivery cost when they call you."
    : "Giá mẫu chỉ để minh họa: cơ sở sản xuất sẽ xác nhận giá thực tế và phí giao hàng khi liên hệ với bạn.";
}

/** An order with its lines, total, recipient and status history. */
export function orderDetails(order: Order, language: Language): string {
  const en = language === "en";
  const history = order.history.map((entry) => {
    const note = entry.note ? ` (${entry.note})` : "";
    return `  – ${timeText(entry.at, language)}: ${statusText(entry.status, language)}${note}`;
  });
  return [
    `${en ? "Order" : "Đơn"} ${order.code} · ${statusText(order.status, language)}`,
    `${en ? "Producer" : "Cơ sở"}: ${order.producer.name}`,
    ...order.lines.map((line) => lineText(line, language)),
    `${en ? "Total" : "Tổng cộng"}: ${money(order.totalVnd, language)}${order.pricesAreSample ? (en ? " (sample prices)" : " (giá mẫu)") : ""}`,
    `${en ? "Deliver to" : "Giao cho"}: ${order.recipientName}, ${order.phone}, ${order.address}`,
    `${en ? "History" : "Lịch sử"}:`,
    ...history,
  ].join("\n");
}

/** One line per order, for "my orders". */
export function orderListLine(order: Order, language: Language): string {
  const items = order.lines.map((line) => `${quantityText(line.quantity, language)} ${unitLabel(line, line.quantity, language)} ${language === "en" ? line.nameEn : line.name}`);
  return `• ${order.code} (${timeText(order.createdAt, language)}): ${items.join(", ")} — ${money(order.totalVnd, language)} — ${statusText(order.status, language)}`;
}

/** The message a producer's chat receives for a new order (producers read Vietnamese). */
export function newOrderNotice(order: Order): string {
  return [
    `🛒 Đơn hàng mới ${order.code} cho ${order.producer.name}`,
    ...order.lines.map((line) => lineText(line, "vi")),
    `Tổng cộng: ${money(order.totalVnd, "vi")}${order.pricesAreSample ? " (theo giá mẫu trong danh mục; bạn báo giá thực tế cho khách)" : ""}`,
    `Người nhận: ${order.recipientName}, ${order.phone}`,
    `Địa chỉ: ${order.address}`,
    "",
    `Trả lời "xác nhận ${order.code}", "đang giao ${order.code}", "hoàn thành ${order.code}" hoặc "hủy ${order.code} <lý do>".`,
  ].join("\n");
}

/** The message a buyer receives when the producer moves their order along. */
export function buyerStatusNotice(order: Order): string {
  const language = order.language;
  const latest = order.history.at(-1);
  const reason = latest?.note ? (language === "en" ? ` Reason: ${latest.note}.` : ` Lý do: ${latest.note}.`) : "";
  return language === "en"
    ? `Your order ${order.code} from ${order.producer.name} is now: ${statusText(order.status, language)}.${reason}`
    : `Đơn hàng ${order.code} của bạn (${order.producer.name}) đã chuyển sang: ${statusText(order.status, language)}.${reason}`;
}

/** The message a producer receives when the buyer cancels. */
export function buyerCancelledNotice(order: Order): string {
  return `Khách đã hủy đơn ${order.code} (${order.lines.map((line) => line.name).join(", ")}).`;
}
