import type { CollectiviteType } from '../collectivite/collectivite.js';

/**
 * A collectivité as the official découpage administratif knows it (INSEE code officiel géographique, DGCL list of
 * EPCI, INSEE populations légales, through @etalab/decoupage-administratif), and how it is said in French.
 */

export const territoryKinds = ['commune', 'epci', 'departement', 'region'] as const;
export type TerritoryKind = (typeof territoryKinds)[number];

export interface Place {
  code: string;
  name: string;
}

export interface Territory {
  kind: TerritoryKind;
  /** Code INSEE (commune, département, région) or SIREN (EPCI). */
  code: string;
  /** Official name: « Tulle », « CC de Lacq-Orthez », « Corrèze ». */
  name: string;
  /** A commune's SIREN (an EPCI's SIREN is its code). */
  siren?: string;
  /** Population municipale (INSEE); a département's or a région's is the sum of its communes'. */
  population?: number;
  /** An EPCI's legal form: CC, CA, CU, METRO, MET69 (Métropole de Lyon), EPT (Grand Paris). */
  nature?: string;
  /** A commune's département; an EPCI's is the one where most of its population lives. */
  departement?: Place;
  region?: Place;
  /** A commune's EPCI à fiscalité propre. */
  epci?: Place;
  /** How many communes an EPCI, a département or a région has. */
  communeCount?: number;
}

export const collectiviteTypeOfKind: Record<TerritoryKind, CollectiviteType> = {
  commune: 'commune',
  epci: 'intercommunalite',
  departement: 'departement',
  region: 'region',
};

const kindWords: Record<TerritoryKind, string> = {
  commune: 'commune',
  epci: 'intercommunalité',
  departement: 'département',
  region: 'région',
};

const natureWords: Record<string, string> = {
  CC: 'communauté de communes',
  CA: "communauté d'agglomération",
  CU: 'communauté urbaine',
  METRO: 'métropole',
  MET69: 'métropole',
  EPT: 'établissement public territorial',
};

/** No-break space in « 13 401 » (Intl's narrow one shows badly in some fonts). */
const nbsp = '\u00a0';
const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
export const formatCount = (n: number): string => integer.format(n).replace(/[\u202f\u00a0 ]/g, nbsp);

/** « code INSEE 19272 », « SIREN 200039204 », « code 19 ». */
export function codeLabel(t: Pick<Territory, 'kind' | 'code'>): string {
  if (t.kind === 'commune') return `code INSEE ${t.code}`;
  if (t.kind === 'epci') return `SIREN ${t.code}`;
  return `code ${t.code}`;
}

/** « commune », « intercommunalité (communauté de communes) ». */
export function kindLabel(t: Pick<Territory, 'kind' | 'nature'>): string {
  const nature = t.nature ? natureWords[t.nature] : undefined;
  return nature ? `${kindWords[t.kind]} (${nature})` : kindWords[t.kind];
}

/** « Tulle (commune, Corrèze, 13 401 habitants — code INSEE 19272) ». */
export function describeTerritory(t: Territory): string {
  const where =
    t.kind === 'region' ? undefined : t.kind === 'departement' ? t.region?.name : t.departement?.name;
  const parts = [
    kindWords[t.kind],
    where,
    t.kind !== 'commune' && t.communeCount !== undefined
      ? `${formatCount(t.communeCount)} commune${t.communeCount > 1 ? 's' : ''}`
      : undefined,
    t.population !== undefined ? `${formatCount(t.population)} habitants` : undefined,
  ].filter(Boolean);
  return `${t.name} (${parts.join(', ')} — ${codeLabel(t)})`;
}

/** Teams shows a button's title whole up to this many characters. */
export const maxButtonLength = 30;

/** « CC Bretagne Porte de Loire Communauté » → « CC Bretagne Porte de Loire… » (cut between words). */
function shortened(text: string): string {
  if (text.length <= maxButtonLength) return text;
  const cut = text.slice(0, maxButtonLength - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxButtonLength / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * A button title of 30 characters at most that still tells homonyms apart: « Saint-Denis (La Réunion) »,
 * « Saint-Denis (93) » when the département's name is too long, « Corrèze (département) ».
 */
export function shortTerritoryLabel(t: Territory): string {
  if (t.kind === 'commune' && t.departement) {
    const named = `${t.name} (${t.departement.name})`;
    return named.length <= maxButtonLength ? named : shortened(`${t.name} (${t.departement.code})`);
  }
  if (t.kind === 'departement' || t.kind === 'region') return shortened(`${t.name} (${kindWords[t.kind]})`);
  return shortened(t.name);
}
