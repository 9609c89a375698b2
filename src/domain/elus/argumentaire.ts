import { fold } from './analyzer.js';
import type { ElusReferential } from './load.js';
import type { ElusProfile } from './profile.js';
import type { Figure, Project, Resource, Verbatim } from './schema.js';

/** One argumentaire: what to say to the élu for this profile, the `variant`-th best of its kind. */
export interface Argumentaire {
  variant: number;
  /** How many different variants this profile has before they repeat. */
  variants: number;
  title: string;
  /** "Situation : …", "Frein : …": what the person told. */
  context: string[];
  angle: { title: string; text: string; service?: string };
  echelon?: { title: string; text: string };
  frein?: { title: string; text: string; actions: string[] };
  diagnostic?: { title: string; weakPoint: string; text: string; points: string[] };
  actions: { title: string; text: string }[];
  project?: { title: string; text: string; source: string };
  figures: { value: string; text: string; source: string }[];
  quote?: { text: string; author: string };
  relays: string[];
  resources: string[];
  source: string;
}

/** How much each part of the profile counts when ranking items tagged with topics. */
const weights = { situation: 3, frein: 3, territoire: 2, echelon: 1, weakPoint: [2, 1, 0.5] };

function relevanceOf(ref: ElusReferential, profile: ElusProfile): Map<string, number> {
  const relevance = new Map<string, number>();
  const add = (topic: string | undefined, weight: number) => {
    if (topic) relevance.set(topic, (relevance.get(topic) ?? 0) + weight);
  };
  add(profile.situation && `situation:${profile.situation}`, weights.situation);
  const frein = ref.frein(profile.frein);
  add(frein && ref.freinTopic(frein), weights.frein);
  add(profile.territoire && `territoire:${profile.territoire}`, weights.territoire);
  add(profile.echelon && `echelon:${profile.echelon}`, weights.echelon);
  profile.weakPoints?.forEach((w, i) => add(w.link.topic, weights.weakPoint[i] ?? 0.5));
  return relevance;
}

/** Items sorted by relevance to the profile (ties keep the referential's order). */
function ranked<T extends { topics: string[] }>(items: readonly T[], relevance: Map<string, number>): T[] {
  const score = (item: T) => item.topics.reduce((sum, t) => sum + (relevance.get(t) ?? 0), 0);
  return items
    .map((item, i) => ({ item, i, s: score(item) }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((x) => x.item);
}

/** The `variant`-th window of `count` items, cycling: "un autre argument" moves to the next best ones. */
function window<T>(items: readonly T[], count: number, variant: number): T[] {
  if (items.length <= count) return [...items];
  const start = (variant * count) % items.length;
  return Array.from({ length: count }, (_, i) => items[(start + i) % items.length]!);
}

const firstSentence = (text: string) => /^.*?[.!?](?=\s|$)/.exec(text)?.[0] ?? text;

/** Drops the lines a text already says (the frein's solution often opens with its first action). */
export const notIn = (text: string) => (line: string) => !fold(text).includes(fold(line));

const nth = <T>(items: readonly T[], variant: number): T | undefined =>
  items[variant % Math.max(items.length, 1)];

/**
 * A key figure's source with its date: the figure's year, or, when the seed gives none, the document that quotes
 * it, whose label carries that document's date ("… (2023)", "… mai 2024").
 */
export function datedFigureSource(
  ref: ElusReferential,
  figure: Pick<Figure, 'source' | 'year' | 'document'>,
): string {
  return figure.year !== null
    ? `${figure.source}, ${figure.year}`
    : `${figure.source}, d’après ${documentLabel(ref, figure.document)}`;
}

function projectView(ref: ElusReferential, p: Project) {
  return { title: `${p.place} — ${p.enjeu}`, text: p.text, source: documentLabel(ref, p.document) };
}

export function documentLabel(ref: ElusReferential, document: string): string {
  return ref.data.documents.find((d) => d.document === document)?.label ?? document;
}

function projectsFor(ref: ElusReferential, profile: ElusProfile, relevance: Map<string, number>): Project[] {
  const territoire = ref.territoire(profile.territoire);
  const first = (territoire?.examples ?? []).flatMap((id) => ref.project(id) ?? []);
  return [...first, ...ranked(ref.data.projects, relevance).filter((p) => !first.includes(p))];
}

function quoteOf(v: Verbatim) {
  return { text: v.text, author: `${v.author}, ${v.role.charAt(0).toLowerCase()}${v.role.slice(1)}` };
}

function resourceLine(r: Resource): string {
  return `${r.name} : ${r.text.charAt(0).toLowerCase()}${r.text.slice(1)}`;
}

/**
 * The argumentaire for a profile: the angle for the territory, how to lift the frein, three actions for the
 * situation, one example project, two key figures with their sources, relays and resources — and, when a
 * diagnostic exists, what its weakest spot calls for. Everything comes from the referential.
 */
export function composeArgumentaire(ref: ElusReferential, profile: ElusProfile, variant = 0): Argumentaire {
  const data = ref.data;
  const relevance = relevanceOf(ref, profile);
  const situation = ref.situation(profile.situation);
  const frein = ref.frein(profile.frein);
  const territoire = ref.territoire(profile.territoire);
  const echelon = ref.echelon(profile.echelon);

  const advice = situation
    ? situation.advice
    : data.situations.flatMap((s) =>
        s.advice.map((a) => ({ ...a, topics: [...a.topics, `situation:${s.id}`] })),
      );
  const rankedAdvice = ranked(advice, relevance);
  const projects = projectsFor(ref, profile, relevance);
  const figures = ranked(data.figures, relevance);
  const quotes = ranked(data.verbatims, relevance).filter((v) => v.topics.some((t) => relevance.has(t)));
  const resources = ranked(data.resources, relevance);
  const relays = situation ? situation.relays : data.situations.flatMap((s) => s.relays);
  const weakPoints = profile.weakPoints ?? [];

  const variants = Math.max(
    Math.ceil(rankedAdvice.length / 3),
    Math.ceil(figures.length / 2),
    projects.length,
    frein ? Math.ceil(frein.actions.length / 2) : 1,
    weakPoints.length,
  );
  const v = variant % variants;

  const context = [
    situation ? `Situation : ${situation.label}` : null,
    frein ? `${frein.guideFrein ? 'Frein' : 'Question'} : ${frein.label}` : null,
    territoire ? `Territoire : ${territoire.label}` : null,
    echelon ? `Échelon : ${echelon.label}` : null,
  ].filter((line): line is string => line !== null);

  const angle = territoire
    ? {
        title: `L'angle pour votre territoire (${territoire.label})`,
        text: territoire.angle,
        service: territoire.service,
      }
    : echelon
      ? { title: `L'angle pour les élus de l'échelon « ${echelon.label} »`, text: echelon.angle }
      : {
          title: situation ? situation.label : "L'essentiel",
          text: situation ? situation.summary : firstSentence(data.portage.intro),
        };

  const weakPoint = weakPoints.length > 0 ? nth(weakPoints, v) : undefined;
  const diagnostic = weakPoint && {
    title: `Votre diagnostic : ${weakPoint.link.title.charAt(0).toLowerCase()}${weakPoint.link.title.slice(1)}`,
    weakPoint: weakPoint.label,
    text: weakPoint.link.text,
    points: pointsFor(ref, weakPoint.link.topic),
  };

  const project = nth(projects, v);
  const quote = nth(quotes, v);
  return {
    variant: v,
    variants,
    title:
      v === 0
        ? 'Votre argumentaire pour convaincre vos élus'
        : `Votre argumentaire — argument ${v + 1} sur ${variants}`,
    context,
    angle,
    ...(echelon && territoire
      ? {
          echelon: {
            title: `Vos interlocuteurs (${echelon.label})`,
            text: `${echelon.elus} ${echelon.role}`,
          },
        }
      : {}),
    ...(frein
      ? {
          frein: {
            title: `${frein.guideFrein ? 'Lever le frein' : 'Répondre à la question'} : ${frein.label.toLowerCase()}`,
            text: frein.solution,
            actions: window(frein.actions.filter(notIn(frein.solution)), 2, v),
          },
        }
      : {}),
    ...(diagnostic ? { diagnostic } : {}),
    actions: window(rankedAdvice, 3, v).map((a) => ({ title: a.title, text: a.text })),
    ...(project ? { project: projectView(ref, project) } : {}),
    figures: window(figures, 2, v).map((f) => ({
      value: f.value,
      text: f.text,
      source: datedFigureSource(ref, f),
    })),
    ...(quote ? { quote: quoteOf(quote) } : {}),
    relays: [
      ...window(relays, 3, v).map((r) => `${r.name.charAt(0).toUpperCase()}${r.name.slice(1)} : ${r.text}`),
      ...(territoire ? [territoire.service] : []),
    ],
    resources: window(resources, 3, v).map(resourceLine),
    source: `Source : ${documentLabel(ref, data.source.document)}.`,
  };
}

/** Short lists that make a weak spot's argument concrete: the reasons for portage, where to find cofinancement… */
export function pointsFor(ref: ElusReferential, topic: string): string[] {
  const data = ref.data;
  switch (topic) {
    case 'portage':
      return data.portage.reasons.map((r) => `${r.title} : ${r.text}`);
    case 'financement':
      return data.financement.sources.map((s) => `${s.name} : ${s.text}`);
    case 'feuille-de-route':
      return data.feuilleDeRoute.arguments.slice(0, 4);
    case 'contexte-national':
      return [data.contexteNational.engagement1];
    default:
      return [];
  }
}

/**
 * The short version to paste into an e-mail to the élu: plain text, a few lines, every figure with its source.
 * Written to the élu ("vous"), from the person who asked.
 */
export function copyText(ref: ElusReferential, profile: ElusProfile, variant = 0): string {
  const arg = composeArgumentaire(ref, profile, variant);
  const situation = ref.situation(profile.situation);
  const frein = ref.frein(profile.frein);
  const territoire = ref.territoire(profile.territoire);
  const echelon = ref.echelon(profile.echelon);
  const weakPoint = profile.weakPoints?.length ? nth(profile.weakPoints, arg.variant) : undefined;
  const example = nth(projectsFor(ref, profile, relevanceOf(ref, profile)), arg.variant);
  const lines = [
    "Objet : l'inclusion numérique sur notre territoire",
    '',
    'Bonjour,',
    '',
    ...(frein ? [frein.pitch] : []),
    territoire ? territoire.pitch : echelon ? echelon.pitch : firstSentence(ref.data.portage.intro),
    ...(weakPoint
      ? [
          `Notre diagnostic de maturité (référentiel de La Mednum) montre un point à renforcer : ${weakPoint.words}.`,
        ]
      : []),
    '',
    'Quelques repères :',
    ...arg.figures.map((f) => `- ${f.text} (${f.source})`),
    ...(example ? [`- Un exemple : ${example.place}. ${firstSentence(example.text)}`] : []),
    '',
    situation ? situation.ask : (ref.data.situations.find((s) => s.id === 'non-investis')?.ask ?? ''),
    '',
    'Bien cordialement,',
    '',
    `Source : ${documentLabel(ref, ref.data.source.document)}.`,
  ];
  return lines.join('\n').replace(/\n{3,}/g, '\n\n');
}
