import type { Server } from 'restify';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createHttpServer } from '../../src/server/http.js';
import { cardImageMaxBytes } from '../../src/reports/charts.js';
import { registerReportRoutes } from '../../src/server/reportRoutes.js';
import { answeredDiagnostic, createCollectivite, ihdr, pngMagic, referentials, setup } from './fixtures.js';

let server: Server;
let base: string;
let reportId: string;

beforeAll(async () => {
  const { service } = setup();
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
    expect(ihdr(card)).toEqual({ width: 520, height: 380 });
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
