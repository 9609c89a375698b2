import MiniSearch, { type SearchResult } from 'minisearch';
import { FrenchAnalyzer } from './analyzer.js';
import { actorWords, elusCues } from './lexicon.js';
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
  | { kind: 'weak'; ranking: TopicMatch[] }
  | { kind: 'none'; ranking: TopicMatch[] };

export interface TopicIndexOptions {
  /** Leave these paraphrases out of the index (held-out evaluation, leave-one-out). */
  exclude?: (topicId: string, paraphrase: string) => boolean;
}

const genericShare = 0.3;
const actorWeight = 0.4;

const sourceWeight: Record<Source, number> = { title: 1, paraphrase: 1, keywords: 0.7, answer: 0.45 };

/** Thresholds on the normalised score (see `classify`), set by leave-one-out on the paraphrases. */
export const thresholds = { sure: 0.5, margin: 1.25, weak: 0.2 };

/**
 * The free-question index: one BM25 document per topic title, paraphrase, keyword list and answer, over stemmed
 * French words (nlp.js Snowball) and their sound keys, with fuzzy matching for typos (MiniSearch). A topic scores
 * its best document plus a share of the others, so that a question matching several phrasings of one topic wins.
 */
export class TopicIndex {
  readonly analyzer = new FrenchAnalyzer();
  private readonly search: MiniSearch<IndexedDoc>;
  private readonly cues: Set<string>;
  private readonly vocabulary = new Set<string>();
  /** Stems found in so many topics that they say nothing about which one (numérique, élu, inclusion…). */
  private readonly generic = new Set<string>();
  private readonly actors: Set<string>;

  constructor(
    private readonly referential: ElusReferential,
    options: TopicIndexOptions = {},
  ) {
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
      docs.push({ id: docs.length, topic, source, stems: stems.join(' '), sounds: sounds.join(' ') });
    };
    for (const topic of referential.topics) {
      add(topic.id, 'title', topic.title);
      for (const p of topic.paraphrases) if (!options.exclude?.(topic.id, p)) add(topic.id, 'paraphrase', p);
      if (topic.keywords.length > 0) add(topic.id, 'keywords', topic.keywords.join(' '));
      add(topic.id, 'answer', topic.answer);
    }
    this.search.addAll(docs);
    const topicsOf = new Map<string, Set<string>>();
    for (const doc of docs)
      for (const s of doc.stems.split(' ')) topicsOf.set(s, (topicsOf.get(s) ?? new Set()).add(doc.topic));
    for (const [stem, topics] of topicsOf)
      if (topics.size >= genericShare * referential.topics.length) this.generic.add(stem);
    this.cues = new Set(elusCues.map((c) => this.analyzer.stem(c)));
    this.actors = new Set(actorWords.map((c) => this.analyzer.stem(c)));
  }

  /** Every topic that shares something with the text, best first, scores normalised by the query's length. */
  rank(text: string, filter?: (topic: Topic) => boolean): TopicMatch[] {
    const { stems: all, sounds: allSounds } = this.analyzer.analyze(text);
    const specific = all.filter((s) => !this.generic.has(s));
    const keep = specific.length > 0 ? (s: string) => !this.generic.has(s) : () => true;
    const terms = new Set<string>();
    all.forEach((stem, i) => {
      if (!keep(stem)) return;
      terms.add(stem);
      if (!this.vocabulary.has(stem)) terms.add(allSounds[i]!);
    });
    const stems = all.filter(keep);
    if (stems.length === 0) return [];
    const onlyActors = stems.every((s) => this.actors.has(s));
    const query = [...terms].join(' ');
    const byTopic = new Map<string, number[]>();
    const boostTerm = (term: string) => (!onlyActors && this.actors.has(term) ? actorWeight : 1);
    for (const hit of this.search.search(query, { boostTerm }) as (SearchResult & { topic: string })[]) {
      const list = byTopic.get(hit.topic) ?? [];
      list.push(hit.score);
      byTopic.set(hit.topic, list);
    }
    const norm = Math.sqrt(new Set(stems).size);
    const ranking: TopicMatch[] = [];
    for (const [id, scores] of byTopic) {
      const topic = this.referential.topic(id);
      if (!topic || (filter && !filter(topic))) continue;
      scores.sort((a, b) => b - a);
      const score = scores[0]! + 0.25 * (scores[1] ?? 0) + 0.1 * (scores[2] ?? 0);
      ranking.push({ topic, score: score / norm / 10 });
    }
    return ranking.sort((a, b) => b.score - a.score);
  }

  /** Decides whether to answer, to propose topics, or to stay silent. */
  classify(text: string, filter?: (topic: Topic) => boolean): Classification {
    const ranking = this.rank(text, filter);
    const best = ranking[0];
    if (!best) return { kind: 'none', ranking };
    const second = ranking[1]?.score ?? 0;
    const signal = this.signal(text);
    if (best.score >= thresholds.sure && best.score >= thresholds.margin * second && signal.known > 0) {
      return { kind: 'sure', best, ranking };
    }
    if (best.score >= thresholds.weak && (signal.cue || signal.known >= 2)) return { kind: 'weak', ranking };
    return { kind: 'none', ranking };
  }

  /** Words of the text the index knows exactly, and whether it speaks of élus, budget, collectivités… */
  signal(text: string): { known: number; cue: boolean } {
    const { stems } = this.analyzer.analyze(text);
    return {
      known: stems.filter((s) => this.vocabulary.has(s)).length,
      cue: stems.some((s) => this.cues.has(s)),
    };
  }
}
