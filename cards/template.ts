import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { projectRoot } from '../src/paths.js';

export type CardJson = Record<string, unknown>;

/** Teams renders Adaptive Cards up to schema 1.5 and only with Action.Submit (no Action.Execute). */
export const cardSchemaVersion = '1.5';

/** A card template of cards/templates/, parsed once, expanded with adaptivecards-templating. */
export function cardTemplate<D extends object>(name: string): (data: D) => CardJson {
  const json = JSON.parse(
    readFileSync(join(projectRoot, 'cards', 'templates', `${name}.json`), 'utf8'),
  ) as CardJson;
  const template = new ACData.Template(json);
  return (data) => template.expand({ $root: data }) as CardJson;
}

/**
 * Text typed by people, made inert for the Markdown subset of Adaptive Cards: no link, image, emphasis or heading
 * can come out of a collectivité's name.
 */
export function plain(text: string): string {
  return text
    .replace(/\[/g, '(')
    .replace(/\]/g, ')')
    .replace(/[*_`~#|\\]/g, ' ')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/!+(?=\()/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
