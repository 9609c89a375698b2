import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillManifest } from '../../scripts/teams-package.js';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import {
  accessibilityStatus,
  declaration,
  legalPaths,
  legalSettingNames,
} from '../../src/channels/web/legalPages.js';
import { startEchoServer, type EchoServer } from './echoServer.js';

/** Values a publisher might type, with every character HTML gives a meaning to. */
const legal = {
  LEGAL_PUBLISHER: 'Communauté de communes <Cœur & "Vallée">',
  LEGAL_PUBLISHER_ADDRESS: "1 place de l'Hôtel de ville, 64150 Lacq <b>",
  LEGAL_PUBLISHER_PHONE: '05 59 00 00 00',
  LEGAL_DIRECTOR: 'Marie <i>Dupont</i>',
  LEGAL_HOST: 'Hébergeur & Fils',
  LEGAL_HOST_ADDRESS: '2 rue du Serveur, 75000 Paris',
  LEGAL_HOST_PHONE: '01 00 00 00 00',
  LEGAL_CONTACT_EMAIL: 'contact@cc-coeur-vallee.fr',
  LEGAL_DPO_EMAIL: 'dpo@cc-coeur-vallee.fr',
  LEGAL_BASIS: 'Mission d’intérêt public (article 6, paragraphe 1, point e du RGPD) <script>',
  LEGAL_ACCESSIBILITY_PLAN_URL: 'https://www.cc-coeur-vallee.fr/accessibilite?annee=2026&plan=1',
};
const escaped = (text: string) =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

let configured: EchoServer;
let bare: EchoServer;

beforeAll(async () => {
  [configured, bare] = await Promise.all([
    startEchoServer({
      config: {
        ...legal,
        RETENTION_DAYS: 90,
        STORAGE: 'blob',
        PUBLIC_URL: 'https://assistant.exemple.fr',
        APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-000000000000',
      },
    }),
    startEchoServer({ config: { RETENTION_DAYS: 730 } }),
  ]);
});

afterAll(async () => {
  await Promise.all([configured?.close(), bare?.close()]);
});

async function page(server: EchoServer, path: string): Promise<string> {
  const response = await fetch(`${server.url}${path}`);
  expect(response.status, path).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  return response.text();
}

const headings = (html: string, level: 2 | 3) =>
  [...html.matchAll(new RegExp(`<h${level}>([^<]+)</h${level}>`, 'g'))].map((m) => m[1]);
const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1] ?? '');
/** What the placeholder of a missing setting says. */
const placeholderOf = (name: string) => new RegExp(`à compléter par l’éditeur : [^<]+ \\(${name}\\)`);

describe('les pages légales de la page web', () => {
  it('/accessibilite : la déclaration d’accessibilité du modèle du RGAA, « non conforme » faute d’audit', async () => {
    const html = await page(configured, legalPaths.accessibilite);
    expect(html).toMatch(/<html lang="fr"/);
    expect(html).toContain('<title>Déclaration d’accessibilité — Assistant maturité</title>');
    expect(html).toContain('<a class="skip-link" href="#contenu">Aller au contenu</a>');
    for (const landmark of [
      '<header',
      '<main id="contenu"',
      '<footer',
      '<nav aria-label="Informations légales">',
    ])
      expect(html).toContain(landmark);
    expect(headings(html, 2)).toEqual([
      'État de conformité',
      'Contenus non accessibles',
      'Établissement de cette déclaration d’accessibilité',
      'Retour d’information et contact',
      'Voies de recours',
    ]);
    expect(headings(html, 3)).toEqual(
      expect.arrayContaining([
        'Résultats des tests',
        'Non-conformités',
        'Dérogations pour charge disproportionnée',
        'Contenus non soumis à l’obligation d’accessibilité',
        'Environnement de test',
      ]),
    );
    expect(html).toContain('article 47 de la loi\n      n° 2005-102 du 11 février 2005');
    expect(html).toContain('est <strong>non conforme</strong> avec le référentiel général d’amélioration');
    expect(html).toContain('aucun résultat d’audit en cours de\n      validité');
    expect(html).toContain(`établie le ${declaration.date}`);
    expect(html).toContain('Défenseur des droits');
    expect(html).toContain('Libre\n        réponse 71120, 75342 Paris CEDEX 07');
    expect(html).toContain('N’ont pas été vérifiés : les 106 critères du RGAA (aucun audit)');
    expect(html).toContain('(https://assistant.exemple.fr)');
    expect(html).toContain(`${escaped(legal.LEGAL_PUBLISHER)} s’engage à rendre`);
    expect(html).toContain(`<a href="${escaped(legal.LEGAL_ACCESSIBILITY_PLAN_URL)}">schéma pluriannuel`);
    expect(html).toContain(`<a href="mailto:${legal.LEGAL_CONTACT_EMAIL}">`);
  });

  it('/mentions-legales : éditeur, directeur de la publication, hébergeur, venus de la configuration', async () => {
    const html = await page(configured, legalPaths.mentions);
    expect(headings(html, 2)).toEqual([
      'Éditeur',
      'Directeur de la publication',
      'Hébergement',
      'Contenus et licences',
      'Accessibilité et données personnelles',
    ]);
    for (const name of [
      'LEGAL_PUBLISHER',
      'LEGAL_PUBLISHER_ADDRESS',
      'LEGAL_PUBLISHER_PHONE',
      'LEGAL_DIRECTOR',
      'LEGAL_HOST',
      'LEGAL_HOST_ADDRESS',
      'LEGAL_HOST_PHONE',
    ] as const) {
      expect(html).toContain(escaped(legal[name]));
    }
    expect(html).toContain('CC BY-SA 4.0');
    expect(html).not.toContain('à compléter');
  });

  it('/confidentialite : responsable, DPO, finalités, base légale, ce qui est gardé, où, combien de temps, droits', async () => {
    const html = await page(configured, legalPaths.confidentialite);
    expect(headings(html, 2)).toEqual([
      'Responsable du traitement',
      'Délégué à la protection des données',
      'Pourquoi ces données',
      'Base légale',
      'Ce qui est enregistré',
      'Où',
      'Combien de temps',
      'Qui les voit',
      'Vos droits',
    ]);
    expect(html).toContain(`<a href="mailto:${legal.LEGAL_DPO_EMAIL}">${legal.LEGAL_DPO_EMAIL}</a>`);
    expect(html).toContain(escaped(legal.LEGAL_BASIS));
    // the settings the page is rendered with: RETENTION_DAYS=90, STORAGE=blob
    expect(html).toContain('effacés après 90 jours sans utilisation');
    expect(html).toContain('Azure Blob Storage');
    expect(html).toContain('« mes données » (15 minutes, une seule fois)');
    expect(html).toContain('code de reprise (30 jours)');
    expect(html).toContain('graphique de résultats\n        provisoires (6 heures)');
    expect(html).toContain('écrivez « mes données »');
    expect(html).toContain('écrivez « supprimer mes données »');
    expect(html).toContain('<a href="https://www.cnil.fr/fr/plaintes">');
    expect(html).toContain('ni nom, ni adresse e-mail');
    // the collectivité record's `official` entry (src/domain/collectivite/collectivite.ts)
    expect(html).toContain('découpage administratif officiel (code INSEE ou SIREN');
    // APPLICATIONINSIGHTS_CONNECTION_STRING is set: the page says what the telemetry sends
    expect(html).toContain('Des mesures techniques sont envoyées à Azure Application Insights (Microsoft)');
    expect(html).toContain('ni texte, ni identifiant de personne ou de\n      conversation');
  });

  it('chaque valeur configurée est échappée : aucune balise ne passe', async () => {
    for (const path of Object.values(legalPaths)) {
      const html = await page(configured, path);
      for (const raw of ['<Cœur', '<b>', '<i>Dupont', '<script>', '& "Vallée"', '& Fils'])
        expect(html, path).not.toContain(raw);
    }
  });

  it('sans réglage, chaque page dit « à compléter par l’éditeur » à la place de chaque valeur', async () => {
    const pages = await Promise.all(Object.values(legalPaths).map((path) => page(bare, path)));
    for (const name of legalSettingNames) {
      expect(
        pages.some((html) => placeholderOf(name).test(html)),
        name,
      ).toBe(true);
    }
    const mentions = await page(bare, legalPaths.mentions);
    for (const name of ['LEGAL_PUBLISHER', 'LEGAL_DIRECTOR', 'LEGAL_HOST', 'LEGAL_HOST_ADDRESS'])
      expect(mentions).toMatch(placeholderOf(name));
    const privacy = await page(bare, legalPaths.confidentialite);
    expect(privacy).toMatch(placeholderOf('LEGAL_DPO_EMAIL'));
    expect(privacy).toMatch(placeholderOf('LEGAL_BASIS'));
    // echo server: local mode, no Direct Line secret, default storage
    expect(privacy).toContain(
      'passent par la mémoire de ce serveur et y sont oubliés 1 heure après le dernier',
    );
    expect(privacy).toContain('effacés après 2 ans sans utilisation');
    expect(privacy).toContain('dans des fichiers sur le serveur de l’hébergeur');
    expect(privacy).not.toContain('Application Insights');
  });

  it('le pied de page de l’accueil mène aux trois pages, qui mènent l’une à l’autre et à l’accueil', async () => {
    const home = await page(bare, '/');
    const footer = home.slice(home.indexOf('<footer'));
    expect(footer).toContain(`<a href="/accessibilite">Accessibilité : ${accessibilityStatus}</a>`);
    expect(home).toContain('<a href="/confidentialite">données personnelles</a>');
    const linked = hrefs(footer).filter((href) => href.startsWith('/'));
    expect(linked).toEqual(['/accessibilite', '/mentions-legales', '/confidentialite']);
    for (const path of linked) {
      const html = await page(bare, path);
      const own = hrefs(html.slice(html.indexOf('<footer')));
      expect(own).toEqual(['/', '/accessibilite', '/mentions-legales', '/confidentialite']);
      expect(html).toContain(`<a href="${path}" aria-current="page">`);
    }
    const head = await fetch(`${bare.url}/mentions-legales`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('les liens du manifeste Teams (confidentialité, conditions) sont ces pages', async () => {
    const manifest = fillManifest({
      MicrosoftAppId: '0b5a1e6f-7c53-4e0b-9a4e-2d7f1c3b9a10',
      PUBLIC_URL: 'https://assistant.exemple.fr',
    }) as { developer: { privacyUrl: string; termsOfUseUrl: string } };
    const privacy = new URL(manifest.developer.privacyUrl);
    const terms = new URL(manifest.developer.termsOfUseUrl);
    expect(privacy.pathname).toBe(legalPaths.confidentialite);
    expect(terms.pathname).toBe(legalPaths.mentions);
    expect(await page(bare, privacy.pathname)).toContain('<h1>Données personnelles</h1>');
    expect(await page(bare, terms.pathname)).toContain('<h1>Mentions légales</h1>');
  });

  it('la déclaration nomme les versions d’outils installées', () => {
    const require = createRequire(import.meta.url);
    const version = (pkg: string) =>
      (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string })
        .version;
    expect(declaration.axe).toBe(`axe-core ${version('axe-core')}`);
    expect(declaration.browser).toContain(
      `playwright-core ${version('playwright-core').split('.').slice(0, 2).join('.')}`,
    );
  });

  it('une adresse e-mail ou une URL invalide arrête le démarrage en nommant le réglage', () => {
    expect(() => loadConfig({ LEGAL_DPO_EMAIL: 'pas une adresse' })).toThrow(ConfigError);
    expect(() => loadConfig({ LEGAL_DPO_EMAIL: 'pas une adresse' })).toThrow(
      /LEGAL_DPO_EMAIL: adresse e-mail attendue/,
    );
    expect(() => loadConfig({ LEGAL_ACCESSIBILITY_PLAN_URL: 'ftp://exemple.fr' })).toThrow(
      /LEGAL_ACCESSIBILITY_PLAN_URL: URL http\(s\) attendue/,
    );
    const config = loadConfig({ LEGAL_PUBLISHER: '  Commune de Lacq  ', LEGAL_HOST: '' });
    expect(config.LEGAL_PUBLISHER).toBe('Commune de Lacq');
    expect(config.LEGAL_HOST).toBeUndefined();
  });
});
