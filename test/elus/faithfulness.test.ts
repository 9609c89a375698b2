import { describe, expect, it } from 'vitest';
import { datedFigureSource } from '../../src/domain/elus/argumentaire.js';
import { referential, seedsDir, seedsPresent } from './helpers.js';
import { flat, seed, wordsFound } from './seeds.js';

if (!seedsPresent) {
  console.warn(`Fidélité aux sources non vérifiée : dossier des sources absent (${seedsDir}).`);
}

describe.skipIf(!seedsPresent)('Règle : rien dans une réponse qui ne soit dans les sources', () => {
  it('chaque exemple de projet cite un extrait présent dans sa source, avec son nom et son lieu', () => {
    for (const project of referential.data.projects) {
      expect(seed(project.document).includes(flat(project.excerpt)), project.id).toBe(true);
      expect(seed(project.document).includes(flat(project.name)), project.id).toBe(true);
      expect(wordsFound(project.text, project.document), project.id).toBeGreaterThan(0.8);
    }
  });

  it('chaque chiffre clé a sa source, son extrait et sa valeur dans le document cité', () => {
    for (const figure of referential.data.figures) {
      expect(figure.source.length, figure.id).toBeGreaterThan(5);
      expect(seed(figure.document).includes(flat(figure.excerpt)), figure.id).toBe(true);
      expect(seed(figure.document).includes(flat(figure.value)), figure.id).toBe(true);
      if (figure.year !== null)
        expect(seed(figure.document).includes(String(figure.year)), figure.id).toBe(true);
    }
  });

  it('chaque année montrée avec un chiffre clé figure dans le document qui le cite', () => {
    for (const figure of referential.data.figures) {
      const years = datedFigureSource(referential, figure).match(/\b(19|20)\d{2}\b/g) ?? [];
      expect(years.length, figure.id).toBeGreaterThan(0);
      for (const year of years)
        expect(seed(figure.document).includes(year), `${figure.id} : ${year}`).toBe(true);
    }
  });

  it('chaque citation a son auteur et un extrait présent mot pour mot dans sa source', () => {
    for (const verbatim of referential.data.verbatims) {
      expect(seed(verbatim.document).includes(flat(verbatim.excerpt)), verbatim.id).toBe(true);
      expect(seed(verbatim.document).includes(flat(verbatim.author)), verbatim.id).toBe(true);
      expect(wordsFound(verbatim.text, verbatim.document), verbatim.id).toBeGreaterThan(0.9);
    }
  });

  it('chaque point d’un dispositif ou d’une fiche cite un extrait présent mot pour mot dans sa source, et en reprend les mots', () => {
    const points = [...referential.data.dispositifs, ...referential.data.fiches].flatMap((d) =>
      d.points.map((p) => ({ where: d.id, ...p })),
    );
    expect(points.length).toBeGreaterThanOrEqual(50);
    for (const point of points) {
      expect(seed(point.document).includes(flat(point.excerpt)), `${point.where} : ${point.excerpt}`).toBe(
        true,
      );
      expect(wordsFound(point.text, point.document), `${point.where} : ${point.text}`).toBeGreaterThan(0.75);
    }
  });

  it('chaque sigle du lexique et chaque source de financement figurent dans leur document', () => {
    for (const entry of referential.data.glossary)
      expect(seed(entry.document).includes(flat(entry.term)), entry.term).toBe(true);
    for (const source of referential.data.financement.sources) {
      expect(
        wordsFound(source.name, source.document ?? referential.data.source.document),
        source.name,
      ).toBeGreaterThan(0.7);
    }
  });

  it('les nombres des réponses libres, des arguments et de la version à copier viennent des sources', () => {
    const data = referential.data;
    const corpus = data.documents.map((d) => seed(d.document)).join(' ');
    const texts: [string, string][] = [
      ...referential.topics.map((t): [string, string] => [t.id, t.answer]),
      ...data.territoires.map((t): [string, string] => [
        `territoire ${t.id}`,
        `${t.angle} ${t.pitch} ${t.note ?? ''}`,
      ]),
      ...data.echelons.map((e): [string, string] => [`échelon ${e.id}`, `${e.angle} ${e.pitch}`]),
      ...data.freins.map((f): [string, string] => [
        `frein ${f.id}`,
        `${f.solution} ${f.actions.join(' ')} ${f.pitch}`,
      ]),
      ...data.situations.map((s): [string, string] => [`situation ${s.id}`, `${s.summary} ${s.ask}`]),
      ...data.diagnostic.map((d): [string, string] => [`diagnostic ${d.for}`, d.text]),
      ...[...data.dispositifs, ...data.fiches].flatMap((d): [string, string][] => [
        ...d.points.map((p): [string, string] => [d.id, p.text]),
        [d.id, d.notSaid ?? ''],
      ]),
    ];
    for (const [where, text] of texts) {
      for (const number of text.match(/\d[\d ,.]*\d|\d/g) ?? []) {
        expect(corpus.includes(flat(number)), `${where} : ${number}`).toBe(true);
      }
    }
  });
});
