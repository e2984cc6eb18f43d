/**
 * Texts of orders: the order dialog's questions and notes, the buyer's and producer's commands, and
 * the notices each side receives. Every amount is formatted from database numbers.
 */
import type { Product } from "../../knowledge/catalogue.ts";
import type { Order, OrderLine, OrderStatus } from "../ports.ts";
import type { Language } from "../types.ts";
import { formats } from "./format.ts";

/** A field of the order the buyer can change, with its button label. */
export type EditableField = "quantity" | "name" | "phone" | "address" | "product";

interface OrderTexts {
  readonly status: Record<OrderStatus, string>;
  readonly time: Intl.DateTimeFormat;
  // The dialog's questions.
  readonly whichOne: string;
  readonly whichProduct: string;
  readonly howMany: (product: Product) => string;
  readonly askName: string;
  readonly askPhone: string;
  readonly askAddress: string;
  readonly whatToChange: string;
  readonly editButtons: readonly (readonly [EditableField, string])[];
  readonly confirmButtons: readonly [confirm: string, edit: string, cancel: string];
  readonly resumePrefix: string;
  // Notes on what a message changed or why it was refused.
  readonly added: (quantity: string, unit: string, name: string, caveat: string) => string;
  readonly otherUnit: (product: Product) => string;
  readonly removed: (names: string) => string;
  /** A correction taken: "Đã sửa số điện thoại: 0904556182." */
  readonly changed: (field: EditableField, value: string) => string;
  readonly positive: string;
  readonly tooMany: (max: number, unit: string, product: Product) => string;
  readonly wholeNumber: (product: Product, unit: string) => string;
  readonly notOrderable: (names: string) => string;
  readonly nameLettersOnly: string;
  readonly badPhone: (typed: string) => string;
  readonly badPhoneShort: (typed: string) => string;
  readonly vagueAddress: string;
  readonly didYouMean: (typed: string) => string;
  readonly notInCatalogue: (typed: string) => string;
  // The summary and the outcome.
  readonly checkOrder: string;
  readonly total: (amount: string) => string;
  readonly producers: (count: number) => string;
  readonly recipient: (name: string, phone: string) => string;
  readonly address: (address: string) => string;
  readonly confirmQuestion: string;
  readonly samplePriceNote: string;
  readonly placed: (count: number) => string;
  readonly placedLine: (order: Order) => string;
  readonly producerWillCall: (phone: string, push: boolean) => string;
  readonly howToFollow: (code: string) => string;
  readonly myOrdersButton: string;
  readonly nothingAvailable: string;
  /** The buyer reached the day's limit of orders by chat. */
  readonly limited: string;
  /** A producer does not take this buyer's orders by chat. */
  readonly blocked: (producers: readonly { readonly name: string; readonly nameEn: string }[]) => string;
  readonly abandoned: string;
  /** To a producer who blocked (or unblocked) the buyer of an order. */
  readonly buyerBlocked: (code: string) => string;
  readonly buyerUnblocked: (code: string) => string;
  readonly expired: string;
  // Commands.
  readonly linkFailed: string;
  readonly linked: (producer: string) => string;
  readonly noOrders: string;
  readonly yourOrders: string;
  readonly sendCode: (code: string) => string;
  readonly nothingToCancel: string;
  readonly whichToCancel: string;
  readonly cancelButton: (code: string) => string;
  readonly noProducerOrders: (producer: string) => string;
  readonly producerOrders: (producer: string) => string;
  readonly notFound: (code: string) => string;
  readonly cannotCancel: (code: string, status: string, producer: string) => string;
  readonly cannotMove: (code: string, status: string, wanted: string) => string;
  readonly buyerNotified: (push: boolean) => string;
  readonly cancelled: (code: string) => string;
  readonly moved: (code: string, status: string, told: string) => string;
  readonly delivery: string;
  // Details of one order.
  readonly orderHeading: (code: string, status: string) => string;
  readonly producerLine: (name: string) => string;
  readonly totalLine: (amount: string, sample: boolean) => string;
  readonly deliverTo: (name: string, phone: string, address: string) => string;
  readonly history: string;
  readonly reason: (note: string) => string;
  readonly statusNotice: (order: Order, status: string, reason: string) => string;
}

export const orderTexts: Record<Language, OrderTexts> = {
  vi: {
    status: { pending: "chờ xác nhận", confirmed: "đã xác nhận", shipping: "đang giao", completed: "hoàn thành", cancelled: "đã hủy" },
    time: new Intl.DateTimeFormat("vi-VN", { timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", year: "numeric" }),
    whichOne: "Bạn muốn chọn loại nào?",
    whichProduct: 'Bạn muốn đặt sản phẩm nào? Gõ tên và số lượng (ví dụ "2 gói kẹo lạc Trang Toàn"), hoặc chọn bên dưới:',
    howMany: (p) => `Bạn muốn mua bao nhiêu ${p.unit} ${p.name}? Giá: ${formats.vi.price(p)}.`,
    askName: "Cho mình xin tên người nhận hàng.",
    askPhone: "Số điện thoại người nhận là gì? (ví dụ 0912 345 678)",
    askAddress: "Địa chỉ giao hàng? (số nhà, đường/thôn, xã/phường, tỉnh)",
    whatToChange: "Bạn muốn sửa thông tin nào?",
    editButtons: [["quantity", "Số lượng"], ["product", "Sản phẩm"], ["name", "Tên người nhận"], ["phone", "Số điện thoại"], ["address", "Địa chỉ"]],
    confirmButtons: ["Xác nhận đặt hàng", "Sửa", "Hủy"],
    resumePrefix: "Tiếp tục đơn hàng: ",
    added: (quantity, unit, name, caveat) => `Đã ghi: ${quantity} ${unit} ${name}${caveat}.`,
    otherUnit: (p) => ` (sản phẩm bán theo ${p.unit}; bạn có thể sửa lại)`,
    removed: (names) => `Đã bỏ: ${names}.`,
    changed: (field, value) => `Đã sửa ${{ quantity: "số lượng", name: "tên người nhận", phone: "số điện thoại", address: "địa chỉ", product: "sản phẩm" }[field]}: ${value}.`,
    positive: "Số lượng phải lớn hơn 0.",
    tooMany: (max, unit, p) => `Qua chat mình nhận tối đa ${max} ${unit} mỗi sản phẩm; số lượng lớn hơn bạn liên hệ trực tiếp cơ sở (${p.producerName}) nhé.`,
    wholeNumber: (p, unit) => `${p.name} bán theo ${unit}, bạn nhập số nguyên nhé.`,
    notOrderable: (names) => `${names}: hiện không nhận đặt qua chat.`,
    nameLettersOnly: "Tên người nhận chỉ gồm chữ; bạn gửi riêng tên nhé.",
    badPhone: (typed) => `"${typed}" chưa phải số điện thoại Việt Nam hợp lệ. Bạn gửi số gồm 10 chữ số bắt đầu bằng 0 (ví dụ 0912 345 678) hoặc dạng +84… nhé.`,
    badPhoneShort: (typed) => `"${typed}" chưa phải số điện thoại hợp lệ.`,
    vagueAddress: "Bạn cho mình địa chỉ đầy đủ để cơ sở giao được hàng: số nhà, đường/thôn, xã/phường, tỉnh.",
    didYouMean: (typed) => `Mình không thấy đúng "${typed}" trong danh mục; có phải bạn muốn một trong các sản phẩm này?`,
    notInCatalogue: (typed) => `Danh mục OCOP của mình chưa có "${typed}".`,
    checkOrder: "Bạn kiểm tra lại đơn hàng nhé:",
    total: (amount) => `Tổng cộng: ${amount} (chưa gồm phí giao hàng)`,
    producers: (count) => `Sản phẩm thuộc ${count} cơ sở nên sẽ thành ${count} đơn riêng.`,
    recipient: (name, phone) => `Người nhận: ${name}, ${phone}`,
    address: (address) => `Địa chỉ: ${address}`,
    confirmQuestion: "Bạn xác nhận đặt hàng chứ?",
    samplePriceNote: "Giá mẫu chỉ để minh họa: cơ sở sản xuất sẽ xác nhận giá thực tế và phí giao hàng khi liên hệ với bạn.",
    placed: (count) => `✅ Đặt hàng thành công (${count > 1 ? "mỗi cơ sở một đơn" : "1 đơn"}):`,
    placedLine: (o) => `• ${o.code} — ${o.producer.name} — ${formats.vi.money(o.totalVnd)} — chờ xác nhận`,
    producerWillCall: (phone, push) =>
      `Cơ sở sản xuất sẽ xác nhận và gọi số ${phone} để thống nhất giá, phí giao và cách thanh toán.${push ? " Mình sẽ nhắn bạn khi trạng thái đơn thay đổi." : ""}`,
    howToFollow: (code) => `Gõ "đơn hàng của tôi" để xem, hoặc "hủy đơn ${code}" nếu muốn hủy khi đơn chưa giao.`,
    myOrdersButton: "Đơn hàng của tôi",
    nothingAvailable: "Xin lỗi, các sản phẩm này hiện không còn nhận đặt.",
    limited:
      "Xin lỗi, bạn đã đặt nhiều đơn qua trang chat trong 24 giờ qua nên mình chưa nhận thêm đơn này; chưa có đơn nào được tạo. " +
      "Bạn có thể thử lại vào ngày mai, hoặc liên hệ trực tiếp cơ sở sản xuất hay Sở Công Thương tỉnh Bắc Ninh.",
    blocked: (producers) =>
      `Xin lỗi, ${producers.map((p) => p.name).join(", ")} hiện không nhận đơn của bạn qua chat; chưa có đơn nào được tạo. ` +
      "Bạn vui lòng liên hệ trực tiếp cơ sở sản xuất, hoặc hỏi Sở Công Thương tỉnh Bắc Ninh về nơi bán sản phẩm OCOP.",
    abandoned: "Được, mình đã hủy đơn đang đặt dở; chưa có đơn nào được tạo.",
    buyerBlocked: (code) =>
      `Đã chặn người mua của đơn ${code}: họ không đặt được đơn mới với cơ sở của bạn qua chat, và bạn không nhận thông báo đơn của họ nữa. Gõ "bỏ chặn ${code}" để mở lại.`,
    buyerUnblocked: (code) => `Đã bỏ chặn người mua của đơn ${code}; họ lại đặt được đơn với cơ sở của bạn.`,
    expired: "Đơn đặt dở từ hơn một ngày trước đã hết hạn; chưa có đơn nào được tạo.",
    linkFailed: "Mã liên kết không đúng, đã dùng hoặc đã hết hạn. Bạn xin đơn vị vận hành mã mới nhé.",
    linked: (producer) =>
      `Đã liên kết cuộc trò chuyện này với ${producer}. Đơn hàng mới cho sản phẩm của cơ sở sẽ được gửi tới đây. Trả lời "xác nhận DH-…", "đang giao DH-…", "hoàn thành DH-…" hoặc "hủy DH-… <lý do>"; gõ "đơn mới" để xem danh sách đơn.`,
    noOrders: 'Bạn chưa có đơn hàng nào. Gõ ví dụ "đặt 2 gói kẹo lạc Trang Toàn" để đặt hàng.',
    yourOrders: "Đơn hàng của bạn (mới nhất trước):",
    sendCode: (code) => `Gửi mã đơn (ví dụ "${code}") để xem chi tiết.`,
    nothingToCancel: "Bạn không có đơn nào còn hủy được.",
    whichToCancel: "Bạn muốn hủy đơn nào?",
    cancelButton: (code) => `Hủy đơn ${code}`,
    noProducerOrders: (producer) => `Chưa có đơn hàng nào cho ${producer}.`,
    producerOrders: (producer) => `Đơn hàng của ${producer} (mới nhất trước):`,
    notFound: (code) => `Mình không tìm thấy đơn ${code} trong các đơn của bạn.`,
    cannotCancel: (code, status, producer) => `Đơn ${code} đang ở trạng thái "${status}" nên không hủy được qua chat nữa. Bạn liên hệ trực tiếp ${producer} nhé.`,
    cannotMove: (code, status, wanted) => `Đơn ${code} đang ở trạng thái "${status}", không chuyển sang "${wanted}" được.`,
    buyerNotified: (push) => (push ? "khách hàng sẽ nhận được thông báo" : "khách hàng sẽ thấy khi xem đơn của mình"),
    cancelled: (code) => `Đã hủy đơn ${code}.`,
    moved: (code, status, told) => `Đơn ${code} đã chuyển sang "${status}"; ${told}.`,
    delivery:
      "Phí giao hàng, nơi giao và cách thanh toán do từng cơ sở sản xuất thỏa thuận: sau khi bạn đặt, cơ sở sẽ gọi điện để thống nhất giá, phí giao và cách thanh toán. Mình chưa có thông tin về khu vực giao, thời gian hay phí giao cụ thể; bạn hỏi trực tiếp cơ sở khi họ gọi xác nhận đơn nhé.",
    orderHeading: (code, status) => `Đơn ${code} · ${status}`,
    producerLine: (name) => `Cơ sở: ${name}`,
    totalLine: (amount, sample) => `Tổng cộng: ${amount}${sample ? " (giá mẫu)" : ""}`,
    deliverTo: (name, phone, address) => `Giao cho: ${name}, ${phone}, ${address}`,
    history: "Lịch sử:",
    reason: (note) => ` Lý do: ${note}.`,
    statusNotice: (o, status, reason) => `Đơn hàng ${o.code} của bạn (${o.producer.name}) đã chuyển sang: ${status}.${reason}`,
  },
  en: {
    status: { pending: "awaiting confirmation", confirmed: "confirmed", shipping: "out for delivery", completed: "completed", cancelled: "cancelled" },
    time: new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", year: "numeric" }),
    whichOne: "Which one would you like?",
    whichProduct: 'Which product would you like? Type its name and quantity (e.g. "2 packs of Trang Toàn peanut candy"), or pick one:',
    howMany: (p) => `How many ${formats.en.unit(p, 2)} of ${p.nameEn} would you like? Price: ${formats.en.price(p)}.`,
    askName: "What is the recipient's name?",
    askPhone: "The recipient's phone number? (e.g. 0912 345 678)",
    askAddress: "The delivery address? (house number, street or hamlet, commune/ward, province)",
    whatToChange: "What would you like to change?",
    editButtons: [["quantity", "Quantity"], ["product", "Products"], ["name", "Recipient name"], ["phone", "Phone number"], ["address", "Address"]],
    confirmButtons: ["Confirm order", "Edit", "Cancel"],
    resumePrefix: "Back to your order: ",
    added: (quantity, unit, name, caveat) => `Added: ${quantity} ${unit} of ${name}${caveat}.`,
    otherUnit: (p) => ` (it is sold by the ${formats.en.unit(p, 1)}; you can change it)`,
    removed: (names) => `Removed: ${names}.`,
    changed: (field, value) => `Changed the ${{ quantity: "quantity", name: "recipient's name", phone: "phone number", address: "address", product: "products" }[field]} to ${value}.`,
    positive: "The quantity must be more than 0.",
    tooMany: (max, unit, p) => `By chat I take up to ${max} ${unit} per product; for larger quantities please contact the producer (${p.producerNameEn}).`,
    wholeNumber: (p, unit) => `${p.nameEn} is sold by the ${unit}; please give a whole number.`,
    notOrderable: (names) => `${names}: not available to order by chat.`,
    nameLettersOnly: "A name has letters only; please send just the recipient's name.",
    badPhone: (typed) => `"${typed}" is not a Vietnamese phone number. Please send 10 digits starting with 0 (e.g. 0912 345 678) or +84…`,
    badPhoneShort: (typed) => `"${typed}" is not a Vietnamese phone number.`,
    vagueAddress: "Please give the full address so the producer can deliver: house number, street or hamlet, commune/ward, province.",
    didYouMean: (typed) => `I could not find "${typed}" exactly; did you mean one of these?`,
    notInCatalogue: (typed) => `"${typed}" is not in our OCOP catalogue.`,
    checkOrder: "Please check your order:",
    total: (amount) => `Total: ${amount} (delivery not included)`,
    producers: (count) => `The products come from ${count} producers, so this makes ${count} orders.`,
    recipient: (name, phone) => `Recipient: ${name}, ${phone}`,
    address: (address) => `Address: ${address}`,
    confirmQuestion: "Confirm the order?",
    samplePriceNote: "Prices marked as samples are illustrative: the producer confirms the actual price and delivery cost when they call you.",
    placed: (count) => `✅ Order placed (${count > 1 ? "one order per producer" : "1 order"}):`,
    placedLine: (o) => `• ${o.code} — ${o.producer.nameEn} — ${formats.en.money(o.totalVnd)} — awaiting confirmation`,
    producerWillCall: (phone, push) =>
      `The producer will confirm it and call ${phone} about the price, delivery cost and payment.${push ? " I will message you when the status changes." : ""}`,
    howToFollow: (code) => `Type "my orders" to check them, or "cancel order ${code}" before it ships.`,
    myOrdersButton: "My orders",
    nothingAvailable: "Sorry, none of these products can be ordered any more.",
    limited:
      "Sorry, you have placed many orders through the web chat in the last 24 hours, so I cannot take this one; nothing was placed. " +
      "Please try again tomorrow, or contact the producer directly or the Bắc Ninh Department of Industry and Trade (Sở Công Thương).",
    blocked: (producers) =>
      `Sorry, ${producers.map((p) => p.nameEn).join(", ")} is not taking your orders by chat at the moment; nothing was placed. ` +
      "Please contact the producer directly, or ask the Bắc Ninh Department of Industry and Trade (Sở Công Thương) where OCOP products are sold.",
    abandoned: "OK, I dropped this order. Nothing was placed.",
    buyerBlocked: (code) =>
      `Blocked the buyer of ${code}: they cannot place new orders with you by chat, and you will not be notified of any. Type "unblock ${code}" to undo.`,
    buyerUnblocked: (code) => `Unblocked the buyer of ${code}; they can order from you again.`,
    expired: "The order you started more than a day ago has expired; nothing was placed.",
    linkFailed: "This link code is unknown, already used or expired. Please ask the operator for a new one.",
    linked: (producer) =>
      `This chat is now linked to ${producer}. New orders for its products will arrive here. Answer "xác nhận DH-…", "đang giao DH-…", "hoàn thành DH-…" or "hủy DH-… <reason>"; "new orders" lists them.`,
    noOrders: 'You have no orders yet. Type e.g. "2 packs of Trang Toàn peanut candy" to order.',
    yourOrders: "Your orders (newest first):",
    sendCode: (code) => `Send an order code (e.g. "${code}") for its details.`,
    nothingToCancel: "You have no order that can still be cancelled.",
    whichToCancel: "Which order should I cancel?",
    cancelButton: (code) => `Cancel order ${code}`,
    noProducerOrders: (producer) => `No orders for ${producer} yet.`,
    producerOrders: (producer) => `Orders for ${producer} (newest first):`,
    notFound: (code) => `I found no order ${code} among yours.`,
    cannotCancel: (code, status, producer) => `Order ${code} is ${status}, so it can no longer be cancelled here. Please contact ${producer}.`,
    cannotMove: (code, status, wanted) => `Order ${code} is ${status}; it cannot be moved to "${wanted}".`,
    buyerNotified: (push) => (push ? "the buyer is being notified" : "the buyer sees it in their orders"),
    cancelled: (code) => `Order ${code} is cancelled.`,
    moved: (code, status, told) => `Order ${code} is now "${status}"; ${told}.`,
    delivery:
      "Each producer agrees delivery and payment with you: after you order, the producer calls you to agree the price, the delivery cost and how to pay. I don't have the delivery areas, times or fees of each producer; please ask the producer when they call to confirm your order.",
    orderHeading: (code, status) => `Order ${code} · ${status}`,
    producerLine: (name) => `Producer: ${name}`,
    totalLine: (amount, sample) => `Total: ${amount}${sample ? " (sample prices)" : ""}`,
    deliverTo: (name, phone, address) => `Deliver to: ${name}, ${phone}, ${address}`,
    history: "History:",
    reason: (note) => ` Reason: ${note}.`,
    statusNotice: (o, status, reason) => `Your order ${o.code} from ${o.producer.nameEn} is now: ${status}.${reason}`,
  },
};

/** "• Kẹo lạc Trang Toàn: 2 gói × 45.000 đ = 90.000 đ". */
export function lineText(line: OrderLine, language: Language): string {
  const f = formats[language];
  const name = f.productName(line);
  return `• ${name}: ${f.quantity(line.quantity)} ${f.unit(line, line.quantity)} × ${f.money(line.unitPriceVnd)} = ${f.money(line.lineTotalVnd)}`;
}

/** An order with its lines, total, recipient and status history. */
export function orderDetails(order: Order, language: Language): string {
  const t = orderTexts[language];
  const history = order.history.map((entry) => `  – ${t.time.format(entry.at)}: ${t.status[entry.status]}${entry.note ? ` (${entry.note})` : ""}`);
  return [
    t.orderHeading(order.code, t.status[order.status]),
    t.producerLine(formats[language].name(order.producer)),
    ...order.lines.map((line) => lineText(line, language)),
    t.totalLine(formats[language].money(order.totalVnd), order.pricesAreSample),
    t.deliverTo(order.recipientName, order.phone, order.address),
    t.history,
    ...history,
  ].join("\n");
}

/** One line per order, for "my orders". */
export function orderListLine(order: Order, language: Language): string {
  const t = orderTexts[language];
  const f = formats[language];
  const items = order.lines.map((line) => `${f.quantity(line.quantity)} ${f.unit(line, line.quantity)} ${f.productName(line)}`);
  return `• ${order.code} (${t.time.format(order.createdAt)}): ${items.join(", ")} — ${f.money(order.totalVnd)} — ${t.status[order.status]}`;
}

/** The message a producer's chat receives for a new order (producers read Vietnamese). */
export function newOrderNotice(order: Order): string {
  return [
    `🛒 Đơn hàng mới ${order.code} cho ${order.producer.name}`,
    ...order.lines.map((line) => lineText(line, "vi")),
    `Tổng cộng: ${formats.vi.money(order.totalVnd)}${order.pricesAreSample ? " (theo giá mẫu trong danh mục; bạn báo giá thực tế cho khách)" : ""}`,
    `Người nhận: ${order.recipientName}, ${order.phone}`,
    `Địa chỉ: ${order.address}`,
    "",
    `Trả lời "xác nhận ${order.code}", "đang giao ${order.code}", "hoàn thành ${order.code}" hoặc "hủy ${order.code} <lý do>".`,
  ].join("\n");
}

/** The message a buyer receives when the producer moves their order along, in the language they ordered in. */
export function buyerStatusNotice(order: Order): string {
  const t = orderTexts[order.language];
  const note = order.history.at(-1)?.note;
  return t.statusNotice(order, t.status[order.status], note ? t.reason(note) : "");
}

/** The message a producer receives when the buyer cancels. */
export function buyerCancelledNotice(order: Order): string {
  return `Khách đã hủy đơn ${order.code} (${order.lines.map((line) => line.name).join(", ")}).`;
}
