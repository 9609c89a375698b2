import type { Diagnostic } from '../records/diagnostic.js';
import type { Referentials } from '../referential/load.js';
import { answerLabels, answerValues, type AnswerValue } from '../scoring/answers.js';
import { indicatorsInScope } from '../scoring/scope.js';
import { respondentLabels } from './respondents.js';

export interface Disagreement {
  indicator: number;
  text: string;
  enjeuNumber: number;
  enjeuTitle: string;
  prerequisId: string;
  prerequisNumber: number;
  prerequisTitle: string;
  /** Each respondent's latest answer, "Répondant 1" first. */
  answers: { respondent: string; value: AnswerValue; label: string }[];
  /** How many gave each answer, in the order Oui, En partie, Non, Je ne sais pas (answers nobody gave left out). */
  counts: { value: AnswerValue; label: string; count: number }[];
  /** The answer the diagnostic keeps (the last one given), which the score uses. */
  retained: AnswerValue | null;
}

/**
 * The indicators where the respondents' latest answers differ ("Je ne sais pas" included), in referential order:
 * the list to go through together before trusting the score.
 */
export function disagreements(referentials: Referentials, diagnostic: Diagnostic): Disagreement[] {
  const labels = respondentLabels(diagnostic);
  const respondents = labels.order.filter((id) => diagnostic.byRespondent[id] !== undefined);
  return indicatorsInScope(referentials.maturity, diagnostic.scope).flatMap(
    ({ indicateur, prerequis, enjeu }) => {
      const answers = respondents.flatMap((id) => {
        const value = diagnostic.byRespondent[id]?.[indicateur.number];
        return value ? [{ respondent: labels.labelOf(id), value, label: answerLabels[value] }] : [];
      });
      if (new Set(answers.map((a) => a.value)).size < 2) return [];
      return [
        {
          indicator: indicateur.number,
          text: indicateur.text,
          enjeuNumber: enjeu.number,
          enjeuTitle: enjeu.title,
          prerequisId: prerequis.id,
          prerequisNumber: prerequis.number,
          prerequisTitle: prerequis.title,
          answers,
          counts: answerValues
            .map((value) => ({
              value,
              label: answerLabels[value],
              count: answers.filter((a) => a.value === value).length,
            }))
            .filter((c) => c.count > 0),
          retained: diagnostic.answers[indicateur.number]?.value ?? null,
        },
      ];
    },
  );
}
