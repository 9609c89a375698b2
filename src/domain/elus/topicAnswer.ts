import { fold } from './analyzer.js';
import { documentLabel, notIn, pointsFor } from './argumentaire.js';
import type { ElusReferential } from './load.js';
import type { ElusProfile } from './profile.js';
import { resolveRef, type GlossaryEntry, type SourcedPoint, type Topic } from './schema.js';

/** The direct answer to a free question: the guide's advice for that topic, with its source. */
export interface TopicAnswer {
  topicId: string;
  title: string;
  text: string;
  details: string[];
  quote?: { text: string; author: string };
  source: string;
  /** The value of « Construire mon argumentaire » when it says more than the topic id (see `startValue`). */
  start?: string;
  /** What the guided path can start from, e.g. { frein: 'temps' }. */
  prefill: Pick<ElusProfile, 'situation' | 'frein' | 'territoire' | 'echelon'>;
}

const lowerFirst = (s: string) => `${s.charAt(0).toLowerCase()}${s.slice(1)}`;

/** The part of elus.json a topic names, when it is made of sourced points (a dispositif, a fiche). */
function sourcedPartOf(
  ref: ElusReferential,
  topic: Topic,
): { points: SourcedPoint[]; notSaid?: string } | undefined {
  const part = resolveRef(ref.data as unknown as Record<string, unknown>, topic.ref) as
    { points?: SourcedPoint[]; notSaid?: string } | undefined;
  return part?.points
    ? { points: part.points, ...(part.notSaid ? { notSaid: part.notSaid } : {}) }
    : undefined;
}

const wordsOf = (text: string) =>
  fold(text)
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 3);

/** Keeps a point that says more than the answer: less than 60 % of its words are already in it. */
const addsTo = (answer: string) => {
  const said = new Set(wordsOf(answer));
  return (point: string) => {
    const words = wordsOf(point);
    return words.filter((w) => said.has(w)).length < 0.6 * words.length;
  };
};

function detailsOf(ref: ElusReferential, topic: Topic): string[] {
  const data = ref.data;
  const sourced = sourcedPartOf(ref, topic);
  if (sourced) {
    const networks = data.situations.flatMap((s) => s.networks);
    return [
      ...(topic.id === 'reseaux-elus'
        ? [`Les réseaux d'élus cités par le guide : ${networks.join(', ')}.`]
        : []),
      ...sourced.points.map((p) => p.text).filter(addsTo(topic.answer)),
      ...(sourced.notSaid ? [sourced.notSaid] : []),
    ];
  }
  const [kind, id] = topic.id.split(':');
  switch (kind) {
    case 'frein':
      return ref.frein(id)?.actions.slice(0, 3) ?? [];
    case 'situation':
      return (
        ref
          .situation(id)
          ?.advice.slice(0, 3)
          .map((a) => `${a.title} : ${a.text}`) ?? []
      );
    case 'territoire': {
      const t = ref.territoire(id);
      if (!t) return [];
      const project = t.examples.map((e) => ref.project(e)).find((p) => p !== undefined);
      return [t.service, ...t.hooks, ...(project ? [`Exemple : ${project.place} — ${project.text}`] : [])];
    }
    case 'echelon': {
      const e = ref.echelon(id);
      return e ? [e.elus, `Compétences : ${e.competences.map(lowerFirst).join(' ; ')}.`] : [];
    }
    case 'glossaire': {
      const g = resolveRef(data as unknown as Record<string, unknown>, topic.ref) as
        GlossaryEntry | undefined;
      const echelon = ref.echelon(g?.echelon ?? undefined);
      return g
        ? [
            `${g.term} : ${g.expansion}.`,
            ...(echelon ? [`Échelon concerné : ${lowerFirst(echelon.label)}.`] : []),
          ]
        : [];
    }
    default:
      break;
  }
  switch (topic.id) {
    case 'chiffres':
      return data.figures.slice(0, 4).map((f) => `${f.text} (${f.source}${f.year ? `, ${f.year}` : ''})`);
    case 'role-elu':
      return [
        ...data.roleElu.fait.map((f) => `Il fait : ${lowerFirst(f.title)}.`),
        ...data.roleElu.neFaitPas.map((f) => `${f.title}.`),
      ];
    case 'ressources':
      return data.resources
        .filter((r) => r.topics.includes('ressources') || r.category === 'données')
        .slice(0, 5)
        .map((r) => `${r.name} : ${lowerFirst(r.text)}`);
    case 'contexte-national':
      return data.contexteNational.objectifs2027;
    default:
      return pointsFor(ref, topic.id).slice(0, 4);
  }
}

/** The documents a topic's answer draws on: its own list, its points', its glossary entry's, or the guide. */
function documentsOf(ref: ElusReferential, topic: Topic): string[] {
  if (topic.sources) return topic.sources;
  const sourced = sourcedPartOf(ref, topic);
  if (sourced) return sourced.points.map((p) => p.document);
  if (topic.kind === 'glossaire') {
    const g = resolveRef(ref.data as unknown as Record<string, unknown>, topic.ref) as
      GlossaryEntry | undefined;
    if (g) return [g.document];
  }
  if (topic.id === 'contexte-national') return ref.data.contexteNational.sources;
  return [ref.data.source.document];
}

function sourceOf(ref: ElusReferential, topic: Topic): string {
  if (topic.id === 'chiffres') return 'Sources : voir chaque chiffre.';
  const labels = [...new Set(documentsOf(ref, topic))].map((d) => documentLabel(ref, d));
  return `Source : ${labels.join(' ; ')}.`;
}

/** Only what the guided path offers: « territoire:montagne » has no step option, so it prefills nothing. */
function prefillOf(ref: ElusReferential, topic: Topic): TopicAnswer['prefill'] {
  const [kind, id] = topic.id.split(':');
  if (!id) return {};
  if (kind === 'frein' && ref.frein(id)) return { frein: id };
  if (kind === 'situation' && ref.situation(id)) return { situation: id };
  if (kind === 'territoire' && ref.territoire(id)) return { territoire: id };
  if (kind === 'echelon' && id !== 'etat' && ref.echelon(id)) return { echelon: id };
  return topic.id === 'financement' ? { frein: 'budget' } : {};
}

export function answerFor(ref: ElusReferential, topic: Topic): TopicAnswer {
  const verbatim = ref.data.verbatims.find((v) => v.topics.includes(topic.id));
  const frein = ref.data.freins.find((f) => ref.freinTopic(f) === topic.id);
  return {
    topicId: topic.id,
    title: topic.title,
    text: topic.answer,
    details: detailsOf(ref, topic).filter(notIn(topic.answer)),
    ...(verbatim
      ? { quote: { text: verbatim.text, author: `${verbatim.author}, ${lowerFirst(verbatim.role)}` } }
      : {}),
    source: sourceOf(ref, topic),
    prefill: frein ? { frein: frein.id } : prefillOf(ref, topic),
  };
}
