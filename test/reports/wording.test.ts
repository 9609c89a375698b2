import { extractText, getDocumentProxy } from 'unpdf';
import { beforeAll, describe, expect, it } from 'vitest';
import { answersOf } from '../../src/domain/assessment/assessment.js';
import { ElusAssistant } from '../../src/domain/elus/assistant.js';
import { loadElusReferential } from '../../src/domain/elus/load.js';
import type { Diagnostic } from '../../src/domain/records/diagnostic.js';
import type { AnswerValue } from '../../src/domain/scoring/answers.js';
import { computeMaturity } from '../../src/domain/scoring/scoring.js';
import { referentialDir } from '../../src/paths.js';
import { renderAnswersCsv } from '../../src/reports/csv.js';
import { datedFigureSource, elusArgumentsFor } from '../../src/reports/elusArguments.js';
import { renderReportHtml } from '../../src/reports/html.js';
import { renderReportPdf } from '../../src/reports/pdf.js';
import { buildReportData, type ReportData } from '../../src/reports/reportModel.js';
import { createCollectivite, referentials, setup } from './fixtures.js';

const elus = loadElusReferential(referentialDir);
const assistant = ElusAssistant.load(referentialDir);

const longName =
  'Communauté d’agglomération des coteaux du Lauragais, de la vallée de la Garonne et de la montagne Noire réunies';

/**
 * A full diagnostic as people leave it: indicators 1–23 answered (5 with « je ne sais pas »), 24 and 25 skipped,
 * the three « Nombre de conventions signées » (35 local actors, 38 the Hub, 40 the ANCT) declared, the rest never
 * reached, then finished.
 */
async function leftHalfWay(name = 'Communauté de communes Cœur de Savoie') {
  const { service } = setup();
  const collectivite = await createCollectivite(service, 'teams-user-aad-0001', name);
  let diagnostic: Diagnostic = await service.startDiagnostic(
    'teams-user-aad-0001',
    { kind: 'full' },
    collectivite.id,
  );
  const cycle: AnswerValue[] = ['oui', 'en_partie', 'non', 'oui'];
  for (let n = 1; n <= 23; n++) {
    await service.answer(diagnostic.id, 'teams-user-aad-0001', n, n === 5 ? 'nsp' : cycle[n % 4]!);
  }
  await service.skip(diagnostic.id, 'teams-user-aad-0001', 24);
  await service.skip(diagnostic.id, 'teams-user-aad-0001', 25);
  await service.answer(diagnostic.id, 'teams-user-aad-0001', 35, 'oui', { q35_conventions_signees: 4 });
  await service.answer(diagnostic.id, 'teams-user-aad-0001', 38, 'oui', { q38_conventions_hub: 1 });
  await service.answer(diagnostic.id, 'teams-user-aad-0001', 40, 'en_partie', { q40_conventions_anct: 2 });
  diagnostic = await service.finish(diagnostic.id);
  const result = computeMaturity(referentials.maturity, diagnostic.scope, answersOf(diagnostic));
  const base = buildReportData(referentials, diagnostic, collectivite, result);
  const report: ReportData = { ...base, arguments: elusArgumentsFor(assistant)(base, result, collectivite) };
  return { diagnostic, report };
}

const jsdomName = 'jsdom';
const { JSDOM } = (await import(jsdomName)) as {
  JSDOM: new (html: string) => { window: { document: Document } };
};
/** The page's text, with a space between elements (table cells, list items) as a reader hears them. */
const htmlText = (html: string): string =>
  new JSDOM(html.replace(/></g, '> <')).window.document.body.textContent!.replace(/[\s\u00a0]+/g, ' ');

async function pdfPages(pdf: Buffer): Promise<string[]> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: false });
  return text.map((page) => page.replace(/[\s\u00a0]+/g, ' '));
}

let report: ReportData;
let diagnostic: Diagnostic;
let html: string;
let pdf: string;
let pages: string[];

beforeAll(async () => {
  ({ report, diagnostic } = await leftHalfWay());
  html = htmlText(renderReportHtml(report));
  pages = await pdfPages(await renderReportPdf(report));
  pdf = pages.join(' ');
});

describe('les comptes du rapport', () => {
  it('disent combien de réponses sont connues, et que les « je ne sais pas » sont mis de côté', () => {
    // 26 answers recorded (what « pause » says), 1 of them « je ne sais pas »: 25 known, 42 without an answer
    expect(report.progress.answered).toBe(26);
    const sentence = '25 réponses connues sur 68 (1 « je ne sais pas » mise de côté, 42 sans réponse)';
    expect(html).toContain(`Le score repose sur ${sentence}.`);
    expect(pdf).toContain(`Le score repose sur ${sentence}.`);
  });

  it('dit ce qui manque à un diagnostic pas terminé avec les mêmes nombres que « pause »', async () => {
    const unfinished = { ...report, finished: false };
    const expected = 'Ce diagnostic n’est pas terminé : 26 réponses sur 68, dont 1 « je ne sais pas ».';
    expect(htmlText(renderReportHtml(unfinished))).toContain(expected);
    expect((await pdfPages(await renderReportPdf(unfinished))).join(' ')).toContain(expected);
  });
});

describe('les indicateurs sans réponse', () => {
  it('apparaissent dans le HTML et le PDF comme « sans réponse », les questions passées dites comme telles', () => {
    expect(report.unanswered).toHaveLength(42);
    const skipped = referentials.maturity.indicator(24)!.indicateur.text;
    const neverAsked = referentials.maturity.indicator(68)!.indicateur.text;
    for (const text of [html, pdf]) {
      expect(text).toContain(`Indicateur 24 : sans réponse (question passée) — ${skipped}`);
      expect(text).toContain(`Indicateur 68 : sans réponse — ${neverAsked}`);
      expect(text).not.toContain('Indicateur 23 : sans réponse');
    }
  });

  it('sont « Sans réponse » dans le CSV, les questions passées aussi', () => {
    const rows = renderAnswersCsv(referentials, diagnostic).split('\r\n');
    const row = (n: number) => rows.find((r) => r.startsWith(`${n};`))!.split(';');
    expect(row(24)[4]).toBe('Sans réponse (question passée)');
    expect(row(26)[4]).toBe('Sans réponse');
    expect(row(5)[4]).toBe('Je ne sais pas');
  });
});

describe('les chiffres déclarés', () => {
  it('disent à quel indicateur, donc à quel partenaire, chacun appartient', () => {
    const nombre = 'Nombre de conventions signées';
    for (const text of [html, pdf]) {
      for (const [n, value] of [
        [35, 4],
        [38, 1],
        [40, 2],
      ] as const) {
        const indicator = referentials.maturity.indicator(n)!.indicateur.text;
        expect(text).toContain(`Indicateur ${n} — ${indicator} ${nombre} ${value}`);
      }
      expect(text).toContain('entre la collectivité et le Hub');
      expect(text).toContain("entre la collectivité et l'ANCT");
    }
  });

  it('portent la date où ils ont été déclarés', () => {
    for (const text of [html, pdf])
      expect(text).toContain('Montants et nombres déclarés le 12 mars 2024, par indicateur (non notés)');
  });
});

describe('les titres et les sources', () => {
  it('ne collent jamais un score au point final d’un titre de prérequis', () => {
    for (const text of [html, pdf]) {
      // 3.1 ends with « …et leurs représentants. » in the seed, and scores 100 % here
      expect(text).toContain('opérateurs téléphoniques...) et leurs représentants — 100 %');
      expect(text).not.toMatch(/\.\s*[:—]\s*\d+\s*%/);
    }
  });

  it('ne disent jamais « Source : Source : », et citent le guide des élus', () => {
    expect(report.arguments!.length).toBeGreaterThan(1);
    for (const text of [html, pdf]) {
      expect(text).not.toMatch(/Source\s*:\s*Source/i);
      expect(text).toContain(
        'Source : Guide pratique Conseillers numériques « Mobiliser les élus de son territoire »',
      );
    }
  });

  it('datent chaque chiffre clé : son année, ou la date du document qui le cite', () => {
    for (const figure of elus.data.figures)
      expect(datedFigureSource(elus, figure)).toMatch(/\b(19|20)\d{2}\b/);
    const creoc = elus.data.figures.find((f) => f.id === 'adultes-eloignes')!;
    expect(creoc.year).toBeNull();
    expect(datedFigureSource(elus, creoc)).toBe(
      "Enquête CREDOC / CREAC commandée par l'ANCT, d’après « France Numérique Ensemble : zoom sur les orientations nationales » (2023)",
    );
    const figures = report.arguments!.filter((a) => elus.data.figures.some((f) => f.value === a.title));
    expect(figures.length).toBeGreaterThan(0);
    for (const figure of figures) {
      expect(figure.source).toMatch(/\b(19|20)\d{2}\b/);
      for (const text of [html, pdf]) expect(text).toContain(`Source : ${figure.source}`);
    }
  });
});

describe('le pied de page du PDF', () => {
  it('porte la licence en entier sur chaque page, même avec un nom de collectivité très long', async () => {
    const long = await leftHalfWay(longName);
    const longPages = await pdfPages(await renderReportPdf(long.report));
    for (const [i, page] of longPages.entries()) {
      expect(page).toContain('Référentiel : La Mednum (décembre 2023), licence CC BY-SA 4.0');
      expect(page).toContain(`Page ${i + 1} / ${longPages.length}`);
    }
    for (const page of pages) expect(page).toContain('Communauté de communes Cœur de Savoie — 12 mars 2024');
  });
});
