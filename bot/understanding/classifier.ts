/**
 * Multinomial logistic regression over sparse features, trained by stochastic gradient descent with
 * L2 regularisation. Small enough to train at start-up in well under a second on a thousand or so
 * labelled examples, deterministic (a seeded shuffle), and its output is a probability per label, so
 * the router can tell a clear winner from two close candidates or a weak guess.
 */

/** Feature name → value; the classifier scales each sample to unit length. */
export type Features = ReadonlyMap<string, number>;

/** One label with its probability. */
export interface Scored {
  readonly label: string;
  readonly score: number;
}

/** Training settings; the defaults were chosen by cross-validation on the intent examples. */
export interface TrainingOptions {
  readonly epochs?: number;
  readonly learningRate?: number;
  readonly l2?: number;
  readonly seed?: number;
}

type Sparse = { readonly index: Int32Array; readonly value: Float64Array };

/** A trained classifier's parameters, so that it can be stored and restored rather than trained again. */
export interface ClassifierModel {
  readonly labels: readonly string[];
  /** Feature names in the order of the weights' rows. */
  readonly vocabulary: readonly string[];
  /** weights[feature * labels + label] */
  readonly weights: Float64Array;
  readonly bias: Float64Array;
}

/** A trained classifier; `train` builds one from labelled samples. */
export class SoftmaxClassifier {
  private constructor(
    readonly labels: readonly string[],
    private readonly vocabulary: ReadonlyMap<string, number>,
    /** weights[feature * labels + label] */
    private readonly weights: Float64Array,
    private readonly bias: Float64Array,
  ) {}

  /** Trains on `samples`; every label that occurs becomes a class. */
  static train(samples: readonly { features: Features; label: string }[], options: TrainingOptions = {}): SoftmaxClassifier {
    const { epochs = 40, learningRate = 0.5, l2 = 3e-5, seed = 7 } = options;
    const labels = [...new Set(samples.map((sample) => sample.label))].sort();
    const labelIndex = new Map(labels.map((label, i) => [label, i]));
    const vocabulary = new Map<string, number>();
    for (const sample of samples) for (const name of sample.features.keys()) if (!vocabulary.has(name)) vocabulary.set(name, vocabulary.size);
    const classes = labels.length;
    const weights = new Float64Array(vocabulary.size * classes);
    const bias = new Float64Array(classes);
    const data = samples.map((sample) => ({ x: sparse(sample.features, vocabulary), y: labelIndex.get(sample.label)! }));
    const order = data.map((_, i) => i);
    const random = mulberry32(seed);
    const probabilities = new Float64Array(classes);
    const steps = new Float64Array(classes);
    for (let epoch = 0; epoch < epochs; epoch++) {
      shuffle(order, random);
      const rate = learningRate / (1 + epoch * 0.15);
      // Weight decay applied once per epoch keeps the update sparse.
      const decay = 1 - rate * l2 * data.length;
      if (decay < 1) for (let i = 0; i < weights.length; i++) weights[i]! *= Math.max(decay, 0.5);
      for (const i of order) {
        const { x, y } = data[i]!;
        logits(x, weights, bias, classes, probabilities);
        softmaxInPlace(probabilities);
        for (let c = 0; c < classes; c++) {
          const gradient = probabilities[c]! - (c === y ? 1 : 0);
          // A negligible gradient leaves its class's weights alone (a step of 0 changes nothing).
          steps[c] = Math.abs(gradient) < 1e-6 ? 0 : rate * gradient;
          bias[c]! -= steps[c]! * 0.1;
        }
        // Feature by feature, a row of weights is contiguous: several times faster than class by class.
        for (let k = 0; k < x.index.length; k++) {
          const row = x.index[k]! * classes;
          const value = x.value[k]!;
          for (let c = 0; c < classes; c++) if (steps[c] !== 0) weights[row + c]! -= steps[c]! * value;
        }
      }
    }
    return new SoftmaxClassifier(labels, vocabulary, weights, bias);
  }

  /** Restores a classifier from its parameters; it predicts exactly as the one they were taken from. */
  static restore(model: ClassifierModel): SoftmaxClassifier {
    const { labels, vocabulary, weights, bias } = model;
    if (weights.length !== vocabulary.length * labels.length || bias.length !== labels.length) throw new Error("classifier model: sizes do not match");
    return new SoftmaxClassifier(labels, new Map(vocabulary.map((name, i) => [name, i])), weights, bias);
  }

  /** The parameters that `restore` takes. */
  model(): ClassifierModel {
    return { labels: this.labels, vocabulary: [...this.vocabulary.keys()], weights: this.weights, bias: this.bias };
  }

  /** Every label with its probability, best first. */
  predict(features: Features): Scored[] {
    const classes = this.labels.length;
    const probabilities = new Float64Array(classes);
    logits(sparse(features, this.vocabulary), this.weights, this.bias, classes, probabilities);
    softmaxInPlace(probabilities);
    return this.labels.map((label, c) => ({ label, score: probabilities[c]! })).sort((a, b) => b.score - a.score);
  }
}

function sparse(features: Features, vocabulary: ReadonlyMap<string, number>): Sparse {
  const known = [...features].filter(([name]) => vocabulary.has(name));
  const norm = Math.hypot(...[...features.values()]) || 1;
  return {
    index: Int32Array.from(known.map(([name]) => vocabulary.get(name)!)),
    value: Float64Array.from(known.map(([, value]) => value / norm)),
  };
}

function logits(x: Sparse, weights: Float64Array, bias: Float64Array, classes: number, out: Float64Array): void {
  out.set(bias);
  for (let k = 0; k < x.index.length; k++) {
    const row = x.index[k]! * classes;
    const value = x.value[k]!;
    for (let c = 0; c < classes; c++) out[c]! += weights[row + c]! * value;
  }
}

function softmaxInPlace(values: Float64Array): void {
  let max = -Infinity;
  for (const value of values) max = Math.max(max, value);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] = Math.exp(values[i]! - max);
  for (let i = 0; i < values.length; i++) values[i]! /= sum;
}

function shuffle(items: number[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

/** A small seeded generator (mulberry32), so training gives the same model every time and synthetic data repeats. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
