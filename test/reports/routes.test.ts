import type { Server } from 'restify';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createHttpServer } from '../../src/server/http.js';
import { answersOf } from '../../src/domain/assessment/assessment.js';
import { recordKeys } from '../../src/domain/records/diagnostic.js';
import { computeMaturity } from '../../src/domain/scoring/scoring.js';
import { purgeInactive } from '../../src/privacy/retention.js';
import { cardChart, chartLinkHours } from '../../src/reports/cardChart.js';
import { ListableMemoryStorage } from '../../src/storage/memoryStorage.js';
import { StorageRecordStore } from '../../src/storage/storageRecordStore.js';
import { cardImageMaxBytes, chartSizes } from '../../src/reports/charts.js';
import { registerReportRoutes } from '../../src/server/reportRoutes.js';
import { answeredDiagnostic, createCollectivite, ihdr, pngMagic, referentials, setup } from './fixtures.js';

let server: Server;
let base: string;
let reportId: string;
let fixture: ReturnType<typeof setup>;

beforeAll(async () => {
  fixture = setup();
  const { service } = fixture;
  const logger = createLogger('silent');
  const collectivite = await createCollectivite(
    service,
    'teams-user-aad-0001',
    'Saint-Étienne-de-Crossey <b>',
  );
  const diagnostic = await answeredDiagnostic(service, { collectiviteId: collectivite.id });
  reportId = diagnostic.reportId!;
  server = createHttpServer(logger);
  registerReportRoutes(server, { service, referentials, logger });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${server.address().port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function expectCommonHeaders(res: Response): void {
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('cache-control')).toBe('private, no-store');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
}

describe('les adresses des rapports', () => {
  it('servent la page HTML du rapport, avec une CSP stricte', async () => {
    const res = await fetch(`${base}/rapports/${reportId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expectCommonHeaders(res);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*style-src 'sha256-/);
    const html = await res.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('Saint-Étienne-de-Crossey &lt;b&gt;');
    expect(html).toContain('Consolidation');
    expect(html).toContain(`href="/rapports/${reportId}/rapport.pdf"`);
    expect(html).not.toContain('teams-user-aad-0001');
  });

  it('servent le PDF, avec un nom de fichier français', async () => {
    const res = await fetch(`${base}/rapports/${reportId}/rapport.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expectCommonHeaders(res);
    expect(res.headers.get('content-disposition')).toBe(
      'inline; filename="rapport-maturite-saint-etienne-de-crossey-b-2024-03-12.pdf"',
    );
    const pdf = new Uint8Array(await res.arrayBuffer());
    const { text } = await extractText(await getDocumentProxy(pdf), { mergePages: true });
    expect(text).toContain('Saint-Étienne-de-Crossey <b>');
  });

  it('servent les réponses en CSV, le JSON et le graphique PNG', async () => {
    const csv = await fetch(`${base}/rapports/${reportId}/reponses.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(csv.headers.get('content-disposition')).toBe(
      'attachment; filename="reponses-saint-etienne-de-crossey-b-2024-03-12.csv"',
    );
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').split('\r\n').filter(Boolean)).toHaveLength(14);

    const json = await fetch(`${base}/rapports/${reportId}/rapport.json`);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expectCommonHeaders(json);
    const body = (await json.json()) as { level: string; answers: unknown[] };
    expect(body.level).toBe('Consolidation');
    expect(body.answers).toHaveLength(13);

    const png = async (file: string) => {
      const response = await fetch(`${base}/rapports/${reportId}/${file}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expectCommonHeaders(response);
      const image = Buffer.from(await response.arrayBuffer());
      expect(image.subarray(0, 8).equals(pngMagic)).toBe(true);
      return image;
    };
    expect(ihdr(await png('graphique.png'))).toEqual({ width: 1280, height: 880 });
    const card = await png('graphique-carte.png'); // the results card's picture
    expect(ihdr(card)).toEqual(chartSizes.card);
    expect(card.length).toBeLessThan(cardImageMaxBytes);
  });

  it('répondent par une page 404 en français à un identifiant inconnu', async () => {
    const unknown = 'A'.repeat(32);
    for (const path of [
      `/rapports/${unknown}`,
      `/rapports/${unknown}/rapport.pdf`,
      `/rapports/${unknown}/reponses.csv`,
    ]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expectCommonHeaders(res);
      const html = await res.text();
      expect(html).toContain('<html lang="fr">');
      expect(html).toContain('Rapport introuvable');
    }
  });

  it('répondent 404 à un identifiant mal formé, sans chercher plus loin', async () => {
    for (const id of [
      'abc',
      `${reportId}x`,
      reportId.slice(1),
      `${reportId.slice(0, 31)}%2F`,
      '..%2F..%2Fpackage.json',
    ]) {
      const res = await fetch(`${base}/rapports/${id}`);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('Rapport introuvable');
    }
  });
});

describe('le lien du graphique de résultats provisoires', () => {
  const hour = 60 * 60 * 1000;

  /** The chart of a diagnostic not finished yet, as a results card gets it when PUBLIC_URL is set. */
  async function partialChart(now: Date) {
    const { service } = fixture;
    const { reportId: _, finishedAt: __, ...partial } = await answeredDiagnostic(service);
    const result = computeMaturity(referentials.maturity, partial.scope, answersOf(partial));
    const chart = await cardChart({ store: service.store, now: () => now })(
      result,
      partial,
      base,
      'Pays de Gex',
    );
    return chart!;
  }

  it('pointe vers une image PNG servie par le serveur à son adresse publique, avec les en-têtes des rapports', async () => {
    const { url, alt } = await partialChart(new Date());
    expect(url).toMatch(new RegExp(`^${base}/graphiques/[A-Za-z0-9_-]{32}\\.png$`));
    expect(alt).toContain("enjeu 1 (Porter politiquement l'inclusion numérique)");
    for (const method of ['GET', 'HEAD']) {
      const res = await fetch(url, { method });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expectCommonHeaders(res);
      if (method === 'HEAD') continue;
      const png = Buffer.from(await res.arrayBuffer());
      expect(png.subarray(0, 8).equals(pngMagic)).toBe(true);
      expect(ihdr(png)).toEqual(chartSizes.card);
      expect(Number(res.headers.get('content-length'))).toBe(png.length);
    }
    const token = /graphiques\/(.+)\.png$/.exec(url)![1]!;
    const stored = (await fixture.store.read<{ expiresAt: string; scores: { enjeux: unknown[] } }>(
      recordKeys.chartLink(token),
    ))!.value;
    expect(Date.parse(stored.expiresAt) - Date.now()).toBeGreaterThan((chartLinkHours - 0.1) * hour);
    expect(stored.scores.enjeux).toHaveLength(4);
  });

  it('répond 404 en français une fois le lien expiré, ou à un lien inconnu ou mal formé', async () => {
    const expired = await partialChart(new Date(Date.now() - (chartLinkHours + 1) * hour));
    const fresh = (await partialChart(new Date())).url;
    expect(fresh).not.toBe(expired.url);
    for (const url of [
      expired.url,
      `${base}/graphiques/${'A'.repeat(32)}.png`,
      fresh.replace('.png', ''),
      fresh.replace('.png', '.svg'),
      `${base}/graphiques/..%2F..%2Fpackage.json`,
    ]) {
      const res = await fetch(url);
      expect(res.status, url).toBe(404);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expectCommonHeaders(res);
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      const html = await res.text();
      expect(html).toContain('<html lang="fr">');
      expect(html).toContain('Graphique introuvable');
    }
  });

  it('disparaît à la purge de rétention une fois expiré', async () => {
    const storage = new ListableMemoryStorage();
    const store = new StorageRecordStore(storage);
    const { reportId: _, finishedAt: __, ...partial } = await answeredDiagnostic(fixture.service);
    const result = computeMaturity(referentials.maturity, partial.scope, answersOf(partial));
    const draw = (now: Date) => cardChart({ store, now: () => now })(result, partial, base);
    const past = await draw(new Date(Date.now() - (chartLinkHours + 1) * hour));
    const current = await draw(new Date());
    const keyOf = (url: string) => recordKeys.chartLink(/graphiques\/(.+)\.png$/.exec(url)![1]!);
    await purgeInactive(storage, 730);
    expect(await store.read(keyOf(past!.url))).toBeUndefined();
    expect(await store.read(keyOf(current!.url))).toBeDefined();
  });
});
