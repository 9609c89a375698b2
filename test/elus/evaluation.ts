import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { relatedTopics, type ElusAssistant } from '../../src/domain/elus/assistant.js';
import type { Classification } from '../../src/domain/elus/topicIndex.js';
import { projectRoot } from '../../src/paths.js';

/** One message of the frozen evaluation set (test/fixtures/elus-eval/README.md says how it was written). */
export interface EvalMessage {
  id: string;
  text: string;
  /** The main need; null when off-topic or when the seeds have nothing on it. */
  topic: string | null;
  /** A second need in the same message. */
  also?: string[];
  kinds: string[];
  persona: string;
  split: 'tune' | 'holdout';
}

export const evalMessages: EvalMessage[] = JSON.parse(
  readFileSync(join(projectRoot, 'test', 'fixtures', 'elus-eval', 'messages.json'), 'utf8'),
) as EvalMessage[];

/**
 * What the person gets: `right` a direct answer on one of the message's topics (or, off topic, no answer);
 * `listed` the closest topics with the right one among them; `list` the closest topics without it; `guided` the
 * guided path; `wrong` a direct answer on another topic (or any direct answer off topic); `none` nothing.
 */
export type Outcome = 'right' | 'listed' | 'list' | 'guided' | 'wrong' | 'none';

export const expectedTopics = (m: EvalMessage): string[] => (m.topic ? [m.topic, ...(m.also ?? [])] : []);

/** The outcome of a first message (no dialog open), from the classifier's decision. */
export function firstMessageOutcome(m: EvalMessage, c: Classification): Outcome {
  const expected = expectedTopics(m);
  switch (c.kind) {
    case 'sure':
      return expected.includes(c.best.topic.id) ? 'right' : 'wrong';
    case 'argumentaire':
      return 'guided';
    case 'weak':
      return c.ranking.slice(0, 3).some((r) => expected.includes(r.topic.id)) ? 'listed' : 'list';
    case 'none':
      return m.topic === null ? 'right' : 'none';
  }
}

/** Top 1 of the ranking: the best topic is one of the message's; off topic, no direct answer. */
export function top1Right(m: EvalMessage, c: Classification): boolean {
  if (m.topic === null) return c.kind !== 'sure' && c.kind !== 'argumentaire';
  return expectedTopics(m).includes(c.ranking[0]?.topic.id ?? '');
}

export interface Scores {
  count: number;
  top1: number;
  right: number;
  listed: number;
  wrong: number;
  none: number;
  /** Off-topic messages (not about élus or the guide at all) that got a direct answer. */
  offTopicAnswered: number;
}

const share = (n: number, total: number) => (total === 0 ? 0 : n / total);

/** The set's scores for one way of reading it: `outcome` and `top1` of each message. */
export function scoresOf(results: { m: EvalMessage; outcome: Outcome; top1: boolean }[]): Scores {
  const count = results.length;
  const n = (o: Outcome) => results.filter((r) => r.outcome === o).length;
  return {
    count,
    top1: share(results.filter((r) => r.top1).length, count),
    right: share(n('right'), count),
    listed: share(n('listed'), count),
    wrong: share(n('wrong'), count),
    none: share(n('none'), count),
    offTopicAnswered: results.filter((r) => r.m.kinds.includes('off-topic') && r.outcome === 'wrong').length,
  };
}

export function evaluateFirstMessages(assistant: ElusAssistant, messages: EvalMessage[]) {
  return messages.map((m) => {
    const c = assistant.ask(m.text);
    return { m, outcome: firstMessageOutcome(m, c), top1: top1Right(m, c), classification: c };
  });
}

/** Two-need messages whose needs are both shown: the answer and its « voir aussi », or the list of topics. */
export function bothNeedsShown(results: { m: EvalMessage; classification: Classification }[]): number {
  const two = results.filter((r) => (r.m.also ?? []).length > 0);
  const shown = two.filter(({ m, classification: c }) => {
    const topics =
      c.kind === 'sure'
        ? [c.best.topic.id, ...relatedTopics(c.ranking)]
        : c.kind === 'weak'
          ? c.ranking.slice(0, 3).map((r) => r.topic.id)
          : [];
    return expectedTopics(m).every((t) => topics.includes(t));
  });
  return two.length === 0 ? 0 : shown.length / two.length;
}

/** One line of the report: « top 1 87,0 % · réponse juste 70,1 % · … » */
export function formatScores(label: string, s: Scores): string {
  const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
  return (
    `${label.padEnd(22)} n=${String(s.count).padStart(3)}  top 1 ${pct(s.top1).padStart(7)}  ` +
    `réponse juste ${pct(s.right).padStart(7)}  liste avec le bon ${pct(s.listed).padStart(7)}  ` +
    `faux assuré ${pct(s.wrong).padStart(7)}  rien ${pct(s.none).padStart(7)}`
  );
}

/** What the bot's replies to one message show: the topics answered or recorded, and those only proposed. */
export interface ReplyReading {
  answered: string[];
  proposed: string[];
  /** A diagnostic answer was recorded from the message. */
  recordedAnswer: boolean;
}

/** Outcome of a message typed inside a flow, from what the replies show (see `ReplyReading`). */
export function inFlowOutcome(m: EvalMessage, reading: ReplyReading): Outcome {
  const expected = expectedTopics(m);
  if (reading.recordedAnswer) return 'wrong';
  if (reading.answered.some((t) => expected.includes(t))) return 'right';
  if (reading.answered.length > 0) return 'wrong';
  if (reading.proposed.length > 0)
    return reading.proposed.some((t) => expected.includes(t)) ? 'listed' : 'list';
  return m.topic === null ? 'right' : 'none';
}
