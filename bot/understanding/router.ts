/**
 * The intent router: a softmax classifier trained at start on the declared intents' examples, read
 * through the same understanding step as live messages (so entities are masked the same way).
 * A clear winner is routed; two close candidates served differently get one "did you mean …?"
 * question; a weak score goes to the knowledge base, and from there to an honest "don't know".
 */
import { SoftmaxClassifier, type ClassifierModel, type Scored } from "./classifier.ts";
import type { Lexicon } from "./entities.ts";
import { featuresOf } from "./features.ts";
import { examplesOf, type IntentDeclaration } from "./intents.ts";
import { OffDomainTerms } from "./off-domain.ts";
import { understand, type Signals } from "./signals.ts";

/**
 * Decision bands over the top probability and its lead over the runner-up, calibrated on the dev set
 * (README, "Understanding"): above ACCEPT with a lead of MARGIN the intent is taken; from CLARIFY_FLOOR
 * with two close candidates the user is asked; anything weaker is a question for the knowledge base.
 */
export const ROUTER_THRESHOLDS = { accept: 0.4, margin: 0.1, clarifyFloor: 0.3, clarifySecond: 0.2 } as const;

/** How a message was routed. */
export interface Routing {
  readonly intent: IntentDeclaration;
  readonly score: number;
  /** The best three intents with their probabilities. */
  readonly candidates: readonly Scored[];
  /** accept: serve `intent`; clarify: ask between the first two candidates; weak: try the knowledge base. */
  readonly decision: "accept" | "clarify" | "weak";
}

/** Goods a buyer may ask for that the catalogue does not hold, put in training examples in place of a product's name. */
const UNKNOWN_PRODUCTS = ["mật ong", "bánh chưng", "ca phe", "nước mắm", "honey", "coffee", "chè Thái Nguyên", "ruou nep", "rice cakes", "fish sauce"];

/** Intents never worth a "did you mean …?" question: a wrong guess among them costs nothing. */
const NO_CLARIFY = new Set(["greeting", "help", "thanks", "goodbye", "acknowledge", "cancel", "language", "out_of_scope"]);

/** A trained router. */
export class Router {
  private constructor(
    private readonly declarations: ReadonlyMap<string, IntentDeclaration>,
    private readonly classifier: SoftmaxClassifier,
    private readonly offDomain: OffDomainTerms = OffDomainTerms.from([...declarations.values()]),
  ) {}

  /**
   * Trains on every example of `intents`, reading them against `lexicon` as live messages are. An example
   * naming a product is also learnt with a name the catalogue lacks in its place, so "có bán mật ong không"
   * reads like "có bán kẹo lạc không" although "mật ong" is no product of ours.
   */
  static train(intents: readonly IntentDeclaration[], lexicon: Lexicon): Router {
    let unknown = 0;
    const samples = intents.flatMap((intent) =>
      examplesOf(intent).flatMap((example) => {
        const signals = understand(example, lexicon);
        const product = signals.entities.find((entity) => entity.type === "product");
        const variants = [signals];
        if (product) {
          const stranger = UNKNOWN_PRODUCTS[unknown++ % UNKNOWN_PRODUCTS.length]!;
          variants.push(understand(`${example.slice(0, product.from)}${stranger}${example.slice(product.to)}`, lexicon));
        }
        return variants.map((variant) => ({ features: featuresOf(variant), label: intent.name }));
      }),
    );
    return new Router(new Map(intents.map((intent) => [intent.name, intent])), SoftmaxClassifier.train(samples));
  }

  /** A router trained before on the same examples (see `model`), without training again. */
  static restore(intents: readonly IntentDeclaration[], model: ClassifierModel): Router {
    const classifier = SoftmaxClassifier.restore(model);
    const unknown = classifier.labels.filter((label) => !intents.some((intent) => intent.name === label));
    if (unknown.length > 0) throw new Error(`router model: no intent declared for ${unknown.join(", ")}`);
    return new Router(new Map(intents.map((intent) => [intent.name, intent])), classifier);
  }

  /** What the router learnt, to restore it with `restore`. */
  model(): ClassifierModel {
    return this.classifier.model();
  }

  /** Every declared intent. */
  intents(): IntentDeclaration[] {
    return [...this.declarations.values()];
  }

  /** The declaration of an intent by name. */
  intent(name: string): IntentDeclaration | undefined {
    return this.declarations.get(name);
  }

  /** Terms of `text` only the out-of-scope examples use ("thoi tiet", "weather"): it asks about something not covered. */
  offDomainTerms(text: string): string[] {
    return this.offDomain.in(text);
  }

  /** Scores every intent for the message and decides what to do. */
  route(signals: Signals): Routing {
    const candidates = this.classifier.predict(featuresOf(signals)).slice(0, 3);
    const [first, second] = candidates as [Scored, Scored];
    const intent = this.declarations.get(first.label)!;
    const lead = first.score - second.score;
    const t = ROUTER_THRESHOLDS;
    let decision: Routing["decision"];
    if (first.score >= t.accept && lead >= t.margin) decision = "accept";
    else if (NO_CLARIFY.has(first.label) && first.score >= t.clarifyFloor) decision = "accept";
    else if (first.score >= t.clarifyFloor && second.score >= t.clarifySecond && this.servedDifferently(first.label, second.label) && !NO_CLARIFY.has(second.label)) decision = "clarify";
    else if (first.score >= t.accept) decision = "accept";
    else decision = "weak";
    return { intent, score: first.score, candidates, decision };
  }

  private servedDifferently(a: string, b: string): boolean {
    return this.declarations.get(a)!.serve !== this.declarations.get(b)!.serve;
  }
}
