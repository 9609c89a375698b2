import type { Collectivite } from '../domain/collectivite/collectivite.js';
import type { ElusAssistant } from '../domain/elus/assistant.js';
import { datedFigureSource } from '../domain/elus/argumentaire.js';
import { profileFromCollectivite } from '../domain/elus/profile.js';
import type { MaturityResult } from '../domain/scoring/scoring.js';
import type { ReportArgument, ReportData } from './reportModel.js';

// Moved to the argumentaire, which shows the same dated sources; still exported here for the report's callers.
export { datedFigureSource };

/** "Source : Guide pratique… (…, mai 2024)." → "Guide pratique… (…, mai 2024)": the report adds its own label. */
const withoutLabel = (source: string): string =>
  source
    .replace(/^\s*sources?\s*:\s*/i, '')
    .replace(/\.\s*$/, '')
    .trim();

/**
 * The arguments for élus that fit a diagnostic's weakest spots, for the report: why it matters, what to say, one
 * example project and two figures, each with its source in the guide and its date.
 */
export function elusArgumentsFor(assistant: ElusAssistant) {
  const ref = assistant.referential;
  const figureSource = (figure: { value: string; text: string; source: string }): string => {
    const stored = ref.data.figures.find((f) => f.value === figure.value && f.text === figure.text);
    return stored ? datedFigureSource(ref, stored) : figure.source;
  };
  return (_report: ReportData, result: MaturityResult, collectivite?: Collectivite): ReportArgument[] => {
    const profile = collectivite ? profileFromCollectivite(collectivite) : {};
    const weakPoints = assistant.weakPoints(result);
    if (weakPoints.length === 0) return [];
    const a = assistant.argumentaire({ ...profile, weakPoints });
    const source = withoutLabel(a.source);
    const list: ReportArgument[] = [];
    if (a.diagnostic) list.push({ title: a.diagnostic.title, text: a.diagnostic.text, source });
    list.push({ title: a.angle.title, text: a.angle.text, source });
    if (a.project)
      list.push({ title: a.project.title, text: a.project.text, source: withoutLabel(a.project.source) });
    for (const figure of a.figures.slice(0, 2))
      list.push({ title: figure.value, text: figure.text, source: figureSource(figure) });
    return list;
  };
}
