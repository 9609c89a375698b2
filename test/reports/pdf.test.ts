import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { renderReportPdf } from '../../src/reports/pdf.js';
import { buildReportData } from '../../src/reports/reportModel.js';
import { answeredDiagnostic, createCollectivite, referentials, setup } from './fixtures.js';

async function pdfText(pdf: Buffer): Promise<{ pages: number; text: string }> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const { totalPages, text } = await extractText(doc, { mergePages: true });
  return { pages: totalPages, text: text.replace(/[\s\u00a0]+/g, ' ') };
}

describe('le rapport PDF', () => {
  it('porte le niveau, le nom, les scores et les accents, avec des numéros de page', async () => {
    const { service } = setup();
    const collectivite = await createCollectivite(service, 'teams-user-aad-0001');
    const diagnostic = await answeredDiagnostic(service, {
      collectiviteId: collectivite.id,
      quantities: { 22: { q22_budget_fonctionnement: 45000 } },
    });
    const report = buildReportData(referentials, diagnostic, collectivite, undefined, {
      arguments: [
        { title: 'Un argument', text: 'Le numérique est l’affaire de tous.', source: 'Guide des élus' },
      ],
    });
    const started = performance.now();
    const pdf = await renderReportPdf(report);
    const ms = performance.now() - started;
    console.log(`rapport PDF : ${pdf.length} octets en ${ms.toFixed(0)} ms`);

    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { pages, text } = await pdfText(pdf);
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain('Communauté de communes Cœur de Savoie');
    expect(text).toContain('Niveau de maturité Consolidation estimation (diagnostic rapide)');
    expect(text).toContain('61 %');
    expect(text).toContain('Enjeu 2 — Garantir une capacité opérationnelle solide 83 % Maturité');
    for (const word of [
      'Émergence',
      'Maturité',
      'prérequis',
      'œ',
      '’',
      '45 000 €',
      'Arguments pour vos élus',
    ]) {
      expect(text).toContain(word);
    }
    expect(text).toContain(`Page 1 / ${pages}`);
    expect(text).toContain(`Page ${pages} / ${pages}`);
    expect(text).toContain('La Mednum');
    expect(text).toContain('CC BY-SA 4.0');
    expect(text).not.toContain('teams-user-aad-0001');
  });
});

describe('le rapport PDF d’un diagnostic sans réponse connue', () => {
  it('se produit quand même et dit « non évalué »', async () => {
    const { service } = setup();
    const diagnostic = await answeredDiagnostic(service, { values: ['nsp'] });
    const { text } = await pdfText(await renderReportPdf(buildReportData(referentials, diagnostic)));
    expect(text).toContain('Niveau de maturité non évalué');
    expect(text).toContain('Diagnostic rapide');
  });
});
