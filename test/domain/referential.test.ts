import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadReferentials, ReferentialError } from '../../src/domain/referential/load.js';
import { projectRoot, referentialDir } from '../../src/paths.js';

const { maturity, roadmap } = loadReferentials(referentialDir);
const seedsDir = join(projectRoot, '..', 'shared', 'seeds');
const flat = (s: string) =>
  s
    .normalize('NFC')
    .replace(/[*_>\\]/g, '')
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, ' ')
    .toLowerCase();

describe('Règle : le référentiel de maturité reprend le document de La Mednum', () => {
  it('4 enjeux, 13 prérequis, indicateurs numérotés de 1 à 68 répartis 5,4,5 · 6,4,7 · 4,5,7 · 6,5,5,5', () => {
    expect(maturity.enjeux).toHaveLength(4);
    expect(maturity.prerequisCount).toBe(13);
    expect(maturity.indicators.map((r) => r.indicateur.number)).toEqual(
      Array.from({ length: 68 }, (_, i) => i + 1),
    );
    expect(maturity.enjeux.map((e) => e.prerequis.map((p) => p.indicators.length))).toEqual([
      [5, 4, 5],
      [6, 4, 7],
      [4, 5, 7],
      [6, 5, 5, 5],
    ]);
  });

  it('chaque prérequis a des pistes, un indicateur clé qui lui appartient et une question simple', () => {
    for (const enjeu of maturity.enjeux) {
      for (const p of enjeu.prerequis) {
        expect(p.pistes.length, p.id).toBeGreaterThan(0);
        expect(
          p.indicators.map((i) => i.number),
          p.id,
        ).toContain(p.keyIndicator);
        expect(p.quickQuestion.endsWith('?'), p.id).toBe(true);
      }
    }
    expect(maturity.keyIndicators).toHaveLength(13);
  });

  it('les quantités demandées par le document sont présentes, chacune avec un libellé et une unité', () => {
    const withQuantities = maturity.indicators
      .filter((r) => r.indicateur.quantities.length > 0)
      .map((r) => r.indicateur.number);
    for (const n of [21, 22, 23, 35, 37, 38, 40, 41, 42, 43, 54, 58, 59, 60, 61, 63, 64, 65, 66, 67, 68]) {
      expect(withQuantities).toContain(n);
    }
    expect(maturity.indicator(22)!.indicateur.quantities.map((q) => q.unit)).toEqual(['EUR', 'EUR']);
  });

  it('les textes continués sur un second paragraphe sont gardés (indicateur 11 : « Ou le département… »)', () => {
    expect(maturity.indicator(11)!.indicateur.details).toMatch(/^Ou le département s'est engagé/);
    expect(maturity.indicator(7)!.indicateur.details).toMatch(/^Par exemple/);
  });

  it('source, auteurs, date et licence CC BY-SA 4.0 figurent dans le fichier', () => {
    expect(maturity.data.license).toBe('CC BY-SA 4.0');
    expect(maturity.data.source.publisher).toBe('La Mednum');
    expect(maturity.data.source.date).toBe('2023-12');
  });

  it.runIf(existsSync(seedsDir))('le texte de chaque indicateur se retrouve dans le document source', () => {
    const seed = flat(readFileSync(join(seedsDir, '000_4728c2f25bb6cdb8.txt'), 'utf8'));
    const missing = maturity.indicators
      .map((r) => r.indicateur)
      .filter((i) => !seed.includes(flat(i.text).slice(0, 60)))
      .map((i) => i.number);
    // Extraction typos fixed in the referential: 16 "Un ou plusieurs d'ETP", 41 "plusieurs;".
    expect(missing).toEqual([16, 41]);
    for (const enjeu of maturity.enjeux)
      for (const p of enjeu.prerequis)
        for (const piste of p.pistes) for (const ex of piste.examples) expect(seed, ex).toContain(flat(ex));
  });

  it.runIf(existsSync(seedsDir))(
    "l'introduction de l'enjeu 4 est celle du document, mot pour mot (les enjeux 1 à 3 n'en ont pas)",
    () => {
      const seed = flat(readFileSync(join(seedsDir, '000_4728c2f25bb6cdb8.txt'), 'utf8'));
      const intro = maturity.enjeu('E4')!.intro!;
      expect(intro).toMatch(/^Les politiques publiques d'inclusion numérique se sont construites/);
      expect(seed).toContain(flat(intro));
      expect(maturity.enjeux.filter((e) => e.intro).map((e) => e.id)).toEqual(['E4']);
    },
  );

  it.runIf(existsSync(seedsDir))(
    "chaque « coup d'œil » d'un prérequis est dans le « Coup d'oeil sur… » de ce prérequis dans le document",
    () => {
      const seed = flat(readFileSync(join(seedsDir, '000_4728c2f25bb6cdb8.txt'), 'utf8'));
      for (const enjeu of maturity.enjeux) {
        for (const p of enjeu.prerequis) {
          const start = seed.indexOf(flat(p.title).slice(0, 30));
          expect(start, p.id).toBeGreaterThan(0);
          const section = seed.slice(start, seed.indexOf('les indicateurs associés', start));
          const glance = section.indexOf("coup d'oeil sur");
          if (p.resources.length > 0) expect(glance, p.id).toBeGreaterThan(0);
          for (const r of p.resources)
            expect(section.slice(glance), `${p.id} : ${r.title}`).toContain(flat(r.title));
        }
      }
      // the Indice de fragilité numérique is a link inside a piste of 2.3, not a « coup d'œil »
      expect(maturity.prerequis('E2P3')!.prerequis.resources).toEqual([]);
    },
  );

  it('la question du diagnostic rapide reprend tout son indicateur clé, sans le supposer acquis', () => {
    /** What each key indicator asks, that its plain-language question must ask too. */
    const asked: Record<string, RegExp[]> = {
      E1P1: [/feuille de route/, /connue/],
      E1P2: [/a-t-elle une stratégie numérique globale/, /fiches actions/, /numérique d'intérêt général/],
      E1P3: [/document/, /connu/, /autres collectivités/],
      E2P1: [/temps plein/],
      E2P2: [/budget dédié/, /document budgétaire/],
      E2P3: [/enquête/, /besoins du territoire/],
      E3P1: [/régulièrement/, /acteurs locaux/],
      E3P2: [/régulièrement/, /Hub/],
      E3P3: [/autres collectivités/, /actions concrètes/],
      E4P1: [/reconditionné/],
      E4P2: [/accompagnement/, /ateliers/],
      E4P3: [/dispositif Conseillers numériques/, /recruter/, /connaît-elle les services/],
      E4P4: [/agents d'accueil/, /travailleurs sociaux/, /médiation numérique/],
    };
    for (const enjeu of maturity.enjeux)
      for (const p of enjeu.prerequis)
        for (const part of asked[p.id] ?? [/^$/]) expect(p.quickQuestion, p.id).toMatch(part);
    expect(maturity.indicator(59)!.indicateur.text).toContain('Elle a connaissance des services proposés');
    expect(maturity.indicator(7)!.indicateur.text).toContain('fiches actions');
  });

  it('la méthode de feuille de route a 7 étapes et dit par où commencer à chaque niveau', () => {
    expect(roadmap.steps.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(Object.keys(roadmap.byLevel)).toEqual(['Émergence', 'Structuration', 'Consolidation', 'Maturité']);
  });
});

describe('Règle : une modification cassée du référentiel arrête le démarrage avec un message précis', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- hand-made corruptions of arbitrary JSON
  type Json = any;
  function corruptedCopy(edit: (json: Json) => void, file = 'maturity.json') {
    const dir = mkdtempSync(join(tmpdir(), 'ref-'));
    cpSync(referentialDir, dir, { recursive: true });
    const json = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    edit(json);
    writeFileSync(join(dir, file), JSON.stringify(json));
    return dir;
  }

  it("un numéro d'indicateur en double est signalé avec le fichier et le chemin JSON", () => {
    const dir = corruptedCopy((json) => {
      json.enjeux[1].prerequis[0].indicators[2].number = 16;
    });
    try {
      loadReferentials(dir);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ReferentialError);
      const message = (err as Error).message;
      expect(message).toContain(join(dir, 'maturity.json'));
      expect(message).toContain('enjeux[1].prerequis[0].indicators[2].number');
    }
  });

  it('un indicateur clé hors de son prérequis, une piste manquante, du JSON invalide sont refusés', () => {
    const wrongKey = corruptedCopy((json) => (json.enjeux[0].prerequis[0].keyIndicator = 40));
    expect(() => loadReferentials(wrongKey)).toThrow(/enjeux\[0\]\.prerequis\[0\]\.keyIndicator/);
    const noPiste = corruptedCopy((json) => (json.enjeux[2].prerequis[1].pistes = []));
    expect(() => loadReferentials(noPiste)).toThrow(/enjeux\[2\]\.prerequis\[1\]\.pistes/);
    const dir = mkdtempSync(join(tmpdir(), 'ref-'));
    cpSync(referentialDir, dir, { recursive: true });
    writeFileSync(join(dir, 'roadmap.json'), '{ "steps": [ ');
    expect(() => loadReferentials(dir)).toThrow(/roadmap\.json[\s\S]*JSON invalide/);
  });
});
