// Builds the Microsoft Teams app package: appPackage/manifest.json with its ids filled from the environment
// (MicrosoftAppId, TEAMS_APP_ID, PUBLIC_URL), validated against Microsoft's official manifest schema 1.30
// (appPackage/schema/, see its README), zipped with both icons.
//   npm run teams:package                     → appPackage/build/assistant-maturite-teams.zip
//   npm run teams:package -- --icons          → also redraws color.png and outline.png from their SVG sources
//   npm run teams:package -- --check <file>   → only validates that manifest.json (exit code 1 when invalid)
import 'dotenv/config';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import AjvDraft04, { type ErrorObject, type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { projectRoot } from '../src/paths.js';

export const appPackageDir = join(projectRoot, 'appPackage');
export const schemaPath = join(appPackageDir, 'schema', 'MicrosoftTeams.v1.30.schema.json');
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

let compiled: ValidateFunction | undefined;

/** The official schema is draft-04, which Ajv 8 compiles only in its draft-04 flavour (`ajv-draft-04`). */
function manifestValidator(): ValidateFunction {
  if (!compiled) {
    // strict: false — Ajv's strict mode refuses the official schema as written (e.g. `additionalProperties` in a
    // subschema without `"type": "object"`); it is Microsoft's file, used as published
    const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    compiled = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
  }
  return compiled;
}

/** One schema error as the official schema words it, at its JSON pointer: `/name/short must NOT have more than 30 characters`. */
export function formatSchemaError(error: ErrorObject): string {
  const params = error.params as { additionalProperty?: string; allowedValues?: unknown[] };
  let detail = '';
  if (params.additionalProperty !== undefined) detail = ` : « ${params.additionalProperty} »`;
  else if (params.allowedValues)
    detail = ` : ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${error.instancePath || '/'} ${error.message ?? ''}${detail}`;
}

/** Schema errors of a manifest against the official schema 1.30, readable; empty when it is valid. */
export function validateManifest(manifest: unknown): string[] {
  const validate = manifestValidator();
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map(formatSchemaError);
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

/** `--check <file>`: validates a manifest.json as it is (no placeholder filled, nothing written). */
function checkManifestFile(file: string): void {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TeamsPackageError(`${file} : illisible / unreadable (${(err as Error).message})`);
  }
  const errors = validateManifest(manifest);
  if (errors.length > 0)
    throw new TeamsPackageError(`manifeste invalide (${file}) :\n  ${errors.join('\n  ')}`);
  console.info(`${file} : manifeste valide selon le schéma officiel 1.30`);
}

async function main(): Promise<void> {
  const check = process.argv.indexOf('--check');
  if (check >= 0) {
    const file = process.argv[check + 1];
    if (!file)
      throw new TeamsPackageError(
        '--check attend le chemin d’un manifest.json / expects a manifest.json path',
      );
    return checkManifestFile(file);
  }
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
