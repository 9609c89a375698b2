import type { Assessment } from '../assessment/assessment.js';
import type { AnswerValue } from '../scoring/answers.js';

/** A diagnostic: an assessment that belongs to a collectivité (or to one person, for a quick check) and is kept. */
export interface Diagnostic extends Assessment {
  /** Undefined for an anonymous quick self-check. */
  collectiviteId?: string;
  /** The collectivité's name given to a quick self-check without one (« nommer … »), for its report's title. */
  name?: string;
  ownerId: string;
  /** Everyone who answered at least once. */
  respondents: string[];
  /** Each respondent's latest answer per indicator, to show where they disagree. */
  byRespondent: Record<string, Record<string, AnswerValue>>;
  /** Unguessable id of its public report (≥ 128 bits), set when the diagnostic is finished. */
  reportId?: string;
}

export const recordKeys = {
  collectivite: (id: string) => `collectivite/${id}`,
  diagnostic: (id: string) => `diagnostic/${id}`,
  report: (reportId: string) => `report/${reportId}`,
  joinCode: (code: string) => `joincode/${code}`,
  respondent: (id: string) => `respondent/${id}`,
  personalDataLink: (token: string) => `export/${token}`,
  resumeCode: (code: string) => `resume/${code}`,
  identityLink: (deviceId: string) => `link/${deviceId}`,
  chartLink: (token: string) => `graphique/${token}`,
};

/**
 * The diagnostic as one respondent goes through it: only the answers they gave themselves count as answered, so
 * each colleague who joins a collectivité gives their own view (the consolidated answers stay in `answers`).
 */
export function respondentView(diagnostic: Diagnostic, respondentId: string): Diagnostic {
  const own = diagnostic.byRespondent[respondentId] ?? {};
  const answers = Object.fromEntries(
    Object.entries(diagnostic.answers).filter(([n]) => own[n] !== undefined),
  );
  return { ...diagnostic, answers };
}
