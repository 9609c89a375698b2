import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot } from '../../src/paths.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from '../helpers/chromium.js';
import { startServer, type RunningServer } from '../helpers/server.js';

/** An iPhone 14-sized screen: what a conseiller numérique sees in Teams mobile or the web page on a phone. */
const phone = { width: 390, height: 844 };
/** A first card should show its essentials on about one screen: at most one and a half. */
const maxFirstCardHeight = 1.5 * phone.height;

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startServer(),
    chromium.launch({ executablePath: chromiumPath, args: chromiumArgs }),
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openPhonePage(): Promise<Page> {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: phone, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Diagnostic rapide (3 min)' }).last().waitFor({ timeout: 15_000 });
  return page;
}

/** The rendered height of the last Adaptive Card whose text matches `text` (its picture kept in test-results/). */
async function cardHeight(page: Page, text: RegExp, name: string): Promise<number> {
  const card = page.locator('#webchat .ac-adaptiveCard', { hasText: text }).last();
  await card.waitFor({ timeout: 15_000 });
  await page.waitForTimeout(300); // images and fonts laid out
  mkdirSync(join(projectRoot, 'test-results'), { recursive: true });
  await card.screenshot({ path: join(projectRoot, 'test-results', `phone-${name}.png`) });
  return (await card.boundingBox())!.height;
}

async function noHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

describe('sur un téléphone (390 × 844 px), les premières cartes tiennent sur un écran et demi', () => {
  it('la carte de résultats du diagnostic rapide', async () => {
    const page = await openPhonePage();
    await page.getByRole('button', { name: 'Diagnostic rapide (3 min)' }).last().click();
    for (let n = 1; n <= 13; n++) {
      await page.locator('#webchat').getByText(`Question ${n} / 13`, { exact: true }).last().waitFor();
      await page
        .getByRole('button', { name: n % 3 ? 'Oui' : 'Non', exact: true })
        .last()
        .click();
    }
    const height = await cardHeight(page, /^Résultats/, 'resultats');
    console.info(`carte de résultats (diagnostic rapide) à 390 px : ${Math.round(height)} px`);
    expect(height).toBeLessThanOrEqual(maxFirstCardHeight);
    expect(await noHorizontalScroll(page)).toBe(true);
  }, 90_000);

  it('l’argumentaire « convaincre mon élu »', async () => {
    const page = await openPhonePage();
    await page.getByRole('button', { name: 'Convaincre mon élu' }).last().click();
    await page.getByRole('button', { name: 'Élus pas investis' }).last().click();
    await page.getByRole('button', { name: 'Manque de temps' }).last().click();
    await page.getByRole('button', { name: 'Territoire rural / ZRR' }).last().click();
    await page.getByRole('button', { name: 'Commune', exact: true }).last().click();
    const height = await cardHeight(page, /Un autre argument/, 'argumentaire');
    console.info(`argumentaire à 390 px : ${Math.round(height)} px`);
    expect(height).toBeLessThanOrEqual(maxFirstCardHeight);
    expect(await noHorizontalScroll(page)).toBe(true);
  }, 90_000);
});
