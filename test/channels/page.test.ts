import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webChatVersion } from '../../src/channels/web/page.js';
import { startEchoServer, type EchoServer } from './echoServer.js';

let server: EchoServer;

beforeAll(async () => {
  server = await startEchoServer({ config: { RETENTION_DAYS: 730 } });
});

afterAll(async () => server.close());

describe('GET / : la page française qui accueille Web Chat', () => {
  it('est en français, structurée, et ne charge rien depuis un CDN', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).toMatch(/<html lang="fr"/);
    expect(html).toMatch(/<title>Assistant maturité[^<]+<\/title>/);
    for (const landmark of ['<header', '<main', '<footer']) expect(html).toContain(landmark);
    expect(html).toContain('<a class="skip-link" href="#conversation">Aller à la conversation</a>');
    expect(html).toContain('id="conversation"');
    expect(html).toMatch(/<noscript>[\s\S]*JavaScript[\s\S]*<\/noscript>/);
    expect(html).toContain('Nouvelle conversation');
    expect(html).toContain('Vos données : ce qui est gardé et pourquoi');
    expect(html).toContain('au plus 2 ans sans utilisation');
    // the retention rule keeps a collectivité's diagnostics (src/privacy/retention.ts): the note says so
    expect(html).toContain('les réponses données pour une collectivité restent dans son diagnostic');
    expect(html).toContain('<a href="/accessibilite">Accessibilité : non conforme</a>');
    expect(html).toContain(`<script src="/vendor/webchat.js?v=${webChatVersion()}" defer></script>`);
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(sources.filter((s) => /^https?:/.test(s))).toEqual(['https://lamednum.coop/']);
  });

  it('sert le bundle officiel de Web Chat depuis node_modules, en cache immuable et compressé', async () => {
    const response = await fetch(`${server.url}/vendor/webchat.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const body = await response.text();
    expect(body.length).toBeGreaterThan(1_000_000);
    expect(body).toContain('createDirectLine');

    const etag = response.headers.get('etag') ?? '';
    const again = await fetch(`${server.url}/vendor/webchat.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('sert le script et la feuille de style de la page', async () => {
    const script = await fetch(`${server.url}/app.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain("locale: 'fr-FR'");
    const styles = await fetch(`${server.url}/styles.css`);
    expect(styles.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await styles.text()).toContain(':focus-visible');
  });
});
