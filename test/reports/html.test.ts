import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderErrorHtml, renderReportHtml, reportCsp } from '../../src/reports/html.js';
import { buildReportData } from '../../src/reports/reportModel.js';
import { answeredDiagnostic, createCollectivite, referentials, setup } from './fixtures.js';

async function report(name = 'Communauté de communes Cœur de Savoie') {
  const { service } = setup();
  const collectivite = await createCollectivite(service, 'teams-user-aad-0001', name);
  const diagnostic = await answeredDiagnostic(service, {
    collectiviteId: collectivite.id,
    quantities: { 22: { q22_budget_fonctionnement: 45000 } },
  });
  return buildReportData(referentials, diagnostic, collectivite);
}

// jsdom ships no types here: load it by name and type the little we use.
const jsdomName = 'jsdom';
const { JSDOM } = (await import(jsdomName)) as {
  JSDOM: new (html: string) => { window: { document: Document } };
};
const parse = (html: string): Document => new JSDOM(html).window.document;

describe('le rapport HTML', () => {
  it('est une page française complète et imprimable qui porte le niveau', async () => {
    const html = renderReportHtml(await report(), { links: { pdf: '/rapports/x/rapport.pdf' } });
    const doc = parse(html);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(doc.documentElement.lang).toBe('fr');
    expect(doc.title).toContain('Cœur de Savoie');
    expect(doc.querySelector('header h1')?.textContent).toBe('Communauté de communes Cœur de Savoie');
    expect(doc.querySelector('main')).not.toBeNull();
    expect(doc.querySelector('footer')?.textContent).toContain('CC BY-SA 4.0');
    expect(doc.querySelector('.niveau')?.textContent).toBe('Consolidation');
    expect(doc.querySelector('main')?.textContent).toContain('estimation');
    expect(html).toContain('@media print');
    expect(doc.querySelector('figure svg[role="img"] title')?.textContent).toContain('Consolidation');
    expect(doc.querySelector('a[href="/rapports/x/rapport.pdf"]')?.textContent).toContain('PDF');
    expect(doc.querySelector('main')?.textContent).toContain('45\u00a0000\u00a0€');
  });

  it('a des tableaux accessibles : légende et en-têtes avec scope', async () => {
    const doc = parse(renderReportHtml(await report()));
    const tables = Array.from(doc.querySelectorAll('table'));
    expect(tables.length).toBeGreaterThanOrEqual(2);
    for (const table of tables) {
      expect(table.querySelector('caption')?.textContent?.length).toBeGreaterThan(0);
      for (const th of Array.from(table.querySelectorAll('th')))
        expect(['col', 'row', 'rowgroup']).toContain(th.getAttribute('scope'));
    }
    const rows = Array.from(tables[1]!.querySelectorAll('tbody tr'));
    expect(rows).toHaveLength(13);
    expect(rows[0]!.textContent).toContain('100\u00a0%');
  });

  it('échappe tout ce qui vient des utilisateurs : <script> reste du texte', async () => {
    const name = '<script>alert(1)</script> & "Cie"';
    const html = renderReportHtml(await report(name));
    expect(html).not.toContain('<script>');
    const doc = parse(html);
    expect(doc.querySelectorAll('script')).toHaveLength(0);
    expect(doc.querySelector('h1')?.textContent).toBe(name);
    expect(doc.querySelector('svg title')?.textContent).toContain(name);
  });

  it('n’autorise aucun script et seulement sa propre feuille de style (CSP par empreinte)', async () => {
    const doc = parse(renderReportHtml(await report()));
    const css = doc.querySelector('style')!.textContent!;
    const hash = createHash('sha256').update(css).digest('base64');
    expect(reportCsp).toContain(`style-src 'sha256-${hash}'`);
    expect(reportCsp).toContain("default-src 'none'");
    expect(doc.querySelectorAll('[style]')).toHaveLength(0);
  });

  it('affiche les arguments pour les élus quand il y en a', async () => {
    const data = {
      ...(await report()),
      arguments: [
        {
          title: 'L’accès aux droits',
          text: 'Sans accompagnement, des droits ne sont pas demandés.',
          source: 'Défenseur des droits, 2022',
        },
      ],
    };
    const doc = parse(renderReportHtml(data));
    expect(doc.querySelector('#arguments')?.textContent).toBe('Arguments pour vos élus');
    expect(doc.querySelector('main')?.textContent).toContain('Défenseur des droits, 2022');
  });

  it('porte le grand graphique et celui pour téléphone, sans identifiant en double', async () => {
    const doc = parse(renderReportHtml(await report()));
    expect(doc.querySelector('.graphique-large svg')?.getAttribute('viewBox')).toBe('0 0 1280 880');
    expect(doc.querySelector('.graphique-etroit svg')?.getAttribute('viewBox')).toMatch(/^0 0 340 \d+$/);
    const ids = Array.from(doc.querySelectorAll('[id]')).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const svg of Array.from(doc.querySelectorAll('figure svg')))
      for (const id of svg.getAttribute('aria-labelledby')!.split(' '))
        expect(svg.querySelector(`#${id}`)).not.toBeNull();
  });

  it('a une page d’erreur en français', () => {
    const doc = parse(renderErrorHtml('Rapport introuvable', 'Ce lien ne correspond à aucun rapport.'));
    expect(doc.documentElement.lang).toBe('fr');
    expect(doc.querySelector('h1')?.textContent).toBe('Rapport introuvable');
  });
});
