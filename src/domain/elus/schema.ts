import { z } from 'zod';
import { sourceSchema } from '../referential/schema.js';

const text = z.string().trim().min(1);
const id = z
  .string()
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'identifiant attendu en minuscules et tirets (ex. « mise-en-oeuvre »)',
  );
const seedDocument = z
  .string()
  .regex(/^seeds\/\d{3}_[0-9a-f]{16}\.txt$/, 'document attendu au format seeds/NNN_<hash>.txt');
/** Topic ids this item is relevant to (e.g. "frein:temps", "financement"); checked against `topics`. */
const tags = z.array(z.string()).default([]);

export const topicKinds = [
  'frein',
  'situation',
  'territoire',
  'echelon',
  'glossaire',
  'dispositif',
  'theme',
] as const;

const titledText = z.object({ title: text, text, topics: tags });

/** A button's title: Teams shows about 30 characters on a phone (the full label stays in the card). */
const buttonLabel = z.string().trim().min(1).max(30, '30 caractères au plus pour un bouton');

export const echelonSchema = z.object({
  id,
  label: text,
  elus: text,
  role: text,
  notRole: text.optional(),
  competences: z.array(text),
  types: z.array(text).optional(),
  schemes: z.array(text),
  angle: text,
  /** One sentence for the élu, in the e-mail version. */
  pitch: text,
});

export const territoireSchema = z.object({
  id,
  label: text,
  button: buttonLabel.optional(),
  situation: text,
  angle: text,
  service: text,
  hooks: z.array(text),
  note: text.optional(),
  examples: z.array(id),
  /** One sentence for the élu, in the e-mail version. */
  pitch: text,
});

export const projectSchema = z.object({
  id,
  name: text,
  place: text,
  enjeu: text,
  text,
  territoires: z.array(id),
  topics: tags,
  document: seedDocument,
  excerpt: text,
});

export const freinSchema = z.object({
  id,
  label: text,
  button: buttonLabel.optional(),
  description: text,
  solution: text,
  actions: z.array(text).min(2, 'au moins deux actions par frein'),
  /** The free-question topic that answers it; `frein:<id>` when absent. */
  topic: z.string().optional(),
  /**
   * One of the guide's six freins (section « Identifier les points de blocage »). `false` for a question the guide
   * answers elsewhere (the cost, from its financement part): never presented as one of the guide's freins.
   */
  guideFrein: z.boolean().default(true),
  pitch: text,
});

export const situationSchema = z.object({
  id,
  label: text,
  button: buttonLabel.optional(),
  question: text,
  summary: text,
  advice: z.array(titledText).min(3, 'au moins trois conseils par situation'),
  relays: z.array(z.object({ name: text, text })),
  events: z.array(text),
  networks: z.array(text),
  /** What the e-mail version proposes to the élu. */
  ask: text,
});

export const figureSchema = z.object({
  id,
  value: text,
  text,
  source: text,
  year: z.number().int().min(1990).max(2100).nullable(),
  topics: tags,
  document: seedDocument,
  excerpt: text,
});

export const verbatimSchema = z.object({
  id,
  text,
  author: text,
  role: text,
  context: text.optional(),
  topics: tags,
  document: seedDocument,
  excerpt: text,
});

export const glossarySchema = z.object({
  term: z.string().regex(/^[A-Z0-9]+$/, 'sigle attendu en majuscules'),
  expansion: text,
  definition: text,
  echelon: id.nullable(),
  document: seedDocument,
});

/** A claim shown to the person, with the words of the seed it comes from (`excerpt`, verbatim in `document`). */
export const sourcedPointSchema = z.object({ text, document: seedDocument, excerpt: text });

/** A national dispositif (Conseillers numériques, Pass numérique, Hubs…): its key points, each sourced. */
export const dispositifSchema = z.object({
  id,
  name: text,
  points: z.array(sourcedPointSchema).min(2, 'au moins deux points par dispositif'),
  /** What the seeds do not say about it, said plainly (« Les sources ne disent pas… »). */
  notSaid: text.optional(),
  url: z.url().optional(),
});

/**
 * An answer the seeds give in passing (the competence question, networks of élus, montagne, a note for the DGS…):
 * its points, each sourced, and what the seeds do not say.
 */
export const ficheSchema = z.object({
  id,
  title: text,
  points: z.array(sourcedPointSchema).min(1),
  notSaid: text.optional(),
});

export const resourceSchema = z.object({
  name: text,
  text,
  category: text,
  url: z.url().optional(),
  topics: tags,
});

export const topicSchema = z.object({
  id: z
    .string()
    .regex(
      /^(?:[a-z]+:[A-Za-z0-9-]+|[a-z]+(?:-[a-z]+)*)$/,
      'identifiant de sujet attendu au format « genre:id » ou « theme »',
    ),
  kind: z.enum(topicKinds),
  title: text,
  answer: text,
  /** Where the answer comes from in this file, e.g. "freins.temps", "glossary.SDAASP", "portage". */
  ref: text,
  /** The documents the answer draws on, when not only the guide (or the part of the file `ref` names). */
  sources: z.array(seedDocument).min(1).optional(),
  paraphrases: z.array(text).min(3, 'au moins trois façons de poser la question'),
  /** Words people use for it that its title and answer do not contain. */
  keywords: z.array(text).default([]),
});

/** What to stress when a diagnostic shows a weak prérequis (E2P2) or enjeu (E1). */
export const diagnosticLinkSchema = z.object({
  for: z.string().regex(/^E\d(?:P\d)?$/, 'enjeu (E1) ou prérequis (E2P2) attendu'),
  topic: z.string(),
  title: text,
  text,
});

export const elusSchema = z
  .object({
    source: sourceSchema.extend({ document: seedDocument }),
    license: z.string().nullable(),
    /** How to cite each seed document in an answer. */
    documents: z.array(z.object({ document: seedDocument, label: text })).min(1),
    echelons: z.array(echelonSchema).min(1),
    roleElu: z.object({
      intro: text,
      fait: z.array(z.object({ title: text, text })),
      neFaitPas: z.array(z.object({ title: text, text })),
    }),
    territoires: z.array(territoireSchema).min(1),
    projects: z.array(projectSchema).min(1),
    portage: z.object({ title: text, intro: text, reasons: z.array(z.object({ title: text, text })).min(1) }),
    freins: z.array(freinSchema).min(1),
    situations: z.array(situationSchema).min(1),
    financement: z.object({
      arguments: z.array(text).min(1),
      sources: z.array(z.object({ name: text, text, document: seedDocument.optional() })).min(1),
    }),
    feuilleDeRoute: z.object({
      arguments: z.array(text).min(1),
      roleElu: text,
      groupeProjet: text,
      votreRole: text,
      ressources: text,
      calendrierFNE: z.array(z.object({ date: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/), text })),
      calendrierSource: seedDocument,
    }),
    contexteNational: z.object({
      text,
      source: seedDocument,
      sources: z.array(seedDocument),
      objectifs2027: z.array(text),
      axes: z.array(text),
      engagement1: text,
    }),
    figures: z.array(figureSchema).min(2),
    verbatims: z.array(verbatimSchema),
    glossary: z.array(glossarySchema),
    dispositifs: z.array(dispositifSchema),
    fiches: z.array(ficheSchema),
    resources: z.array(resourceSchema),
    diagnostic: z.array(diagnosticLinkSchema),
    topics: z.array(topicSchema).min(1),
  })
  .superRefine((ref, ctx) => {
    const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const unique = (list: { id: string }[], name: string) => {
      const seen = new Set<string>();
      list.forEach((item, i) => {
        if (seen.has(item.id)) issue([name, i, 'id'], `identifiant en double : ${item.id}`);
        seen.add(item.id);
      });
    };
    unique(ref.echelons, 'echelons');
    unique(ref.territoires, 'territoires');
    unique(ref.projects, 'projects');
    unique(ref.freins, 'freins');
    unique(ref.situations, 'situations');
    unique(ref.figures, 'figures');
    unique(ref.verbatims, 'verbatims');
    unique(ref.dispositifs, 'dispositifs');
    unique(ref.fiches, 'fiches');
    unique(ref.topics, 'topics');

    const topicIds = new Set(ref.topics.map((t) => t.id));
    const checkTags = (list: string[], path: PropertyKey[]) =>
      list.forEach((tag, i) => {
        if (!topicIds.has(tag)) issue([...path, i], `sujet inconnu : « ${tag} » (voir « topics »)`);
      });
    ref.projects.forEach((p, i) => checkTags(p.topics, ['projects', i, 'topics']));
    ref.figures.forEach((f, i) => checkTags(f.topics, ['figures', i, 'topics']));
    ref.verbatims.forEach((v, i) => checkTags(v.topics, ['verbatims', i, 'topics']));
    ref.resources.forEach((r, i) => checkTags(r.topics, ['resources', i, 'topics']));
    ref.situations.forEach((s, i) =>
      s.advice.forEach((a, j) => checkTags(a.topics, ['situations', i, 'advice', j, 'topics'])),
    );
    ref.diagnostic.forEach((d, i) => checkTags([d.topic], ['diagnostic', i, 'topic']));
    ref.freins.forEach((f, i) => {
      const topic = f.topic ?? `frein:${f.id}`;
      if (!topicIds.has(topic))
        issue(['freins', i, f.topic ? 'topic' : 'id'], `sujet inconnu : « ${topic} »`);
    });

    const cited = new Set(ref.documents.map((d) => d.document));
    const checkDocument = (document: string | undefined, path: PropertyKey[]) => {
      if (document !== undefined && !cited.has(document))
        issue(path, `document absent de « documents » : ${document}`);
    };
    checkDocument(ref.source.document, ['source', 'document']);
    ref.projects.forEach((p, i) => checkDocument(p.document, ['projects', i, 'document']));
    ref.figures.forEach((f, i) => checkDocument(f.document, ['figures', i, 'document']));
    ref.verbatims.forEach((v, i) => checkDocument(v.document, ['verbatims', i, 'document']));
    ref.glossary.forEach((g, i) => checkDocument(g.document, ['glossary', i, 'document']));
    ref.financement.sources.forEach((s, i) =>
      checkDocument(s.document, ['financement', 'sources', i, 'document']),
    );
    ref.dispositifs.forEach((d, i) =>
      d.points.forEach((p, j) => checkDocument(p.document, ['dispositifs', i, 'points', j, 'document'])),
    );
    ref.fiches.forEach((f, i) =>
      f.points.forEach((p, j) => checkDocument(p.document, ['fiches', i, 'points', j, 'document'])),
    );
    ref.topics.forEach((t, i) => t.sources?.forEach((d, j) => checkDocument(d, ['topics', i, 'sources', j])));

    const projectIds = new Set(ref.projects.map((p) => p.id));
    const territoireIds = new Set(ref.territoires.map((t) => t.id));
    ref.territoires.forEach((t, i) =>
      t.examples.forEach((e, j) => {
        if (!projectIds.has(e)) issue(['territoires', i, 'examples', j], `projet inconnu : « ${e} »`);
      }),
    );
    ref.projects.forEach((p, i) =>
      p.territoires.forEach((t, j) => {
        if (!territoireIds.has(t)) issue(['projects', i, 'territoires', j], `territoire inconnu : « ${t} »`);
      }),
    );
    const echelonIds = new Set(ref.echelons.map((e) => e.id));
    ref.glossary.forEach((g, i) => {
      if (g.echelon !== null && !echelonIds.has(g.echelon))
        issue(['glossary', i, 'echelon'], `échelon inconnu : « ${g.echelon} »`);
    });

    ref.topics.forEach((topic, i) => {
      if (!topic.id.startsWith(`${topic.kind}:`) && topic.kind !== 'theme') {
        issue(['topics', i, 'id'], `un sujet de genre « ${topic.kind} » s'écrit « ${topic.kind}:… »`);
      }
      if (resolveRef(ref as unknown as Record<string, unknown>, topic.ref) === undefined)
        issue(['topics', i, 'ref'], `référence introuvable : « ${topic.ref} »`);
    });
  });

export type ElusData = z.infer<typeof elusSchema>;
export type Echelon = z.infer<typeof echelonSchema>;
export type Territoire = z.infer<typeof territoireSchema>;
export type Project = z.infer<typeof projectSchema>;
export type Frein = z.infer<typeof freinSchema>;
export type Situation = z.infer<typeof situationSchema>;
export type Figure = z.infer<typeof figureSchema>;
export type Verbatim = z.infer<typeof verbatimSchema>;
export type GlossaryEntry = z.infer<typeof glossarySchema>;
export type Resource = z.infer<typeof resourceSchema>;
export type SourcedPoint = z.infer<typeof sourcedPointSchema>;
export type Dispositif = z.infer<typeof dispositifSchema>;
export type Fiche = z.infer<typeof ficheSchema>;
export type Topic = z.infer<typeof topicSchema>;
export type TopicKind = (typeof topicKinds)[number];
export type DiagnosticLink = z.infer<typeof diagnosticLinkSchema>;

const keyed: Record<string, (item: Record<string, unknown>) => unknown> = { glossary: (g) => g['term'] };

/** Follows a topic's `ref` ("freins.temps", "glossary.SDAASP", "portage") to the part of the file it names. */
export function resolveRef(ref: Record<string, unknown>, path: string): unknown {
  const [section, key, ...rest] = path.split('.');
  if (rest.length > 0 || !section) return undefined;
  const value = ref[section];
  if (key === undefined) return value;
  if (!Array.isArray(value)) return undefined;
  const idOf = keyed[section] ?? ((item: Record<string, unknown>) => item['id']);
  return (value as Record<string, unknown>[]).find((item) => idOf(item) === key);
}
