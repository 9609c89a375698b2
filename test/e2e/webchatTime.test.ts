import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from '../helpers/chromium.js';
import { startServer, type RunningServer } from '../helpers/server.js';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;

const timeZone = 'Europe/Paris';

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startServer(),
    chromium.launch({ executablePath: chromiumPath, args: chromiumArgs }),
  ]);
}, 180_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

/** « 09:05 », « 14:48 »: every minute between two instants, in French 24-hour form. */
function minutesBetween(from: number, to: number): string[] {
  const format = new Intl.DateTimeFormat('fr-FR', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const minutes = new Set<string>();
  for (let t = from - 60_000; t <= to + 60_000; t += 30_000) minutes.add(format.format(t));
  return [...minutes];
}

describe('Web Chat timestamps on an English-language browser', () => {
  it('show and read the time of each message in French, on the 24-hour clock', async () => {
    context = await browser.newContext({ locale: 'en-US', timezoneId: timeZone });
    const page = await context.newPage();
    const before = Date.now();
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Diagnostic rapide (3 min)' }).last().waitFor({ timeout: 15_000 });
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill('aide');
    await input.press('Enter');
    const statuses = page.locator('#webchat .webchat__activity-status');
    await expect.poll(() => statuses.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    const after = Date.now();

    expect(await page.evaluate(() => navigator.language)).toBe('en-US');
    const expectedMinutes = minutesBetween(before, after);
    const french =
      /^(\d{1,2}|1er) (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) à (\d{2}:\d{2})$/;
    for (const status of await statuses.all()) {
      const shown = (await status.locator('[aria-hidden="true"]').innerText()).trim();
      const match = french.exec(shown);
      expect(match, `timestamp shown: « ${shown} »`).not.toBeNull();
      expect(expectedMinutes).toContain(match?.[3]);
      expect(shown).not.toMatch(/AM|PM/i);

      // What a screen reader gets: the accessibility tree, where the visible copy is aria-hidden.
      const read = await status.ariaSnapshot();
      expect(read).toContain(`Envoyé le ${shown}`);
      expect(read).not.toMatch(/AM|PM/i);
    }
  });
});
