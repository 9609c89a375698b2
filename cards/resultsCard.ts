import type { Command } from '../src/domain/language/commands.js';
import type { MaturityReferential } from '../src/domain/referential/load.js';
import type { Roadmap } from '../src/domain/referential/schema.js';
import { formatCoverage, formatPercent } from '../src/domain/scoring/format.js';
import type { MaturityResult, PrerequisScore } from '../src/domain/scoring/scoring.js';
import { cardTemplate, plain, type CardJson } from './template.js';

interface ResultsData {
  title: string;
  subtitle: string;
  levelLine: string;
  scoreLine: string;
  coverageLine: string;
  estimate: string | null;
  cap: string | null;
  chart: { url: string; alt: string } | null;
  enjeux: { label: string; short: string; brief: string; value: string; prerequis: { text: string }[] }[];
  strengths: { text: string }[];
  priorities: { title: string; firstPiste: string | null; pistes: { text: string }[] }[];
  toVerify: { text: string }[];
  stepsAdvice: string;
  steps: { text: string }[];
  links: string | null;
  /** How to give a quick self-check its collectivité's name, when it has none. */
  naming: string | null;
  sourceLine: string;
  actions: { title: string; command: Command }[];
  /** Under « Voir le détail »: what a first look does not need. */
  moreActions: { title: string; command: Command }[];
  speak: string;
  fallback: string;
}

const template = cardTemplate<ResultsData>('results');

export interface ResultsView {
  result: MaturityResult;
  maturity: MaturityReferential;
  roadmap: Roadmap;
  scopeLabel: string;
  collectiviteName?: string;
  date: string;
  /**
   * Everything at once (the answer to « détails »). Otherwise the first card shows the essentials on about one phone
   * screen (level, scores, priorities) and the rest opens with « Voir le détail ».
   */
  detailed: boolean;
  chart?: { url: string; alt: string };
  links?: { label: string; url: string }[];
  partial?: boolean;
}

const prerequisLabel = (p: PrerequisScore) =>
  `Prérequis ${p.enjeuNumber}.${p.number} — ${p.title.replace(/\.$/, '')}`;

function pisteText(p: PrerequisScore): { text: string }[] {
  return p.pistes.slice(0, 2).map((piste) => ({
    text:
      piste.examples.length > 0
        ? `${piste.title} (par ex. ${piste.examples.slice(0, 3).join(', ')})`
        : piste.title,
  }));
}

export function resultsCard(view: ResultsView): CardJson {
  const { result, roadmap } = view;
  const level = result.level ?? 'Non évalué';
  const title = `${view.partial ? 'Résultats provisoires' : 'Résultats'} — ${view.scopeLabel}`;
  const subtitle = [view.collectiviteName ? plain(view.collectiviteName) : null, view.date]
    .filter(Boolean)
    .join(' · ');
  const scoreLine = `Score global${result.estimate ? ' estimé' : ''} : ${formatPercent(result.score)}`;
  const unknown = result.toVerify.length;
  const { known, total, ratio } = result.coverage;
  const coverageLine = `Couverture : ${known} réponse${known > 1 ? 's connues' : ' connue'} sur ${total} (${Math.round(ratio * 100)} %)${
    unknown > 0 ? ` ; ${unknown} « je ne sais pas » mis de côté` : ''
  }`;
  const byLevel = result.level ? roadmap.byLevel[result.level] : roadmap.byLevel['Émergence'];
  const steps = byLevel.startAt
    .map((n) => roadmap.steps[n - 1]!)
    .map((s) => ({ text: `Étape ${s.number} — ${s.title} : ${s.summary}` }));
  const enjeux = result.enjeux.map((e) => ({
    label: `Enjeu ${e.number} — ${e.title}`,
    short: `Enjeu ${e.number}`,
    brief: `${formatPercent(e.score)}${e.level ? ` · ${e.level}` : ''}`,
    value: `${formatPercent(e.score)}${e.level ? ` · ${e.level}` : ''} · ${formatCoverage(e.coverage)}`,
    prerequis: e.prerequis.map((p) => ({
      text: `${prerequisLabel(p)} : ${formatPercent(p.score)}${p.level ? ` (${p.level})` : ''}`,
    })),
  }));
  const priorities = result.priorities.map((p) => {
    const pistes = pisteText(p);
    return {
      title: `${prerequisLabel(p)} — ${formatPercent(p.score)}`,
      firstPiste: pistes[0]?.text ?? null,
      pistes,
    };
  });
  const strengths = result.strengths.map((p) => ({
    text: `${prerequisLabel(p)} — ${formatPercent(p.score)}`,
  }));
  const toVerify = result.toVerify.map((v) => ({ text: `Indicateur ${v.indicator} — ${v.text}` }));
  const restart: Command = result.scope.kind === 'quick' ? 'diagnostic_rapide' : 'diagnostic_complet';
  const actions: ResultsData['actions'] = [
    { title: 'Convaincre mon élu', command: 'convaincre' },
    ...(result.scope.kind === 'quick'
      ? [{ title: 'Diagnostic complet', command: 'diagnostic_complet' as const }]
      : []),
  ];
  const moreActions: ResultsData['actions'] = [
    { title: 'Recommencer', command: restart },
    { title: 'Menu', command: 'menu' },
  ];
  const source = view.maturity.data;
  const speak = `${title}. Niveau ${level}. ${scoreLine}. ${coverageLine}.`;
  const card = template({
    title,
    subtitle,
    levelLine: `Niveau : ${level}`,
    scoreLine,
    coverageLine,
    estimate: result.estimate
      ? 'Estimation sur les 13 questions clés : le diagnostic complet (68 indicateurs) est plus sûr.'
      : null,
    cap: result.cap?.reason ?? null,
    chart: view.chart ?? null,
    enjeux,
    strengths,
    priorities,
    toVerify,
    stepsAdvice: byLevel.advice,
    steps,
    links: view.links?.length ? view.links.map((l) => `[${l.label}](${l.url})`).join(' · ') : null,
    sourceLine: `Source : ${source.source.publisher}, ${source.source.title} (${source.license}).`,
    actions,
    moreActions,
    naming:
      result.scope.kind === 'quick' && !view.collectiviteName
        ? 'Pour que le rapport porte le nom de votre collectivité, tapez « nommer » suivi de son nom (par exemple « nommer Commune de Lacq »).'
        : null,
    speak,
    fallback: [
      title,
      `Niveau : ${level}`,
      scoreLine,
      coverageLine,
      ...enjeux.map((e) => `${e.label} : ${e.value}`),
      ...(result.cap ? [result.cap.reason] : []),
      ...priorities.map((p) => `Priorité : ${p.title}`),
    ].join('\n'),
  });
  return view.detailed ? withDetailOpen(card) : card;
}

/** The card with what « Voir le détail » shows written out in it, and no such button. */
function withDetailOpen(card: CardJson): CardJson {
  const actions = (card.actions ?? []) as CardJson[];
  const detail = actions.find((a) => a.type === 'Action.ShowCard');
  if (!detail) return card;
  const shown = detail.card as CardJson;
  const body = [...(card.body as unknown[]), ...(shown.body as unknown[])];
  const more = (shown.actions ?? []) as CardJson[];
  return { ...card, body, actions: [...actions.filter((a) => a !== detail), ...more] };
}
