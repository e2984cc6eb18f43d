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

/**
 * The text with every ngã tone (ã) written as a hỏi (ả): the two are the commonest misspelling in Vietnamese
 * ("Phù Lảng" for "Phù Lãng"), so names typed with the other one still match.
 */
export function hoiNgaAlike(text: string): string {
  return text.normalize("NFD").replace(/\u0303/g, "\u0309").normalize("NFC");
}

/** True when the text carries at least one Vietnamese diacritic letter. */
export function hasVietnameseDiacritics(text: string): boolean {
  return VIETNAMESE_LETTERS.test(text.normalize("NFC"));
}

// Chat abbreviations (Vietnamese, then English), keyed by their folded form, expanded before matching.
const ABBREVIATIONS: Record<string, string> = {
  ko: "không", k: "không", kh: "không", hok: "không", hong: "không", khong: "không",
  dc: "được", dk: "đăng ký", sdt: "số điện thoại", bn: "bao nhiêu", hn: "Hà Nội", j: "gì", ntn: "như thế nào",
  sp: "sản phẩm", htx: "hợp tác xã", dn: "doanh nghiệp", tmdt: "thương mại điện tử", nq: "nghị quyết",
  qd: "quyết định", ptnt: "phát triển nông thôn", vs: "với", mk: "mình", mik: "mình", mh: "mình", cty: "công ty",
  tp: "thành phố", tx: "thị xã", ubnd: "ủy ban nhân dân", hdnd: "hội đồng nhân dân", ng: "người", tg: "thời gian",
  r: "rồi", z: "vậy", lm: "làm", bik: "biết", bit: "biết", sx: "sản xuất", kd: "kinh doanh", nhiu: "nhiêu",
  bnh: "bao nhiêu", khi: "khi", ocop: "OCOP",
  // English chat.
  u: "you", ur: "your", pls: "please", plz: "please", thx: "thanks", tks: "thanks", abt: "about", wat: "what",
};

/** Replaces chat abbreviations ("ko", "dc", "bn", "hn"…) by the words they stand for. */
export function expandAbbreviations(text: string): string {
  return text.replace(/[\p{L}\p{N}]+/gu, (word) => ABBREVIATIONS[fold(word)] ?? word);
}

/** Folds text and rewrites numbers so "10.000", "10,000" and "10000" or "06" and "6" compare equal. */
export function foldForSearch(text: string): string {
  return fold(expandAbbreviations(normalizeText(text)))
    .replace(/\d{1,3}(?:[.,]\d{3})+(?!\d)/g, (number) => number.replace(/[.,]/g, ""))
    .replace(/\b0+(\d)/g, "$1");
}

/** English plurals made singular; a folded Vietnamese syllable never ends in "s", so only English is touched. */
export function singular(word: string): string {
  if (word.length <= 3 || word.endsWith("ss")) return word;
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (/(x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  return word.endsWith("s") ? word.slice(0, -1) : word;
}

/** Search words of a text: folded, abbreviations expanded, numbers normalised, English plurals singular. */
export function searchWords(text: string): string[] {
  return (foldForSearch(text).match(/[\p{L}\p{N}]+/gu) ?? []).map(singular);
}

/**
 * The terms a text is indexed and searched by: its words plus each pair of neighbouring words
 * ("phu_lang"), since Vietnamese meaning lives in multi-syllable words. Punctuation breaks pairs.
 */
export function searchTerms(text: string): string[] {
  const terms: string[] = [];
  // "/" does not break pairs, so a date such as 1/7/2025 yields the pairs 1_7 and 7_2025.
  for (const segment of foldForSearch(text).split(/[.,;:!?()\[\]"“”\n–—-]+/)) {
    const words = (segment.match(/[\p{L}\p{N}]+/gu) ?? []).map(singular);
    terms.push(...words);
    for (let i = 1; i < words.length; i++) terms.push(`${words[i - 1]}_${words[i]}`);
  }
  return terms;
}

/** Splits a paragraph into sentences without breaking numbers ("10.000", "1/7/2025") or abbreviations. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<![\s(](?:TP|TX|TT|Tp|P|Q|X|H|TS|ThS|PGS|GS)\.)(?<=[.!?…])\s+(?=[\p{Lu}\d"“(])/u)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}

/** Function words (folded) in Vietnamese and English that carry little meaning for search. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  ("la co cua va cac nhung mot duoc cho voi trong tren tu den ve o khi thi ma nay do de theo nhu khong bao nhieu " +
    "gi nao the hay hoac tai vao ra minh toi ban em anh a oi nhe vay roi chua cung da dang se bi " +
    "the an of to in is are was were and or for on with at by from what how when where which who does do did " +
    "can could i me my you your it its this that there be have has please tell about").split(" "),
);

/**
 * The function words among words typed with diacritics: "tôi" (I) is one, "tối" (as in "tối đa",
 * maximum) is not, although both fold to "toi".
 */
export const ACCENTED_STOPWORDS: ReadonlySet<string> = new Set(
  ("là có của và các những một được cho với trong trên từ đến về ở khi thì mà này đó để theo như không bao nhiêu " +
    "gì nào thế hay hoặc tại vào ra mình tôi bạn em anh ạ ơi nhé vậy rồi chưa cũng đã đang sẽ bị").split(" "),
);

/**
 * Words written with diacritics, lower-cased but not folded: they let a question typed with accents
 * tell "điểm" (points) from "Diềm" (a village), which folding makes equal.
 */
export function accentedWords(text: string): string[] {
  return (normalizeText(text).toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter(hasVietnameseDiacritics);
}

/**
 * "Kinh phí bao nhiêu?", "vé vào bao nhiêu?", "do they charge a fee?": the question asks about money. Bare
 * "tiền" and "giá" are left out, since "xúc tiến" (promotion) and "tham gia" (take part) fold to them.
 */
const MONEY_QUESTION = /\b(kinh phi|ngan sach|chi phi|le phi|phi|ve vao|gia ve|gia bao nhieu|bao nhieu tien|so tien|nguon von|budget|funding|funds?|money|costs?|fees?|charge|tickets?|prices?|spend|spent|billion|million)\b/;

/** True when a question, given by its search words (`searchWords`), asks about an amount of money (see MONEY_QUESTION). */
export function asksAboutMoney(words: readonly string[]): boolean {
  return MONEY_QUESTION.test(words.join(" "));
}
