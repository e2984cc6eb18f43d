/** Reading the buyer's answers during an order: phone numbers, yes/no, edits, and telling answers from other questions. */
import { fold } from "../knowledge/vietnamese.ts";

/** The largest quantity of one product taken by chat; more is a wholesale enquiry for the producer. */
export const MAX_QUANTITY = 100;

/** What a message says about a phone number. */
export type PhoneReading = { readonly phone: string } | { readonly invalid: string } | undefined;

/**
 * Finds a Vietnamese phone number (0xxxxxxxxx, +84…, 84…, with spaces, dots or dashes) and
 * normalises it to 0xxxxxxxxx. A run of digits that is not a valid number is reported as invalid.
 */
export function readPhone(text: string): PhoneReading {
  const candidate = /(?:\+\s?)?\d[\d\s.()-]{6,18}\d/.exec(text)?.[0];
  if (!candidate) return undefined;
  let digits = candidate.replace(/[^\d+]/g, "");
  if (digits.startsWith("+84")) digits = `0${digits.slice(3)}`;
  else if (digits.startsWith("84") && digits.length === 11) digits = `0${digits.slice(2)}`;
  // Mobile numbers have 10 digits after the 2018 renumbering; landlines are 02x + 8 digits.
  if (/^0[35789]\d{8}$/.test(digits) || /^02\d{9}$/.test(digits)) return { phone: digits };
  return { invalid: candidate.trim() };
}

/** The text without the phone number in it, for "Lan 0912345678". */
export function withoutPhone(text: string): string {
  return text.replace(/(?:\+\s?)?\d[\d\s.()-]{6,18}\d/, " ").replace(/\b(sdt|sđt|so dien thoai|số điện thoại|phone|tel|dt|đt)\b[:\s]*/gi, " ").replace(/\s+/g, " ").replace(/^[\s,.;:-]+|[\s,.;:-]+$/g, "");
}

// Words of a yes or a no, and the particles that may come with them ("ok em", "yes, confirm", "không ạ").
const YES_PHRASES = /^(dong y|ok|oke|okay|okie|ok luon|xac nhan|xac nhan dat hang|confirm|confirm order|yes|yep|yeah|y|co|chot|chot don|dat luon|dung roi|duoc|place the order|sure|go ahead|dat di|lam di|uh|u|vang|da)$/;
const NO_PHRASES = /^(khong|no|nope|ko|k|thoi|thoi khong mua|khong mua nua|huy|huy don|huy bo|cancel|cancel order|stop|bo qua|khong dat nua)$/;
const PARTICLES = new Set("a nhe nha nhen em anh chi ban shop ad oi luon di roi please thanks thank you cam on nhe ban ok".split(" "));

/** The message reads as `phrases` followed or preceded only by particles ("ok em", "vâng ạ", "yes, confirm"). */
function says(folded: string, phrases: RegExp): boolean {
  const words = folded.replace(/[^\p{L}\p{N}\s]/gu, " ").split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 6) return false;
  if (phrases.test(words.join(" "))) return true;
  // Try every run of words as the phrase, the rest being particles or other words of the same kind.
  for (let start = 0; start < words.length; start++) {
    for (let end = words.length; end > start; end--) {
      const phrase = words.slice(start, end).join(" ");
      if (!phrases.test(phrase)) continue;
      const rest = [...words.slice(0, start), ...words.slice(end)];
      if (rest.every((word) => PARTICLES.has(word) || phrases.test(word))) return true;
    }
  }
  return false;
}

/** "đồng ý", "ok em", "xác nhận", "yes, confirm"… */
export const saysYes = (folded: string) => says(folded, YES_PHRASES);
/** "không", "hủy", "thôi", "no"… */
export const saysNo = (folded: string) => says(folded, NO_PHRASES);

const QUESTION = /\?|\b(bao nhieu|the nao|nhu the nao|o dau|khi nao|luc nao|ngay nao|la gi|gi|sao|nao|tai sao|vi sao|may gio|co phai|what|when|where|how|which|who|why|is there|are there|do you|can you)\b/;

// "… không", "… chưa" at the end make a yes/no question ("có bán nem Bùi không").
const YES_NO_QUESTION = /\b(khong|ko|chua)\s*$/;

/** True when the message reads as a question of its own rather than an answer. */
export function looksLikeQuestion(text: string): boolean {
  const folded = fold(text).replace(/[.!]+$/, "").trim();
  return QUESTION.test(folded) || YES_NO_QUESTION.test(folded);
}

/** A detail of the order the buyer can change. */
export type EditableField = "quantity" | "name" | "phone" | "address" | "product";

const EDIT = /^(?:(?:xin |cho |minh |toi |em )?(?:sua|doi|thay doi|thay|cap nhat|chinh|change|edit|update|correct|fix)(?: lai)?)\s+(?:the |my )?(so luong|sl|quantity|ten(?: nguoi nhan)?|name|recipient(?: name)?|so dien thoai|sdt|dien thoai|phone(?: number)?|dia chi|address|san pham|product)(?:\s+(?:thanh|la|sang|to|into|=|:)\s*|\s*:\s*|\s+)?(.*)$/;

/** "sửa số lượng thành 3", "đổi địa chỉ", "change the phone to …": the field and, if given, the new value (as typed). */
export function readEdit(text: string): { field: EditableField; value?: string } | undefined {
  const folded = fold(text);
  const match = EDIT.exec(folded);
  if (!match) return undefined;
  const word = match[1]!;
  const field: EditableField = /^(so luong|sl|quantity)/.test(word)
    ? "quantity"
    : /^(ten|name|recipient)/.test(word)
      ? "name"
      : /^(so dien thoai|sdt|dien thoai|phone)/.test(word)
        ? "phone"
        : /^(dia chi|address)/.test(word)
          ? "address"
          : "product";
  // Folding keeps the length of each letter, so the typed value is the same slice of the original text.
  const value = match[2] ? text.slice(text.length - match[2].length).trim() : "";
  return value ? { field, value } : { field };
}

const ADDRESS_WORDS = /\b(so|duong|pho|ngo|ngach|hem|thon|xom|ap|lang|xa|phuong|quan|huyen|thi xa|thi tran|tinh|thanh pho|tp|khu|to dan pho|street|st|road|rd|village|ward|commune|district|province|city|apartment|floor|bac ninh|bac giang|ha noi|hanoi)\b/;

/** A delivery address: at least ten characters, with words that look like one or at least three words that are not a question. */
export function readAddress(text: string): string | undefined {
  const trimmed = text.trim().replace(/^(giao (về|đến|tới|ve|den|toi)|gửi (về|đến|tới)|gui (ve|den|toi)|địa chỉ|dia chi|deliver to|send to|address)\s*:?\s*/i, "");
  if (trimmed.length < 10 || trimmed.length > 300 || !/\p{L}/u.test(trimmed)) return undefined;
  const folded = fold(trimmed);
  if (ADDRESS_WORDS.test(folded)) return trimmed;
  if (looksLikeQuestion(trimmed)) return undefined;
  return trimmed.split(/\s+/).length >= 3 ? trimmed : undefined;
}

/** A recipient's name: one to six words of letters, not a question. */
export function readName(text: string): string | undefined {
  const trimmed = text.trim().replace(/^(ten( toi| minh| em| nguoi nhan)? la|tên( tôi| mình| em| người nhận)? là|my name is|name:?|tên:?|ten:?)\s+/i, "");
  const words = trimmed.split(/\s+/);
  if (words.length === 0 || words.length > 6 || trimmed.length < 2 || trimmed.length > 80) return undefined;
  if (!/^[\p{L}\s.'-]+$/u.test(trimmed) || looksLikeQuestion(trimmed)) return undefined;
  return trimmed.replace(/(^|\s)\p{Ll}/gu, (letter) => letter.toUpperCase());
}
