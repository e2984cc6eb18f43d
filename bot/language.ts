import { fold, hasVietnameseDiacritics } from "../knowledge/vietnamese.ts";
import type { Language } from "./types.ts";

// A folded syllable that Vietnamese spelling allows: onset, one to three vowels, coda.
const VIETNAMESE_SYLLABLE =
  /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|nh|ng|[cmnpt])?$/;

// Unaccented words (and chat abbreviations) that mark a message as Vietnamese.
const VIETNAMESE_WORDS = new Set(
  ("khong ko k kh hok duoc dc gi j z v r nao bao nhieu toi minh cua voi va la co cho di den tu o ve sao xin chao " +
    "cam nhe oi em anh chi ban bn hoi le lang san pham mua dat don hang gia ngay thang nam hom nay mai sdt ntn " +
    "nhu nhung neu thi ma roi chua can muon duong xa gan tinh huyen phuong hop tac kinh doanh nghiep tro nghiem " +
    "quyet diem sap toi huy xac nhan dong y thoi vang da u uh giup chung nhan nhieu tien huong dan ad sp mk mik " +
    "nha ak trang web vay the nay kia day do thoi gio").split(" "),
);

// Common English words, including short ones that are also valid Vietnamese spellings ("i", "buy", "the").
const ENGLISH_WORDS = new Set(
  ("i my you your we our they it is are was were be been am does did can could will would should might must " +
    "what when where which who whom why how the of in on at for from with about and or but not yes if than then " +
    "please thanks thank hello hi buy sell price much many get go see visit want like need know tell show give " +
    "order orders there this that these those here any some all more most best time day year month festival village " +
    "product products pottery market painting cooperative support resolution decision star stars point points " +
    "bye goodbye later thx cheers sorry great good nice plan trip tour visit travel far near close open long " +
    "just also too very really only still again next last first new old big small free cheap expensive " +
    "make made sold cost costs pay paid deliver delivery ship shipping help check find book stay eat drink " +
    "talk speak human person someone staff agent real chat bot").split(" "),
);

// Letter groups English uses and Vietnamese spelling never does.
const ENGLISH_SHAPE = /(th|sh|wh|ck|ee|oo|ea|ou|ow|tion|ing$|ed$|ly$)/;

// Words either community types; they decide nothing.
const NEUTRAL_WORDS = new Set(["ok", "oke", "okay", "hi", "alo", "ocop", "vs", "haha", "hihi", "kg", "km", "vn"]);

/**
 * Guesses whether a message is Vietnamese (with or without diacritics) or English.
 * Returns `fallback` (the conversation's language so far) when the text gives no evidence either way:
 * a word that is neither Vietnamese nor recognisably English (a name, a typo, "asdf") decides nothing.
 */
export function detectLanguage(text: string, fallback: Language = "vi"): Language {
  let vietnamese = 0;
  let english = 0;
  // A command such as /help says nothing about the language of the person typing it, nor does
  // an order or link code ("DH-7K3Q9", "LK-AB2C-D3EF"), a web address or an e-mail.
  const words = text
    .normalize("NFC")
    .replace(/^\/\w+/, "")
    .replace(/\b(?:dh|lk)-[a-z0-9-]+/gi, "")
    .replace(/\b[\w.-]+@[\w.-]+|\b(?:https?:\/\/)?[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org|gov|edu)\b\S*/gi, "");
  for (const [index, word] of (words.match(/[\p{L}\p{N}']+/gu) ?? []).entries()) {
    const folded = fold(word).replace(/'.*$/, "").replace(/(?<=[a-z]{3})s$/, "");
    if (/\d/.test(folded) || NEUTRAL_WORDS.has(folded) || folded.length === 0) continue;
    // A capitalised word typed without diacritics ("Phu Lang", "Dong Ho") is a name, in either language.
    if (index > 0 && !hasVietnameseDiacritics(word) && /^\p{Lu}/u.test(word) && word !== word.toUpperCase()) continue;
    if (hasVietnameseDiacritics(word)) {
      // A capitalised Vietnamese name inside an English sentence is weaker evidence than a plain word.
      vietnamese += word[0] === word[0]!.toUpperCase() ? 0.5 : 1;
    } else if (ENGLISH_WORDS.has(folded) || VIETNAMESE_WORDS.has(folded)) {
      // "the", "do", "can" are as often unaccented Vietnamese ("thế", "đó", "cần") as English.
      if (!VIETNAMESE_WORDS.has(folded)) english += 1;
      else if (!ENGLISH_WORDS.has(folded)) vietnamese += 1;
    } else if (!VIETNAMESE_SYLLABLE.test(folded) && ENGLISH_SHAPE.test(folded) && folded.length > 2) {
      english += 1;
    }
  }
  if (english > vietnamese) return "en";
  if (vietnamese > english) return "vi";
  return fallback;
}
