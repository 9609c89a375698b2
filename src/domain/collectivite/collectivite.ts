import { z } from 'zod';
import type { Territory } from '../territory/territory.js';

export const collectiviteTypes = ['commune', 'intercommunalite', 'departement', 'region', 'autre'] as const;
export type CollectiviteType = (typeof collectiviteTypes)[number];

export const collectiviteTypeLabels: Record<CollectiviteType, string> = {
  commune: 'Commune',
  intercommunalite: 'Intercommunalité',
  departement: 'Département',
  region: 'Région',
  autre: 'Autre',
};

export const territoryTraits = ['rural', 'qpv', 'environnement'] as const;
export type TerritoryTrait = (typeof territoryTraits)[number];

export const territoryTraitLabels: Record<TerritoryTrait, string> = {
  rural: 'Territoire rural ou en ZRR',
  qpv: 'Quartiers prioritaires (QPV)',
  environnement: 'Ambition environnementale',
};

export const maxCollectiviteNameLength = 120;

export const collectiviteNameSchema = z
  .string()
  .transform((s) =>
    s
      .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  )
  .pipe(
    z
      .string()
      .min(2, 'Le nom doit compter au moins 2 caractères.')
      .max(maxCollectiviteNameLength, `Le nom ne doit pas dépasser ${maxCollectiviteNameLength} caractères.`),
  );

const allowedName = /^[\p{L}\p{N}\p{Zs}'’\-.,()&/]+$/u;
/** Something Teams or Web Chat would turn into a link: refused in a name. */
const linkLike = /(:\/\/|\bwww\.|\.(fr|com|org|net|eu|io|info|gouv|bzh|re)\b)/i;

/** The name cleaned, or the French reason it cannot be a collectivité's name (no Markdown, no web address). */
export function checkCollectiviteName(
  typed: string,
): { ok: true; name: string } | { ok: false; reason: string } {
  const parsed = collectiviteNameSchema.safeParse(typed);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues[0]!.message };
  if (!allowedName.test(parsed.data) || linkLike.test(parsed.data))
    return {
      ok: false,
      reason:
        "Le nom ne peut contenir que des lettres, des chiffres, des espaces et les signes ' - . , ( ) & / (pas d'adresse web).",
    };
  return { ok: true, name: parsed.data };
}

/** A collectivité's name as people type it: trimmed, single spaces, no control characters, bounded. */

export interface Collectivite {
  id: string;
  name: string;
  type: CollectiviteType;
  traits: TerritoryTrait[];
  /** The collectivité in the official découpage (code, population, département…), when it was recognised. */
  official?: Territory;
  /** Teams tenant that owns it (undefined on the web): nobody from another tenant can reach it. */
  tenantId?: string;
  /** Respondent ids allowed to answer and see results. */
  members: string[];
  /** Join code to share with colleagues ("rejoindre ABCD-1234"); revocable. */
  joinCode?: string;
  /** Its diagnostics, oldest first. */
  diagnosticIds: string[];
  createdAt: string;
  updatedAt: string;
}

const typeByName: [RegExp, CollectiviteType][] = [
  [
    /^(communaute (de communes|d agglomeration|urbaine)|metropole|cc|ca|cu|epci|syndicat|pays|pole d equilibre|petr)\b/,
    'intercommunalite',
  ],
  [/^(commune|ville|mairie|village)\b/, 'commune'],
  [/^(departement|conseil departemental|collectivite europeenne)\b/, 'departement'],
  [/^(region|conseil regional)\b/, 'region'],
];

/** The type a name says plainly (« Communauté de communes de… » → intercommunalité); undefined when it does not. */
export function typeFromName(name: string): CollectiviteType | undefined {
  const folded = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  return typeByName.find(([pattern]) => pattern.test(folded))?.[1];
}
