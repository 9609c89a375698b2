import { answerLabels, answerValues, type AnswerValue } from '../src/domain/scoring/answers.js';
import { numberList } from '../src/domain/scoring/format.js';
import { cardTemplate, type CardJson } from './template.js';

interface SummaryData {
  title: string;
  subtitle: string;
  counts: { label: string; value: string }[];
  lists: string[];
  hint: string;
  speak: string;
  fallback: string;
}

const template = cardTemplate<SummaryData>('summary');

export interface SummaryView {
  /** « Diagnostic complet », « Diagnostic de l'enjeu 2 — … » */
  scopeLabel: string;
  /** How many answers of each kind this person gave. */
  counts: Record<AnswerValue, number>;
  /** Numbers as the cards showed them. */
  toCheck: number[];
  unanswered: number[];
}

/** Before the results of a full diagnostic: what was answered, what is à vérifier or left out, and how to change it. */
export function summaryCard(view: SummaryView): CardJson {
  const counts = [
    ...answerValues.map((value) => ({ label: answerLabels[value], value: String(view.counts[value]) })),
    { label: 'Sans réponse', value: String(view.unanswered.length) },
  ];
  const lists = [
    ...(view.toCheck.length
      ? [`À vérifier (« je ne sais pas ») : questions ${numberList(view.toCheck)}.`]
      : []),
    ...(view.unanswered.length ? [`Passées, sans réponse : questions ${numberList(view.unanswered)}.`] : []),
  ];
  const title = 'Avant les résultats : vos réponses';
  const hint =
    'Pour changer une réponse, tapez par exemple « modifier la question 12 » ou « je me suis trompé à la 3, c’est non ». Sinon, touchez « Voir les résultats ».';
  const facts = counts.map((c) => `${c.label} : ${c.value}`).join(', ');
  return template({
    title,
    subtitle: `${view.scopeLabel} — toutes les questions ont été vues.`,
    counts,
    lists,
    hint,
    speak: `${title}. ${facts}.`,
    fallback: [title, facts, ...lists, hint].join('\n'),
  });
}
