import { fold, hasVietnameseDiacritics } from "../knowledge/vietnamese.ts";
import type { Language } from "./types.ts";

// A folded syllable that Vietnamese spelling allows: onset, one to three vowels, coda.
const VIETNAMESE_SYLLABLE =
  /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|nh|ng|[cmnpt])?$/;

// Unaccented words (and chat abbreviations) that mark a message as Vietnamese.
const VIETNAMESE_WORDS = new Set(
  ("khong ko k kh hok duoc dc gi j z nao bao nhieu toi minh cua voi va la co cho di den tu o ve sao xin chao " +
    "cam nhe oi em anh chi ban bn hoi le lang san pham mua dat don hang gia ngay thang nam hom nay mai sdt ntn " +
    "nhu nhung neu thi ma roi chua can muon duong xa gan tinh huyen phuong hop tac kinh doanh nghiep tro nghiem " +
    "quyet diem sap toi huy xac nhan dong y thoi vang da u uh giup chung nhan nhieu tien huong dan").split(" "),
);

// Words that are valid Vietnamese spellings but, typed alone, almost always mean English.
const ENGLISH_WORDS = new Set(["i", "my", "buy", "hello", "thanks", "thank", "please", "yes"]);

// Words either community types; they decide nothing.
const NEUTRAL_WORDS = new Set(["ok", "oke", "okay", "hi", "alo", "the", "ocop", "vs", "haha", "hihi", "kg", "km"]);

/**
 * Guesses whether a message is Vietnamese (with or without diacritics) or English.
 * Returns `fallback` (the conversation's language so far) when the text gives no evidence either way.
 */
export function detectLanguage(text: string, fallback: Language = "vi"): Language {
  let vietnamese = 0;
  let english = 0;
  // A command such as /help says nothing about the language of the person typing it.
  // Nor does an order or link code ("DH-7K3Q9", "LK-AB2C-D3EF").
  const words = text.normalize("NFC").replace(/^\/\w+/, "").replace(/\b(?:dh|lk)-[a-z0-9-]+/gi, "");
  for (const word of words.match(/[\p{L}\p{N}']+/gu) ?? []) {
    const folded = fold(word).replace(/'.*$/, "");
    if (/\d/.test(folded) || NEUTRAL_WORDS.has(folded) || folded.length === 0) continue;
    if (hasVietnameseDiacritics(word)) {
      // A capitalised Vietnamese name inside an English sentence is weaker evidence than a plain word.
      vietnamese += word[0] === word[0]!.toUpperCase() ? 0.5 : 1;
    } else if (ENGLISH_WORDS.has(folded) || !VIETNAMESE_SYLLABLE.test(folded)) {
      if (!VIETNAMESE_WORDS.has(folded)) english += 1;
    } else if (VIETNAMESE_WORDS.has(folded)) {
      vietnamese += 1;
    }
  }
  if (english > vietnamese) return "en";
  if (vietnamese > english) return "vi";
  return fallback;
}
