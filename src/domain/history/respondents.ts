import type { Diagnostic } from '../records/diagnostic.js';

/**
 * "Répondant 1", "Répondant 2"… in the order people first answered: what reports and shared lists show instead of
 * internal ids, which must never leave the store.
 */
export function respondentLabels(diagnostic: Pick<Diagnostic, 'respondents' | 'byRespondent' | 'answers'>): {
  /** Respondent ids, "Répondant 1" first. */
  order: string[];
  labelOf(respondentId: string | undefined): string;
} {
  const order = [...diagnostic.respondents];
  const add = (id: string | undefined) => {
    if (id && !order.includes(id)) order.push(id);
  };
  Object.keys(diagnostic.byRespondent).forEach(add);
  Object.values(diagnostic.answers).forEach((answer) => add(answer.by));
  return {
    labelOf: (id) => (id && order.includes(id) ? `Répondant ${order.indexOf(id) + 1}` : 'Répondant inconnu'),
    order,
  };
}
