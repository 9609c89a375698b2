import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import {
  appPackageDir,
  buildTeamsPackage,
  fillManifest,
  schemaPath,
  TeamsPackageError,
  validateManifest,
} from '../../scripts/teams-package.js';
import { projectRoot } from '../../src/paths.js';

const botId = '0b5a1e6f-7c53-4e0b-9a4e-2d7f1c3b9a10';
const env = { MicrosoftAppId: botId, PUBLIC_URL: 'https://assistant.exemple.fr' };
const outDirs: string[] = [];

function outDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'teams-package-'));
  outDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
});

/** A PNG's size and RGBA pixels (8-bit RGBA, not interlaced: what resvg writes). */
function decodePng(png: Buffer): { width: number; height: number; colorType: number; pixels: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8);
      colorType = data[9] ?? 0;
      expect(data[12]).toBe(0);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  expect(colorType).toBe(6);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const byte = raw[y * (stride + 1) + 1 + x] ?? 0;
      const a = x >= 4 ? (pixels[y * stride + x - 4] ?? 0) : 0;
      const b = y > 0 ? (pixels[(y - 1) * stride + x] ?? 0) : 0;
      const c = x >= 4 && y > 0 ? (pixels[(y - 1) * stride + x - 4] ?? 0) : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      pixels[y * stride + x] = (byte + predictor) & 0xff;
    }
  }
  return { width, height, colorType, pixels };
}

describe('le paquet d’application Teams', () => {
  it('contient manifest.json et les deux icônes ; botId vient de MicrosoftAppId', async () => {
    const built = await buildTeamsPackage(env, outDir());
    const zip = await JSZip.loadAsync(readFileSync(built.zipPath));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as {
      id: string;
      manifestVersion: string;
      bots: { botId: string; scopes: string[]; commandLists: { commands: { title: string }[] }[] }[];
      name: { short: string; full: string };
      developer: { privacyUrl: string; termsOfUseUrl: string };
      validDomains: string[];
    };
    expect(manifest.bots[0]?.botId).toBe(botId);
    expect(manifest.id).toBe(botId);
    expect(manifest.manifestVersion).toBe('1.30');
    expect(manifest.bots[0]?.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(manifest.bots[0]?.commandLists[0]?.commands.map((c) => c.title)).toEqual([
      'diagnostic rapide',
      'diagnostic complet',
      'convaincre mon élu',
      'reprendre',
      'aide',
    ]);
    expect(manifest.name.short).toBe('Assistant maturité');
    expect(manifest.developer.privacyUrl).toBe('https://assistant.exemple.fr/confidentialite');
    expect(manifest.developer.termsOfUseUrl).toBe('https://assistant.exemple.fr/mentions-legales');
    expect(manifest.validDomains).toEqual(['assistant.exemple.fr']);
    expect(JSON.stringify(manifest)).not.toMatch(/\{\{/);
  });

  it('le schéma est la copie exacte du schéma officiel 1.30 du paquet @microsoft/app-manifest', () => {
    const vendored = readFileSync(schemaPath);
    const official = readFileSync(
      join(
        projectRoot,
        'node_modules/@microsoft/app-manifest/build/json-schemas/teams/v1.30/MicrosoftTeams.schema.json',
      ),
    );
    expect(vendored.equals(official)).toBe(true);
    const schema = JSON.parse(vendored.toString('utf8')) as {
      $schema: string;
      properties: { manifestVersion: { const: string } };
    };
    expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(schema.properties.manifestVersion.const).toBe('1.30');
    const readme = readFileSync(join(appPackageDir, 'schema', 'README.md'), 'utf8');
    const { version } = JSON.parse(
      readFileSync(join(projectRoot, 'node_modules/@microsoft/app-manifest/package.json'), 'utf8'),
    ) as { version: string };
    expect(readme).toContain(`\`@microsoft/app-manifest\` **${version}**`);
    expect(readme).toContain(createHash('sha256').update(vendored).digest('hex'));
    expect(readdirSync(join(appPackageDir, 'schema')).sort()).toEqual([
      'MicrosoftTeams.v1.30.schema.json',
      'README.md',
    ]);
  });

  it('le manifeste rempli est valide selon le schéma, qui refuse un manifeste faux', () => {
    const manifest = fillManifest(env);
    expect(validateManifest(manifest)).toEqual([]);

    const broken = structuredClone(manifest) as Record<string, unknown> & {
      bots: { botId: string; scopes: string[] }[];
      name: { short: string };
    };
    broken.bots[0]!.botId = 'pas-un-guid';
    broken.bots[0]!.scopes = ['personal', 'meeting'];
    broken.name.short = 'Un nom bien trop long pour la barre de Teams';
    broken.supportsTelepathy = true;
    const errors = validateManifest(broken);
    expect(errors.join('\n')).toMatch(/\/bots\/0\/botId must match pattern/);
    expect(errors.join('\n')).toMatch(/\/bots\/0\/scopes\/1 must be equal to one of the allowed values/);
    expect(errors.join('\n')).toMatch(/\/name\/short must NOT have more than 30 characters/);
    expect(errors.join('\n')).toMatch(/must NOT have additional properties/);
  });

  it('le schéma officiel nomme le champ obligatoire manquant, l’id mal formé et le nom trop long', () => {
    const manifest = fillManifest(env) as Record<string, unknown> & { name: { short: string } };
    const broken = structuredClone(manifest);
    delete broken.developer;
    broken.id = 'assistant-maturite';
    broken.name.short = 'Assistant maturité inclusion numérique';
    expect(validateManifest(broken)).toEqual([
      "/ must have required property 'developer'",
      '/id must match pattern "^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$"',
      '/name/short must NOT have more than 30 characters',
    ]);
  });

  it('accepte ce que le schéma officiel permet et qu’un schéma écrit à la main refusait', () => {
    const manifest = fillManifest(env) as Record<string, unknown> & {
      bots: { commandLists: { commands: { title: string; description: string }[] }[] }[];
    };
    const allowed = structuredClone(manifest);
    const command = allowed.bots[0]!.commandLists[0]!.commands[0]!;
    command.title = 'faire le diagnostic rapide de ma collectivité'; // 45 characters (official limit: 128)
    command.description = 'Treize questions. '.repeat(12); // 216 characters (official limit: 4,000)
    allowed.version = '1.0';
    allowed.webApplicationInfo = { id: botId, resource: 'api://assistant.exemple.fr/' + botId };
    allowed.staticTabs = [{ entityId: 'conversation', scopes: ['personal'] }];
    allowed.authorization = {
      permissions: { resourceSpecific: [{ name: 'ChatMessage.Read.Chat', type: 'Application' }] },
    };
    allowed.defaultGroupCapability = { team: 'bot', groupchat: 'bot' };
    expect(validateManifest(allowed)).toEqual([]);

    command.title = 'x'.repeat(129);
    expect(validateManifest(allowed)).toEqual([
      '/bots/0/commandLists/0/commands/0/title must NOT have more than 128 characters',
    ]);
  });

  it('--check valide un manifest.json tel quel : code 0 s’il est valide, 1 et les erreurs sinon', async () => {
    const dir = outDir();
    const good = join(dir, 'valide.json');
    writeFileSync(good, JSON.stringify(fillManifest(env)));
    const bad = join(dir, 'faux.json');
    writeFileSync(
      bad,
      JSON.stringify({ ...fillManifest(env), accentColor: 'bleu', supportsTelepathy: true }),
    );
    const run = (file: string) =>
      promisify(execFile)(
        process.execPath,
        [
          join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
          join(projectRoot, 'scripts', 'teams-package.ts'),
          '--check',
          file,
        ],
        { cwd: projectRoot, env: { PATH: process.env.PATH ?? '' } },
      );
    const ok = await run(good);
    expect(ok.stdout).toContain('manifeste valide selon le schéma officiel 1.30');

    const failed = await run(bad).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain(`teams:package: manifeste invalide (${bad})`);
    expect(failed?.stderr).toContain('/accentColor must match pattern "^#[0-9a-fA-F]{6}$"');
    expect(failed?.stderr).toContain('/ must NOT have additional properties : « supportsTelepathy »');
  }, 60_000);

  it('prend TEAMS_APP_ID pour l’id de l’application quand il est donné', () => {
    const appId = '5d3c2b1a-0f9e-4d8c-9b7a-6e5d4c3b2a19';
    const manifest = fillManifest({ ...env, TEAMS_APP_ID: appId }) as {
      id: string;
      bots: { botId: string }[];
    };
    expect(manifest.id).toBe(appId);
    expect(manifest.bots[0]?.botId).toBe(botId);
  });

  it('nomme la variable qui manque', () => {
    expect(() => fillManifest({ PUBLIC_URL: env.PUBLIC_URL })).toThrow(TeamsPackageError);
    expect(() => fillManifest({ PUBLIC_URL: env.PUBLIC_URL })).toThrow(/MicrosoftAppId/);
    expect(() => fillManifest({ MicrosoftAppId: botId })).toThrow(/PUBLIC_URL/);
    expect(() => fillManifest({ MicrosoftAppId: botId, PUBLIC_URL: 'http://non-https.fr' })).toThrow(/https/);
  });

  it('icône couleur 192×192 opaque ; icône contour 32×32, blanche sur fond transparent', () => {
    const color = decodePng(readFileSync(join(appPackageDir, 'color.png')));
    expect([color.width, color.height]).toEqual([192, 192]);
    for (let i = 3; i < color.pixels.length; i += 4) expect(color.pixels[i]).toBe(255);

    const outline = decodePng(readFileSync(join(appPackageDir, 'outline.png')));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let transparent = 0;
    let opaque = 0;
    for (let i = 0; i < outline.pixels.length; i += 4) {
      const [r, g, b, a] = [...outline.pixels.subarray(i, i + 4)] as [number, number, number, number];
      if (a === 0) transparent += 1;
      else expect(Math.min(r, g, b)).toBeGreaterThanOrEqual(250);
      if (a === 255) opaque += 1;
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.5);
    expect(opaque).toBeGreaterThan(50);
  });

  it('le script npm (tsx scripts/teams-package.ts) écrit le zip depuis l’environnement', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        join(projectRoot, 'scripts', 'teams-package.ts'),
      ],
      { cwd: projectRoot, env: { PATH: process.env.PATH ?? '', ...env } },
    );
    expect(stdout).toContain('appPackage/build/assistant-maturite-teams.zip');
    expect(stdout).toContain(botId);
    const zip = await JSZip.loadAsync(
      readFileSync(join(appPackageDir, 'build', 'assistant-maturite-teams.zip')),
    );
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as {
      bots: { botId: string }[];
    };
    expect(manifest.bots[0]?.botId).toBe(botId);
  }, 30_000);
});
