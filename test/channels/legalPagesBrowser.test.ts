import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legalPaths, legalSettingNames } from '../../src/channels/web/legalPages.js';
import { chromiumArgs, chromiumPath, seriousAxeViolations } from '../helpers/chromium.js';
import { startServer, type RunningServer } from '../helpers/server.js';

/**
 * The three legal pages on the real server (`npm start`'s build), in Chromium: accessibility (axe-core), keyboard,
 * reflow at 200 % zoom and phone widths, the home page's footer links, and the start-up warning outside local mode.
 */

const legalEnv = {
  LEGAL_PUBLISHER: 'Commune de <Lacq> & "Orthez"',
  LEGAL_PUBLISHER_ADDRESS: '1 place de la Mairie, 64150 Lacq',
  LEGAL_DIRECTOR: 'Marie <i>Dupont</i>',
  LEGAL_HOST: 'Hébergeur & Cie',
  LEGAL_CONTACT_EMAIL: 'accessibilite@lacq.example',
};
const pages = Object.values(legalPaths);

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startServer({ env: legalEnv }),
    chromium.launch({ executablePath: chromiumPath, args: chromiumArgs }),
  ]);
}, 180_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

async function open(path: string, viewport = { width: 1100, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ locale: 'fr-FR', viewport });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  return page;
}

/** What has the keyboard focus: its link or text, and whether a focus outline is drawn (≥ 2 px, not "none"). */
function focused(
  page: Page,
): Promise<{ href: string | null; text: string; outlined: boolean; inFooter: boolean }> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    const style = element ? getComputedStyle(element) : undefined;
    return {
      href: element?.getAttribute('href') ?? null,
      text: (element?.textContent ?? '').trim(),
      outlined: !!style && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
      inFooter: !!element?.closest('footer'),
    };
  });
}

describe('les pages légales dans Chromium', () => {
  it('axe-core ne trouve aucune violation grave ou critique, sur grand écran et sur téléphone', async () => {
    for (const path of pages) {
      for (const viewport of [
        { width: 1100, height: 900 },
        { width: 390, height: 844 },
      ]) {
        const page = await open(path, viewport);
        const violations = await seriousAxeViolations(page);
        expect(violations, `${path} à ${viewport.width} px : ${JSON.stringify(violations, null, 2)}`).toEqual(
          [],
        );
      }
    }
  }, 120_000);

  it('au clavier : le lien d’évitement d’abord, puis chaque lien, tous avec un focus visible', async () => {
    for (const path of pages) {
      const page = await open(path);
      const links = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      await page.keyboard.press('Tab');
      expect(await focused(page)).toEqual({
        href: '#contenu',
        text: 'Aller au contenu',
        outlined: true,
        inFooter: false,
      });
      const reached: (string | null)[] = ['#contenu'];
      for (let i = 1; i < links.length; i++) {
        await page.keyboard.press('Tab');
        const now = await focused(page);
        expect(now.outlined, `${path} : focus de ${now.href}`).toBe(true);
        reached.push(now.href);
      }
      expect(reached, path).toEqual(links);

      // the skip link moves the focus to the content
      await page.goto(`${server.url}${path}`);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('contenu');
    }
  }, 60_000);

  it('sur l’accueil, « Aller à la conversation » d’abord ; les trois liens du pied de page se suivent au clavier', async () => {
    const page = await open('/');
    await page.getByRole('button', { name: 'Diagnostic rapide (3 min)' }).last().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('Aller à la conversation');
    const reached: string[] = [];
    for (let i = 0; i < 200 && reached.length < 3; i++) {
      await page.keyboard.press('Tab');
      const now = await focused(page);
      if (now.inFooter && now.href && pages.includes(now.href as (typeof pages)[number])) {
        expect(now.outlined, now.href).toBe(true);
        reached.push(now.href);
      }
    }
    expect(reached).toEqual(['/accessibilite', '/mentions-legales', '/confidentialite']);
  }, 60_000);

  it('sans défilement horizontal à 640 px (zoom 200 %), 390 px et 320 px, accueil compris', async () => {
    for (const width of [640, 390, 320]) {
      for (const path of [...pages, '/']) {
        const page = await open(path, { width, height: 800 });
        if (path === '/') {
          await page
            .getByRole('button', { name: 'Diagnostic rapide (3 min)' })
            .last()
            .waitFor({ timeout: 15_000 });
        }
        const { scrollWidth, clientWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
        }));
        expect(scrollWidth, `${path} à ${width} px`).toBeLessThanOrEqual(clientWidth);
      }
    }
  }, 120_000);

  it('depuis l’accueil, « Accessibilité : non conforme » ouvre la déclaration ; les valeurs configurées s’affichent telles quelles', async () => {
    const page = await open('/');
    await page.getByRole('link', { name: 'Accessibilité : non conforme' }).click();
    await page.waitForURL(`${server.url}/accessibilite`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Déclaration d’accessibilité');
    await page.getByRole('contentinfo').getByRole('link', { name: 'Mentions légales' }).click();
    await page.waitForURL(`${server.url}/mentions-legales`);
    const main = await page.getByRole('main').innerText();
    expect(main).toContain('Commune de <Lacq> & "Orthez"');
    expect(main).toContain('Marie <i>Dupont</i>');
    expect(main).toContain('Hébergeur & Cie');
    expect(main).toContain(
      'à compléter par l’éditeur : numéro de téléphone de l’hébergeur (LEGAL_HOST_PHONE)',
    );
    expect(await page.locator('main i, main script').count()).toBe(0);
    await page.getByRole('contentinfo').getByRole('link', { name: 'Données personnelles' }).click();
    await page.waitForURL(`${server.url}/confidentialite`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Données personnelles');
  }, 60_000);

  it('en mode local, aucun avertissement ; hors mode local, un seul qui nomme les réglages manquants', async () => {
    expect(server.output()).not.toContain('legal pages');
    const azure = await startServer({
      env: {
        MicrosoftAppId: '0b5a1e6f-7c53-4e0b-9a4e-2d7f1c3b9a10',
        MicrosoftAppPassword: 'secret-de-test',
        MicrosoftAppType: 'MultiTenant',
        LEGAL_PUBLISHER: 'Commune de Lacq',
      },
    });
    try {
      const warnings = azure
        .output()
        .split('\n')
        .filter((line) => line.includes('legal pages'));
      expect(warnings).toHaveLength(1);
      const warning = JSON.parse(warnings[0]!) as { level: number; missing: string[] };
      expect(warning.level).toBe(40);
      expect(warning.missing).toEqual(legalSettingNames.filter((name) => name !== 'LEGAL_PUBLISHER'));
      const response = await fetch(`${azure.url}/mentions-legales`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('Commune de Lacq');
    } finally {
      await azure.stop();
    }
  }, 60_000);
});
