/**
 * Vietnamese text processing shared by language detection, search and dialogs.
 * Users type with or without diacritics; every comparison goes through `fold`.
 */

// Control characters other than tab and newline; they only reach us from binary or broken clients.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD]/g;

/** NFC-normalises text, drops control characters and collapses runs of spaces. */
export function normalizeText(text: string): string {
  return text
    .normalize("NFC")
    .replace(CONTROL_CHARS, "")
    .replace(/[ \t]+/g, " ")
    .trim();
}

/** Lower-cases and strips diacritics (including đ → d), so "Đồng Hồ" and "dong ho" compare equal. */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .normalize("NFC");
}

/** Splits folded text into syllables (letters and digits; punctuation separates). */
export function syllables(text: string): string[] {
  return fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

// Letters that exist only in Vietnamese among the languages we serve.
const VIETNAMESE_LETTERS = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i;

/** True when the text carries at least one Vietnamese diacritic letter. */
export function hasVietnameseDiacritics(text: string): boolean {
  return VIETNAMESE_LETTERS.test(text.normalize("NFC"));
}
