// Compares the project's classifier with @nlpjs/nlu's NluNeural on the same training phrasings and the same
// held-out questions: `node --import tsx bench/elusClassifiers.ts`. Results are recorded in docs/benchmarks.md.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerBootstrap } from '@nlpjs/core';
import { NluNeural } from '@nlpjs/nlu';
import langFr from '@nlpjs/lang-fr';
import { ElusAssistant } from '../src/domain/elus/assistant.js';
import { TopicClassifier } from '../src/domain/elus/classifier.js';
import { examplesOf } from '../src/domain/elus/topicIndex.js';
import { projectRoot, referentialDir } from '../src/paths.js';

interface Question {
  text: string;
  topic: string;
  set: string;
}

const fixtures = join(projectRoot, 'test', 'fixtures');
const questions: Question[] = [
  ...(
    JSON.parse(readFileSync(join(fixtures, 'elus-questions.json'), 'utf8')) as {
      text: string;
      topic: string;
    }[]
  ).map((q) => ({ ...q, set: 'anciennes (141)' })),
  ...(
    JSON.parse(readFileSync(join(fixtures, 'elus-eval', 'messages.json'), 'utf8')) as {
      text: string;
      topic: string | null;
      split: string;
    }[]
  )
    .filter((m): m is { text: string; topic: string; split: string } => m.topic !== null)
    .map((m) => ({ text: m.text, topic: m.topic, set: `gelé, ${m.split}` })),
];

const assistant = ElusAssistant.load(referentialDir);
const analyzer = assistant.index.analyzer;
const examples = examplesOf(assistant.referential, assistant.lexicon);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function nlpjsPredictor(minWeight: number) {
  const container = await containerBootstrap();
  container.use(langFr.LangFr);
  const nlu = new NluNeural({ container, locale: 'fr', log: false });
  const corpus = examples
    .filter((e) => e.weight >= minWeight)
    .map((e) => ({ utterance: e.text, intent: e.label }));
  const start = performance.now();
  await nlu.train(corpus);
  const trainMs = performance.now() - start;
  return {
    trainMs,
    predict: async (text: string) => {
      const result = (await nlu.process(text)) as { classifications: { intent: string; score: number }[] };
      return result.classifications[0]?.intent;
    },
  };
}

function ownPredictor() {
  const start = performance.now();
  const classifier = new TopicClassifier(analyzer, examples);
  const trainMs = performance.now() - start;
  return {
    trainMs,
    predict: async (text: string) => classifier.predict(text).find((p) => p.label !== '#contexte')?.label,
  };
}

function ownIndex() {
  return {
    trainMs: NaN,
    predict: async (text: string) => assistant.index.rank(text)[0]?.topic.id,
  };
}

async function measure(
  name: string,
  predictor: { trainMs: number; predict: (t: string) => Promise<string | undefined> },
) {
  const bySet = new Map<string, { right: number; total: number }>();
  const times: number[] = [];
  for (const q of questions) {
    const start = performance.now();
    const predicted = await predictor.predict(q.text);
    times.push(performance.now() - start);
    const entry = bySet.get(q.set) ?? { right: 0, total: 0 };
    entry.total += 1;
    if (predicted === q.topic) entry.right += 1;
    bySet.set(q.set, entry);
  }
  const cells = [...bySet].map(([set, { right, total }]) => `${set} ${((100 * right) / total).toFixed(1)} %`);
  console.log(
    `${name.padEnd(44)} ${cells.join(' · ')} · entraînement ${Number.isNaN(predictor.trainMs) ? '—' : `${Math.round(predictor.trainMs)} ms`} · médiane ${median(times).toFixed(2)} ms`,
  );
}

console.log(
  `Top 1 sur les questions étiquetées (${questions.length}), mêmes phrasés d'entraînement (${examples.length}) :`,
);
await measure('classifieur du projet (régression logistique)', ownPredictor());
await measure('@nlpjs/nlu NluNeural (exemples de poids ≥ 0,5)', await nlpjsPredictor(0.5));
await measure('@nlpjs/nlu NluNeural (tous les exemples)', await nlpjsPredictor(0));
await measure('index complet du projet (classifieur + BM25)', ownIndex());
