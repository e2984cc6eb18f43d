import { evaluateEligibility, nextQuestion, renderEligibility, type Profile, type ProfileField, type SupportRules } from "../knowledge/eligibility.ts";
import { fold } from "../knowledge/vietnamese.ts";
import type { Handler, Turn, TurnResult } from "./engine.ts";
import type { Language, SourceRef } from "./types.ts";

const DIALOG = "eligibility";
// "tôi có được hỗ trợ không?", "am I eligible" — but a question naming a resolution goes to the knowledge base.
const START = /\b(co duoc ho tro (gi|khong)|duoc ho tro nhung gi|kiem tra (dieu kien )?ho tro|toi co duoc ho tro|minh co duoc ho tro|am i eligible|eligib\w*|what support can i get|can i get support)\b/;
const NAMES_AN_INSTRUMENT = /\b(nghi quyet|nq|quyet dinh|qd|resolution|decision)\b/;
const CANCEL = /^(huy|thoi|dung|bo qua|cancel|stop|quit)\b/;
const SOURCE_IDS = ["nghi-quyet-14-2023", "chinh-sach-ho-tro-khac"];

interface EligibilityState {
  readonly profile: Partial<Profile>;
  readonly asking?: ProfileField;
}

/**
 * The support-eligibility check: asks, one at a time and with buttons, only the questions whose
 * answer can still change the result, then lists each support item the producer may qualify for
 * (cap, legal basis, confidence, caveats, whom to ask). The rules are data (knowledge/data/support-rules.json).
 */
export function eligibilityDialog(rules: SupportRules, titles: ReadonlyMap<string, { vi: string; en: string }>): Handler {
  return (turn) => {
    const active = turn.state.dialog?.name === DIALOG ? (turn.state.dialog.data as unknown as EligibilityState) : undefined;
    if (!active) {
      if (NAMES_AN_INSTRUMENT.test(turn.folded)) return directAnswer(turn, rules, titles);
      if (!START.test(turn.folded)) return undefined;
      return step(turn, { profile: prefill(turn.folded, rules) }, rules, titles);
    }
    if (CANCEL.test(turn.folded)) {
      turn.state = { ...turn.state, dialog: undefined };
      const text = turn.language === "en" ? "OK, I stopped the eligibility check." : "Được, mình dừng phần kiểm tra hỗ trợ.";
      return { replies: [{ text }], intent: "eligibility_cancelled" };
    }
    const value = active.asking && answerFor(active.asking, turn.text, rules);
    // Anything that is not an answer is left to the other handlers; the check waits for an answer.
    if (!value) return undefined;
    return step(turn, { profile: { ...active.profile, [active.asking!]: value } }, rules, titles);
  };
}

function step(turn: Turn, state: EligibilityState, rules: SupportRules, titles: ReadonlyMap<string, { vi: string; en: string }>): TurnResult {
  const language = turn.language;
  const field = nextQuestion(state.profile, rules);
  if (field) {
    const question = rules.questions.find((q) => q.id === field)!;
    turn.state = { ...turn.state, dialog: { name: DIALOG, data: { profile: state.profile, asking: field } } };
    return {
      replies: [{ text: question.question[language], buttons: question.values.map((v) => v.label[language]) }],
      intent: "eligibility_question",
    };
  }
  turn.state = { ...turn.state, dialog: undefined };
  const sources: SourceRef[] = SOURCE_IDS.map((id) => ({ id, title: titles.get(id)?.[language] ?? id }));
  const text = `${renderEligibility(evaluateEligibility(state.profile, rules), language)}\n\n${citation(sources, language)}`;
  return { replies: [{ text }], intent: "eligibility_result", sources };
}

/**
 * "hộ kinh doanh có được hỗ trợ theo nghị quyết 14 không?": a producer kind and an instrument's number
 * named in one question are answered from the rules of that instrument, without a dialog.
 */
function directAnswer(turn: Turn, rules: SupportRules, titles: ReadonlyMap<string, { vi: string; en: string }>): TurnResult | undefined {
  const number = /\b(?:nghi quyet|nq|quyet dinh|qd|resolution|decision)\s*(?:so\s*)?(\d{1,4})\b/.exec(turn.folded)?.[1];
  const profile = prefill(turn.folded, rules);
  if (!number || !profile.producer_kind || !/\b(duoc|eligible|qualify|get)\b/.test(turn.folded)) return undefined;
  const pattern = new RegExp(`\\b0*${Number(number)}/`);
  const ofInstrument = (rule: { instrument: string }) => pattern.test(rule.instrument);
  const result = evaluateEligibility(profile, rules);
  const possible = [...result.eligible, ...result.needsMoreInfo].filter(ofInstrument);
  const excluded = result.notEligible.filter((entry) => ofInstrument(entry.rule));
  if (possible.length + excluded.length === 0) return undefined;
  const scoped = { eligible: possible, needsMoreInfo: [], notEligible: excluded, unknowns: result.unknowns.filter((u) => u.applies_to.some((id) => possible.some((rule) => rule.id === id))) };
  const sources: SourceRef[] = SOURCE_IDS.map((id) => ({ id, title: titles.get(id)?.[turn.language] ?? id }));
  return {
    replies: [{ text: `${renderEligibility(scoped, turn.language)}\n\n${citation(sources, turn.language)}` }],
    intent: "eligibility_result",
    sources,
  };
}

/** The value whose label (in either language) the user chose or typed. */
function answerFor(field: ProfileField, text: string, rules: SupportRules): string | undefined {
  const typed = fold(text).trim();
  const question = rules.questions.find((q) => q.id === field)!;
  return question.values.find((v) => [v.label.vi, v.label.en, v.id].some((label) => fold(label) === typed))?.id;
}

/** Answers the opening message already gives ("HTX của tôi…", "hộ kinh doanh…"). */
function prefill(folded: string, rules: SupportRules): Partial<Profile> {
  const kinds: [RegExp, string][] = [
    [/\b(lien hiep hop tac xa|lien hiep htx)\b/, "cooperative_union"],
    [/\b(hop tac xa|htx)\b/, "cooperative"],
    [/\b(ho kinh doanh|ho san xuat)\b/, "household_business"],
    [/\b(to hop tac)\b/, "cooperative_group"],
    [/\b(doanh nghiep|cong ty|sme)\b/, "sme"],
  ];
  const kind = kinds.find(([pattern]) => pattern.test(folded))?.[1];
  const allowed = rules.questions.find((q) => q.id === "producer_kind")!.values.map((v) => v.id);
  return kind && allowed.includes(kind) ? { producer_kind: kind as Profile["producer_kind"] } : {};
}

function citation(sources: readonly SourceRef[], language: Language): string {
  return `${language === "en" ? "Sources" : "Nguồn"}: ${sources.map((s) => s.title).join("; ")}`;
}
