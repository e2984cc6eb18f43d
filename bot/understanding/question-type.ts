/** What kind of answer a question wants; answers pick their sentences by it. */
export type QuestionType =
  | "definition"
  | "when"
  | "where"
  | "who"
  | "amount"
  | "count"
  | "list"
  | "why"
  | "how"
  | "yes_no"
  | "none";

// Tried in order over the folded text with abbreviations expanded; the first that matches decides.
const PATTERNS: readonly [Exclude<QuestionType, "none">, RegExp][] = [
  ["definition", /\b(la gi|la cai gi|nghia la gi|co nghia la|la sao|hieu the nao la|what is (a |an |the )?[\p{L}\s-]{2,40}\??$|what does .* mean|what are (an? )?ocop|define|meaning of)\b/u],
  ["when", /\b(khi nao|bao gio|hoi nao|ngay nao|ngay may|hom nao|thang nao|thang may|nam nao|luc nao|dip nao|thoi gian nao|thoi diem nao|dien ra vao|vao ngay|when|what date|what day|which day|which month|which year|what year|what time of (the )?year|best time|mua nao|thoi diem nao|dip nao)\b/],
  ["where", /\b(o dau|cho nao|noi nao|tai dau|den dau|dia diem nao|nam o|where|which place|what place|located)\b/],
  ["list", /\b(nhung gi|nhung ai|nhung \w+( \w+)? (gi|nao)|cac \w+( \w+)? (nao|gi)|gom (nhung )?(gi|nao|nhung)|co nhung|la nhung|liet ke|ke ten|what are|which are|who are|(what|which) (kinds|types|items|documents|papers|steps|groups|products|sectors|villages|festivals|crafts|policies|benefits)|list)\b/],
  ["who", /\b(ai|co quan nao|don vi nao|so nao|cap nao|hoi dong nao|bo nao|ben nao|to chuc nao|nguoi nao|(hop tac xa|cong ty|co so|doanh nghiep|nghe nhan|xuong|gia dinh|nha) nao|who|whom|which (body|agency|authority|department|office|level|council|ministry|organi[sz]ation|company|cooperative|co-op|producer|workshop|artisan|family|business))\b/],
  ["amount", /\b((gia|phi|le phi|chi phi|tien|ve vao)( \w+){0,6} bao nhieu|how much (does|do|is|are|will)( \w+){0,6} (cost|charge)|bao nhieu tien|bao nhieu trieu|bao nhieu ty|bao nhieu phan tram|gia bao nhieu|muc ho tro|ho tro (toi da )?bao nhieu|toi da bao nhieu|thuong bao nhieu|kinh phi|ngan sach|bao nhieu dong|how much|what amount|what is the cap|how big|budget|funding)\b/],
  ["count", /\b(bao nhieu|bao lau|may (?!moc\b|may\b|bay\b|tinh\b|man\b|mac\b)[a-z]+|how many|how long|number of|count)\b/],
  ["why", /\b(tai sao|vi sao|sao lai|ly do|why)\b/],
  ["how", /\b(phai lam gi|can lam gi|lam gi tiep|phai lam sao|what now|what should|what to do|what do i do|what can i do|the nao|nhu the nao|lam sao|lam the nao|cach nao|cach (di|dang ky|lam|tham gia)|thu tuc|quy trinh|how (do|can|to|does|should|is|are)|how)\b/],
  ["yes_no", /(\b(khong|chua|phai khong|dung khong|duoc khong|ko|k|hok)\s*\??$|^(co phai|phai chang|is|are|does|do|can|could|will|should|has|have|did)\b|\b(co (phai|duoc|ban|can))\b)/],
];

/** The question type of a message (folded, abbreviations expanded). */
export function questionTypeOf(searchFolded: string): QuestionType {
  const text = searchFolded.replace(/[.!]+$/, "").trim();
  return PATTERNS.find(([, pattern]) => pattern.test(text))?.[0] ?? "none";
}

/** Words that end an English noun phrase after "how many" ("how many product groups are there"). */
const ENGLISH_PHRASE_END = new Set("are is do does did can could will would have has there in of for on at per does to a an the".split(" "));

/**
 * The unit a count or amount question asks for: "bao nhiêu điểm" → "diem", "mấy mẫu" → "mau",
 * "how many product groups" → "group" (Vietnamese names the unit first, English last).
 */
export function askedUnit(searchFolded: string): string | undefined {
  const unit = countedWord(searchFolded);
  // "Bao nhiêu tiền", "how much money": an amount, stated in đồng or millions, not a count of "money".
  return unit && !MONEY_WORDS.has(unit) ? unit : undefined;
}

const MONEY_WORDS = new Set("tien kinh phi money funding budget cost fund".split(" "));

function countedWord(searchFolded: string): string | undefined {
  const vietnamese = /\b(?:bao nhieu|may)\s+(?!la\b|thi\b)([a-z]+)/.exec(searchFolded);
  if (vietnamese) return vietnamese[1];
  const english = /\b(?:how many|how much|number of)\s+((?:[a-z]+\s*){1,4})/.exec(searchFolded);
  if (!english) return undefined;
  const words = english[1]!.trim().split(/\s+/);
  const end = words.findIndex((word) => ENGLISH_PHRASE_END.has(word));
  const head = (end < 0 ? words : words.slice(0, end)).at(-1);
  return head?.replace(/s$/, "");
}
