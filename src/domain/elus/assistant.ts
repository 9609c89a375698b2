import { setImmediate as nextIteration } from 'node:timers/promises';
import { matchChoice } from '../language/choices.js';
import { asksSomething } from './analyzer.js';
import type { MaturityResult } from '../scoring/scoring.js';
import { composeArgumentaire, copyText, type Argumentaire } from './argumentaire.js';
import { stepOptions } from './choices.js';
import { loadLexicon, type Lexicon } from './lexicon.js';
import { loadElusReferential, type ElusReferential } from './load.js';
import { profileSteps, weakPointsOf, type ElusProfile, type ProfileStep, type WeakPoint } from './profile.js';
import { answerFor, type TopicAnswer } from './topicAnswer.js';
import { TopicIndex, type Classification, type TopicIndexOptions } from './topicIndex.js';

/**
 * "Comment convaincre mon élu ?": the arguments referential, its free-question index (built once) and the
 * use cases the dialogs call. Knows nothing of the Bot Framework.
 */
export class ElusAssistant {
  #index: TopicIndex | undefined;
  #cues: Record<keyof Mentions, { id: string; cue: string }[]> | undefined;

  constructor(
    readonly referential: ElusReferential,
    readonly lexicon: Lexicon,
    private readonly options: TopicIndexOptions = {},
  ) {}

  /** The free-question index, built and trained on first use (a few seconds) unless `warm()` did it already. */
  get index(): TopicIndex {
    this.#index ??= new TopicIndex(this.referential, this.lexicon, this.options);
    return this.#index;
  }

  /**
   * Builds the index in the background once the server listens: the classifier trains a slice of examples per turn
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

  /**
   * The answer to a topic; with the échelon or territory the message spoke of, it opens on what the guide says for
   * them and pre-fills the guided path with them.
   */
  answer(topicId: string, mentions: Mentions = {}): TopicAnswer | undefined {
    const topic = this.referential.topic(topicId);
    if (!topic) return undefined;
    const answer = answerFor(this.referential, topic);
    const echelon = topic.kind === 'echelon' ? undefined : this.referential.echelon(mentions.echelon);
    const territoire =
      topic.kind === 'territoire' ? undefined : this.referential.territoire(mentions.territoire);
    const tailored = [
      ...(echelon ? [`Avec des élus de l'échelon « ${echelon.label} » : ${echelon.angle}`] : []),
      ...(territoire ? [`Sur un territoire « ${territoire.label} » : ${territoire.angle}`] : []),
    ];
    const prefill = {
      ...(echelon && echelon.id !== 'etat' ? { echelon: echelon.id } : {}),
      ...(territoire ? { territoire: territoire.id } : {}),
      ...answer.prefill,
    };
    return {
      ...answer,
      details: [...tailored, ...answer.details],
      prefill,
      start: startValue(topicId, mentions),
    };
  }

  /** The échelon and territory a message names, when it names one of each at most (« un syndicat mixte du Jura »). */
  mentionsOf(text: string): Mentions {
    const typed = ` ${this.index.analyzer.rewrite(text)} `;
    const named = (cues: readonly { id: string; cue: string }[]): string | undefined => {
      let words = typed;
      const found = new Set<string>();
      for (const { id, cue } of cues) {
        if (!words.includes(cue)) continue;
        found.add(id);
        words = words.split(cue).join(' | ');
      }
      return found.size === 1 ? [...found][0] : undefined;
    };
    const echelon = named(this.cues.echelon);
    const territoire = named(this.cues.territoire);
    return { ...(echelon ? { echelon } : {}), ...(territoire ? { territoire } : {}) };
  }

  /** The lexicon's mention cues as the analyzer writes them, longest first: « communauté de communes » before « communes ». */
  private get cues(): Record<keyof Mentions, { id: string; cue: string }[]> {
    this.#cues ??= {
      echelon: this.cueList(this.lexicon.mentions.echelon),
      territoire: this.cueList(this.lexicon.mentions.territoire),
    };
    return this.#cues;
  }

  private cueList(cues: Record<string, string[]>): { id: string; cue: string }[] {
    return Object.entries(cues)
      .flatMap(([id, list]) => list.map((cue) => ({ id, cue: ` ${this.index.analyzer.rewrite(cue)} ` })))
      .sort((a, b) => b.cue.length - a.cue.length);
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
   * A typed message at a step of the guided path. A choice is recorded only when it is clear: a label, its number
   * or a synonym, or a message the free-text classifier is sure about (« ils n'ont jamais le temps » → temps).
   * A clear answer to another step (« on est en zone rurale » while asked the frein) comes back as `other`; a clear
   * question about something else (« c'est quoi le SDAASP ? ») as `question`, to be answered on the way. When the
   * classifier is unsure, nothing is recorded: `unsure` carries the step's closest choice to propose, if any, and
   * the closest topics when the message asks something.
   */
  readStep(step: ProfileStep, text: string): StepReading | undefined {
    const chosen = matchChoice(text, stepOptions(this.referential, step));
    if (chosen) return { value: chosen };
    const asked = this.ask(text);
    if (asked.kind === 'sure') {
      const option = this.optionOfTopic(asked.best.topic.id);
      if (option?.step === step) return { value: option.value, inferred: true };
      const question = { question: asked.best.topic.id, related: relatedTopics(asked.ranking) };
      if (!option) return question;
      return asksSomething(text) ? { other: option, ...question } : { other: option };
    }
    if (asked.kind === 'none' || asked.kind === 'argumentaire') return undefined;
    const guess = asked.ranking
      .slice(0, 3)
      .map((m) => this.optionOfTopic(m.topic.id))
      .find((o) => o?.step === step)?.value;
    const topics = asksSomething(text) ? asked.ranking.slice(0, 3).map((m) => m.topic.id) : [];
    if (!guess && topics.length === 0) return undefined;
    return { unsure: { ...(guess ? { guess } : {}), topics } };
  }
}

export { asksSomething };

/** The échelon and territory a message speaks of (ids of elus.json's `echelons` and `territoires`). */
export interface Mentions {
  echelon?: string;
  territoire?: string;
}

/** The value of « Construire mon argumentaire » under an answer: its topic and the message's mentions. */
export function startValue(topicId: string, mentions: Mentions): string {
  const parts = [topicId, ...Object.entries(mentions).map(([k, v]) => `${k}=${v}`)];
  return parts.join('|');
}

/** Reads a `startValue` back; unknown parts are ignored. */
export function readStartValue(value: string): { topicId: string; mentions: Mentions } {
  const [topicId = '', ...parts] = value.split('|');
  const mentions: Mentions = {};
  for (const part of parts) {
    const [key, id] = part.split('=');
    if ((key === 'echelon' || key === 'territoire') && id) mentions[key] = id;
  }
  return { topicId, mentions };
}

/** What a message typed at a step of the guided path says (see `ElusAssistant.readStep`). */
export type StepReading =
  /** `inferred`: read from a free message rather than typed as a choice (worth confirming). */
  | { value: string; inferred?: boolean }
  | { other: { step: ProfileStep; value: string }; question?: string; related?: string[] }
  | { question: string; related: string[] }
  | { unsure: { guess?: string; topics: string[] } };

/**
 * The next two topics of a ranking, offered as « voir aussi » under a direct answer: the second need of a message
 * that has two often scores well below the first, so the floor is low.
 */
export function relatedTopics(ranking: readonly { topic: { id: string }; score: number }[]): string[] {
  const best = ranking[0]?.score ?? 0;
  return ranking
    .slice(1, 3)
    .filter((m) => m.score >= Math.min(best / 4, 0.05))
    .map((m) => m.topic.id);
}
