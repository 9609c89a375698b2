import { answersOf, progressOf } from '../domain/assessment/assessment.js';
import {
  collectiviteTypeLabels,
  territoryTraitLabels,
  type Collectivite,
  type CollectiviteType,
} from '../domain/collectivite/collectivite.js';
import type { Diagnostic } from '../domain/records/diagnostic.js';
import { codeLabel, formatCount, type Territory } from '../domain/territory/territory.js';
import type { Referentials } from '../domain/referential/load.js';
import type { Piste, Quantity } from '../domain/referential/schema.js';
import type { LevelName } from '../domain/scoring/levels.js';
import { indicatorsInScope, scopeLabel, type Scope } from '../domain/scoring/scope.js';
import {
  computeMaturity,
  type Coverage,
  type MaturityResult,
  type PrerequisScore,
} from '../domain/scoring/scoring.js';
import { formatDate, formatQuantity, nbsp } from './format.js';

/** An argument for élus, with its source; filled from the élus referential by the caller. */
export interface ReportArgument {
  title: string;
  text: string;
  source: string;
}

export interface ReportPrerequis {
  id: string;
  enjeuId: string;
  enjeuNumber: number;
  number: number;
  title: string;
  score: number | null;
  level: LevelName | null;
  coverage: Coverage;
}

export interface ReportEnjeu {
  id: string;
  number: number;
  title: string;
  subtitle: string;
  score: number | null;
  level: LevelName | null;
  coverage: Coverage;
  prerequis: ReportPrerequis[];
}

export interface ReportPriority extends ReportPrerequis {
  pistes: Piste[];
}

export interface ReportQuantity {
  indicator: number;
  /** The indicator's text, which says what the amount is about (the Hub, the ANCT, local actors…). */
  indicatorText: string;
  prerequisId: string;
  id: string;
  label: string;
  unit: Quantity['unit'];
  value: number;
  /** "45 000 €", "12", "80 %". */
  formatted: string;
  /** When it was declared (the answer's date), ISO. */
  declaredAt: string;
}

/** An indicator in scope with no answer: skipped (« passer ») or never reached. */
export interface ReportUnanswered {
  indicator: number;
  text: string;
  prerequisId: string;
  prerequisTitle: string;
  skipped: boolean;
}

export interface ReportToVerify {
  indicator: number;
  text: string;
  prerequisId: string;
  prerequisTitle: string;
}

export interface ReportStep {
  number: number;
  title: string;
  summary: string;
  actions: string[];
  deliverables: string[];
}

export interface ReportSource {
  title: string;
  publisher: string;
  authors?: string[];
  date: string;
  license: string | null;
  attribution?: string;
}

/** Everything a report shows, in one plain object: HTML, PDF, CSV and JSON are drawn from it. */
export interface ReportData {
  title: string;
  collectivite: {
    name: string;
    type: CollectiviteType;
    typeLabel: string;
    traits: string[];
    /** As the official découpage knows it, when it was recognised at the set-up. */
    official?: Territory;
  } | null;
  /** The name a quick self-check without a collectivité was given (« nommer … »). */
  name: string | null;
  scope: Scope;
  scopeLabel: string;
  /** When the diagnostic was finished (or last changed), ISO. */
  date: string;
  /** "12 mars 2025". */
  dateLabel: string;
  startedAt: string;
  finished: boolean;
  /** How many people answered; never who. */
  respondentCount: number;
  progress: { answered: number; skipped: number; total: number };
  estimate: boolean;
  score: number | null;
  level: LevelName | null;
  uncappedLevel: LevelName | null;
  coverage: Coverage;
  cap: { level: LevelName; weakestEnjeuId: string; reason: string } | null;
  enjeux: ReportEnjeu[];
  strengths: ReportPrerequis[];
  priorities: ReportPriority[];
  quantities: ReportQuantity[];
  toVerify: ReportToVerify[];
  unanswered: ReportUnanswered[];
  nextSteps: { level: LevelName; advice: string; steps: ReportStep[] };
  /** Arguments for élus, when the caller supplies them. */
  arguments?: ReportArgument[];
  sources: { maturity: ReportSource; roadmap: ReportSource };
}

const prerequisOf = (p: PrerequisScore): ReportPrerequis => ({
  id: p.id,
  enjeuId: p.enjeuId,
  enjeuNumber: p.enjeuNumber,
  number: p.number,
  title: p.title,
  score: p.score,
  level: p.level,
  coverage: p.coverage,
});

export function buildReportData(
  referentials: Referentials,
  diagnostic: Diagnostic,
  collectivite?: Collectivite,
  result: MaturityResult = computeMaturity(referentials.maturity, diagnostic.scope, answersOf(diagnostic)),
  extras: { arguments?: ReportArgument[] } = {},
): ReportData {
  const { maturity, roadmap } = referentials;
  const date = diagnostic.finishedAt ?? diagnostic.updatedAt;
  const nextLevel = result.level ?? 'Émergence';
  const byLevel = roadmap.byLevel[nextLevel];

  return {
    title: 'Rapport de maturité en inclusion numérique',
    collectivite: collectivite
      ? {
          name: collectivite.name,
          type: collectivite.type,
          typeLabel: collectiviteTypeLabels[collectivite.type],
          traits: collectivite.traits.map((t) => territoryTraitLabels[t]),
          ...(collectivite.official ? { official: collectivite.official } : {}),
        }
      : null,
    name: diagnostic.name ?? null,
    scope: diagnostic.scope,
    scopeLabel: scopeLabel(maturity, diagnostic.scope),
    date,
    dateLabel: formatDate(date),
    startedAt: diagnostic.createdAt,
    finished: diagnostic.finishedAt !== undefined,
    respondentCount: diagnostic.respondents.length,
    progress: progressOf(maturity, diagnostic),
    estimate: result.estimate,
    score: result.score,
    level: result.level,
    uncappedLevel: result.uncappedLevel,
    coverage: result.coverage,
    cap: result.cap,
    enjeux: result.enjeux.map((e) => ({
      id: e.id,
      number: e.number,
      title: e.title,
      subtitle: maturity.enjeu(e.id)?.subtitle ?? '',
      score: e.score,
      level: e.level,
      coverage: e.coverage,
      prerequis: e.prerequis.map(prerequisOf),
    })),
    strengths: result.strengths.map(prerequisOf),
    priorities: result.priorities.map((p) => ({ ...prerequisOf(p), pistes: p.pistes })),
    quantities: result.quantities.map((q) => ({
      indicator: q.indicator,
      indicatorText: maturity.indicator(q.indicator)?.indicateur.text ?? '',
      prerequisId: maturity.indicator(q.indicator)?.prerequis.id ?? '',
      id: q.id,
      label: q.label,
      unit: q.unit,
      value: q.value,
      formatted: formatQuantity(q, q.value),
      declaredAt: diagnostic.answers[q.indicator]?.at ?? date,
    })),
    toVerify: result.toVerify.map((t) => ({
      indicator: t.indicator,
      text: t.text,
      prerequisId: t.prerequisId,
      prerequisTitle: maturity.prerequis(t.prerequisId)?.prerequis.title ?? '',
    })),
    unanswered: indicatorsInScope(maturity, diagnostic.scope)
      .filter(({ indicateur }) => diagnostic.answers[indicateur.number] === undefined)
      .map(({ indicateur, prerequis }) => ({
        indicator: indicateur.number,
        text: indicateur.text,
        prerequisId: prerequis.id,
        prerequisTitle: prerequis.title,
        skipped: diagnostic.skipped.includes(indicateur.number),
      })),
    nextSteps: {
      level: nextLevel,
      advice: byLevel.advice,
      steps: byLevel.startAt.flatMap((n) => {
        const step = roadmap.steps.find((s) => s.number === n);
        return step
          ? [
              {
                number: step.number,
                title: step.title,
                summary: step.summary,
                actions: step.actions,
                deliverables: step.deliverables ?? [],
              },
            ]
          : [];
      }),
    },
    ...(extras.arguments && extras.arguments.length > 0 ? { arguments: extras.arguments } : {}),
    sources: {
      maturity: {
        title: maturity.data.source.title,
        publisher: maturity.data.source.publisher,
        ...(maturity.data.source.authors ? { authors: maturity.data.source.authors } : {}),
        date: maturity.data.source.date,
        license: maturity.data.license,
        attribution: maturity.data.attribution,
      },
      roadmap: {
        title: roadmap.source.title,
        publisher: roadmap.source.publisher,
        ...(roadmap.source.authors ? { authors: roadmap.source.authors } : {}),
        date: roadmap.source.date,
        license: roadmap.license,
      },
    },
  };
}

/** "Consolidation (estimation)" or "non évalué". */
export function levelText(report: Pick<ReportData, 'level' | 'estimate'>): string {
  if (!report.level) return 'non évalué';
  return report.estimate ? `${report.level} (estimation)` : report.level;
}

/** The name shown at the top: the collectivité's, or the kind of diagnostic for an anonymous quick check. */
export function reportHeading(report: Pick<ReportData, 'collectivite' | 'name' | 'scopeLabel'>): string {
  return report.collectivite?.name ?? report.name ?? report.scopeLabel;
}

/**
 * The collectivité's official identity, under its name: « Code INSEE 19272 · 13 401 habitants (population
 * municipale, INSEE) · Corrèze, Nouvelle-Aquitaine · Intercommunalité : CA Tulle Agglo »; null when not recognised.
 */
export function officialLine(report: Pick<ReportData, 'collectivite'>): string | null {
  const c = report.collectivite;
  const t = c?.official;
  if (!c || !t) return null;
  const label = codeLabel(t);
  return [
    t.name !== c.name ? `Nom officiel : ${t.name}` : undefined,
    label.charAt(0).toUpperCase() + label.slice(1),
    t.kind !== 'commune' && t.communeCount !== undefined
      ? `${formatCount(t.communeCount)}${nbsp}commune${t.communeCount > 1 ? 's' : ''}`
      : undefined,
    t.population !== undefined
      ? `${formatCount(t.population)}${nbsp}habitants (population municipale, INSEE)`
      : undefined,
    [t.kind === 'departement' || t.kind === 'region' ? undefined : t.departement?.name, t.region?.name]
      .filter(Boolean)
      .join(', ') || undefined,
    t.epci ? `Intercommunalité : ${t.epci.name}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** "1.3 Une gouvernance claire de la politique publique…" (without the seed's final full stop; "..." stays). */
export function prerequisLabel(p: Pick<ReportPrerequis, 'enjeuNumber' | 'number' | 'title'>): string {
  return `${p.enjeuNumber}.${p.number} ${p.title.trim().replace(/(?<!\.)\.$/, '')}`;
}

const plural = (n: number, one: string, many: string): string => `${n}${nbsp}${n > 1 ? many : one}`;

/**
 * What the coverage shown beside the score is made of, in words: "22 réponses connues sur 68", then what was set
 * aside ("1 « je ne sais pas » mise de côté") and what has no answer ("45 sans réponse"). The known answers plus
 * the « je ne sais pas » are the answers the person was told were recorded.
 */
export function coverageParts(report: Pick<ReportData, 'coverage' | 'toVerify' | 'unanswered'>): {
  known: string;
  details: string[];
} {
  const { known, total } = report.coverage;
  const unknown = report.toVerify.length;
  const unanswered = report.unanswered.length;
  return {
    known: `${plural(known, 'réponse connue', 'réponses connues')} sur ${total}`,
    details: [
      unknown > 0
        ? `${plural(unknown, '« je ne sais pas » mise de côté', '« je ne sais pas » mises de côté')}`
        : '',
      unanswered > 0 ? `${unanswered}${nbsp}sans réponse` : '',
    ].filter(Boolean),
  };
}

/** "22 réponses connues sur 68 (1 « je ne sais pas » mise de côté, 45 sans réponse)". */
export function coverageSentence(report: Pick<ReportData, 'coverage' | 'toVerify' | 'unanswered'>): string {
  const { known, details } = coverageParts(report);
  return details.length > 0 ? `${known} (${details.join(', ')})` : known;
}

/** "Ce diagnostic n’est pas terminé : 23 réponses sur 68, dont 1 « je ne sais pas »." */
export function unfinishedSentence(report: Pick<ReportData, 'progress' | 'toVerify'>): string {
  const { answered, total } = report.progress;
  const unknown = report.toVerify.length;
  return `Ce diagnostic n’est pas terminé : ${plural(answered, 'réponse', 'réponses')} sur ${total}${
    unknown > 0 ? `, dont ${unknown}${nbsp}« je ne sais pas »` : ''
  }.`;
}

/** The declared amounts grouped by indicator, in the referential's order, each with the indicator's text. */
export function quantitiesByIndicator(
  quantities: readonly ReportQuantity[],
): { indicator: number; text: string; quantities: ReportQuantity[] }[] {
  const groups = new Map<number, { indicator: number; text: string; quantities: ReportQuantity[] }>();
  for (const q of quantities) {
    const group = groups.get(q.indicator) ?? {
      indicator: q.indicator,
      text: q.indicatorText,
      quantities: [],
    };
    group.quantities.push(q);
    groups.set(q.indicator, group);
  }
  return [...groups.values()];
}

/** "le 12 mars 2024", or "du 3 mars 2025 au 14 mars 2025" when they were declared over several sittings. */
export function declaredDates(quantities: readonly Pick<ReportQuantity, 'declaredAt'>[]): string {
  const sorted = quantities.map((q) => q.declaredAt).sort();
  const first = formatDate(sorted[0] ?? '');
  const last = formatDate(sorted[sorted.length - 1] ?? '');
  return first === last ? `le ${first}` : `du ${first} au ${last}`;
}

/** "Source : …" once, whether or not the stored text already starts with "Source". */
export function sourceNote(source: string): string {
  const text = source.replace(/^\s*sources?\s*:\s*/i, '').trim();
  return `Source : ${text}`;
}

/** "2023-12" → "décembre 2023". */
export function sourceDate(date: string): string {
  const [year, month] = date.split('-');
  if (!month) return year ?? date;
  const name = new Intl.DateTimeFormat('fr-FR', { month: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(Number(year), Number(month) - 1, 1)),
  );
  return `${name} ${year}`;
}

export const licenseUrls: Record<string, string> = {
  'CC BY-SA 4.0': 'https://creativecommons.org/licenses/by-sa/4.0/deed.fr',
};
