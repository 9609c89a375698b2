import type { Collectivite } from '../domain/collectivite/collectivite.js';
import type { ElusAssistant } from '../domain/elus/assistant.js';
import { profileFromCollectivite } from '../domain/elus/profile.js';
import type { MaturityResult } from '../domain/scoring/scoring.js';
import type { ReportArgument, ReportData } from './reportModel.js';

/**
 * The arguments for élus that fit a diagnostic's weakest spots, for the report: why it matters, what to say, one
 * example project and two figures, each with its source in the guide.
 */
export function elusArgumentsFor(assistant: ElusAssistant) {
  return (_report: ReportData, result: MaturityResult, collectivite?: Collectivite): ReportArgument[] => {
    const profile = collectivite ? profileFromCollectivite(collectivite) : {};
    const weakPoints = assistant.weakPoints(result);
    if (weakPoints.length === 0) return [];
    const a = assistant.argumentaire({ ...profile, weakPoints });
    const list: ReportArgument[] = [];
    if (a.diagnostic) list.push({ title: a.diagnostic.title, text: a.diagnostic.text, source: a.source });
    list.push({ title: a.angle.title, text: a.angle.text, source: a.source });
    if (a.project) list.push({ title: a.project.title, text: a.project.text, source: a.project.source });
    for (const figure of a.figures.slice(0, 2))
      list.push({ title: figure.value, text: figure.text, source: figure.source });
    return list;
  };
}
