import MiniSearch, { type SearchResult } from 'minisearch';
import { FrenchAnalyzer, asksSomething, damerau, fold } from './analyzer.js';
import { TopicClassifier, type ClassifierOptions, type Example } from './classifier.js';
import type { Lexicon } from './lexicon.js';
import type { ElusReferential } from './load.js';
import type { Topic } from './schema.js';

type Source = 'title' | 'paraphrase' | 'keywords' | 'answer';

interface IndexedDoc {
  id: number;
  topic: string;
  source: Source;
  stems: string;
  sounds: string;
}

export interface TopicMatch {
  topic: Topic;
  score: number;
}

/**
 * How sure the index is: `sure` answers directly, `weak` proposes the closest topics, `none` has nothing to say
 * (out of domain).
 */
export type Classification =
  | { kind: 'sure'; best: TopicMatch; ranking: TopicMatch[] }
  /** « Comment convaincre mon maire ? », « des arguments pour mon élu » : nothing more to go on than the wish. */
  | { kind: 'argumentaire'; ranking: TopicMatch[] }
  | { kind: 'weak'; ranking: TopicMatch[] }
  | { kind: 'none'; ranking: TopicMatch[] };

export interface TopicIndexOptions {
  /** Leave these paraphrases out of the index (held-out evaluation, leave-one-out). */
  exclude?: (topicId: string, paraphrase: string) => boolean;
  classifier?: ClassifierOptions;
  /** Share of the classifier in the final score (the rest is BM25). */
  mix?: number;
}

/** Tuning, set by cross-validation on the paraphrases (never on the held-out questions). */
const tuning = {
  /** A stem found in this share of the topics says nothing about which one (élu, numérique…): left out of BM25. */
  genericShare: 0.3,
  /** BM25 scores are divided by the best topic's, or by this floor when every match is weak. */
  bm25Floor: 1,
  /** Who the question is about (maire, interco…) weighs this much in BM25 when other words say what it is about. */
  actorWeight: 0.4,
  /** A glossary acronym typed in a short or « c'est quoi » question; much less in a long message about something else. */
  acronymBonus: 0.5,
  incidentalAcronymBonus: 0.1,
  /** Weight of the copies of each phrasing where the person concerned is someone else (« la DGS », « le maire »). */
  actorAugmentWeight: 0.5,
  /** In a long message, the sentences that ask count this much (the others 1). */
  askingWeight: 1.5,
  /** Weight of the copies of each phrasing that name a place in passing (« en Guadeloupe »). */
  placeAugmentWeight: 0.5,
};

const sourceWeight: Record<Source, number> = { title: 1, paraphrase: 1, keywords: 0.7, answer: 0.45 };

/** Thresholds on the score (see `classify`), chosen on the tune split of the frozen set and the older held-out questions. */
export const thresholds = { sure: 0.55, margin: 1.3, weak: 0.2 };

/** The classifier's class for what surrounds a question (greetings, who one is): never an answer. */
const backgroundLabel = '#contexte';
/** The classifier's class for messages about something else (weather, IT help): no answer when it wins. */
const offTopicLabel = '#hors-sujet';

const definitionPattern =
  /\b(?:c est quoi|c quoi|qu est ce qu|definition|def|veut dire|signifie|kesako|sert a quoi|a quoi sert)\b/;

/**
 * The free-question index, built once at start-up from the referential's topics (title, paraphrases, keywords,
 * answer), in two parts whose scores are mixed:
 * - a MiniSearch BM25 index over French stems (nlp.js Snowball, accents folded, stopwords and SMS spellings
 *   handled by `FrenchAnalyzer`) and sound keys, fuzzy for typos: one document per title, paraphrase, keyword
 *   list and answer, a topic scoring its best document plus a share of the next two;
 * - a `TopicClassifier` (softmax regression on stems, stem pairs, sound keys and character n-grams) trained on
 *   the same phrasings, plus copies naming someone else and a background class for greetings and context.
 * A long message is read sentence by sentence. `classify` then decides to answer, to propose topics, or not.
 */
export class TopicIndex {
  readonly analyzer: FrenchAnalyzer;
  private readonly search: MiniSearch<IndexedDoc>;
  private readonly cues: Set<string>;
  private readonly vocabulary = new Set<string>();
  /** Stems of titles, phrasings and keywords (not of answers): what a question about a topic uses. */
  private readonly topical = new Set<string>();
  /** Stems found in so many topics that they say nothing about which one (numérique, élu, inclusion…). */
  private readonly generic = new Set<string>();
  private readonly actors: Set<string>;
  private readonly intents: Set<string>;
  private readonly fillers: Set<string>;
  private readonly classifier: TopicClassifier;
  private readonly mix: number;
  private readonly acronyms: { term: string; topic: string }[];

  constructor(
    private readonly referential: ElusReferential,
    lexicon: Lexicon,
    options: TopicIndexOptions = {},
  ) {
    this.analyzer = new FrenchAnalyzer(lexicon);
    this.search = new MiniSearch<IndexedDoc>({
      fields: ['stems', 'sounds'],
      storeFields: ['topic', 'source'],
      tokenize: (text) => text.split(' ').filter(Boolean),
      processTerm: (term) => term,
      searchOptions: {
        boost: { stems: 1, sounds: 0.35 },
        fuzzy: (term) => (term.length >= 9 ? 2 : term.length >= 5 ? 1 : false),
        weights: { fuzzy: 0.6, prefix: 0.3 },
        boostDocument: (_id, _term, stored) => sourceWeight[(stored as { source: Source }).source],
      },
    });
    const docs: IndexedDoc[] = [];
    const add = (topic: string, source: Source, text: string) => {
      const { stems, sounds } = this.analyzer.analyze(text);
      if (stems.length === 0) return;
      stems.forEach((s) => this.vocabulary.add(s));
      if (source !== 'answer') stems.forEach((s) => this.topical.add(s));
      docs.push({ id: docs.length, topic, source, stems: stems.join(' '), sounds: sounds.join(' ') });
    };
    for (const topic of referential.topics) {
      add(topic.id, 'title', topic.title);
      for (const p of topic.paraphrases) if (!options.exclude?.(topic.id, p)) add(topic.id, 'paraphrase', p);
      if (topic.keywords.length > 0) add(topic.id, 'keywords', topic.keywords.join(' '));
      add(topic.id, 'answer', topic.answer);
    }
    this.search.addAll(docs);
    const examples = examplesOf(referential, lexicon, options.exclude);
    this.analyzer.learnWords(examples.flatMap((e) => this.analyzer.analyze(e.text).words));
    this.classifier = new TopicClassifier(this.analyzer, examples, options.classifier);
    this.mix = options.mix ?? 0.8;
    this.acronyms = referential.data.glossary.map((g) => ({
      term: fold(g.term),
      topic: `glossaire:${g.term}`,
    }));
    const topicsOf = new Map<string, Set<string>>();
    for (const doc of docs)
      for (const s of doc.stems.split(' ')) topicsOf.set(s, (topicsOf.get(s) ?? new Set()).add(doc.topic));
    for (const [stem, topics] of topicsOf)
      if (topics.size >= tuning.genericShare * referential.topics.length) this.generic.add(stem);
    const stems = (list: readonly string[]) => new Set(list.map((c) => this.analyzer.stem(fold(c))));
    this.cues = stems(lexicon.elusCues);
    this.actors = stems(lexicon.actorWords);
    this.intents = stems(lexicon.argumentWords);
    this.fillers = stems(lexicon.argumentFillers);
  }

  /**
   * Every topic that shares something with the text, best first. A long message is read sentence by sentence:
   * each sentence counts as much as it is about a topic rather than context (« je travaille au CCAS… »), and the
   * sentences that ask something count more.
   */
  rank(text: string, filter?: (topic: Topic) => boolean): TopicMatch[] {
    return this.read(text, filter).ranking;
  }

  /** The ranking of `rank`, and how much the message is about something else altogether (0 to 1). */
  private read(
    text: string,
    filter?: (topic: Topic) => boolean,
  ): { ranking: TopicMatch[]; offTopic: number } {
    const sentences = text
      .split(/(?<=[.!?;:\n])\s+|\n+/)
      .filter((s) => this.analyzer.analyze(s).stems.length > 0);
    const scored = sentences.length > 1 ? [text, ...sentences].map((s) => this.score(s)) : [this.score(text)];
    const total = new Map<string, number>();
    let weights = 0;
    let offTopic = 0;
    const asking = sentences.map(asksSomething);
    scored.forEach((part, i) => {
      const weight = i === 0 ? 1 : (1 - part.background) * (asking[i - 1] ? tuning.askingWeight : 1);
      weights += weight;
      offTopic += weight * part.offTopic;
      for (const [label, score] of part.scores) total.set(label, (total.get(label) ?? 0) + weight * score);
    });
    const ranking: TopicMatch[] = [];
    for (const [label, score] of total) {
      const topic = this.referential.topic(label);
      if (topic && (!filter || filter(topic))) ranking.push({ topic, score: score / weights });
    }
    return {
      ranking: ranking.sort((a, b) => b.score - a.score),
      offTopic: weights > 0 ? offTopic / weights : 0,
    };
  }

  /** One more slice of the classifier's training when it was deferred; false once trained. */
  trainStep(): boolean {
    return this.classifier.trainStep();
  }

  /** One text's score for each topic (classifier and BM25 mixed, acronym bonus) and how much it is mere context. */
  private score(text: string): { scores: Map<string, number>; background: number; offTopic: number } {
    const analysis = this.analyzer.analyze(text);
    const scores = new Map<string, number>();
    if (analysis.stems.length === 0) return { scores, background: 1, offTopic: 0 };
    const bm25 = this.bm25(analysis.stems, analysis.sounds);
    const bestBm25 = Math.max(tuning.bm25Floor, ...bm25.values());
    const acronyms = this.acronymsIn(analysis.words);
    const definition = definitionPattern.test(fold(text)) || new Set(analysis.stems).size <= 3;
    const bonus = definition ? tuning.acronymBonus : tuning.incidentalAcronymBonus;
    const predictions = this.classifier.predict(text);
    const background = predictions.find((p) => p.label === backgroundLabel)?.probability ?? 0;
    const offTopicRaw = predictions.find((p) => p.label === offTopicLabel)?.probability ?? 0;
    const offTopic = offTopicRaw / Math.max(1 - background, 1e-6);
    for (const { label, probability: raw } of predictions) {
      if (label === backgroundLabel || label === offTopicLabel) continue;
      const probability = raw / Math.max(1 - background, 1e-6);
      const lexical = (bm25.get(label) ?? 0) / bestBm25;
      scores.set(
        label,
        this.mix * probability + (1 - this.mix) * lexical + (acronyms.has(label) ? bonus : 0),
      );
    }
    return { scores, background, offTopic };
  }

  /** BM25 score of each topic: its best document, plus a share of the next two, normalised by the query length. */
  private bm25(allStems: string[], allSounds: string[]): Map<string, number> {
    const specific = allStems.filter((s) => !this.generic.has(s));
    const keep = specific.length > 0 ? (s: string) => !this.generic.has(s) : () => true;
    const terms = new Set<string>();
    allStems.forEach((stem, i) => {
      if (!keep(stem)) return;
      terms.add(stem);
      if (!this.vocabulary.has(stem)) terms.add(allSounds[i]!);
    });
    const stems = allStems.filter(keep);
    const scores = new Map<string, number>();
    if (stems.length === 0) return scores;
    const onlyActors = stems.every((s) => this.actors.has(s));
    const boostTerm = (term: string) => (!onlyActors && this.actors.has(term) ? tuning.actorWeight : 1);
    const byTopic = new Map<string, number[]>();
    for (const hit of this.search.search([...terms].join(' '), { boostTerm }) as (SearchResult & {
      topic: string;
    })[]) {
      const list = byTopic.get(hit.topic) ?? [];
      list.push(hit.score);
      byTopic.set(hit.topic, list);
    }
    const norm = Math.sqrt(new Set(stems).size) * 10;
    for (const [id, list] of byTopic) {
      list.sort((a, b) => b - a);
      scores.set(id, (list[0]! + 0.25 * (list[1] ?? 0) + 0.1 * (list[2] ?? 0)) / norm);
    }
    return scores;
  }

  /** Glossary topics whose acronym is typed, exactly or with one slip (SDAAP, SRADET, NIS 2). */
  private acronymsIn(words: string[]): Set<string> {
    const found = new Set<string>();
    for (const word of words) {
      for (const { term, topic } of this.acronyms) {
        if (word === term || (term.length >= 4 && word.length >= 4 && damerau(word, term) <= 1))
          found.add(topic);
      }
    }
    return found;
  }

  /**
   * Decides whether to answer (`sure`), to propose the closest topics (`weak`) or to say nothing (`none`).
   * Both need a grounded question: it speaks of élus, budget, collectivités…, names an acronym of the glossary,
   * or at least two words and half of its words are those the topics use. An answer also needs a clear winner
   * and a word more specific than « élu » or « numérique ».
   */
  classify(text: string, filter?: (topic: Topic) => boolean): Classification {
    const { ranking, offTopic } = this.read(text, filter);
    if (this.asksForArguments(text)) return { kind: 'argumentaire', ranking };
    const best = ranking[0];
    if (!best || offTopic >= best.score) return { kind: 'none', ranking };
    const second = ranking[1]?.score ?? 0;
    const signal = this.signal(text);
    const grounded = signal.cue || signal.acronym || (signal.known >= 2 && signal.known >= signal.words / 2);
    if (!grounded) return { kind: 'none', ranking };
    if (signal.specific > 0 && best.score >= thresholds.sure && best.score >= thresholds.margin * second) {
      return { kind: 'sure', best, ranking };
    }
    if (best.score >= thresholds.weak) return { kind: 'weak', ranking };
    return { kind: 'none', ranking };
  }

  /** Asks how to convince, or for arguments, and says nothing more than who (« mon maire », « les élus »). */
  asksForArguments(text: string): boolean {
    const { stems } = this.analyzer.analyze(text);
    return (
      stems.some((s) => this.intents.has(s)) &&
      stems.every(
        (s) => this.intents.has(s) || this.actors.has(s) || this.generic.has(s) || this.fillers.has(s),
      )
    );
  }

  /**
   * How much of the text the topics know: content words (`words`), those that are not in most topics
   * (`specific`: "élu", "numérique" are not), those found in topic titles, phrasings or keywords (`known`), a word
   * about élus or collectivités (`cue`), a glossary acronym (`acronym`).
   */
  signal(text: string): { words: number; specific: number; known: number; cue: boolean; acronym: boolean } {
    const { words, stems } = this.analyzer.analyze(text);
    const distinct = [...new Set(stems)];
    return {
      words: distinct.length,
      specific: distinct.filter((s) => !this.generic.has(s)).length,
      known: distinct.filter((s) => this.topical.has(s)).length,
      cue: distinct.some((s) => this.cues.has(s)),
      acronym: this.acronymsIn(words).size > 0,
    };
  }
}

/** The referential as training examples: titles and paraphrases, keywords and answer sentences (weaker). */
export function examplesOf(
  referential: ElusReferential,
  lexicon: Lexicon,
  exclude?: (topicId: string, paraphrase: string) => boolean,
): Example[] {
  const examples: Example[] = [];
  for (const topic of referential.topics) {
    const label = topic.id;
    examples.push({ text: topic.title, label, weight: 1 });
    const paraphrases = topic.paraphrases.filter((p) => !exclude?.(label, p));
    for (const p of paraphrases) examples.push({ text: p, label, weight: 1 });
    if (topic.kind !== 'echelon' && topic.kind !== 'glossaire') {
      paraphrases.forEach((p, i) =>
        examples.push({ text: withOtherActor(p, i), label, weight: tuning.actorAugmentWeight }),
      );
    }
    if (topic.kind !== 'territoire') {
      const places = lexicon.territoryMentions;
      paraphrases.forEach((p, i) =>
        examples.push({
          text: `${p} ${places[i % places.length]}`,
          label,
          weight: tuning.placeAugmentWeight,
        }),
      );
    }
    for (const k of topic.keywords) examples.push({ text: k, label, weight: 0.3 });
    for (const sentence of topic.answer.split(/(?<=[.!?:])\s+/))
      examples.push({ text: sentence, label, weight: 0.3 });
  }
  for (const text of lexicon.contextSentences) examples.push({ text, label: backgroundLabel, weight: 1 });
  for (const text of lexicon.offTopicSentences) examples.push({ text, label: offTopicLabel, weight: 1 });
  for (const g of referential.data.glossary) {
    const label = `glossaire:${g.term}`;
    if (!referential.topic(label)) continue;
    for (const text of [
      `c'est quoi le ${g.term}`,
      `${g.term} ?`,
      `que veut dire ${g.term}`,
      `définition ${g.term}`,
      g.expansion,
    ]) {
      examples.push({ text, label, weight: 1 });
    }
  }
  return examples;
}

/** Who people say they deal with: any of them can ask about any topic. */
const actorPhrases = [
  'le maire',
  "l'adjointe au numérique",
  "le président de l'interco",
  'la DGS',
  'le conseil communautaire',
  'la vice-présidente du département',
  'les élus de la région',
  'le conseil municipal',
  "la présidente de l'agglo",
  'mon élu',
];
const actorPattern =
  /\b(?:le maire|mon maire|ma maire|la maire|l['’]adjointe?|le président de l['’]interco|le président|la présidente|les élus|mes élus|mon élu|l['’]élue?|le conseil municipal|le conseil communautaire|le vice-président|la vice-présidente|la mairie|l['’]interco)\b/i;

/**
 * The same question about someone else: teaches the classifier that "le maire" or "la DGS" says who is
 * concerned, not what the question is about (the échelon topics keep them as their own signal).
 */
function withOtherActor(text: string, i: number): string {
  const actor = actorPhrases[i % actorPhrases.length]!;
  return actorPattern.test(text) ? text.replace(actorPattern, actor) : `${actor} : ${text}`;
}
