import { fold, searchWords } from "./vietnamese.ts";

/**
 * English words tourists and buyers use, with the Vietnamese the corpus uses for them (and the
 * corpus's English word where it words it differently: "documents" → "dossier"), so that
 * "Phu Lang pottery" also searches "làng gốm Phù Lãng". Keys are singular and lower-case; a comma
 * separates alternatives, so that no word pair is made across them.
 */
const ENGLISH_TO_VIETNAMESE: Record<string, string> = {
  pottery: "gốm", ceramic: "gốm", potter: "gốm", kiln: "lò gốm", clay: "đất sét", glaze: "men",
  village: "làng", craft: "nghề, làng nghề", handicraft: "thủ công mỹ nghệ", artisan: "nghệ nhân",
  painting: "tranh", print: "tranh", woodblock: "tranh khắc gỗ", picture: "tranh", market: "chợ",
  festival: "lễ hội, hội", ceremony: "lễ", procession: "rước", singing: "hát quan họ", folk: "dân gian",
  bronze: "đồng, đúc đồng", casting: "đúc", copper: "đồng", rattan: "mây", bamboo: "tre, trúc", weaving: "đan",
  wood: "gỗ", furniture: "đồ gỗ", carpentry: "đồ gỗ", temple: "đền", pagoda: "chùa", communal: "đình",
  garlic: "tỏi", black: "đen", candy: "kẹo", peanut: "lạc", cake: "bánh", wedding: "phu thê, cưới", rice: "gạo",
  noodle: "mỳ", lychee: "vải thiều", tea: "chè", wine: "rượu", melon: "dưa", pineapple: "dứa", sausage: "giò, xúc xích",
  incense: "nhang", loofah: "xơ mướp", pork: "thịt lợn", shrimp: "tép, mắm", shoot: "măng",
  product: "sản phẩm", star: "sao", point: "điểm", score: "điểm, scoring, scored, points", scoring: "chấm điểm", rating: "phân hạng, xếp hạng, công nhận", rate: "xếp hạng, công nhận",
  rank: "hạng", certificate: "giấy chứng nhận", certification: "công nhận, chứng nhận", recognise: "công nhận",
  recognize: "công nhận", valid: "hiệu lực", validity: "hiệu lực", expire: "hết hạn", renewal: "đánh giá lại",
  dossier: "hồ sơ", document: "hồ sơ, dossier", paper: "hồ sơ, giấy tờ, dossier", need: "cần, phải, must", application: "hồ sơ, đăng ký", apply: "đăng ký, register", register: "đăng ký",
  step: "bước", cycle: "chu trình", process: "quy trình", criteria: "tiêu chí", group: "nhóm", category: "nhóm",
  subsidy: "hỗ trợ", support: "hỗ trợ", funding: "kinh phí", budget: "ngân sách, kinh phí", grant: "hỗ trợ",
  reward: "thưởng", cap: "tối đa", maximum: "tối đa", million: "triệu", billion: "tỷ",
  resolution: "nghị quyết", decision: "quyết định", policy: "chính sách", brand: "thương hiệu", branding: "thương hiệu",
  trademark: "nhãn hiệu", geographical: "chỉ dẫn địa lý", indication: "chỉ dẫn địa lý",
  cooperative: "hợp tác xã", enterprise: "doanh nghiệp", business: "doanh nghiệp, kinh doanh", household: "hộ",
  producer: "chủ thể", eligible: "đối tượng, được", who: "ai",
  target: "mục tiêu", goal: "mục tiêu", plan: "kế hoạch", province: "tỉnh", district: "huyện", commune: "xã",
  ward: "phường", merger: "sáp nhập", merge: "sáp nhập", merged: "sáp nhập", name: "tên",
  online: "thương mại điện tử", ecommerce: "thương mại điện tử", sell: "bán", selling: "bán",
  platform: "sàn", tourism: "du lịch", tourist: "du lịch", tour: "du lịch", pilot: "thí điểm",
  direction: "đường đi", route: "đường đi", get: "đi, đến", distance: "cách, khoảng", far: "cách, xa", bus: "xe buýt",
  hanoi: "Hà Nội", from: "từ", lunar: "âm lịch", date: "ngày", day: "ngày", month: "tháng", year: "năm",
  new: "mới", old: "cũ", first: "đầu tiên", national: "quốc gia", figure: "số lượng", many: "bao nhiêu",
  price: "giá", cost: "giá", fee: "phí, giá vé", ticket: "vé", opening: "mở cửa", open: "mở cửa", close: "đóng cửa",
  hour: "giờ", time: "giờ, thời gian", charge: "phí", entrance: "vé vào", admission: "vé vào",
  unesco: "UNESCO", heritage: "di sản", quan: "quan họ",
  evaluation: "đánh giá", evaluate: "đánh giá", assess: "đánh giá", assessment: "đánh giá", max: "tối đa, maximum",
  split: "chia, phần, divided", divide: "chia, phần, divided", divided: "chia, phần", part: "phần", total: "tổng",
  manage: "quản lý, chủ trì", manages: "quản lý, chủ trì", in_charge: "quản lý, chủ trì", responsible: "chủ trì, phụ trách",
  benefit: "đối tượng hỗ trợ, hưởng, beneficiaries", beneficiary: "đối tượng hỗ trợ", priority: "ưu tiên", prioritise: "ưu tiên", prioritize: "ưu tiên",
  sector: "ngành", industry: "ngành", ingredient: "nguyên liệu", founder: "tổ nghề", history: "lịch sử",
};

/**
 * Vietnamese ways of asking that the corpus words differently (keys are folded word pairs or words):
 * a question about who "chấm điểm" a product is answered by the sentence on who "đánh giá" it.
 */
const VIETNAMESE_SYNONYMS: Record<string, string> = {
  cham_diem: "đánh giá, phân hạng", het_han: "hết hiệu lực, đánh giá lại", nguyen_lieu: "làm bằng, làm từ",
  quan_ly: "chủ trì, phụ trách", to_nghe: "ông tổ, tổ nghề", bat_dau: "đầu tiên, phê duyệt", hoi_dong: "đánh giá, cấp",
  ho_so: "hồ sơ, giấy tờ", giay_to: "hồ sơ", cap_giay: "công nhận", thu_hoi: "mất danh hiệu, đánh giá lại",
  dat_chuan: "công nhận", duoc_huong: "đối tượng hỗ trợ", chuan_bi: "phải có, gồm", can_nop: "phải có, gồm", phan_hang: "đánh giá, xếp hạng", xep_hang: "phân hạng",
};

// "Nhóm 4", "nhóm thứ tư", "group 4", "the fourth group": the corpus numbers steps with digits ("Bước 4",
// "Step 4") and groups with words ("Nhóm thứ tư", "The fourth … group"), so each form searches the others.
const NOUNS: Readonly<Record<string, "group" | "step">> = { nhom: "group", buoc: "step", group: "group", step: "step" };
const VIETNAMESE_NOUN = { group: "nhóm", step: "bước" } as const;
const ORDINALS = [
  ["nhất", "first"], ["hai", "second"], ["ba", "third"], ["tư", "fourth"], ["năm", "fifth"],
  ["sáu", "sixth"], ["bảy", "seventh"], ["tám", "eighth"], ["chín", "ninth"], ["mười", "tenth"],
] as const;

/** The number after a noun: a digit ("nhom 4", "step 5") or "thứ" and an ordinal ("nhóm thứ tư"); 0 if none. */
function numberAfter(words: readonly string[], i: number): number {
  const next = words[i + 1] ?? "";
  if (/^\d+$/.test(next)) return Number(next);
  return next === "thu" ? ORDINALS.findIndex(([vi]) => fold(vi) === words[i + 2]) + 1 : 0;
}

/** The other ways of writing the numbered steps or groups a query names ("nhom 4" → "nhóm thứ tư . group 4 . fourth"). */
function numberedForms(words: readonly string[]): string[] {
  const forms: string[] = [];
  words.forEach((word, i) => {
    // "nhóm 4", "group 4" name the noun first; "the fourth group" names the ordinal first.
    const noun = NOUNS[word] ?? NOUNS[words[i + 1] ?? ""];
    const n = NOUNS[word] ? numberAfter(words, i) : ORDINALS.findIndex(([, en]) => en === word) + 1;
    if (!noun || n < 1 || n > ORDINALS.length) return;
    const [vi, en] = ORDINALS[n - 1]!;
    forms.push(`${VIETNAMESE_NOUN[noun]} ${n}`, `${VIETNAMESE_NOUN[noun]} thứ ${vi}`, `${noun} ${n}`, en);
  });
  return forms;
}

/**
 * Vietnamese words for the English words of a query ("pottery village" → "gốm làng"), and the corpus's
 * wording for Vietnamese phrasings it does not use ("chấm điểm" → "đánh giá"), or "".
 */
export function vietnameseEquivalents(text: string): string {
  const seen = new Set<string>();
  const words = searchWords(text);
  words.forEach((word, i) => {
    const equivalent = ENGLISH_TO_VIETNAMESE[word] ?? VIETNAMESE_SYNONYMS[word];
    if (equivalent) seen.add(equivalent);
    const key = `${words[i - 1]}_${word}`;
    const pair = i > 0 ? (VIETNAMESE_SYNONYMS[key] ?? ENGLISH_TO_VIETNAMESE[key]) : undefined;
    if (pair) seen.add(pair);
  });
  for (const form of numberedForms(words)) seen.add(form);
  return [...seen].join(" . ");
}
