import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedsDir } from './helpers.js';

/**
 * Reading the seed documents in tests. They are PDF extractions: compare without accents, case, Markdown emphasis,
 * quotes or line breaks.
 */
export const flat = (text: string) =>
  text
    .replace(/\*\*|<\/?sup>/g, '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9%]+/g, ' ')
    .trim();

const seeds = new Map<string, string>();

/** The flattened text of a seed document ("seeds/001_….txt"). */
export function seed(document: string): string {
  if (!seeds.has(document))
    seeds.set(document, flat(readFileSync(join(seedsDir, document.replace(/^seeds\//, '')), 'utf8')));
  return seeds.get(document)!;
}

/** Share of the words of `text` (longer than 3 letters) that the seed document contains. */
export function wordsFound(text: string, document: string): number {
  const words = flat(text)
    .split(' ')
    .filter((w) => w.length > 3);
  const all = new Set(seed(document).split(' '));
  return words.filter((w) => all.has(w)).length / words.length;
}
