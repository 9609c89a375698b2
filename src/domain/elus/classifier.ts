import type { FrenchAnalyzer } from './analyzer.js';

/** One labelled phrasing to learn from; `weight` < 1 for weaker evidence (a keyword, a sentence of the answer). */
export interface Example {
  text: string;
  label: string;
  weight: number;
}

export interface ClassifierOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
  /** Train later, one slice of examples per `trainStep()` (the rest at once on the first prediction). */
  deferTraining?: boolean;
}

/** Gradients below this are skipped: most classes are already ruled out after a few epochs. */
const negligible = 1e-3;

/** Examples per step of a deferred training: a step blocks the event loop for a few tens of milliseconds. */
const examplesPerStep = 500;

interface Vector {
  index: Int32Array;
  value: Float32Array;
}

/**
 * A softmax (multinomial logistic) regression over French features: stems, word pairs, sound keys and character
 * 3–4-grams of each word. The character n-grams make it forgiving of typos and SMS spellings ("convaicre",
 * "subvension"); the stems carry the meaning. Trained once at start-up (a slice of examples per `trainStep()` when deferred)
 * with plain SGD and a fixed seed: two runs give the same model.
 */
export class TopicClassifier {
  readonly labels: readonly string[];
  private readonly vocabulary = new Map<string, number>();
  /** Allocated once the examples are read (their features make the vocabulary). */
  private weights = new Float32Array(0);
  private readonly bias: Float64Array;

  private readonly training: Generator<void, void, void>;

  constructor(
    private readonly analyzer: FrenchAnalyzer,
    examples: readonly Example[],
    options: ClassifierOptions = {},
  ) {
    this.labels = [...new Set(examples.map((e) => e.label))];
    this.bias = new Float64Array(this.labels.length);
    this.training = this.train(examples, options);
    if (!options.deferTraining) this.finishTraining();
  }

  /** One more slice of training; false once the model is trained. */
  trainStep(): boolean {
    return !this.training.next().done;
  }

  finishTraining(): void {
    while (this.trainStep());
  }

  /**
   * Reads the examples' features, then plain SGD; one step per slice of `examplesPerStep` examples (a few tens of
   * milliseconds).
   */
  private *train(examples: readonly Example[], options: ClassifierOptions): Generator<void, void, void> {
    const vectors: Vector[] = [];
    for (const [position, example] of examples.entries()) {
      if (position > 0 && position % examplesPerStep === 0) yield;
      vectors.push(this.vectorize(example.text, true));
    }
    this.weights = new Float32Array(this.labels.length * this.vocabulary.size);
    const { epochs = 15, learningRate = 2, l2 = 1e-6, seed = 7 } = options;
    const labelIndex = new Map(this.labels.map((l, i) => [l, i]));
    const classes = this.labels.length;
    const dims = this.vocabulary.size;
    const order = examples.map((_, i) => i);
    let state = seed;
    const random = () => (state = (state * 16807) % 2147483647) / 2147483647;
    const probabilities = new Float64Array(classes);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const rate = learningRate / (1 + epoch * 0.1);
      for (const [position, n] of order.entries()) {
        if (position > 0 && position % examplesPerStep === 0) yield;
        const vector = vectors[n]!;
        const target = labelIndex.get(examples[n]!.label)!;
        this.softmax(vector, probabilities);
        for (let k = 0; k < classes; k++) {
          const gradient = (probabilities[k]! - (k === target ? 1 : 0)) * examples[n]!.weight;
          if (Math.abs(gradient) < negligible) continue;
          this.bias[k]! -= rate * gradient;
          const row = k * dims;
          for (let t = 0; t < vector.index.length; t++) {
            const p = row + vector.index[t]!;
            this.weights[p]! -= rate * (gradient * vector.value[t]! + l2 * this.weights[p]!);
          }
        }
      }
      yield;
    }
  }

  /** Probability of each label, best first. */
  predict(text: string): { label: string; probability: number }[] {
    this.finishTraining();
    const probabilities = new Float64Array(this.labels.length);
    this.softmax(this.vectorize(text, false), probabilities);
    return this.labels
      .map((label, k) => ({ label, probability: probabilities[k]! }))
      .sort((a, b) => b.probability - a.probability);
  }

  private softmax(vector: Vector, out: Float64Array): void {
    const dims = this.vocabulary.size;
    let max = -Infinity;
    for (let k = 0; k < out.length; k++) {
      let z = this.bias[k]!;
      const row = k * dims;
      for (let t = 0; t < vector.index.length; t++)
        z += this.weights[row + vector.index[t]!]! * vector.value[t]!;
      out[k] = z;
      if (z > max) max = z;
    }
    let sum = 0;
    for (let k = 0; k < out.length; k++) {
      out[k] = Math.exp(out[k]! - max);
      sum += out[k]!;
    }
    for (let k = 0; k < out.length; k++) out[k]! /= sum;
  }

  private vectorize(text: string, grow: boolean): Vector {
    const features = featuresOf(this.analyzer, text);
    const index: number[] = [];
    const value: number[] = [];
    for (const [key, v] of features) {
      let i = this.vocabulary.get(key);
      if (i === undefined && grow) {
        i = this.vocabulary.size;
        this.vocabulary.set(key, i);
      }
      if (i !== undefined) {
        index.push(i);
        value.push(v);
      }
    }
    return { index: Int32Array.from(index), value: Float32Array.from(value) };
  }
}

/** Stems (1), stem pairs (0.5), sound keys (0.5), character 3–4-grams (0.25), L2-normalised. */
export function featuresOf(analyzer: FrenchAnalyzer, text: string): Map<string, number> {
  const { words, stems, sounds } = analyzer.analyze(text);
  const features = new Map<string, number>();
  const add = (key: string, v: number) => features.set(key, (features.get(key) ?? 0) + v);
  for (const s of stems) add(`w:${s}`, 1);
  for (const s of sounds) add(`s:${s}`, 0.5);
  for (let i = 0; i + 1 < stems.length; i++) add(`b:${stems[i]}_${stems[i + 1]}`, 0.5);
  for (const w of words) {
    const padded = `<${w}>`;
    for (let n = 3; n <= 4; n++)
      for (let i = 0; i + n <= padded.length; i++) add(`c:${padded.slice(i, i + n)}`, 0.25);
  }
  let norm = 0;
  for (const v of features.values()) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (const [key, v] of features) features.set(key, v / norm);
  return features;
}
