import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { chromiumArgs, chromiumPath, seriousAxeViolations } from '../helpers/chromium.js';
import { startServer, type RunningServer } from '../helpers/server.js';

const resultsDir = join(projectRoot, 'test-results');

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

interface Watched {
  page: Page;
  /** Console errors, page errors and requests that left the server (a CDN, a font service…). */
  problems: string[];
  /** WebSockets the page opened (Web Chat's Direct Line stream). */
  sockets: string[];
}

async function openPage(viewport = { width: 1100, height: 1300 }): Promise<Watched> {
  const context = await browser.newContext({ locale: 'fr-FR', viewport });
  contexts.push(context);
  const page = await context.newPage();
  const problems: string[] = [];
  const sockets: string[] = [];
  page.on('websocket', (socket) => sockets.push(socket.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    const url = request.url();
    if (
      !url.startsWith(server.url) &&
      !url.startsWith(server.url.replace('http', 'ws')) &&
      !/^(data|blob):/.test(url)
    ) {
      problems.push(`outside request: ${url}`);
    }
  });
  await page.goto(server.url);
  await menuShown(page);
  return { page, problems, sockets };
}

/** The bot's welcome card, sent on conversationUpdate: the menu is there without typing anything. */
function menuShown(page: Page): Promise<void> {
  return page.getByRole('button', { name: 'Diagnostic rapide (3 min)' }).last().waitFor({ timeout: 15_000 });
}

function question(page: Page, n: number): Promise<void> {
  return page
    .locator('#webchat')
    .getByText(`Question ${n} / 13`, { exact: true })
    .last()
    .waitFor({ timeout: 10_000 });
}

async function type(page: Page, text: string): Promise<void> {
  const input = page.locator('[data-id="webchat-sendbox-input"]');
  await input.fill(text);
  await input.press('Enter');
}

beforeAll(async () => {
  mkdirSync(resultsDir, { recursive: true });
  [server, browser] = await Promise.all([
    startServer(),
    chromium.launch({ executablePath: chromiumPath, args: chromiumArgs }),
  ]);
}, 180_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('la page web avec Web Chat, dans Chromium', () => {
  it('une personne fait le diagnostic rapide en cliquant ; la page est accessible ; les résultats s’affichent', async () => {
    const { page, problems, sockets } = await openPage();
    expect(await page.title()).toMatch(/Assistant maturité/);
    expect(sockets.some((url) => /\/v3\/directline\/conversations\/[^/]+\/stream\?t=/.test(url))).toBe(true);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.evaluate(() => typeof (window as unknown as { WebChat?: unknown }).WebChat)).toBe(
      'object',
    );

    await page.getByRole('button', { name: 'Diagnostic rapide (3 min)' }).last().click();
    await question(page, 1);

    const violations = await seriousAxeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);

    const timings: number[] = [];
    for (let n = 1; n <= 13; n++) {
      const clickedAt = performance.now();
      await page.getByRole('button', { name: 'Oui', exact: true }).last().click();
      if (n < 13) await question(page, n + 1);
      else
        await page
          .locator('#webchat')
          .getByText(/Maturité/)
          .last()
          .waitFor({ timeout: 10_000 });
      timings.push(performance.now() - clickedAt);
    }
    // the results card's chart: the report's picture, fetched from this server (CSP img-src allows it)
    const chart = page.locator('#webchat img[alt^="Graphique des scores"]').last();
    expect(await chart.getAttribute('src')).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/rapports\/[A-Za-z0-9_-]{32}\/graphique-carte\.png$/,
    );
    await expect
      .poll(() => chart.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), {
        timeout: 10_000,
      })
      .toBe(520);
    const results = page
      .locator('#webchat')
      .getByText(/^Résultats/)
      .last();
    // Scroll up as a person would (Web Chat then stops sticking to the bottom), to the top of the results card.
    await results.hover();
    await page.mouse.wheel(0, -400);
    await results.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(500);
    const screenshot = join(resultsDir, 'webchat-results.png');
    await page.locator('#conversation').screenshot({ path: screenshot });
    // The README's picture is refreshed on demand only, so that a test run leaves the clone unchanged.
    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
      mkdirSync(join(projectRoot, 'docs'), { recursive: true });
      copyFileSync(screenshot, join(projectRoot, 'docs', 'webchat-results.png'));
    }

    const sorted = [...timings].sort((a, b) => a - b);
    console.info(
      `clic → carte suivante affichée : médiane ${sorted[6]?.toFixed(0)} ms, max ${sorted[12]?.toFixed(0)} ms (13 clics)`,
    );
    expect(problems).toEqual([]);
  }, 60_000);

  it('une autre personne répond en tapant, recharge la page, et « reprendre » continue où elle en était', async () => {
    const { page, problems } = await openPage();
    const userId = await page.evaluate(() => localStorage.getItem('assistant-maturite.userId'));
    expect(userId).toMatch(/^dl_/);

    await type(page, 'diagnostic rapide');
    for (let n = 1; n <= 5; n++) {
      await question(page, n);
      await type(page, 'non');
    }
    await question(page, 6);

    await page.reload();
    await menuShown(page);
    expect(await page.evaluate(() => localStorage.getItem('assistant-maturite.userId'))).toBe(userId);
    await expect(
      page.locator('#webchat').getByText('Question 6 / 13', { exact: true }).count(),
    ).resolves.toBe(0);

    await type(page, 'reprendre');
    for (let n = 6; n <= 13; n++) {
      await question(page, n);
      await type(page, 'non');
    }
    await page
      .locator('#webchat')
      .getByText(/Émergence/)
      .last()
      .waitFor({ timeout: 10_000 });
    expect(problems).toEqual([]);
  }, 60_000);

  it('sur un téléphone (390 px), le diagnostic complet se prépare en touchant les boutons jusqu’au premier indicateur', async () => {
    const { page, problems } = await openPage({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Diagnostic complet' }).last().click();
    await page
      .locator('#webchat')
      .getByText(/Tapez son nom/)
      .last()
      .waitFor({ timeout: 10_000 });
    await type(page, 'Toucheville');
    await page.getByRole('button', { name: 'Commune', exact: true }).last().click();
    await page.getByRole('button', { name: 'Valider' }).last().click();
    await page.getByRole('button', { name: 'Les 4 enjeux (68 indicateurs)' }).last().click();
    const indicator = (n: number) =>
      page
        .locator('#webchat')
        .getByText(new RegExp(`^Indicateur ${n} / 68`))
        .last()
        .waitFor({ timeout: 10_000 });
    await indicator(1);
    await page.getByRole('button', { name: 'Non', exact: true }).last().click();
    await indicator(2);
    expect(problems).toEqual([]);
  }, 60_000);

  it('« Nouvelle conversation » ouvre une conversation neuve pour la même personne', async () => {
    const { page } = await openPage();
    const userId = await page.evaluate(() => localStorage.getItem('assistant-maturite.userId'));
    await type(page, 'aide');
    await page
      .locator('#webchat .webchat__text-content', { hasText: /^aide$/ })
      .first()
      .waitFor();
    const previous = await page.locator('#webchat').elementHandle();
    await page.getByRole('button', { name: 'Nouvelle conversation' }).click();
    await page.waitForFunction((element) => !element?.isConnected, previous);
    await menuShown(page);
    await expect(page.locator('#webchat').getByText('aide', { exact: true }).count()).resolves.toBe(0);
    expect(await page.evaluate(() => localStorage.getItem('assistant-maturite.userId'))).toBe(userId);
  }, 30_000);
});
