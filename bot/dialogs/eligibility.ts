/**
 * The support-eligibility check: asks, one at a time and with buttons, only the questions whose answer
 * can still change the result, then lists each support item the producer may qualify for (cap, legal
 * basis, confidence, caveats, whom to ask). The rules are data (knowledge/data/support-rules.json).
 * An answer may be typed instead of pressed ("mình là hợp tác xã", "khong", "4 sao"); a question that
 * names a kind of producer and a resolution is answered at once from that resolution's rules.
 */
import { z } from "zod";
import { evaluateEligibility, nextQuestion, profileSchema, renderEligibility, type Profile, type ProfileField, type SupportRules } from "../../knowledge/eligibility.ts";
import { fold, searchWords, STOPWORDS } from "../../knowledge/vietnamese.ts";
import { sourcesOf, withCitation, type Titles } from "../texts/cite.ts";
import { eligibilityTexts } from "../texts/eligibility.ts";
import type { Turn } from "../turn.ts";
import type { Language } from "../types.ts";
import { firstOf } from "../understanding/entities.ts";
import type { Dialog, DialogStep } from "./dialog.ts";

const SOURCE_IDS = ["nghi-quyet-14-2023", "chinh-sach-ho-tro-khac"];

const stateSchema = z.object({ profile: profileSchema.partial(), asking: profileSchema.keyof().optional() });

/** The answers so far and the question waiting for one. */
export type EligibilityState = z.infer<typeof stateSchema>;

// Where a producer says it is: in the province, or in another one (which rules out the province's support).
const HERE = /\b(o|tai|tru so|dang ky|based in|in|from)\s+(o\s+|tai\s+)?(tinh\s+)?bac (ninh|giang)\b/;
const ELSEWHERE = /\b(o|tai|tru so|dang ky|based in|in|from)\s+(o\s+|tai\s+)?(tinh\s+|thanh pho\s+|tp\s+)?(ha noi|hanoi|hai phong|ho chi minh|hcm|sai gon|saigon|da nang|can tho|hue|quang ninh|thai nguyen|lang son|hung yen|hai duong|vinh phuc|phu tho|tuyen quang|lao cai|yen bai|ha nam|nam dinh|ninh binh|thanh hoa|nghe an|ha tinh|binh duong|dong nai|tinh khac|another province)\b/;
// Typed answers to the yes/no question about the producer's seat.
const YES = /^(co|co a|co chu|dung|dung roi|phai|vang|da|da co|yes|y|yep|yeah|sure|correct|of course)(\b[,.!]|$)|\b(o|tai|tru so|dang ky) (o |tai )?bac (ninh|giang)\b/;
const NO = /^(khong|ko|k|khong a|chua|no|nope|not|khong phai)(\b[,.!]|$)/;
// "à nhầm", "à không", "ý mình là", "actually", "sorry": the message corrects an earlier answer.
const CORRECTION = /^(a |a nham|nham|khong|ko|y (minh|toi|em) la|xin loi|actually|sorry|no|oops|i meant)\b/;
/** Answers a correction may change: those a message names unambiguously. */
const CORRECTABLE: readonly ProfileField[] = ["producer_kind", "registered_in_bac_ninh", "star_level"];
const NO_PLACE = /\b(ngoai tinh|tinh khac|outside|another province|ha noi|hai duong|thai nguyen|hung yen|lang son)\b/;
/** The provinces a seat in qualifies: the merged Bắc Ninh, and the two it was merged from. */
const HOME_PROVINCES: ReadonlySet<string> = new Set(["bac-ninh", "bac-ninh-old", "bac-giang-old"]);
// What a producer asks support for, in its own words ("hỗ trợ đào tạo về thương hiệu", "branding training").
// "thương hiệu" (brand) and "thưởng" (reward) fold alike, so the reward is a "thưởng" not followed by "hiệu".
const PURPOSES: readonly [Profile["purpose"], RegExp][] = [
  ["brand_day_events", /\b(ngay thuong hieu|brand day)\b/],
  ["ip_registration", /\b(nhan hieu|sang che|kieu dang cong nghiep|giong cay trong moi|trademark|patent|industrial design|plant variet)/],
  ["certification_iso_haccp", /\b(iso|haccp|gmp|truy xuat|traceab)/],
  ["machinery", /\b(may moc|thiet bi|machine|equipment)/],
  ["media_ecommerce_promotion", /\b(quang ba|thuong mai dien tu|tmdt|san tmdt|hoi cho|xuc tien|e-?commerce|trade fair|promotion|advertis)/],
  ["branding_training", /\b(dao tao|tap huan|tuyen truyen|an pham|training|publication)/],
  ["star_reward", /\b(thuong(?! hieu)|reward|rewarded|bonus)\b/],
];

/** The eligibility dialog over the support rules. */
export function eligibilityDialog(rules: SupportRules, titles: Titles): Dialog<EligibilityState> & { fromRules(turn: Turn): DialogStep<EligibilityState> | undefined } {
  const result = (profile: Partial<Profile>, language: Language, scoped?: (id: string) => boolean): DialogStep<EligibilityState> => {
    const evaluated = evaluateEligibility(profile, rules);
    const shown = scoped
      ? {
          eligible: [...evaluated.eligible, ...evaluated.needsMoreInfo].filter((rule) => scoped(rule.instrument.vi)),
          needsMoreInfo: [],
          notEligible: evaluated.notEligible.filter((entry) => scoped(entry.rule.instrument.vi)),
          unknowns: evaluated.unknowns.filter((unknown) => unknown.applies_to.some((id) => rules.rules.some((rule) => rule.id === id && scoped(rule.instrument.vi)))),
        }
      : evaluated;
    const sources = sourcesOf(SOURCE_IDS, titles, language);
    return { state: undefined, replies: [{ text: withCitation(renderEligibility(shown, language), sources, language) }], intent: "eligibility_result", sources };
  };

  const step = (profile: Partial<Profile>, language: Language): DialogStep<EligibilityState> => {
    const field = nextQuestion(profile, rules);
    if (!field) return result(profile, language);
    const question = rules.questions.find((q) => q.id === field)!;
    return { state: { profile, asking: field }, replies: [{ text: question.question[language], buttons: question.values.map((v) => v.label[language]) }], intent: "eligibility_question" };
  };

  /**
   * "hộ kinh doanh có được hỗ trợ theo nghị quyết 14 không?", "NQ 14 hỗ trợ hợp tác xã những gì?": a kind of
   * producer and a resolution named together are answered at once from that resolution's rules.
   */
  function fromRules(turn: Turn): DialogStep<EligibilityState> | undefined {
    const profile = prefill(turn);
    const instrument = firstOf(turn.signals.entities, "instrument");
    if (!instrument || !profile.producer_kind) return undefined;
    const pattern = new RegExp(`\\b0*${instrument.number}/`);
    const scoped = (name: string) => pattern.test(name);
    if (!rules.rules.some((rule) => scoped(rule.instrument.vi))) return undefined;
    return result({ ...profile, registered_in_bac_ninh: profile.registered_in_bac_ninh ?? "yes" }, turn.language, scoped);
  }

  const dialog: Dialog<EligibilityState> & { fromRules: typeof fromRules } = {
    fromRules,
    name: "eligibility",
    version: 1,
    schema: stateSchema,

    start(turn) {
      return fromRules(turn) ?? step(prefill(turn), turn.language);
    },

    answer(turn, state) {
      const value = state.asking && answerFor(state.asking, turn);
      if (!value) return undefined;
      return step({ ...state.profile, [state.asking!]: value }, turn.language);
    },

    // A change of an earlier answer is simply another answer: "à không, mình là doanh nghiệp", "à nhầm,
    // sản phẩm bên mình 3 sao thôi", "sorry, we're based in Hanoi".
    correct(turn, state) {
      if (!CORRECTION.test(turn.signals.folded)) return undefined;
      const changes = Object.fromEntries(
        CORRECTABLE.filter((field) => field !== state.asking && state.profile[field] !== undefined)
          .map((field) => [field, correctedValue(field, turn)] as const)
          .filter(([field, value]) => value !== undefined && value !== state.profile[field]),
      );
      return Object.keys(changes).length > 0 ? step({ ...state.profile, ...changes }, turn.language) : undefined;
    },

    resume(state, language) {
      const question = rules.questions.find((q) => q.id === state.asking) ?? rules.questions[0]!;
      return { text: `${eligibilityTexts[language].resumePrefix}${question.question[language]}`, buttons: question.values.map((v) => v.label[language]) };
    },

    cancel: (_state, language) => ({ reply: { text: eligibilityTexts[language].cancelled }, intent: "eligibility_cancelled" }),
  };
  return dialog;

  /** A corrected earlier answer, from what the message names (a kind, a star level, a seat) rather than a bare yes or no. */
  function correctedValue(field: ProfileField, turn: Turn): string | undefined {
    const folded = turn.signals.folded;
    if (field === "registered_in_bac_ninh") return NO_PLACE.test(folded) || ELSEWHERE.test(folded) ? "no" : HERE.test(folded) ? "yes" : undefined;
    if (field === "producer_kind") {
      const kind = firstOf(turn.signals.entities, "producer_kind")?.value;
      return kind && rules.questions.find((q) => q.id === field)!.values.some((v) => v.id === kind) ? kind : undefined;
    }
    return answerFor(field, turn);
  }

  /** The value a message gives for `field`: a label typed or pressed, or what the message plainly says. */
  function answerFor(field: ProfileField, turn: Turn): string | undefined {
    const typed = fold(turn.signals.text).replace(/[.!?]+$/, "").trim();
    const question = rules.questions.find((q) => q.id === field)!;
    const exact = question.values.find((v) => [v.label.vi, v.label.en, v.id].some((label) => fold(label) === typed));
    if (exact) return exact.id;
    const { entities } = turn.signals;
    switch (field) {
      case "producer_kind":
        return firstOf(entities, "producer_kind")?.value;
      case "registered_in_bac_ninh":
        // A seat elsewhere outweighs a leading "có"; "Có, bên mình ở Yên Thế (Bắc Giang cũ)" is a yes.
        return NO_PLACE.test(typed) || ELSEWHERE.test(typed) ? "no" : YES.test(typed) ? "yes" : NO.test(typed) ? "no" : undefined;
      case "star_level": {
        const stars = firstOf(entities, "stars")?.value;
        if (stars !== undefined && stars >= 3) return String(stars);
        return /\b(chua co sao|chua co|khong co sao|none|no stars?|not yet)\b/.test(typed) ? "none" : undefined;
      }
      default:
        return closestLabel(question.values, typed);
    }
  }

  /** Answers the opening message already gives ("HTX của tôi…", "sản phẩm 4 sao được thưởng không"). */
  function prefill(turn: Turn): Partial<Profile> {
    const { entities, folded } = turn.signals;
    const kind = firstOf(entities, "producer_kind")?.value;
    const stars = firstOf(entities, "stars")?.value;
    const allowed = rules.questions.find((q) => q.id === "producer_kind")!.values.map((v) => v.id);
    const purpose = PURPOSES.find(([, pattern]) => pattern.test(folded))?.[0];
    // "làm mỳ gạo", "our rice noodles": the product named says the sector, if its groups agree.
    const groups = new Set([
      ...entities.flatMap((entity) => (entity.type === "product" ? entity.products.map((product) => product.group) : [])),
      ...entities.flatMap((entity) => (entity.type === "product_group" ? [entity.value] : [])),
    ]);
    const crafts = [...groups].filter((group) => group === "thu-cong-my-nghe").length;
    const sector = groups.size === 0 ? undefined : crafts === groups.size ? ("handicraft" as const) : crafts === 0 ? ("ocop_agriculture_food" as const) : undefined;
    const inHomeProvince = entities.some((entity) => entity.type === "province" && HOME_PROVINCES.has(entity.value));
    return {
      ...(kind && allowed.includes(kind) ? { producer_kind: kind } : {}),
      ...(purpose ? { purpose } : {}),
      ...(sector ? { sector } : {}),
      // "HTX ở Lục Ngạn (Bắc Giang cũ)": a place in one of the provinces is a seat in the province.
      ...(ELSEWHERE.test(folded) ? { registered_in_bac_ninh: "no" as const } : HERE.test(folded) || inHomeProvince ? { registered_in_bac_ninh: "yes" as const } : {}),
      ...(stars !== undefined && stars >= 3 ? { star_level: String(stars) as Profile["star_level"] } : {}),
      ...(/\b(lan dau|first time|first rating)\b/.test(folded) ? { rating_kind: "first" as const }
        : /\b(nang hang|len \d sao|upgraded?|upgrading)\b/.test(folded) ? { rating_kind: "upgrade" as const }
        : /\b(danh gia lai|giu nguyen|van giu|re-?rat|same star)/.test(folded) ? { rating_kind: "re_rating" as const } : {}),
    };
  }
}

/** The option whose label shares the most content words with what was typed (at least two, and more than any other). */
function closestLabel(values: readonly { id: string; label: { vi: string; en: string } }[], typed: string): string | undefined {
  const words = new Set(searchWords(typed).filter((word) => !STOPWORDS.has(word)));
  if (words.size === 0) return undefined;
  const scored = values
    .map((value) => {
      const label = new Set([...searchWords(value.label.vi), ...searchWords(value.label.en)].filter((word) => !STOPWORDS.has(word)));
      return { id: value.id, overlap: [...words].filter((word) => label.has(word)).length };
    })
    .sort((a, b) => b.overlap - a.overlap);
  const [best, second] = scored;
  return best && best.overlap >= Math.min(2, words.size) && best.overlap > (second?.overlap ?? 0) ? best.id : undefined;
}
