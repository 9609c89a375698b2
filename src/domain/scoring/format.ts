import type { Coverage } from './scoring.js';

/** "62 %" — scores are shown rounded to the unit. */
export function formatPercent(value: number | null): string {
  return value === null ? 'non évalué' : `${Math.round(value)} %`;
}

/** « 3, 7 et 12 » — at most 20 numbers, then « … (34 en tout) ». */
export function numberList(numbers: readonly number[]): string {
  const shown =
    numbers.length > 20
      ? [...numbers.slice(0, 20).map(String), `… (${numbers.length} en tout)`]
      : numbers.map(String);
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} et ${shown.at(-1)}` : (shown[0] ?? '');
}

export function formatCoverage(coverage: Coverage): string {
  const answers = coverage.known > 1 ? 'réponses' : 'réponse';
  return `${coverage.known} ${answers} sur ${coverage.total} (${Math.round(coverage.ratio * 100)} %)`;
}
