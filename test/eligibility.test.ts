import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  SUPPORT_RULES_FILE,
  evaluateEligibility,
  loadSupportRules,
  nextQuestion,
  parseSupportRules,
  profileSchema,
  renderEligibility,
  type Profile,
} from "../knowledge/eligibility.ts";

const rules = loadSupportRules();
const ids = (list: readonly { id: string }[]) => list.map((rule) => rule.id);
const evaluate = (profile: Partial<Profile>) => evaluateEligibility(profile, rules);
const excluded = (profile: Partial<Profile>, ruleId: string) =>
  evaluate(profile).notEligible.find((entry) => entry.rule.id === ruleId);

const SME_IN_BAC_NINH = { producer_kind: "sme", registered_in_bac_ninh: "yes" } as const;
const COOPERATIVE_STAR_REWARD = {
  producer_kind: "cooperative",
  registered_in_bac_ninh: "yes",
  purpose: "star_reward",
  sector: "ocop_agriculture_food",
} as const;

/** Every complete profile, for checks that must hold whatever the producer answers. */
function allProfiles(): Profile[] {
  let profiles: Partial<Profile>[] = [{}];
  for (const [field, schema] of Object.entries(profileSchema.shape)) {
    profiles = profiles.flatMap((profile) => schema.options.map((value) => ({ ...profile, [field]: value })));
  }
  return profiles as Profile[];
}

describe("support-rules file", () => {
  it("validates, is NFC and holds one rule per support item in the fact sheet", () => {
    const raw = readFileSync(SUPPORT_RULES_FILE, "utf8");
    expect(raw).toBe(raw.normalize("NFC"));
    expect(ids(rules.rules)).toEqual([
      "nq14-branding-training",
      "nq14-media-ecommerce",
      "nq14-brand-day",
      "nq14-ip-registration",
      "nq14-general-brand-activities",
      "nq67-first-3-star",
      "nq67-first-4-star",
      "nq67-first-5-star",
      "nq67-rerating-3-star",
      "nq67-rerating-4-star",
      "nq67-upgrade-4-star",
      "nq67-upgrade-5-star",
      "nq07-agriculture-ocop",
      "qd23-trade-promotion",
      "report2025-machinery",
      "report2025-certification-traceability",
      "report2025-digital-marketing-fairs",
    ]);
    expect(ids(rules.questions)).toEqual(["producer_kind", "registered_in_bac_ninh", "purpose", "sector", "star_level", "rating_kind"]);
  });

  it("leaves the amount empty exactly where the fact sheet says NOT FOUND", () => {
    expect(ids(rules.rules.filter((rule) => rule.cap === null))).toEqual([
      "nq14-ip-registration",
      "nq14-general-brand-activities",
      "nq07-agriculture-ocop",
      "qd23-trade-promotion",
      "report2025-certification-traceability",
      "report2025-digital-marketing-fairs",
    ]);
  });

  it("marks the 600/500 million caps as an unverified 2023 press figure", () => {
    for (const id of ["nq14-media-ecommerce", "nq14-brand-day"]) {
      const rule = rules.rules.find((r) => r.id === id)!;
      expect(rule.confidence).toBe("U");
      expect(rule.cap!.vi).toMatch(/bài báo năm 2023, chưa kiểm chứng/);
      expect(rule.cap!.en).toMatch(/2023 press article only; unverified/);
    }
  });

  it("rejects a value the dialog cannot ask, an unexplained field and a gap tied to no rule", () => {
    const data = JSON.parse(readFileSync(SUPPORT_RULES_FILE, "utf8"));
    const broken = structuredClone(data);
    broken.rules[6].when.star_level = ["6"];
    expect(() => parseSupportRules(JSON.stringify(broken), "broken.json")).toThrow(/broken\.json.*star_level/s);
    const strayReason = structuredClone(data);
    strayReason.rules[0].exclusion_reasons.star_level = { vi: "x", en: "x" };
    expect(() => parseSupportRules(JSON.stringify(strayReason), "stray.json")).toThrow(/does not test/);
    const orphan = structuredClone(data);
    orphan.general_unknowns[0].applies_to = ["no-such-rule"];
    expect(() => parseSupportRules(JSON.stringify(orphan), "orphan.json")).toThrow(/unknown rule id no-such-rule/);
  });
});

describe("evaluateEligibility", () => {
  it("gives an SME registered in Bắc Ninh asking about branding training the NQ 14 100-million item", () => {
    const result = evaluate({ ...SME_IN_BAC_NINH, purpose: "branding_training" });
    expect(ids(result.eligible)).toEqual(["nq14-branding-training"]);
    expect(result.eligible[0]!.cap!.vi).toBe("100% chi phí, tối đa 100 triệu đồng/năm");
    expect(result.eligible[0]!.instrument.vi).toBe("Nghị quyết 14/2023/NQ-HĐND");
    expect(result.needsMoreInfo).toEqual([]);
    expect(ids(result.unknowns)).toEqual(["nq14-procedure"]);
  });

  it("gives a household business no NQ 14 item, saying household businesses are not mentioned", () => {
    const profile = { producer_kind: "household_business", registered_in_bac_ninh: "yes", purpose: "branding_training" } as const;
    const result = evaluate(profile);
    expect(ids(result.eligible).filter((id) => id.startsWith("nq14-"))).toEqual([]);
    const training = excluded(profile, "nq14-branding-training")!;
    expect(training.fields).toEqual(["producer_kind"]);
    expect(training.reason.vi).toMatch(/không nhắc đến hộ kinh doanh/);
    expect(training.reason.en).toMatch(/do not mention household businesses/);
  });

  it("does not give NQ 14 to a producer registered outside Bắc Ninh, with the reason", () => {
    const profile = { ...SME_IN_BAC_NINH, registered_in_bac_ninh: "no", purpose: "branding_training" } as const;
    expect(evaluate(profile).eligible).toEqual([]);
    const training = excluded(profile, "nq14-branding-training")!;
    expect(training.fields).toEqual(["registered_in_bac_ninh"]);
    expect(training.reason.vi).toMatch(/có trụ sở trên địa bàn tỉnh Bắc Ninh/);
    expect(training.reason.en).toMatch(/headquartered in Bắc Ninh/);
  });

  it("gives a cooperative's first 4★ rating the 150-million NQ 67 reward, uncertain after the merger", () => {
    const result = evaluate({ ...COOPERATIVE_STAR_REWARD, star_level: "4", rating_kind: "first" });
    expect(ids(result.eligible)).toEqual(["nq67-first-4-star", "nq07-agriculture-ocop"]);
    const reward = result.eligible[0]!;
    expect(reward.cap!.vi).toMatch(/150 triệu đồng/);
    expect(reward.instrument.vi).toBe("Nghị quyết 67/2023/NQ-HĐND (Bắc Giang cũ)");
    expect(reward.confidence).toBe("U");
    expect(reward.caveats.map((c) => c.vi).join(" ")).toMatch(/sáp nhập tỉnh \(1\/7\/2025\)/);
    expect(reward.caveats.map((c) => c.en).join(" ")).toMatch(/merged on 1 July 2025/);
    // NQ 07/2022 exists, but its amounts (star rewards included) were not found.
    expect(result.eligible[1]!.cap).toBeNull();
  });

  it.each([
    ["5", "upgrade", "nq67-upgrade-5-star", "300 triệu đồng"],
    ["4", "upgrade", "nq67-upgrade-4-star", "150 triệu đồng"],
    ["3", "re_rating", "nq67-rerating-3-star", "20 triệu đồng"],
    ["4", "re_rating", "nq67-rerating-4-star", "60 triệu đồng"],
    ["3", "first", "nq67-first-3-star", "50 triệu đồng"],
    ["5", "first", "nq67-first-5-star", "300 triệu đồng"],
  ] as const)("gives %s★ (%s) the %s reward of %s", (star_level, rating_kind, ruleId, amount) => {
    const result = evaluate({ ...COOPERATIVE_STAR_REWARD, star_level, rating_kind });
    const rewards = result.eligible.filter((rule) => rule.id.startsWith("nq67-"));
    expect(ids(rewards)).toEqual([ruleId]);
    expect(rewards[0]!.cap!.vi).toContain(amount);
  });

  it("has no NQ 67 reward for re-rating at 5★ and explains the star level", () => {
    const profile = { ...COOPERATIVE_STAR_REWARD, star_level: "5", rating_kind: "re_rating" } as const;
    expect(ids(evaluate(profile).eligible)).toEqual(["nq07-agriculture-ocop"]);
    expect(excluded(profile, "nq67-rerating-4-star")!.reason.vi).toBe(
      "Khoản này dành cho hạng sao OCOP: 4 sao; bạn đã trả lời: 5 sao.",
    );
  });

  it("keeps rules open while a field they test is unanswered, and admits their gaps", () => {
    const result = evaluate({ ...SME_IN_BAC_NINH, purpose: "star_reward" });
    expect(result.eligible).toEqual([]);
    expect(ids(result.needsMoreInfo)).toEqual([
      "nq67-first-3-star",
      "nq67-first-4-star",
      "nq67-first-5-star",
      "nq67-rerating-3-star",
      "nq67-rerating-4-star",
      "nq67-upgrade-4-star",
      "nq67-upgrade-5-star",
      "nq07-agriculture-ocop",
    ]);
    expect(ids(result.unknowns)).toEqual(["ocop-rating-dossier", "ocop-programme-2026-2030"]);
  });

  it("sorts every rule into exactly one list, in rule order", () => {
    for (const profile of [{}, SME_IN_BAC_NINH, { ...COOPERATIVE_STAR_REWARD, star_level: "3" as const }]) {
      const result = evaluate(profile);
      const sorted = [...ids(result.eligible), ...ids(result.needsMoreInfo), ...result.notEligible.map((entry) => entry.rule.id)];
      expect(sorted.sort()).toEqual(ids(rules.rules).sort());
      for (const list of [ids(result.eligible), ids(result.needsMoreInfo)]) {
        expect(list).toEqual(ids(rules.rules).filter((id) => list.includes(id)));
      }
    }
  });
});

describe("nextQuestion", () => {
  it("asks the producer kind first", () => {
    expect(nextQuestion({}, rules)).toBe("producer_kind");
  });

  it("stops once nothing more matters, without asking the sector or stars for branding training", () => {
    expect(nextQuestion({ producer_kind: "sme" }, rules)).toBe("registered_in_bac_ninh");
    expect(nextQuestion(SME_IN_BAC_NINH, rules)).toBe("purpose");
    expect(nextQuestion({ ...SME_IN_BAC_NINH, purpose: "branding_training" }, rules)).toBeUndefined();
    expect(nextQuestion({ producer_kind: "household_business", registered_in_bac_ninh: "yes", purpose: "branding_training" }, rules)).toBeUndefined();
  });

  it("asks about stars and the kind of rating only for star rewards", () => {
    expect(nextQuestion({ ...COOPERATIVE_STAR_REWARD }, rules)).toBe("star_level");
    expect(nextQuestion({ ...COOPERATIVE_STAR_REWARD, star_level: "4" }, rules)).toBe("rating_kind");
    expect(nextQuestion({ ...COOPERATIVE_STAR_REWARD, star_level: "none" }, rules)).toBeUndefined();
    expect(nextQuestion({ ...SME_IN_BAC_NINH, purpose: "machinery" }, rules)).toBe("sector");
    expect(nextQuestion({ ...SME_IN_BAC_NINH, purpose: "ip_registration" }, rules)).toBeUndefined();
  });

  it("on every path through the dialog asks only fields a still-possible rule tests, and ends with none open", () => {
    const walk = (profile: Partial<Profile>): void => {
      const field = nextQuestion(profile, rules);
      if (field === undefined) {
        expect(evaluate(profile).needsMoreInfo).toEqual([]);
        return;
      }
      expect(profile[field]).toBeUndefined();
      expect(evaluate(profile).needsMoreInfo.some((rule) => rule.when[field] !== undefined)).toBe(true);
      for (const value of profileSchema.shape[field].options) walk({ ...profile, [field]: value });
    };
    walk({});
  });
});

describe("renderEligibility", () => {
  it("shows the cap, the legal basis and the office to contact, in Vietnamese and English", () => {
    const result = evaluate({ ...SME_IN_BAC_NINH, purpose: "branding_training" });
    const vi = renderEligibility(result, "vi");
    expect(vi).toContain("tối đa 100 triệu đồng/năm");
    expect(vi).toContain("Căn cứ: Nghị quyết 14/2023/NQ-HĐND");
    expect(vi).toContain("Độ tin cậy: chỉ có một nguồn.");
    expect(vi).toContain("Nên hỏi: Sở Công Thương Bắc Ninh");
    const en = renderEligibility(result, "en");
    expect(en).toContain("up to 100 million đồng per year");
    expect(en).toContain("Legal basis: Resolution 14/2023/NQ-HĐND");
    expect(en).toContain("Department of Industry and Trade");
  });

  it("flags the NQ 67 reward as uncertain and names the agriculture office", () => {
    const result = evaluate({ ...COOPERATIVE_STAR_REWARD, star_level: "4", rating_kind: "first" });
    const vi = renderEligibility(result, "vi");
    expect(vi).toContain("150 triệu đồng");
    expect(vi).toContain("Căn cứ: Nghị quyết 67/2023/NQ-HĐND (Bắc Giang cũ)");
    expect(vi).toContain("Độ tin cậy: chưa chắc chắn.");
    expect(vi).toContain("Mức hỗ trợ: chưa có thông tin");
    expect(vi).toContain("Chi cục Phát triển nông thôn");
    const en = renderEligibility(result, "en");
    expect(en).toContain("150 million đồng");
    expect(en).toContain("Confidence: uncertain.");
    expect(en).toContain("Department of Agriculture and Environment");
  });

  it("explains why a household business gets no NQ 14 item, and whom to ask", () => {
    const result = evaluate({ producer_kind: "household_business", registered_in_bac_ninh: "yes", purpose: "branding_training" });
    const vi = renderEligibility(result, "vi");
    expect(vi).toContain("chưa tìm thấy khoản hỗ trợ nào phù hợp");
    expect(vi).toContain("không nhắc đến hộ kinh doanh");
    expect(vi).toContain("Sở Công Thương Bắc Ninh");
    expect(renderEligibility(result, "en")).toContain("do not mention household businesses");
  });

  it("counts the items that do not fit instead of dropping them silently", () => {
    const training = rules.rules[0]!;
    const crowded = { ...rules, rules: Array.from({ length: 12 }, (_, i) => ({ ...training, id: `training-${i}` })) };
    const result = evaluateEligibility({ ...SME_IN_BAC_NINH, purpose: "branding_training" }, crowded);
    expect(result.eligible).toHaveLength(12);
    const vi = renderEligibility(result, "vi");
    expect(vi.length).toBeLessThanOrEqual(1500);
    const shown = vi.split("\n").filter((line) => line.startsWith("• ")).length;
    expect(vi).toContain(`… và ${12 - shown} khoản khác`);
    expect(vi).toMatch(/Nên hỏi: Sở Công Thương Bắc Ninh[^\n]*$/);
  });

  it("stays under 1,500 characters whatever the producer answers", () => {
    const profiles: Partial<Profile>[] = [{}, SME_IN_BAC_NINH, ...allProfiles()];
    for (const profile of profiles) {
      const result = evaluate(profile);
      for (const language of ["vi", "en"] as const) expect(renderEligibility(result, language).length).toBeLessThanOrEqual(1500);
    }
  });
});
