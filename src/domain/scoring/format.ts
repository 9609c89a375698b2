import type { Coverage } from './scoring.js';

/** "62 %" — scores are shown rounded to the unit. */
export function formatPercent(value: number | null): string {
  return value === null ? 'non évalué' : `${Math.round(value)} %`;
}

export function formatCoverage(coverage: Coverage): string {
  const answers = coverage.known > 1 ? 'réponses' : 'réponse';
  return `${coverage.known} ${answers} sur ${coverage.total} (${Math.round(coverage.ratio * 100)} %)`;
}
