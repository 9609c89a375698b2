import { chromium, type Browser, type Page } from 'playwright-core';
import type { Server } from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElusAssistant } from '../../src/domain/elus/assistant.js';
import { createLogger } from '../../src/log.js';
import { referentialDir } from '../../src/paths.js';
import { elusArgumentsFor } from '../../src/reports/elusArguments.js';
import { createHttpServer } from '../../src/server/http.js';
import { registerReportRoutes } from '../../src/server/reportRoutes.js';
import { chromiumArgs, chromiumPath, seriousAxeViolations } from '../helpers/chromium.js';
import { answeredDiagnostic, createCollectivite, referentials, setup } from './fixtures.js';

let server: Server;
let browser: Browser;
let url: string;
const problems: string[] = [];

beforeAll(async () => {
  const { service } = setup();
  const logger = createLogger('silent');
  const collectivite = await createCollectivite(
    service,
    'teams-user-aad-0001',
    'Communauté d’agglomération Pays-Basque-Adour-Nive-et-Bidouze-Saint-Jean-Pied-de-Port',
  );
  const diagnostic = await answeredDiagnostic(service, {
    collectiviteId: collectivite.id,
    scope: { kind: 'full' },
    values: ['oui', 'en_partie', 'non', 'nsp', 'oui', 'non'],
    quantities: {
      22: { q22_budget_fonctionnement: 45000, q22_budget_investissement: 1_250_000 },
      35: { q35_conventions_signees: 4 },
      38: { q38_conventions_hub: 1 },
    },
  });
  server = createHttpServer(logger);
  registerReportRoutes(server, {
    service,
    referentials,
    logger,
    argumentsFor: elusArgumentsFor(ElusAssistant.load(referentialDir)),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${server.address().port}/rapports/${diagnostic.reportId}`;
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function open(width: number, height: number): Promise<Page> {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width, height } });
  const page = await context.newPage();
  page.on('console', (m) => {
    // the browser's own /favicon.ico request gets the 404 page: not the report's
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
      problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico')
      problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(url);
  return page;
}

interface Layout {
  scrollWidth: number;
  bodyScrollWidth: number;
  /** Elements whose box passes the right edge of the viewport. */
  overflowing: string[];
  tables: number[];
  /** The charts actually displayed: rendered width, viewBox width, smallest font size once scaled. */
  charts: { width: number; viewBox: number; smallestText: number; texts: number }[];
}

const layout = (page: Page): Promise<Layout> =>
  page.evaluate(() => {
    const right = window.innerWidth;
    const shown = (e: Element) => e.getClientRects().length > 0;
    return {
      scrollWidth: document.documentElement.scrollWidth,
      bodyScrollWidth: document.body.scrollWidth,
      overflowing: [...document.querySelectorAll('body *')]
        .filter((e) => shown(e) && e.getBoundingClientRect().right > right + 0.5)
        .map((e) => `${e.tagName.toLowerCase()}.${e.getAttribute('class') ?? ''}`)
        .slice(0, 10),
      tables: [...document.querySelectorAll('table')].map((t) => t.getBoundingClientRect().right),
      charts: [...document.querySelectorAll<SVGSVGElement>('figure svg')].filter(shown).map((svg) => {
        const width = svg.getBoundingClientRect().width;
        const viewBox = svg.viewBox.baseVal.width;
        const sizes = [...svg.querySelectorAll('text')].map((t) => Number(t.getAttribute('font-size')));
        return { width, viewBox, smallestText: (Math.min(...sizes) * width) / viewBox, texts: sizes.length };
      }),
    };
  });

describe('le rapport HTML dans Chromium', () => {
  it('tient dans un téléphone de 390 × 844 px : pas de défilement horizontal, un graphique lisible à sa largeur', async () => {
    const page = await open(390, 844);
    const l = await layout(page);
    console.log(`rapport à 390 px : scrollWidth ${l.scrollWidth}, graphique ${JSON.stringify(l.charts)}`);
    expect(l.scrollWidth).toBeLessThanOrEqual(390);
    expect(l.bodyScrollWidth).toBeLessThanOrEqual(390);
    expect(l.overflowing).toEqual([]);
    for (const right of l.tables) expect(right).toBeLessThanOrEqual(390);

    // one chart shown, the phone one: scaled to the width, no label drawn under 11 px
    expect(l.charts).toHaveLength(1);
    const [chart] = l.charts;
    expect(chart!.viewBox).toBe(340);
    expect(chart!.width).toBeGreaterThan(330);
    expect(chart!.width).toBeLessThanOrEqual(390);
    expect(chart!.smallestText).toBeGreaterThanOrEqual(11);
    expect(chart!.texts).toBeGreaterThan(40);

    // the page's own stylesheet applied under its CSP, and nothing refused
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('reste lisible sur les plus petits écrans (320 et 360 px)', async () => {
    for (const width of [320, 360]) {
      const page = await open(width, 640);
      const l = await layout(page);
      expect(l.scrollWidth, `${width} px`).toBeLessThanOrEqual(width);
      expect(l.overflowing, `${width} px`).toEqual([]);
      expect(l.charts[0]!.smallestText, `${width} px`).toBeGreaterThanOrEqual(9.5);
      await page.context().close();
    }
  });

  it('garde le grand graphique côte à côte sur un écran large', async () => {
    const page = await open(1280, 900);
    const l = await layout(page);
    expect(l.scrollWidth).toBeLessThanOrEqual(1280);
    expect(l.charts).toHaveLength(1);
    expect(l.charts[0]!.viewBox).toBe(1280);
    await page.context().close();
  });

  it('n’a pas de défaut d’accessibilité sérieux à 390 px (axe-core)', async () => {
    const page = await open(390, 844);
    const violations = await seriousAxeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    await page.context().close();
  });
});
