import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { AnswerLanguage } from "./answer.ts";

/** The shipped support-eligibility table (questions, rules, known gaps), built from the fact sheet §3. */
export const SUPPORT_RULES_FILE = fileURLToPath(new URL("./data/support-rules.json", import.meta.url));

/** Every answer the dialog can collect about a producer; the rule file must use exactly these fields and values. */
export const profileSchema = z.object({
  producer_kind: z.enum(["sme", "cooperative", "cooperative_union", "household_business", "cooperative_group"]),
  registered_in_bac_ninh: z.enum(["yes", "no"]),
  purpose: z.enum([
    "branding_training",
    "media_ecommerce_promotion",
    "brand_day_events",
    "ip_registration",
    "star_reward",
    "certification_iso_haccp",
    "machinery",
    "other",
  ]),
  sector: z.enum(["ocop_agriculture_food", "handicraft", "other_industry"]),
  star_level: z.enum(["none", "3", "4", "5"]),
  rating_kind: z.enum(["first", "re_rating", "upgrade", "none"]),
});

/** A producer's answers; the dialog holds a `Partial<Profile>` until every question that matters is answered. */
export type Profile = z.infer<typeof profileSchema>;

/** The id of one profile question. */
export type ProfileField = keyof Profile;

const { shape } = profileSchema;
const fieldSchema = profileSchema.keyof();
const localized = z.strictObject({ vi: z.string().min(1), en: z.string().min(1) });

// A field left out of `when` means any answer matches; a listed field must hold one of the values.
const conditionSchema = z.strictObject({
  producer_kind: z.array(shape.producer_kind).min(1).optional(),
  registered_in_bac_ninh: z.array(shape.registered_in_bac_ninh).min(1).optional(),
  purpose: z.array(shape.purpose).min(1).optional(),
  sector: z.array(shape.sector).min(1).optional(),
  star_level: z.array(shape.star_level).min(1).optional(),
  rating_kind: z.array(shape.rating_kind).min(1).optional(),
});

const questionSchema = z.strictObject({
  id: fieldSchema,
  /** Short name used inside sentences ("hạng sao OCOP"). */
  name: localized,
  question: localized,
  values: z.array(z.strictObject({ id: z.string().min(1), label: localized })).min(2),
});

const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: localized,
  /** The legal basis, named in each language ("Nghị quyết 14/2023/NQ-HĐND" / "Resolution 14/2023/NQ-HĐND"). */
  instrument: localized,
  when: conditionSchema,
  /** Why an answer outside `when` is excluded, where the sources say so; otherwise a reason is generated. */
  exclusion_reasons: z.partialRecord(fieldSchema, localized).default({}),
  /** null: the amount was searched for and NOT FOUND. */
  cap: localized.nullable(),
  confidence: z.enum(["C2", "S1", "U"]),
  sources: z.array(z.string().min(1)).min(1),
  caveats: z.array(localized),
  contact: localized,
});

const unknownSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  /** A noun phrase: the reply says "not yet known: <text>". */
  text: localized,
  contact: localized,
  /** Worth mentioning while one of these rules is still possible. */
  applies_to: z.array(z.string()).min(1),
});

const supportRulesSchema = z
  .strictObject({
    questions: z.array(questionSchema),
    rules: z.array(ruleSchema).min(1),
    general_unknowns: z.array(unknownSchema),
  })
  .superRefine((data, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    // The questions must label exactly the profile's fields and values, or the dialog could not ask or explain one.
    const asked = data.questions.map((question) => question.id);
    if (new Set(asked).size !== asked.length || asked.length !== fieldSchema.options.length) {
      issue(["questions"], `expected one question per field: ${fieldSchema.options.join(", ")}`);
    }
    data.questions.forEach((question, index) => {
      // Compared sorted: a zod enum keeps its values as object keys, which puts "3", "4", "5" first.
      const expected = [...shape[question.id].options].sort().join(", ");
      if (question.values.map((value) => value.id).sort().join(", ") !== expected) {
        issue(["questions", index, "values"], `expected each of the values ${expected} once`);
      }
    });
    const ruleIds = new Set<string>();
    data.rules.forEach((rule, index) => {
      if (ruleIds.has(rule.id)) issue(["rules", index, "id"], `duplicate rule id ${rule.id}`);
      ruleIds.add(rule.id);
      for (const field of Object.keys(rule.exclusion_reasons)) {
        if (!(field in rule.when)) issue(["rules", index, "exclusion_reasons", field], "explains a field the rule does not test");
      }
    });
    data.general_unknowns.forEach((unknown, index) => {
      for (const id of unknown.applies_to) {
        if (!ruleIds.has(id)) issue(["general_unknowns", index, "applies_to"], `unknown rule id ${id}`);
      }
    });
  });

/** Two-language text. */
export type Localized = z.infer<typeof localized>;
/** A profile question with its answer labels. */
export type Question = z.infer<typeof questionSchema>;
/** One support item: who qualifies (`when`), how much, on what legal basis, how sure, and whom to ask. */
export type Rule = z.infer<typeof ruleSchema>;
/** A support fact that was searched for and NOT FOUND, with the office to ask instead. */
export type GeneralUnknown = z.infer<typeof unknownSchema>;
/** The validated contents of the support-rules file. */
export type SupportRules = z.infer<typeof supportRulesSchema>;

/** Validates support-rules JSON text; throws naming the file and every problem. */
export function parseSupportRules(raw: string, fileName: string): SupportRules {
  // NFC so that text from the file compares equal to what users and the rest of the bot type.
  const parsed = supportRulesSchema.safeParse(JSON.parse(raw.normalize("NFC")));
  if (!parsed.success) throw new Error(`${fileName}: bad support rules: ${parsed.error.message}`);
  return parsed.data;
}

/** Loads and validates the support-rules file. */
export function loadSupportRules(path: string = SUPPORT_RULES_FILE): SupportRules {
  return parseSupportRules(readFileSync(path, "utf8"), path);
}

/** A rule the profile rules out, with the fields that fail and why. */
export interface NotEligible {
  readonly rule: Rule;
  readonly fields: readonly ProfileField[];
  readonly reason: Localized;
}

/** Every rule sorted by what the profile says about it, each list in rule order. */
export interface EligibilityResult {
  readonly eligible: readonly Rule[];
  /** Rules no answer rules out yet, but which test a field still unanswered. */
  readonly needsMoreInfo: readonly Rule[];
  readonly notEligible: readonly NotEligible[];
  /** Gaps worth admitting while an eligible or still-possible rule depends on them. */
  readonly unknowns: readonly GeneralUnknown[];
}

/** Matches a (partial) profile against every rule; pure and deterministic. */
export function evaluateEligibility(profile: Partial<Profile>, rules: SupportRules): EligibilityResult {
  const eligible: Rule[] = [];
  const needsMoreInfo: Rule[] = [];
  const notEligible: NotEligible[] = [];
  for (const rule of rules.rules) {
    const tested = rules.questions.filter((question) => allowedValues(rule, question.id) !== undefined);
    const failing = tested.filter((question) => {
      const answer = profile[question.id];
      return answer !== undefined && !allowedValues(rule, question.id)!.includes(answer);
    });
    if (failing.length > 0) {
      const reasons = failing.map((question) => rule.exclusion_reasons[question.id] ?? generatedReason(rule, question, profile));
      notEligible.push({
        rule,
        fields: failing.map((question) => question.id),
        reason: { vi: reasons.map((r) => r.vi).join(" "), en: reasons.map((r) => r.en).join(" ") },
      });
    } else if (tested.some((question) => profile[question.id] === undefined)) {
      needsMoreInfo.push(rule);
    } else {
      eligible.push(rule);
    }
  }
  const open = new Set([...eligible, ...needsMoreInfo].map((rule) => rule.id));
  const unknowns = rules.general_unknowns.filter((unknown) => unknown.applies_to.some((id) => open.has(id)));
  return { eligible, needsMoreInfo, notEligible, unknowns };
}

/**
 * The next question worth asking: the first unanswered field (in question order) that a
 * still-possible rule tests. Undefined once no answer could change the result.
 */
export function nextQuestion(profile: Partial<Profile>, rules: SupportRules): ProfileField | undefined {
  const { needsMoreInfo } = evaluateEligibility(profile, rules);
  return rules.questions.find(
    (question) => profile[question.id] === undefined && needsMoreInfo.some((rule) => allowedValues(rule, question.id) !== undefined),
  )?.id;
}

function allowedValues(rule: Rule, field: ProfileField): readonly string[] | undefined {
  return rule.when[field];
}

function generatedReason(rule: Rule, question: Question, profile: Partial<Profile>): Localized {
  const label = (id: string | undefined, language: AnswerLanguage) => question.values.find((value) => value.id === id)?.label[language] ?? id;
  const allowed = (language: AnswerLanguage) => (allowedValues(rule, question.id) ?? []).map((id) => label(id, language));
  const answer = profile[question.id];
  return {
    vi: `Khoản này dành cho ${question.name.vi}: ${allowed("vi").join(" hoặc ")}; bạn đã trả lời: ${label(answer, "vi")}.`,
    en: `This item is for ${question.name.en}: ${allowed("en").join(" or ")}; you answered: ${label(answer, "en")}.`,
  };
}

/** Longest reply we send; chat apps show longer ones as a wall of text. */
const MAX_REPLY_CHARS = 1500;
/** Kept free for the "N more items" line, so it always fits. */
const OMITTED_NOTE_ROOM = 90;

// Answers about the producer itself. A rule ruled out only by these is explained ("households are not
// mentioned"); one ruled out by the purpose or the star rating just gives way to a sibling rule.
const PRODUCER_FIELDS: ReadonlySet<ProfileField> = new Set(["producer_kind", "registered_in_bac_ninh", "sector"]);

const TEXT = {
  vi: {
    header: "Các khoản hỗ trợ có thể phù hợp với bạn:",
    none: "Với thông tin bạn cung cấp, chưa tìm thấy khoản hỗ trợ nào phù hợp.",
    cap: "Mức hỗ trợ",
    noCap: "chưa có thông tin",
    basis: "Căn cứ",
    confidence: { C2: "", S1: " Độ tin cậy: chỉ có một nguồn.", U: " Độ tin cậy: chưa chắc chắn." },
    caveat: "Lưu ý:",
    excluded: "Không phù hợp",
    needsMore: (n: number) => `Cần thêm thông tin để xét ${n} khoản hỗ trợ khác.`,
    unknown: "Chưa có thông tin về",
    omitted: (n: number) => `… và ${n} khoản khác; hãy hỏi cụ thể hơn để xem chi tiết.`,
    contact: "Nên hỏi:",
  },
  en: {
    header: "Support you may be eligible for:",
    none: "With the details you gave, no matching support item was found.",
    cap: "Amount",
    noCap: "no information yet",
    basis: "Legal basis",
    confidence: { C2: "", S1: " Confidence: single source only.", U: " Confidence: uncertain." },
    caveat: "Note:",
    excluded: "Not matching",
    needsMore: (n: number) => `${n} more support items depend on details you have not given yet.`,
    unknown: "Not yet known:",
    omitted: (n: number) => `… and ${n} more items; ask about one of them for details.`,
    contact: "Whom to ask:",
  },
} as const;

/**
 * A short chat reply for a result: each eligible item with its amount, legal basis, confidence and
 * caveats; why items the producer asked about are ruled out; known gaps; then the offices to ask.
 * Items that do not fit in MAX_REPLY_CHARS are counted, not silently dropped.
 */
export function renderEligibility(result: EligibilityResult, language: AnswerLanguage): string {
  const text = TEXT[language];
  const explained = result.notEligible.filter((excluded) => excluded.fields.every((field) => PRODUCER_FIELDS.has(field)));
  const contacts = unique([
    ...result.eligible.map((rule) => rule.contact[language]),
    ...explained.map((excluded) => excluded.rule.contact[language]),
    ...result.unknowns.map((unknown) => unknown.contact[language]),
  ]);
  const tail = contacts.length > 0 ? `${text.contact} ${contacts.join("; ")}.` : "";

  const lines: string[] = [result.eligible.length > 0 ? text.header : text.none];
  const add = (line: string) => {
    const fits = [...lines, line].join("\n").length + tail.length + OMITTED_NOTE_ROOM <= MAX_REPLY_CHARS;
    if (fits) lines.push(line);
    return fits;
  };
  let omitted = 0;
  for (const rule of result.eligible) {
    const caveats = rule.caveats.length > 0 ? ` ${text.caveat} ${rule.caveats.map((c) => c[language]).join(" ")}` : "";
    const item =
      `• ${rule.title[language]}. ${text.cap}: ${rule.cap?.[language] ?? text.noCap}. ` +
      `${text.basis}: ${rule.instrument[language]}.${text.confidence[rule.confidence]}${caveats}`;
    if (!add(item)) omitted += 1;
  }
  // One line per distinct reason, so five NQ 14 items ruled out for the same reason read as one.
  const byReason = new Map<string, NotEligible[]>();
  for (const excluded of explained) {
    const key = `${excluded.rule.instrument.vi}\n${excluded.reason[language]}`;
    byReason.set(key, [...(byReason.get(key) ?? []), excluded]);
  }
  for (const group of byReason.values()) {
    const first = group[0]!;
    const what = group.length === 1 ? `${first.rule.title[language]} (${first.rule.instrument[language]})` : first.rule.instrument[language];
    add(`${text.excluded} – ${what}: ${first.reason[language]}`);
  }
  if (result.needsMoreInfo.length > 0) add(text.needsMore(result.needsMoreInfo.length));
  for (const unknown of result.unknowns) add(`${text.unknown} ${unknown.text[language]}.`);
  return [...lines, ...(omitted > 0 ? [text.omitted(omitted)] : []), tail].filter((line) => line !== "").join("\n");
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
