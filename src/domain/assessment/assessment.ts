import type { IndicateurRef, MaturityReferential } from '../referential/load.js';
import type { Answer, AnswerValue } from '../scoring/answers.js';
import { indicatorsInScope, type Scope } from '../scoring/scope.js';

/** One person's (or several people's) way through the referential: what was answered, what was skipped. */
export interface Assessment {
  id: string;
  scope: Scope;
  /** Answers by indicator number (as a string key, so the record survives JSON). */
  answers: Record<string, Answer>;
  /** Indicators passed with "passer": unanswered, asked again only when everything else is done or on "retour". */
  skipped: number[];
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

export function createAssessment(id: string, scope: Scope, now: string): Assessment {
  return { id, scope, answers: {}, skipped: [], createdAt: now, updatedAt: now };
}

export function answersOf(assessment: Assessment): Answer[] {
  return Object.values(assessment.answers);
}

export function isInScope(
  referential: MaturityReferential,
  assessment: Assessment,
  indicator: number,
): boolean {
  return indicatorsInScope(referential, assessment.scope).some((ref) => ref.indicateur.number === indicator);
}

/** The first indicator of the scope neither answered nor skipped; undefined when the way through is done. */
export function nextIndicator(
  referential: MaturityReferential,
  assessment: Assessment,
): IndicateurRef | undefined {
  return indicatorsInScope(referential, assessment.scope).find(
    (ref) =>
      assessment.answers[ref.indicateur.number] === undefined &&
      !assessment.skipped.includes(ref.indicateur.number),
  );
}

/** The indicator before `current` in the scope's order (or the last one when everything is done). */
export function previousIndicator(
  referential: MaturityReferential,
  assessment: Assessment,
  current: number | undefined,
): IndicateurRef | undefined {
  const list = indicatorsInScope(referential, assessment.scope);
  const index =
    current === undefined ? list.length : list.findIndex((ref) => ref.indicateur.number === current);
  return index > 0 ? list[index - 1] : undefined;
}

/** 1-based position of an indicator in the scope, with the scope's size ("Question 3 / 13"). */
export function positionOf(
  referential: MaturityReferential,
  assessment: Assessment,
  indicator: number,
): { index: number; total: number } {
  const list = indicatorsInScope(referential, assessment.scope);
  return { index: list.findIndex((ref) => ref.indicateur.number === indicator) + 1, total: list.length };
}

export function recordAnswer<A extends Assessment>(
  assessment: A,
  indicator: number,
  value: AnswerValue,
  meta: { at: string; by?: string; quantities?: Record<string, number> },
): A {
  const previous = assessment.answers[indicator];
  const keepQuantities =
    value === 'oui' || value === 'en_partie' ? (meta.quantities ?? previous?.quantities) : undefined;
  const answer: Answer = { indicator, value, at: meta.at, ...(meta.by ? { by: meta.by } : {}) };
  if (keepQuantities && Object.keys(keepQuantities).length > 0) answer.quantities = keepQuantities;
  return {
    ...assessment,
    answers: { ...assessment.answers, [indicator]: answer },
    skipped: assessment.skipped.filter((n) => n !== indicator),
    updatedAt: meta.at,
  };
}

export function recordQuantity<A extends Assessment>(
  assessment: A,
  indicator: number,
  quantityId: string,
  value: number,
  at: string,
): A {
  const answer = assessment.answers[indicator];
  if (!answer)
    throw new Error(`assessment: no answer to indicator ${indicator} to attach quantity ${quantityId} to`);
  return {
    ...assessment,
    answers: {
      ...assessment.answers,
      [indicator]: { ...answer, quantities: { ...answer.quantities, [quantityId]: value } },
    },
    updatedAt: at,
  };
}

export function skipIndicator<A extends Assessment>(assessment: A, indicator: number, at: string): A {
  if (assessment.skipped.includes(indicator)) return assessment;
  return { ...assessment, skipped: [...assessment.skipped, indicator], updatedAt: at };
}

export function progressOf(
  referential: MaturityReferential,
  assessment: Assessment,
): { answered: number; skipped: number; total: number } {
  const list = indicatorsInScope(referential, assessment.scope);
  return {
    answered: list.filter((ref) => assessment.answers[ref.indicateur.number] !== undefined).length,
    skipped: list.filter((ref) => assessment.skipped.includes(ref.indicateur.number)).length,
    total: list.length,
  };
}
