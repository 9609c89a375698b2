import { setImmediate as nextIteration } from 'node:timers/promises';
import { matchChoice } from '../language/choices.js';
import type { MaturityResult } from '../scoring/scoring.js';
import { composeArgumentaire, copyText, type Argumentaire } from './argumentaire.js';
import { stepOptions } from './choices.js';
import { loadLexicon, type Lexicon } from './lexicon.js';
import { loadElusReferential, type ElusReferential } from './load.js';
import { profileSteps, weakPointsOf, type ElusProfile, type ProfileStep, type WeakPoint } from './profile.js';
import { answerFor, type TopicAnswer } from './topicAnswer.js';
import { TopicIndex, type Classification, type TopicIndexOptions } from './topicIndex.js';

/** Below this score a typed step answer is not taken from the free-text classifier. */
const stepThreshold = 0.35;

/**
 * "Comment convaincre mon élu ?": the arguments referential, its free-question index (built once) and the
 * use cases the dialogs call. Knows nothing of the Bot Framework.
 */
export class ElusAssistant {
  #index: TopicIndex | undefined;

  constructor(
    readonly referential: ElusReferential,
    readonly lexicon: Lexicon,
    private readonly options: TopicIndexOptions = {},
  ) {}

  /** The free-question index, built and trained on first use (about 0.7 s) unless `warm()` did it already. */
  get index(): TopicIndex {
    this.#index ??= new TopicIndex(this.referential, this.lexicon, this.options);
    return this.#index;
  }

  /**
   * Builds the index in the background once the server listens: the classifier trains one epoch per turn
   * of the event loop, so requests keep being served meanwhile. A question asked before the end finishes the
   * training at once.
   */
  async warm(): Promise<void> {
    await nextIteration();
    this.#index ??= new TopicIndex(this.referential, this.lexicon, {
      ...this.options,
      classifier: { ...this.options.classifier, deferTraining: true },
    });
    while (this.#index.trainStep()) await nextIteration();
  }

  /**
   * Loads referential/elus.json and elus-lexicon.json (a bad edit throws a `ReferentialError`); the index is built
   * on first use.
   */
  static load(dir: string, options: TopicIndexOptions = {}): ElusAssistant {
    return new ElusAssistant(loadElusReferential(dir), loadLexicon(dir), options);
  }

  /** What a free question is about, and how sure the index is. */
  ask(text: string): Classification {
    return this.index.classify(text);
  }

  answer(topicId: string): TopicAnswer | undefined {
    const topic = this.referential.topic(topicId);
    return topic && answerFor(this.referential, topic);
  }

  argumentaire(profile: ElusProfile, variant = 0): Argumentaire {
    return composeArgumentaire(this.referential, profile, variant);
  }

  copyText(profile: ElusProfile, variant = 0): string {
    return copyText(this.referential, profile, variant);
  }

  weakPoints(result: MaturityResult): WeakPoint[] {
    return weakPointsOf(result, this.referential.data.diagnostic);
  }

  /** The step option a topic stands for ("frein:temps" → frein temps, "financement" → frein budget). */
  optionOfTopic(topicId: string): { step: ProfileStep; value: string } | undefined {
    for (const step of profileSteps) {
      for (const option of stepOptions(this.referential, step)) {
        const frein = step === 'frein' ? this.referential.frein(option.value) : undefined;
        if ((frein ? this.referential.freinTopic(frein) : `${step}:${option.value}`) === topicId)
          return { step, value: option.value };
      }
    }
    return undefined;
  }

  /**
   * A typed answer to a step of the guided path: a label, its number or a synonym; failing that, what the
   * free-text classifier recognises among that step's topics ("ils n'ont jamais le temps" → temps). A clear
   * answer to another step ("on est en zone rurale" while asked the frein) comes back as `other`; a clear
   * question about something else ("c'est quoi le SDAASP ?") as `question`, to be answered on the way.
   */
  readStep(
    step: ProfileStep,
    text: string,
  ): { value: string } | { other: { step: ProfileStep; value: string } } | { question: string } | undefined {
    const chosen = matchChoice(text, stepOptions(this.referential, step));
    if (chosen) return { value: chosen };
    const asked = this.ask(text);
    if (asked.kind === 'sure') {
      const option = this.optionOfTopic(asked.best.topic.id);
      if (option?.step === step) return { value: option.value };
      if (option) return { other: option };
      return { question: asked.best.topic.id };
    }
    const [best, second] = this.index.rank(text, (t) => this.optionOfTopic(t.id)?.step === step);
    if (!best || best.score < stepThreshold || (second && best.score < 1.2 * second.score)) return undefined;
    return { value: this.optionOfTopic(best.topic.id)!.value };
  }
}
