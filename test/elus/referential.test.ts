import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { loadElusReferential } from '../../src/domain/elus/load.js';
import type { elusSchema } from '../../src/domain/elus/schema.js';
import { ReferentialError, loadReferentials } from '../../src/domain/referential/load.js';
import { referentialDir } from '../../src/paths.js';
import { assistant, referential, sameText } from './helpers.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of referential/ where elus.json has been edited by `edit`. */
type ElusJson = z.input<typeof elusSchema>;

function editedReferential(edit: (json: ElusJson) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'elus-'));
  dirs.push(dir);
  cpSync(referentialDir, dir, { recursive: true });
  const json = JSON.parse(readFileSync(join(dir, 'elus.json'), 'utf8')) as ElusJson;
  edit(json);
  writeFileSync(join(dir, 'elus.json'), JSON.stringify(json));
  return dir;
}

function loadError(dir: string): ReferentialError {
  try {
    loadElusReferential(dir);
  } catch (err) {
    if (err instanceof ReferentialError) return err;
    throw err;
  }
  throw new Error('elus.json was accepted');
}

describe('Règle : referential/elus.json est validé au démarrage', () => {
  it('le fichier du projet est valide et complet', () => {
    const data = referential.data;
    expect(data.situations.map((s) => s.id)).toEqual(['aucun-lien', 'non-investis', 'convaincus']);
    expect(data.freins.length).toBeGreaterThanOrEqual(6);
    expect(data.territoires.map((t) => t.id)).toEqual(['rural', 'qpv', 'environnement', 'donnees']);
    expect(data.echelons.map((e) => e.id)).toEqual([
      'commune',
      'intercommunalite',
      'departement',
      'region',
      'etat',
    ]);
    expect(data.topics.length).toBeGreaterThanOrEqual(30);
    for (const topic of data.topics) expect(topic.paraphrases.length, topic.id).toBeGreaterThanOrEqual(5);
  });

  it('les dispositifs nationaux ont chacun leur sujet, avec 15 à 25 façons de poser la question', () => {
    const ids = [
      'conseillers-numeriques',
      'aidants-connect',
      'pass-numerique',
      'hubs',
      'ctin',
      'la-base',
      'abc-diag-pix',
    ];
    expect(referential.data.dispositifs.map((d) => d.id)).toEqual(ids);
    for (const id of ids) {
      const topic = referential.topic(`dispositif:${id}`)!;
      expect(topic, id).toBeDefined();
      expect(topic.kind).toBe('dispositif');
      expect(topic.ref).toBe(`dispositifs.${id}`);
      expect(topic.paraphrases.length, id).toBeGreaterThanOrEqual(15);
      expect(topic.paraphrases.length, id).toBeLessThanOrEqual(25);
    }
  });

  it('les questions que le guide traite en passant ont leur sujet, avec 15 à 25 façons de les poser', () => {
    const ids = [
      'competence',
      'pas-notre-role',
      'reseaux-elus',
      'motivation-elu',
      'territoire:montagne',
      'territoire:outre-mer',
      'presenter-instance',
      'note-dgs',
      'indicateurs',
    ];
    for (const id of ids) {
      const topic = referential.topic(id)!;
      expect(topic, id).toBeDefined();
      expect(topic.ref, id).toMatch(/^fiches\./);
      expect(topic.paraphrases.length, id).toBeGreaterThanOrEqual(15);
      expect(topic.paraphrases.length, id).toBeLessThanOrEqual(25);
    }
    // the montagne and outre-mer topics are answers, not options of the guided path's territoire step
    expect(assistant.answer('territoire:montagne')!.prefill).toEqual({});
    expect(assistant.answer('territoire:outre-mer')!.text).toContain('métropolitain et ultramarin');
    expect(assistant.answer('territoire:montagne')!.text).toContain('Association des élus de la montagne');
    expect(assistant.answer('reseaux-elus')!.details[0]).toContain('Association des élus de la montagne');
    expect(referential.data.topics.length).toBe(38 + 7 + ids.length);
  });

  it('« ville verte » et « numérique polluant » mènent à la transition écologique', () => {
    const paraphrases = referential.topic('territoire:environnement')!.paraphrases.join(' ');
    expect(paraphrases).toContain('ville verte');
    expect(paraphrases).toMatch(/pollu/);
  });

  it('une même formulation n’apprend jamais deux sujets différents', () => {
    const owner = new Map<string, string>();
    for (const topic of referential.topics)
      for (const p of topic.paraphrases) {
        const key = sameText(p);
        expect(owner.get(key) ?? topic.id, `« ${p} »`).toBe(topic.id);
        owner.set(key, topic.id);
      }
  });

  it('chaque sujet montre des détails et nomme les documents d’où viennent ses points', () => {
    for (const topic of referential.topics) {
      const answer = assistant.answer(topic.id)!;
      expect(answer.details.length, topic.id).toBeGreaterThan(0);
      expect(answer.source, topic.id).toMatch(/^Sources? : .{15,}\.$/);
    }
    const pass = assistant.answer('dispositif:pass-numerique')!;
    expect(pass.text).toContain("l'État co-finance jusqu'à 50 %");
    expect(pass.source).toContain("ANCT, Programme Société Numérique, rapport d'activité 2017-2022");
    expect(pass.source).toContain('critères et indicateurs');
    expect(pass.details.at(-1)).toMatch(/^Le rapport de l'ANCT s'arrête en 2022/);
    expect(pass.prefill).toEqual({});
  });

  it('une mauvaise modification nomme le fichier, le chemin dans le JSON et le problème', () => {
    const missing = loadError(
      editedReferential((json) => Reflect.deleteProperty(json.figures[0]!, 'source')),
    );
    expect(missing.message).toContain('elus.json');
    expect(missing.problems.map((p) => p.path)).toContain('figures[0].source');

    const unknownProject = loadError(
      editedReferential((json) => (json.territoires[1]!.examples[0] = 'atlantide')),
    );
    expect(unknownProject.problems).toContainEqual({
      path: 'territoires[1].examples[0]',
      message: 'projet inconnu : « atlantide »',
    });

    const unknownTag = loadError(editedReferential((json) => json.figures[2]!.topics!.push('frein:paresse')));
    expect(unknownTag.problems[0]!.path).toBe('figures[2].topics[4]');
    expect(unknownTag.problems[0]!.message).toContain('frein:paresse');

    const badRef = loadError(editedReferential((json) => (json.topics[0]!.ref = 'freins.inexistant')));
    expect(badRef.problems).toContainEqual({
      path: 'topics[0].ref',
      message: 'référence introuvable : « freins.inexistant »',
    });

    const notJson = editedReferential(() => undefined);
    writeFileSync(join(notJson, 'elus.json'), '{ "source": ');
    expect(loadError(notJson).message).toMatch(/JSON invalide/);
  });

  it('chaque lien du diagnostic vise un enjeu ou un prérequis du référentiel de maturité', () => {
    const { maturity } = loadReferentials(referentialDir);
    for (const link of referential.data.diagnostic) {
      const known = /^E\dP\d$/.test(link.for) ? maturity.prerequis(link.for) : maturity.enjeu(link.for);
      expect(known, link.for).toBeDefined();
    }
    expect(referential.data.diagnostic.map((l) => l.for)).toEqual(expect.arrayContaining(['E1', 'E2P2']));
  });
});
