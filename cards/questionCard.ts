import type { IndicateurRef } from '../src/domain/referential/load.js';
import { answerLabels, answerValues, type AnswerValue } from '../src/domain/scoring/answers.js';
import type { Scope } from '../src/domain/scoring/scope.js';
import { cardTemplate, type CardJson } from './template.js';

interface QuestionData {
  intro: { title: string; text: string } | null;
  position: string;
  context: string;
  question: string;
  details: string | null;
  current: string | null;
  indicator: number;
  /** The first question of the scope: there is no previous one to offer. */
  first: boolean;
  answers: { title: string; value: AnswerValue }[];
  hint: string;
  speak: string;
  fallback: string;
}

const template = cardTemplate<QuestionData>('question');
const answers = answerValues.map((value) => ({ title: answerLabels[value], value }));
const hint =
  'Touchez une réponse ou tapez-la : oui, en partie, non, je ne sais pas (ou 1 à 4). À tout moment : « passer », « retour », « pause », « menu ».';

export interface QuestionView {
  ref: IndicateurRef;
  scope: Scope;
  index: number;
  total: number;
  /** The indicator opens its prérequis (and maybe its enjeu): the full diagnostic introduces them. */
  opensPrerequis: boolean;
  opensEnjeu: boolean;
  current?: AnswerValue;
}

export function questionPosition(view: Pick<QuestionView, 'ref' | 'scope' | 'index' | 'total'>): string {
  const { ref, scope } = view;
  if (scope.kind === 'quick') return `Question ${view.index} / ${view.total}`;
  const where = `Enjeu ${ref.enjeu.number} · Prérequis ${ref.prerequis.number}`;
  const position = `Indicateur ${ref.indicateur.number} / 68 — ${where}`;
  return scope.kind === 'enjeu'
    ? `${position} (question ${view.index} / ${view.total} de cet enjeu)`
    : position;
}

const cache = new Map<string, CardJson>();

/** One question of the diagnostic. Cards are the same for everyone: they are built once per question and answer. */
export function questionCard(view: QuestionView): CardJson {
  const key = `${view.scope.kind}:${view.ref.indicateur.number}:${view.index}/${view.total}:${view.current ?? ''}:${view.opensPrerequis}`;
  const cached = cache.get(key);
  if (cached) return cached;

  const { ref, scope } = view;
  const quick = scope.kind === 'quick';
  const position = questionPosition(view);
  const question = quick ? ref.prerequis.quickQuestion : ref.indicateur.text;
  const context = `Enjeu ${ref.enjeu.number} — ${ref.enjeu.title} · Prérequis ${ref.prerequis.number} : ${ref.prerequis.title}`;
  let intro: QuestionData['intro'] = null;
  if (!quick && view.opensPrerequis) {
    const enjeuLine = view.opensEnjeu
      ? `Enjeu ${ref.enjeu.number} : ${ref.enjeu.title}. ${ref.enjeu.subtitle}. `
      : '';
    intro = {
      title: `${view.opensEnjeu ? `Enjeu ${ref.enjeu.number} — ` : ''}Prérequis ${ref.enjeu.number}.${ref.prerequis.number}`,
      text: `${enjeuLine}Ce prérequis : ${ref.prerequis.title}${ref.prerequis.question ? ` ${ref.prerequis.question}` : ''}`,
    };
  }
  const current = view.current
    ? `Réponse actuelle : ${answerLabels[view.current]}. Choisissez une nouvelle réponse pour la modifier.`
    : null;
  const details = quick ? null : (ref.indicateur.details ?? null);
  const spokenAnswers = answers.map((a, i) => `${i + 1}. ${a.title}`).join(', ');
  const card = template({
    intro,
    position,
    context,
    question,
    details,
    current,
    indicator: ref.indicateur.number,
    first: view.index === 1,
    answers,
    hint,
    speak: `${position}. ${question} Réponses possibles : ${spokenAnswers}.`,
    fallback: `${position}\n${question}\nRéponses possibles : ${spokenAnswers}`,
  });
  cache.set(key, card);
  return card;
}
