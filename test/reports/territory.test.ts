import type { Server } from 'restify';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Collectivite } from '../../src/domain/collectivite/collectivite.js';
import type { Diagnostic } from '../../src/domain/records/diagnostic.js';
import { decoupage } from '../../src/domain/territory/decoupage.js';
import type { Territory } from '../../src/domain/territory/territory.js';
import { createLogger } from '../../src/log.js';
import { renderAnswersCsv, renderReportJson } from '../../src/reports/csv.js';
import { renderReportHtml } from '../../src/reports/html.js';
import { renderReportPdf } from '../../src/reports/pdf.js';
import { buildReportData, officialLine } from '../../src/reports/reportModel.js';
import { createHttpServer } from '../../src/server/http.js';
import { registerReportRoutes } from '../../src/server/reportRoutes.js';
import { answeredDiagnostic, referentials, setup } from './fixtures.js';

let tulle: Territory;
let collectivite: Collectivite;
let diagnostic: Diagnostic;
let server: Server;
let base: string;
const nbsp = '\u00a0';

beforeAll(async () => {
  // Tulle from the real découpage, stored on the collectivité as the set-up does
  tulle = (await decoupage()).get('commune', '19272')!;
  const fixture = setup();
  const { service } = fixture;
  const created = await service.createCollectivite('u1', { name: 'Tulle', type: 'commune', traits: [] });
  collectivite = await service.updateCollectivite(created.id, (c) => ({ ...c, official: tulle }));
  diagnostic = await answeredDiagnostic(service, { respondentId: 'u1', collectiviteId: collectivite.id });
  server = createHttpServer(createLogger('silent'));
  registerReportRoutes(server, { service, referentials, logger: createLogger('silent') });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${server.address().port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('Règle : le rapport d’une collectivité reconnue porte son code officiel et sa population', () => {
  it('l’en-tête HTML et PDF : code INSEE, population, département, région, intercommunalité', async () => {
    const report = buildReportData(referentials, diagnostic, collectivite);
    const population = tulle.population!.toLocaleString('fr-FR').replace(/\s/g, nbsp);
    const line = officialLine(report)!;
    expect(line).toBe(
      `Code INSEE 19272 · ${population}${nbsp}habitants (population municipale, INSEE) · Corrèze, Nouvelle-Aquitaine · Intercommunalité : CA Tulle Agglo`,
    );
    const html = renderReportHtml(report);
    expect(html).toContain('<h1>Tulle</h1>');
    expect(html).toContain(`<p class="meta">${line}</p>`);

    const pdf = await renderReportPdf(report);
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
    expect(text.replace(/\s+/g, ' ')).toContain(
      `Code INSEE 19272 · ${population.replace(/\s/g, ' ')} habitants (population municipale, INSEE)`,
    );
  });

  it('les colonnes du CSV (par la vraie adresse du rapport) et le JSON', async () => {
    const res = await fetch(`${base}/rapports/${diagnostic.reportId}/reponses.csv`);
    expect(res.status).toBe(200);
    const rows = (await res.text()).slice(1).split('\r\n').filter(Boolean);
    expect(rows[0]!.split(';').slice(-3)).toEqual(['Collectivité', 'Code officiel', 'Population']);
    expect(rows).toHaveLength(14);
    for (const row of rows.slice(1))
      expect(row.split(';').slice(-3)).toEqual(['Tulle', '19272', String(tulle.population)]);

    const json = JSON.parse(
      renderReportJson(buildReportData(referentials, diagnostic, collectivite), referentials, diagnostic),
    ) as { collectivite: { official: Territory } };
    expect(json.collectivite.official).toMatchObject({
      kind: 'commune',
      code: '19272',
      population: tulle.population,
    });
  });

  it('une collectivité non reconnue : pas de ligne officielle, colonnes vides sauf le nom', async () => {
    const { official: _official, ...withoutOfficial } = collectivite;
    const report = buildReportData(referentials, diagnostic, withoutOfficial);
    expect(officialLine(report)).toBeNull();
    expect(renderReportHtml(report)).not.toContain('Code INSEE');
    const rows = renderAnswersCsv(referentials, diagnostic, report).slice(1).split('\r\n').filter(Boolean);
    expect(rows[1]!.split(';').slice(-3)).toEqual(['Tulle', '', '']);
  });
});
