import type { Order } from "../../../bot/ports.ts";

/** Vietnamese phone numbers as people type them: 0 or +84, then 9 digits, spaced or dotted anyhow. */
const PHONE = /(?:\+?84|0)(?:[\s.-]?\d){8,9}\b/g;

/** "0912 345 678" → "09•••••78": enough to tell two numbers apart, not to call one. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  return digits.length <= 4 ? "•••" : `${digits.slice(0, 2)}•••••${digits.slice(-2)}`;
}

/** Keeps the last part of an address (commune or province), which says where without saying who. */
export function maskAddress(address: string): string {
  const parts = address.split(",").map((part) => part.trim()).filter(Boolean);
  return parts.length > 1 ? `•••, ${parts.at(-1)}` : "•••";
}

/** An order with the buyer's phone and address masked. */
export function maskOrder(order: Order): Order {
  return { ...order, phone: maskPhone(order.phone), address: maskAddress(order.address) };
}

/**
 * A masker for a conversation's texts: the phone numbers, addresses and names given in the buyer's
 * orders (wherever they appear, in the buyer's messages or in the bot's summaries), and anything
 * typed like a phone number.
 */
export function textMasker(orders: readonly Order[]): (text: string) => string {
  const secrets = orders
    .flatMap((order) => [
      [order.address, maskAddress(order.address)],
      [order.recipientName, "•••"],
      [order.phone, maskPhone(order.phone)],
    ])
    .filter(([value]) => value!.trim().length >= 3)
    .sort((a, b) => b[0]!.length - a[0]!.length) as [string, string][];
  return (text) => {
    let masked = text;
    for (const [value, replacement] of secrets) masked = masked.split(value).join(replacement);
    return masked.replace(PHONE, (phone) => maskPhone(phone));
  };
}
