/**
 * The conversation engine: one turn per inbound message.
 *
 *   text ─► normalise, pick a pressed button ─► signals (read once) ─► guard (empty, too long)
 *        ─► exact rules (commands, codes, menu buttons, the answer to "did you mean …?")
 *        ─► open dialog: its button · cancel · correction · unrelated question · its own step
 *        ─► router: follow-up carried over · clear winner served · two close → ask · weak → knowledge
 *        ─► save the conversation (optimistic version) ─► run the turn's side effects once
 *
 * Why side effects wait for the save: the save can lose a race with another instance answering the
 * same user, and the turn is then replayed on the newer state; an order placed or a code used during
 * the losing attempt would happen twice. So a turn only *decides* its effects; they are saved with the
 * state as pending, run after the save, and cleared. If the process dies in between, the next turn of
 * that user runs them first (each effect is idempotent: an order is keyed by its draft).
 */
import { standaloneQuantity } from "../knowledge/catalogue.ts";
import { fold, normalizeText } from "../knowledge/vietnamese.ts";
import { parseConversationState, type ConversationState, type DialogFrame, type Effect } from "./conversation.ts";
import type { AnyDialog, DialogStep } from "./dialogs/dialog.ts";
import { detectLanguage } from "./language.ts";
import { curatedSources, type CuratedMatch } from "./curated.ts";
import type { ConversationStore, Inbox } from "./ports.ts";
import { withCitation } from "./texts/cite.ts";
import { feedbackTexts } from "./texts/feedback.ts";
import { engineTexts } from "./texts/engine.ts";
import type { EffectRunner, IntentHandler, Turn, TurnResult } from "./turn.ts";
import type { BotResponse, InboundEvent, Language, Reply, SourceRef, Understanding } from "./types.ts";
import type { Lexicon } from "./understanding/entities.ts";
import { carryOver, pointsBack, withContext, withSubjectWords } from "./understanding/follow-up.ts";
import type { Router, Routing } from "./understanding/router.ts";
import { understand, type Signals } from "./understanding/signals.ts";

/** Longest message the core reads; longer ones are answered with a request to shorten. */
export const MAX_TEXT_LENGTH = 2000;

/** A message recognised exactly, before the router: a command, a code, a menu button. */
export interface ExactRule {
  /** Reported as the understood intent. */
  readonly intent: string;
  /** Undefined when the rule does not apply; the handler otherwise. */
  match(turn: Turn): IntentHandler | undefined;
}

/** Dependencies of the engine. */
export interface EngineOptions {
  readonly conversations: ConversationStore;
  readonly router: Router;
  /** The names messages are read against, as they are now (the catalogue can change). */
  readonly lexicon: () => Promise<Lexicon>;
  readonly rules: readonly ExactRule[];
  /** Intent handlers by the `serve` name the intent declarations use ("festivals.date"). */
  readonly handlers: Readonly<Record<string, IntentHandler>>;
  /** Dialogs by name; an intent served by "dialog.<name>" starts one. */
  readonly dialogs: readonly AnyDialog[];
  readonly effects: Readonly<Record<string, EffectRunner>>;
  /** Answers what the router could not place, from the knowledge base ("don't know" included). */
  readonly fallback: (turn: Turn) => Promise<TurnResult> | TurnResult;
  /** Answers operators wrote (bot/curated.ts), tried before any other way of answering a question. */
  readonly curated?: { match(text: string): Promise<CuratedMatch | undefined> };
  /** Sentences operators filed under an intent, routing at once (bot/understanding/added-examples.ts). */
  readonly addedExamples?: { match(text: string): Promise<{ intent: string; score: number } | undefined> };
  readonly clock?: () => Date;
}

/** The conversation engine: turns an event into a response, keeping per-user state. */
export interface Engine {
  respond(event: InboundEvent): Promise<BotResponse>;
}

const MAX_SAVE_ATTEMPTS = 10;
/** A follow-up continues the last question only this long; after that a bare "2028?" starts afresh. */
const TOPIC_LIFETIME_MS = 2 * 60 * 60 * 1000;
/** A runner-up this likely is tried when the winner's handler cannot serve the message. */
const RUNNER_UP_FLOOR = 0.1;
/** What a question is about, as opposed to its filters: a follow-up that names none of them borrows them. */
const SUBJECT_SLOTS: ReadonlySet<string> = new Set(["product", "village", "festival", "instrument"]);
/** Inside a dialog, "cancel" is taken only from this score (a name such as "Minh" must not drop an order). */
const CANCEL_FLOOR = 0.6;
/** An "out of scope" reading weaker than this may still be a follow-up of the last question. */
const OFF_TOPIC_RESCUE = 0.7;
/** A weak guess the knowledge base could not answer is still served from this score. */
const WEAK_GUESS_FLOOR = 0.3;
/** Intents that neither start a topic nor interrupt a dialog as a question. */
const SMALL_TALK = new Set(["greeting", "help", "thanks", "goodbye", "acknowledge", "cancel", "language"]);

interface Outcome {
  readonly result: TurnResult;
  readonly understanding: Understanding;
  readonly dialogs: readonly DialogFrame[];
  /** The question this turn answered, when a follow-up may continue it. */
  readonly topic?: { intent: string; text: string };
  readonly clarifying?: ConversationState["clarifying"];
}

/** Creates the engine. */
export function createEngine(options: EngineOptions): Engine {
  const clock = options.clock ?? (() => new Date());
  const dialogs = new Map(options.dialogs.map((dialog) => [dialog.name, dialog]));
  for (const intentName of ["cancel", "knowledge"]) if (!options.router.intent(intentName)) throw new Error(`the intents must declare "${intentName}"`);
  const key = (event: InboundEvent) => ({ channel: event.channel, userId: event.userId });
  // Every declared intent must have what serves it, so a typo in intents.yaml stops the start, not a user's turn.
  for (const intent of options.router.intents()) handlerFor(intent.serve);

  /** The handler of a `serve` name: a registered handler, or the start of a dialog. */
  function handlerFor(serve: string): IntentHandler {
    const [feature, name] = serve.split(".") as [string, string];
    if (feature === "dialog") {
      const dialog = dialogs.get(name);
      if (!dialog) throw new Error(`no dialog named ${name}`);
      return async (turn) => stepResult(await dialog.start(turn), dialog, undefined);
    }
    const handler = options.handlers[serve];
    if (!handler) throw new Error(`no handler registered for ${serve}`);
    return handler;
  }

  /**
   * A dialog step as a handler result: a state to keep means the dialog stays (or starts) on the stack.
   * The message that starts a dialog is the topic later questions lean on ("gạo này được mấy sao?");
   * the answers to its steps are not.
   */
  function stepResult(step: DialogStep<unknown>, dialog: AnyDialog, current: unknown): TurnResult {
    return {
      replies: step.replies,
      intent: step.intent,
      ...(step.sources ? { sources: step.sources } : {}),
      ...(step.effects ? { effects: step.effects } : {}),
      ...(step.state !== undefined ? { startDialog: { name: dialog.name, version: dialog.version, data: step.state } } : {}),
      followable: current === undefined,
    };
  }

  /**
   * Serves a routed intent. When its handler cannot (a score question with no score), the runner-up is
   * tried if it is another thing to do, and then the knowledge base.
   */
  async function serve(turn: Turn, routing: Routing): Promise<TurnResult> {
    const result = await handlerFor(routing.intent.serve)({ ...turn, routing });
    if (result) return result;
    const next = routing.candidates.find((c) => c.label !== routing.intent.name && c.score >= RUNNER_UP_FLOOR);
    const declared = next && options.router.intent(next.label);
    if (declared && declared.name !== "knowledge" && !SMALL_TALK.has(declared.name) && declared.name !== "out_of_scope") {
      const second = await handlerFor(declared.serve)({ ...turn, routing: { ...routing, intent: declared } });
      if (second) return second;
    }
    return options.fallback({ ...turn, routing });
  }

  const understood = (intent: string, by: Understanding["by"], routing?: Routing): Understanding => ({
    intent,
    score: routing?.score ?? 1,
    candidates: (routing?.candidates ?? []).map((c) => ({ intent: c.label, score: Math.round(c.score * 1000) / 1000 })),
    by,
  });

  /** Routes a message with no dialog waiting (or one a dialog did not take). */
  async function routeAndServe(turn: Turn, frames: readonly DialogFrame[]): Promise<Outcome> {
    // An operator's answer to this very question comes before anything the assistant would work out.
    const curated = await options.curated?.match(turn.signals.text);
    if (curated) {
      const sources = curatedSources(curated.answer);
      const text = withCitation(curated.answer.answer[turn.language], sources, turn.language);
      return {
        result: { replies: [{ text, buttons: [feedbackTexts[turn.language].button] }], intent: "curated_answer", sources, followable: false },
        understanding: { intent: "curated_answer", score: Math.round(curated.score * 1000) / 1000, candidates: [], by: "curated" },
        dialogs: frames,
      };
    }
    const routing = await withAddedExamples(turn, options.router.route(turn.signals));
    // An elliptical message continues the last question: "còn năm 2028?" after "Hội Lim năm 2027 ngày nào?".
    const topic = turn.state.topic;
    if (turn.signals.elliptical && topic && turn.now.getTime() - Date.parse(topic.at) < TOPIC_LIFETIME_MS) {
      const declared = options.router.intent(topic.intent);
      const previous = understand(topic.text, turn.lexicon);
      const text = declared && carryOver(previous, turn.signals, declared.slots);
      if (text) {
        const signals = understand(text, turn.lexicon);
        const continued = options.router.route(signals);
        const again = continued.intent.name === topic.intent ? continued : { ...continued, intent: declared, decision: "accept" as const };
        const result = await serve({ ...turn, signals }, again);
        return { result, understanding: understood(again.intent.name, "follow_up", again), dialogs: pushed(frames, result), topic: { intent: again.intent.name, text } };
      }
    }
    // "nq này do sở nào quản lý", "who produces it?": the message points back at what was named before.
    const pointing = pointsBack(turn.signals);
    // A question that leans on the last one borrows its names: when it points back ("nq này do sở nào quản lý",
    // "who produces it?"), when on its own it could not be placed, or when it asks the same thing without
    // naming what it is about ("năm 2026 thì ngày nào?" after a question about hội Đồng Kỵ).
    // (A confident "out of scope" is not rescued: the weather in Paris stays off-topic after a question on stars.)
    const unplaced = routing.decision !== "accept" || (routing.intent.name === "out_of_scope" && routing.score < OFF_TOPIC_RESCUE);
    // "got it", "that's all, thanks" point at nothing to ask about; "đến đó thì xem được gì?" (what can one see
    // there?) reads like a request for help but asks about the place named before.
    const smallTalk = routing.decision === "accept" && SMALL_TALK.has(routing.intent.name) && !(routing.intent.name === "help" && pointing);
    const sameQuestion = routing.decision === "accept" && topic?.intent === routing.intent.name && routing.intent.name !== "knowledge";
    // "nhắc mình trước 1 ngày" after a question on Hội Lim: an intent that cannot be served without a subject
    // the message does not name takes the last question's.
    const unmet = routing.intent.needs.filter((slot) => !turn.signals.entities.some((entity) => entity.type === slot));
    const lacking = routing.decision === "accept" ? unmet : [];
    // A bare quantity after a product's price ("gõ số lượng" → "3") orders that product.
    const quantityForProduct = standaloneQuantity(turn.signals.text) !== undefined && (topic?.intent === "product_price" || topic?.intent === "product_info");
    // "còn ở đâu?", "and who issues it?": another side of the same subject, which the message does not name.
    const aspect = turn.signals.switchesAspect;
    // "còn thời tiết mấy hôm đó thế nào?" after Hội Lim points back, but at something no intent serves.
    const offSubject = !turn.signals.entities.some((entity) => SUBJECT_SLOTS.has(entity.type)) && options.router.offDomainTerms(turn.signals.text).length > 0;
    if (topic && !smallTalk && !offSubject && turn.now.getTime() - Date.parse(topic.at) < TOPIC_LIFETIME_MS && (unplaced || sameQuestion || lacking.length > 0 || quantityForProduct || aspect || pointing)) {
      const previous = understand(topic.text, turn.lexicon);
      // The same question without its subject borrows only the subject (the festival, the product…): filters
      // such as a year or a star level are the user's to restate.
      const subjects = routing.intent.slots.filter((slot) => SUBJECT_SLOTS.has(slot));
      const text = sameQuestion && !pointing ? withContext(previous, turn.signals, subjects)
        : lacking.length > 0 && !unplaced && !quantityForProduct && !pointing ? withContext(previous, turn.signals, lacking)
        : withContext(previous, turn.signals) ?? (aspect || pointing ? withSubjectWords(previous, turn.signals) : undefined);
      const signals = text ? understand(text, turn.lexicon) : undefined;
      const leaning = signals && options.router.route(signals);
      // A message that only could not be placed continues the last question only if it then asks the same kind of
      // thing, or reads surely as what it alone was a guess at when that guess needs a subject the message does not
      // name ("của cty nào làm" after a price: who makes it; a plan needs no village, so "plan a day trip" borrows none).
      const guessLacks = unplaced && unmet.length > 0;
      // "can i talk to a real person about this?" points back, but asks for something the message says in full.
      const surerOnItsOwn = leaning !== undefined && routing.decision === "accept" && !["knowledge", "out_of_scope"].includes(routing.intent.name) && !SMALL_TALK.has(routing.intent.name) &&
        routing.intent.name !== leaning.intent.name && lacking.length === 0 && routing.score > leaning.score;
      const continues = leaning && !surerOnItsOwn && (pointing || aspect || sameQuestion || (quantityForProduct && leaning.intent.name === "order_start") ||
        leaning.intent.name === topic.intent || ((lacking.length > 0 || guessLacks) && leaning.intent.name === routing.intent.name));
      if (signals && leaning && continues && leaning.decision === "accept" && leaning.intent.name !== "out_of_scope") {
        const result = await serve({ ...turn, signals }, leaning);
        // Borrowing is only worth it if it leads to an answer; otherwise the message is read on its own.
        if (unplaced && (result.intent === "unknown" || result.intent === "off_topic")) return routeOnItsOwn(turn, frames, routing);
        const followable = result.followable ?? !SMALL_TALK.has(leaning.intent.name);
        return { result, understanding: understood(leaning.intent.name, "follow_up", leaning), dialogs: pushed(frames, result), ...(followable ? { topic: { intent: leaning.intent.name, text: text! } } : {}) };
      }
      // "what do they make there?" after a question on a village: the message is about what came before even
      // when the router is unsure what to do with it, so the borrowed reading is the one to answer, if it can.
      // So is a message that could not be placed on its own and, with the last subject, is a question for the
      // documents ("đi xe buýt số mấy thì tới?" after the village's festival): they answer it, if they can.
      const forDocuments = leaning?.intent.name === "knowledge";
      if (signals && leaning && (aspect || pointing || (unplaced && forDocuments)) && (leaning.decision !== "accept" || forDocuments)) {
        const outcome = await routeOnItsOwn({ ...turn, signals }, frames, leaning);
        if (!["unknown", "off_topic", "clarify"].includes(outcome.result.intent)) return outcome;
      }
    }
    return routeOnItsOwn(turn, frames, routing);
  }

  /** The routing, unless a sentence an operator filed under an intent reads the message as that intent. */
  async function withAddedExamples(turn: Turn, routing: Routing): Promise<Routing> {
    const added = await options.addedExamples?.match(turn.signals.text);
    const declared = added && options.router.intent(added.intent);
    return declared ? { ...routing, intent: declared, score: added.score, decision: "accept" } : routing;
  }

  /** Serves a message by its own routing: a clear winner, a "did you mean …?", or the knowledge base. */
  async function routeOnItsOwn(turn: Turn, frames: readonly DialogFrame[], routing: Routing): Promise<Outcome> {
    // Two close candidates, one of them the knowledge base: let the knowledge base answer if it can,
    // rather than ask; a "did you mean …?" is for two different things to do.
    const pair = routing.candidates.slice(0, 2).map((c) => c.label);
    if (routing.decision === "clarify" && pair.includes("knowledge")) {
      const answered = await options.fallback({ ...turn, routing });
      if (answered.intent !== "unknown" && answered.intent !== "off_topic") {
        return { result: answered, understanding: understood("knowledge", "router", routing), dialogs: frames, topic: { intent: "knowledge", text: turn.signals.text } };
      }
    }
    if (routing.decision === "clarify") {
      const options2 = routing.candidates.slice(0, 2).map((c) => c.label);
      const labels = options2.map((name) => options.router.intent(name)!.label[turn.language]);
      const texts = engineTexts[turn.language];
      return {
        result: { replies: [{ text: texts.clarify(labels), buttons: [...labels, texts.neither] }], intent: "clarify", followable: false },
        understanding: understood(routing.intent.name, "router", routing),
        dialogs: frames,
        clarifying: { text: turn.signals.text, options: options2.map((intent, i) => ({ label: labels[i]!, intent })) },
      };
    }
    if (routing.decision === "weak") {
      // A weak guess at something to do (a plan, a list, an order) is served, since its handler answers
      // only what it can; a weak guess at anything else goes to the knowledge base, and from there to
      // the guess if the knowledge base has nothing, and otherwise to the honest "don't know".
      const guess = routing.intent.name;
      // Nothing in the domain even among the runners-up ("con mèo nhà bạn"): off-topic, without a search.
      if (guess === "out_of_scope" && !routing.candidates.some((c) => c.label === "knowledge")) {
        const result = await serve(turn, { ...routing, decision: "accept" });
        return { result, understanding: understood(guess, "router", routing), dialogs: frames };
      }
      const plausible = routing.score >= WEAK_GUESS_FLOOR && guess !== "knowledge" && guess !== "out_of_scope";
      const answered = plausible && !SMALL_TALK.has(guess) ? undefined : await options.fallback({ ...turn, routing });
      if (!answered || (plausible && (answered.intent === "unknown" || answered.intent === "off_topic"))) {
        const result = await serve(turn, routing);
        return { result, understanding: understood(guess, "router", routing), dialogs: pushed(frames, result), ...(result.followable ?? !SMALL_TALK.has(guess) ? { topic: { intent: guess, text: turn.signals.text } } : {}) };
      }
      return { result: answered, understanding: understood("knowledge", "fallback", routing), dialogs: frames, ...(answered.intent === "question" ? { topic: { intent: "knowledge", text: turn.signals.text } } : {}) };
    }
    const result = await serve(turn, routing);
    const intent = routing.intent.name;
    const followable = result.followable ?? !SMALL_TALK.has(intent);
    return {
      result,
      understanding: understood(intent, "router", routing),
      dialogs: pushed(frames, result),
      ...(followable ? { topic: { intent, text: turn.signals.text } } : {}),
    };
  }

  /** The stack after a result that may open a dialog. */
  function pushed(frames: readonly DialogFrame[], result: TurnResult): DialogFrame[] {
    return result.startDialog ? [...frames, result.startDialog] : [...frames];
  }

  /** The stack after a step of its top dialog, and the question of the dialog below when the top one ended. */
  async function afterStep(frames: readonly DialogFrame[], dialog: AnyDialog, step: DialogStep<unknown>, language: Language): Promise<[DialogFrame[], Reply[]]> {
    const below = frames.slice(0, -1);
    if (step.state !== undefined) return [[...below, { name: dialog.name, version: dialog.version, data: step.state }], []];
    return [below, await resumeReplies(below, language)];
  }

  /** Asks the top dialog's question again, if a dialog is open. */
  async function resumeReplies(frames: readonly DialogFrame[], language: Language): Promise<Reply[]> {
    const top = frames.at(-1);
    const dialog = top && dialogs.get(top.name);
    if (!top || !dialog) return [];
    return [await dialog.resume(dialog.schema.parse(top.data), language)];
  }

  /** A turn with a dialog open: the order in which a message is tried is the dialog contract's. */
  async function inDialog(turn: Turn, frames: readonly DialogFrame[], dialog: AnyDialog, data: unknown, pressed: boolean): Promise<Outcome> {
    const fromStep = async (step: DialogStep<unknown>, intent: string): Promise<Outcome> => {
      const [next, resume] = await afterStep(frames, dialog, step, turn.language);
      const result = stepResult(step, dialog, data);
      const { startDialog: _, ...rest } = result;
      return { result: { ...rest, replies: [...result.replies, ...resume] }, understanding: understood(intent, "dialog"), dialogs: next };
    };
    if (pressed) {
      const step = await dialog.answer(turn, data);
      if (step) return fromStep(step, "dialog_answer");
    }
    const routing = options.router.route(turn.signals);
    // Dropping a dialog by mistake loses the user's answers, so a cancel must be clear.
    if (routing.intent.name === "cancel" && routing.decision === "accept" && routing.score >= CANCEL_FLOOR) {
      const below = frames.slice(0, -1);
      const { reply, intent } = dialog.cancel(data, turn.language);
      return {
        result: { replies: [reply, ...(await resumeReplies(below, turn.language))], intent, followable: false },
        understanding: understood("dialog_cancel", "dialog", routing),
        dialogs: below,
      };
    }
    const correction = await dialog.correct(turn, data);
    if (correction) return fromStep(correction, "dialog_correction");
    const ownIntent = routing.intent.serve === `dialog.${dialog.name}`;
    if (turn.signals.isQuestion && routing.decision === "accept" && !ownIntent && !SMALL_TALK.has(routing.intent.name)) {
      return interrupted(turn, frames, routing, await serve(turn, routing));
    }
    const step = await dialog.answer(turn, data);
    if (step) return fromStep(step, "dialog_answer");
    // Not an answer: whatever it is gets its own answer, and the step is asked again.
    const outcome = await routeAndServe(turn, frames);
    if (outcome.dialogs.length > frames.length || outcome.clarifying) return outcome;
    return { ...outcome, result: { ...outcome.result, replies: [...outcome.result.replies, ...(await resumeReplies(frames, turn.language))] } };
  }

  async function interrupted(turn: Turn, frames: readonly DialogFrame[], routing: Routing, result: TurnResult): Promise<Outcome> {
    const next = pushed(frames, result);
    const resume = next.length > frames.length ? [] : await resumeReplies(frames, turn.language);
    return { result: { ...result, replies: [...result.replies, ...resume] }, understanding: understood(routing.intent.name, "router", routing), dialogs: next };
  }

  async function dispatch(turn: Turn, pressed: boolean): Promise<Outcome> {
    const texts = engineTexts[turn.language];
    const frames = [...turn.state.dialogs];
    const plain = (result: TurnResult, intent: string): Outcome => ({ result, understanding: understood(intent, "rule"), dialogs: frames });
    if (turn.signals.text.length === 0) return plain({ replies: [{ text: texts.empty }], intent: "empty", followable: false }, "empty");
    if (turn.signals.text.length > MAX_TEXT_LENGTH) return plain({ replies: [{ text: texts.tooLong(MAX_TEXT_LENGTH) }], intent: "too_long", followable: false }, "too_long");

    // The answer to "did you mean …?": the stored question, served as the intent chosen.
    const clarifying = turn.state.clarifying;
    if (clarifying) {
      const chosen = clarifying.options.find((option) => fold(option.label) === turn.signals.folded.trim());
      const declared = chosen && options.router.intent(chosen.intent);
      if (declared) {
        const signals = understand(clarifying.text, turn.lexicon);
        const routing: Routing = { intent: declared, score: 1, candidates: [], decision: "accept" };
        const result = await serve({ ...turn, signals }, routing);
        return { result, understanding: understood(declared.name, "rule"), dialogs: pushed(frames, result), topic: { intent: declared.name, text: clarifying.text } };
      }
      if (fold(texts.neither) === turn.signals.folded.trim()) {
        return plain({ replies: [{ text: texts.rephrase }], intent: "clarify_rephrase", followable: false }, "clarify_choice");
      }
    }
    for (const rule of options.rules) {
      const handler = rule.match(turn);
      if (!handler) continue;
      const result = (await handler(turn)) ?? (await options.fallback(turn));
      return { result, understanding: understood(rule.intent, "rule"), dialogs: pushed(frames, result) };
    }

    const top = frames.at(-1);
    if (top) {
      const dialog = dialogs.get(top.name);
      const parsed = dialog && top.version === dialog.version ? dialog.schema.safeParse(top.data) : undefined;
      if (dialog && parsed?.success && dialog.expiry?.isExpired(parsed.data, turn.now)) {
        // A stray "ok" to a day-old summary must learn that nothing was placed, not place it.
        const notice = dialog.expiry.notice(turn.language);
        const rest = { ...turn, state: { ...turn.state, dialogs: frames.slice(0, -1) } };
        const routing = options.router.route(turn.signals);
        if (SMALL_TALK.has(routing.intent.name)) return { result: { replies: [notice], intent: `${dialog.name}_expired`, followable: false }, understanding: understood(routing.intent.name, "dialog", routing), dialogs: frames.slice(0, -1) };
        const outcome = await dispatch(rest, pressed);
        return { ...outcome, result: { ...outcome.result, replies: [notice, ...outcome.result.replies] } };
      }
      if (dialog && parsed?.success) return inDialog(turn, frames, dialog, parsed.data, pressed);
      // A dialog saved by an older release, or one no longer shipped: drop it and say so.
      const outcome = await dispatch({ ...turn, state: { ...turn.state, dialogs: frames.slice(0, -1) } }, pressed);
      return { ...outcome, result: { ...outcome.result, replies: [{ text: texts.dialogExpired }, ...outcome.result.replies] } };
    }
    return routeAndServe(turn, frames);
  }

  async function runTurn(event: InboundEvent, state: ConversationState): Promise<{ response: BotResponse; state: ConversationState; effects: readonly Effect[] }> {
    const typed = normalizeText(event.text);
    const text = chooseButton(typed, state.buttons);
    const pressed = text !== typed || (state.buttons ?? []).some((label) => label === typed);
    const lexicon = await options.lexicon();
    const signals = understand(text, lexicon);
    // A button's label (often a Vietnamese product name) says nothing about the language of the person pressing
    // it, nor does a name or an address given to a dialog ("John Smith" in a Vietnamese order): only a question does.
    const sticky = pressed || (state.dialogs.length > 0 && !signals.isQuestion);
    const language = state.pinnedLanguage ?? (sticky && state.language ? state.language : detectLanguage(withoutNames(text, signals), state.language ?? "vi"));
    const turn: Turn = { event, signals, language, now: clock(), state, lexicon };
    const outcome = await dispatch(turn, pressed);
    const replyLanguage = outcome.result.pinLanguage ?? outcome.result.replyLanguage ?? language;
    const replies = outcome.result.replies;
    const next: ConversationState = {
      ...state,
      language: replyLanguage,
      ...(outcome.result.pinLanguage ? { pinnedLanguage: outcome.result.pinLanguage } : {}),
      dialogs: [...outcome.dialogs],
      buttons: [...(replies.at(-1)?.buttons ?? [])],
      topic: outcome.topic ? { ...outcome.topic, at: turn.now.toISOString() } : state.topic,
      clarifying: outcome.clarifying,
      lastIntent: outcome.result.intent,
      turns: state.turns + 1,
    };
    const response: BotResponse = {
      replies,
      intent: outcome.result.intent,
      sources: outcome.result.sources ?? [],
      language: replyLanguage,
      understanding: outcome.understanding,
    };
    return { response, state: next, effects: outcome.result.effects ?? [] };
  }

  /** Runs saved effects; their replies follow the turn's. */
  async function runEffects(effects: readonly Effect[], event: InboundEvent, language: Language): Promise<{ replies: Reply[]; intent?: string; sources: SourceRef[] }> {
    const replies: Reply[] = [];
    const sources: SourceRef[] = [];
    let intent: string | undefined;
    for (const effect of effects) {
      const runner = options.effects[effect.kind];
      if (!runner) throw new Error(`no runner for effect ${effect.kind}`);
      const result = await runner(effect.payload, { event, language });
      replies.push(...result.replies);
      sources.push(...(result.sources ?? []));
      intent = result.intent;
    }
    return { replies, sources, ...(intent ? { intent } : {}) };
  }

  /**
   * Clears the pending effects of `eventId` once they have run (retrying when another turn saved meanwhile).
   * When the effects answered (an order placed), their last reply's buttons are the ones a number or a press
   * refers to next: a second tap on "confirm" then means the placed order's button, not a new order.
   */
  async function clearPending(event: InboundEvent, effectReplies: readonly Reply[] = []): Promise<void> {
    const buttons = effectReplies.length > 0 ? { buttons: [...(effectReplies.at(-1)!.buttons ?? [])] } : {};
    for (let attempt = 0; attempt < MAX_SAVE_ATTEMPTS; attempt++) {
      const stored = await options.conversations.load(key(event));
      const state = parseConversationState(stored?.state);
      if (!stored || state.pending?.eventId !== event.eventId) return;
      if (await options.conversations.save(key(event), { ...state, pending: undefined, ...buttons }, stored.version)) return;
    }
  }

  return {
    async respond(event) {
      // Optimistic concurrency: if another instance saved this conversation meanwhile, replay the turn on its state.
      for (let attempt = 1; ; attempt++) {
        const stored = await options.conversations.load(key(event));
        let state = parseConversationState(stored?.state);
        // Effects a crash left unfinished run first; they are idempotent, so running them again is safe.
        let carried: Reply[] = [];
        if (state.pending && state.pending.eventId !== event.eventId) {
          carried = (await runEffects(state.pending.effects, { ...event, eventId: state.pending.eventId }, state.language ?? "vi")).replies;
          state = { ...state, pending: undefined };
        } else if (state.pending) {
          // This very event was saved but its effects did not finish: finish them rather than answer it twice.
          const done = await runEffects(state.pending.effects, event, state.language ?? "vi");
          await clearPending(event, done.replies);
          return { replies: [...state.pending.replies, ...done.replies], intent: done.intent ?? state.pending.intent, sources: done.sources, language: state.language ?? "vi" };
        }
        const { response, state: next, effects } = await runTurn(event, state);
        const replies = response.replies.map((reply) => ({ text: reply.text, ...(reply.buttons ? { buttons: [...reply.buttons] } : {}) }));
        const toSave: ConversationState = effects.length > 0 ? { ...next, pending: { eventId: event.eventId, effects: [...effects], replies, intent: response.intent } } : next;
        if (!(await options.conversations.save(key(event), toSave, stored?.version ?? 0))) {
          if (attempt >= MAX_SAVE_ATTEMPTS) throw new Error("conversation state kept changing under the turn");
          continue;
        }
        if (effects.length === 0) return carried.length > 0 ? { ...response, replies: [...carried, ...response.replies] } : response;
        const done = await runEffects(effects, event, response.language);
        await clearPending(event, done.replies);
        return { ...response, replies: [...carried, ...response.replies, ...done.replies], intent: done.intent ?? response.intent, sources: [...response.sources, ...done.sources] };
      }
    },
  };
}

/** "2" (or "#2") after a reply with buttons means the second button's label; anything else passes through. */
export function chooseButton(text: string, buttons: readonly string[] = []): string {
  const choice = /^#?(\d{1,2})$/.exec(text);
  return (choice && buttons[Number(choice[1]) - 1]) || text;
}

/** Records each event once and answers it; a duplicate delivery yields undefined. */
export async function receiveOnce(inbox: Inbox, engine: Engine, event: InboundEvent): Promise<BotResponse | undefined> {
  if (!(await inbox.record(event))) return undefined;
  const response = await engine.respond(event);
  await inbox.markProcessed(event);
  return response;
}

// A name is in the language it was given in, not the asker's: "Can I order 2 jars of Mắm tép chưng thịt PTK?" is English.
const NAME_TYPES: ReadonlySet<string> = new Set(["product", "village", "festival"]);

/** The text with the names it mentions blanked out, for deciding its language. */
function withoutNames(text: string, signals: Signals): string {
  let rest = text;
  for (const entity of [...signals.entities].filter((e) => NAME_TYPES.has(e.type)).sort((a, b) => b.from - a.from)) {
    rest = `${rest.slice(0, entity.from)} ${rest.slice(entity.to)}`;
  }
  return rest;
}
