import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { argumentaireCard } from '../../cards/argumentaireCard.js';
import { stepOptions } from '../../src/domain/elus/choices.js';
import { projectRoot } from '../../src/paths.js';
import { assistant, referential, seedsPresent } from './helpers.js';
import { flat, seed } from './seeds.js';

/**
 * Errors once found by checking elus.json against the seeds, each kept from coming back: a project filed under the
 * wrong territory, the cost presented as one of the guide's freins, claims stronger than their source, figures
 * without their scope, sources that name the wrong document.
 */

const guide = referential.data.source.document;
const documentLabel = (document: string) =>
  referential.data.documents.find((d) => d.document === document)!.label;

/** Every text of elus.json a person can be shown, with where it is (paraphrases and keywords are typed, not shown). */
function shownTexts(): [string, string][] {
  const skipped = new Set([
    'id',
    'ref',
    'kind',
    'document',
    'excerpt',
    'sources',
    'topic',
    'examples',
    'territoires',
    'paraphrases',
    'keywords',
    'url',
    'for',
    'date',
    'calendrierSource',
  ]);
  const texts: [string, string][] = [];
  const walk = (node: unknown, path: string): void => {
    if (typeof node === 'string') texts.push([path, node]);
    else if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${path}[${i}]`));
    else if (node && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) {
        const tags = k === 'topics' && Array.isArray(v) && v.every((t) => typeof t === 'string');
        if (!skipped.has(k) && !tags) walk(v, path ? `${path}.${k}` : k);
      }
  };
  const { verbatims: _quotes, ...data } = referential.data;
  walk(data, '');
  return texts;
}

describe.skipIf(!seedsPresent)(
  'Règle : un projet exemple est rangé sous le territoire que lui donne le guide',
  () => {
    /** The enjeux of the guide's « Quelques exemples concrets », and the territory whose framing each one is. */
    const territoireOfEnjeu: Record<string, string | null> = {
      "L'inclusion numérique comme vecteur d'attractivité territoriale": 'rural',
      'Valoriser le patrimoine local grâce au numérique': 'rural',
      'Renforcer les actions en faveur des jeunes et de leurs familles': null,
      'Réduire les inégalités dans les quartiers prioritaires et favoriser le lien entre les habitants':
        'qpv',
      'Répondre aux enjeux environnementaux': 'environnement',
      "La gestion des données, un outil d'aide à la décision et un enjeu de protection pour les territoires":
        'donnees',
    };
    const text = seed(guide);
    const section = text.slice(
      text.indexOf(flat('Quelques exemples concrets pour enrichir votre argumentaire')),
      text.indexOf(flat('Je suis en lien avec les élus de mon territoire et ils sont convaincus')),
    );
    /** Each block of the section: its enjeux, then its example projects. */
    const blocks = section
      .split(flat('Un enjeu pour le territoire'))
      .slice(1)
      .map((block) => {
        const [enjeux = '', projects = ''] = block.split(flat('Un exemple de projet'));
        return { enjeux, projects };
      });

    it('le guide range ses exemples en trois blocs, et chaque enjeu cité est dans l’un d’eux', () => {
      expect(blocks).toHaveLength(3);
      for (const enjeu of Object.keys(territoireOfEnjeu))
        expect(
          blocks.filter((b) => b.enjeux.includes(flat(enjeu))),
          enjeu,
        ).toHaveLength(1);
    });

    /** The projects of the guide's « Quelques exemples concrets ». */
    const inSection = referential.data.projects.filter((p) => section.includes(flat(p.excerpt)));

    it('chaque projet des exemples a l’enjeu de son bloc et le territoire de cet enjeu (Rennes : aucun)', () => {
      expect(inSection.map((p) => p.id)).toEqual(
        expect.arrayContaining(['tulle', 'la-souterraine', 'rennes', 'brest', 'bordeaux', 'lacq-orthez']),
      );
      for (const project of inSection) {
        const block = blocks.find((b) => b.projects.includes(flat(project.excerpt)))!;
        expect(block, project.id).toBeDefined();
        expect(block.enjeux, project.id).toContain(flat(project.enjeu));
        const territoire = territoireOfEnjeu[project.enjeu.replace(/\.$/, '')];
        expect(territoire, `${project.id} : enjeu inconnu du test`).not.toBeUndefined();
        expect(project.territoires, project.id).toEqual(territoire ? [territoire] : []);
      }
      expect(referential.project('rennes')!.topics).not.toContain('territoire:qpv');
    });

    it('un territoire ne cite en exemple, dans ses données comme dans sa réponse, que ses propres projets', () => {
      for (const territoire of referential.data.territoires) {
        const own = referential.data.projects.filter((p) => p.territoires.includes(territoire.id));
        for (const id of territoire.examples)
          expect(
            own.map((p) => p.id),
            territoire.id,
          ).toContain(id);
        const answer = referential.topic(`territoire:${territoire.id}`)!.answer;
        for (const other of inSection.filter((p) => !own.includes(p)))
          expect(answer, `territoire:${territoire.id} cite ${other.name}`).not.toContain(other.name);
      }
    });
  },
);

describe('Règle : le coût n’est jamais présenté comme l’un des freins du guide', () => {
  const guideFreins = referential.data.freins.filter((f) => f.guideFrein);
  const budget = referential.frein('budget')!;

  it.runIf(seedsPresent)('le guide a six freins, chacun nommé comme dans le guide', () => {
    expect(guideFreins.map((f) => f.id)).toEqual([
      'temps',
      'connaissance',
      'transversal',
      'desaccords',
      'isolement',
      'mise-en-oeuvre',
    ]);
    for (const frein of guideFreins) expect(seed(guide), frein.id).toContain(flat(frein.label));
  });

  it('la question du coût dit qu’elle est hors des freins du guide, à l’étape des freins comme dans l’argumentaire', () => {
    expect(budget.guideFrein).toBe(false);
    expect(budget.label).toContain('hors des six freins du guide');
    expect(stepOptions(referential, 'frein').find((o) => o.value === 'budget')!.label).toBe(budget.label);
    expect(budget.description).toMatch(/^Le guide n'en fait pas un de ses six freins/);

    const arg = assistant.argumentaire({ situation: 'non-investis', frein: 'budget' });
    expect(arg.context).toContain(`Question : ${budget.label}`);
    expect(arg.context.join(' ')).not.toContain('Frein :');
    expect(arg.frein!.title).toBe(`Répondre à la question : ${budget.label.toLowerCase()}`);
    const card = JSON.stringify(argumentaireCard(arg));
    expect(card).not.toContain('Lever le frein : le coût');
    expect(card).not.toContain('Frein : Le coût');
    // a frein of the guide keeps its wording
    expect(assistant.argumentaire({ frein: 'temps' }).frein!.title).toBe('Lever le frein : manque de temps');
  });

  it('le README ne parle pas d’un septième frein', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    expect(readme).not.toMatch(/septième frein|sept freins|7 freins/i);
  });
});

describe('Règle : aucun texte montré ne dit plus que sa source', () => {
  const texts = shownTexts();

  it('l’élu ne « tranche » pas : il décide au final et aide à faire des choix de priorités et de budgets', () => {
    expect(texts.length).toBeGreaterThan(300);
    for (const [where, text] of texts) expect(text, where).not.toMatch(/\btranch/i);
    expect(referential.topic('portage')!.answer).toContain("c'est l'élu qui décidera au final");
  });

  it('le gain de 1,6 milliard d’euros de France Stratégie garde son périmètre (un tiers des personnes éloignées, dix ans)', () => {
    // a figure's value is shown with its text
    const withFigure = texts.filter(
      ([where, text]) => /1,6 milliard/.test(text) && !where.endsWith('.value'),
    );
    expect(withFigure.map(([where]) => where)).toEqual(
      expect.arrayContaining([
        'topics[' + referential.topics.findIndex((t) => t.id === 'chiffres') + '].answer',
      ]),
    );
    for (const [where, text] of withFigure) {
      expect(text, where).toMatch(/tiers/);
      expect(text, where).toMatch(/dix ans/);
    }
  });

  it('« premiers interlocuteurs » se dit des élus en général, en ruralité notamment', () => {
    const sentences = texts.flatMap(([where, text]) =>
      text
        .split(/(?<=[.!?])\s+/)
        .filter((s) => s.includes('premiers interlocuteurs'))
        .map((s): [string, string] => [where, s]),
    );
    expect(sentences.length).toBeGreaterThan(0);
    for (const [where, sentence] of sentences) {
      expect(sentence, where).toContain('en ruralité notamment, les élus sont les premiers interlocuteurs');
      expect(sentence, where).not.toMatch(/municip/);
    }
  });

  it('le « volet social » est celui de la stratégie du SICOVAL, pas de la loi REEN', () => {
    const withVolet = texts.filter(([, text]) => text.includes('volet social'));
    expect(withVolet.length).toBeGreaterThan(0);
    for (const [where, text] of withVolet) expect(text, where).toContain('SICOVAL');
  });

  it('aucun argument inventé : « rassembler au-delà des sensibilités » n’est pas dans le guide', () => {
    for (const [where, text] of texts) expect(text, where).not.toContain('au-delà des sensibilités');
  });
});

describe('Règle : la source d’une réponse nomme le document d’où vient ce qu’elle dit', () => {
  const g1 = guide;
  const g3 = 'seeds/003_0e3df1dc2f8b198e.txt';
  const g4 = 'seeds/004_1ede41c133bd73f1.txt';

  it('le rôle de l’État : la co-signature des feuilles de route vient de France Numérique Ensemble (003)', () => {
    const answer = assistant.answer('echelon:etat')!;
    expect(answer.text).toContain('co-signées');
    expect(answer.source).toContain(documentLabel(g3));
    expect(answer.source).toContain(documentLabel(g1));
  });

  it('NEC : la définition vient du rapport de l’ANCT (004), le conseil des NEC locaux du guide (001)', () => {
    const nec = referential.data.glossary.find((g) => g.term === 'NEC')!;
    expect(nec.document).toBe(g4);
    expect(nec.definition).not.toContain('guide');
    const answer = assistant.answer('glossaire:NEC')!;
    expect(answer.text).toContain('Le guide conseille');
    expect(answer.source).toContain(documentLabel(g4));
    expect(answer.source).toContain(documentLabel(g1));
  });

  it('CRA : la saisie dans l’espace Coop vient du rapport de l’ANCT (004)', () => {
    const cra = referential.data.glossary.find((g) => g.term === 'CRA')!;
    expect(cra.document).toBe(g1);
    expect(cra.definition).not.toContain('Coop');
    const answer = assistant.answer('glossaire:CRA')!;
    expect(answer.text).toContain('Coop');
    expect(answer.source).toContain(documentLabel(g4));
  });

  it('une réponse qui cite France Numérique Ensemble pour la co-signature ou les fonds nomme 003', () => {
    for (const topic of referential.topics) {
      if (!/co-sign/.test(topic.answer)) continue;
      expect(assistant.answer(topic.id)!.source, topic.id).toContain(documentLabel(g3));
    }
  });

  it.runIf(seedsPresent)('les documents cités par les réponses existent dans les sources', () => {
    for (const topic of referential.topics)
      for (const document of topic.sources ?? [])
        expect(seed(document).length, topic.id).toBeGreaterThan(1000);
  });
});
