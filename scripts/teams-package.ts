// Builds the Microsoft Teams app package: appPackage/manifest.json with its ids filled from the environment
// (MicrosoftAppId, TEAMS_APP_ID, PUBLIC_URL), validated against the manifest schema, zipped with both icons.
//   npm run teams:package            → appPackage/build/assistant-maturite-teams.zip
//   npm run teams:package -- --icons → also redraws color.png and outline.png from their SVG sources
import 'dotenv/config';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { projectRoot } from '../src/paths.js';

export const appPackageDir = join(projectRoot, 'appPackage');
export const schemaPath = join(appPackageDir, 'schema', 'MicrosoftTeams.v1.30.subset.schema.json');
const guid = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

export class TeamsPackageError extends Error {
  constructor(message: string) {
    super(`teams:package: ${message}`);
    this.name = 'TeamsPackageError';
  }
}

export interface TeamsPackage {
  manifest: Record<string, unknown>;
  zipPath: string;
  files: string[];
}

/** The manifest with its `{{…}}` placeholders filled from `env`; throws a message naming the missing variable. */
export function fillManifest(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const botId = env.MicrosoftAppId?.trim();
  if (!botId || !guid.test(botId)) {
    throw new TeamsPackageError(
      'MicrosoftAppId doit être l’identifiant (GUID) de l’application du bot Azure / must be the Azure Bot app id (GUID)',
    );
  }
  const appId = env.TEAMS_APP_ID?.trim() || botId;
  if (!guid.test(appId)) throw new TeamsPackageError('TEAMS_APP_ID doit être un GUID / must be a GUID');
  const publicUrl = env.PUBLIC_URL?.trim().replace(/\/+$/, '');
  if (!publicUrl || !/^https:\/\/[^/]+/.test(publicUrl)) {
    throw new TeamsPackageError(
      'PUBLIC_URL doit être l’adresse https publique du service, par ex. https://assistant.exemple.fr / must be the public https URL',
    );
  }
  const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  const values: Record<string, string> = {
    MicrosoftAppId: botId,
    TEAMS_APP_ID: appId,
    VERSION: version,
    PUBLIC_URL: publicUrl,
    PUBLIC_HOST: new URL(publicUrl).host,
    DEVELOPER_NAME: (env.TEAMS_DEVELOPER_NAME?.trim() || 'Assistant maturité').slice(0, 32),
  };
  const template = readFileSync(join(appPackageDir, 'manifest.json'), 'utf8');
  const filled = template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined)
      throw new TeamsPackageError(`unknown placeholder ${whole} in appPackage/manifest.json`);
    return JSON.stringify(value).slice(1, -1);
  });
  return JSON.parse(filled) as Record<string, unknown>;
}

/** Schema errors of a manifest, readable: `/bots/0/botId must match pattern …`. */
export function validateManifest(manifest: unknown): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) =>
    `${e.instancePath || '/'} ${e.message ?? ''}`.trim(),
  );
}

export async function buildTeamsPackage(
  env: NodeJS.ProcessEnv = process.env,
  outDir = join(appPackageDir, 'build'),
): Promise<TeamsPackage> {
  const manifest = fillManifest(env);
  const errors = validateManifest(manifest);
  if (errors.length > 0) throw new TeamsPackageError(`manifest invalide :\n  ${errors.join('\n  ')}`);
  const icons = manifest.icons as { color: string; outline: string };

  const zip = new JSZip();
  const manifestJson = `${JSON.stringify(manifest, null, 2)}\n`;
  zip.file('manifest.json', manifestJson);
  for (const icon of [icons.color, icons.outline]) zip.file(icon, readFileSync(join(appPackageDir, icon)));
  mkdirSync(outDir, { recursive: true });
  const zipPath = join(outDir, 'assistant-maturite-teams.zip');
  writeFileSync(zipPath, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  writeFileSync(join(outDir, 'manifest.json'), manifestJson);
  return { manifest, zipPath, files: Object.keys(zip.files) };
}

/** Redraws the PNG icons from their SVG sources (run once after editing an SVG; the PNGs are committed). */
export function renderIcons(): string[] {
  const written: string[] = [];
  for (const [svg, png] of [
    ['color.svg', 'color.png'],
    ['outline.svg', 'outline.png'],
  ] as const) {
    const rendered = new Resvg(readFileSync(join(appPackageDir, svg)), {
      fitTo: { mode: 'original' },
    }).render();
    writeFileSync(join(appPackageDir, png), rendered.asPng());
    written.push(`${png} (${rendered.width}×${rendered.height})`);
  }
  return written;
}

async function main(): Promise<void> {
  if (process.argv.includes('--icons')) console.info(`icônes redessinées : ${renderIcons().join(', ')}`);
  const built = await buildTeamsPackage();
  const bot = (built.manifest.bots as { botId: string }[])[0];
  console.info(`paquet Teams écrit : ${relative(projectRoot, built.zipPath)} (${built.files.join(', ')})`);
  console.info(
    `botId : ${bot?.botId} — chargez ce fichier dans Teams : Applications → Gérer vos applications → Charger une application.`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof TeamsPackageError ? err.message : err);
    process.exit(1);
  });
}
