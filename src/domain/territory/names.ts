import type { TerritoryKind } from './territory.js';

/**
 * How names of collectivités are compared: « St-Étienne », « saint etienne » and « SAINT-ÉTIENNE » give the same
 * key; « Communauté de communes de Lacq-Orthez » and « CC de Lacq-Orthez » too.
 */

const abbreviations: Record<string, string> = { st: 'saint', ste: 'sainte', sts: 'saints', stes: 'saintes' };

/** Lower case, no accents, œ → oe, hyphens and apostrophes as spaces, « St » → « saint ». */
export function nameKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .map((word) => abbreviations[word] ?? word)
    .join(' ');
}

/** The long forms of EPCI legal names, as the DGCL list abbreviates them. */
const epciForms: [RegExp, string][] = [
  [/^communaute de communes\b/, 'cc'],
  [/^communaute d (agglomeration|agglo)\b/, 'ca'],
  [/^communaute urbaine\b/, 'cu'],
];

/** Words a person puts before a name to say what kind of collectivité it is. */
const kindHints: [RegExp, TerritoryKind][] = [
  [
    /^(cc|ca|cu|metropole|eurometropole|agglomeration|agglo|communaute|intercommunalite|interco|epci|ept)\b/,
    'epci',
  ],
  [/^(commune nouvelle|commune|ville|mairie|municipalite|village)\b/, 'commune'],
  [/^(conseil departemental|conseil general|departement|cd)\b/, 'departement'],
  [/^(conseil regional|region)\b/, 'region'],
];

const connector = /^(de la|de l|des|du|de|d)\b ?/;
const article = /^(le|la|les|l)\b ?/;
/** Words of an EPCI's name that only say it is one: « CA Tulle Agglo » is, barely, « Tulle ». */
const epciTypeWords = /\b(cc|ca|cu|metropole|eurometropole|agglomeration|agglo|communaute)\b/g;

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** « cc de lacq orthez » → « lacq orthez »; « le havre » → « havre ». */
export function coreKey(key: string, kind: TerritoryKind): string {
  if (kind === 'epci') {
    const hinted = kindHints[0]![0].exec(key);
    const rest = hinted ? key.slice(hinted[0].length).trim() : key;
    return rest.replace(connector, '').trim() || key;
  }
  return key.replace(article, '').trim() || key;
}

/** An EPCI's name without the words that only say it is an EPCI: « tulle agglo » → « tulle ». */
export function bareKey(core: string): string {
  return squash(squash(core.replace(epciTypeWords, ' ')).replace(connector, '')) || core;
}

export interface NameQuery {
  /** The whole typed name as a key, with EPCI long forms abbreviated: « cc de lacq orthez ». */
  full: string;
  /** The kind the person said (« Communauté de communes… », « Ville de… », « Département de… »). */
  hint?: TerritoryKind;
  /** What follows the kind and its « de », « du »…: « lacq orthez ». */
  rest: string;
}

export function parseName(text: string): NameQuery {
  let full = nameKey(text);
  for (const [pattern, short] of epciForms) full = full.replace(pattern, short);
  for (const [pattern, kind] of kindHints) {
    const found = pattern.exec(full);
    if (!found) continue;
    const rest = full.slice(found[0].length).trim().replace(connector, '').trim();
    if (rest) return { full, hint: kind, rest };
  }
  return { full, rest: full };
}

/**
 * True when `a` and `b` are one edit apart (one letter changed, added, removed, or two neighbours swapped:
 * « bordaeux » → « bordeaux »). Equal strings are not.
 */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // transposition
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
