import type { CollectiviteType, TerritoryTrait } from '../collectivite/collectivite.js';
import { formatPercent } from '../scoring/format.js';
import type { MaturityResult } from '../scoring/scoring.js';
import type { DiagnosticLink } from './schema.js';

/** A weak spot of the person's diagnostic that the arguments should lean on. */
export interface WeakPoint {
  /** Enjeu (E1) or prérequis (E2P2) id. */
  for: string;
  /** "Enjeu 1 — Porter politiquement l'inclusion numérique : 0 %" */
  label: string;
  /** The same in words for an élu, without numbering nor score: "porter politiquement l'inclusion numérique" */
  words: string;
  link: DiagnosticLink;
}

/** What the guided path knows about the person: each answer can be skipped. */
export interface ElusProfile {
  situation?: string;
  frein?: string;
  territoire?: string;
  echelon?: string;
  /** Weakest first. */
  weakPoints?: WeakPoint[];
}

export const profileSteps = ['situation', 'frein', 'territoire', 'echelon'] as const;
export type ProfileStep = (typeof profileSteps)[number];

const echelonOfType: Record<CollectiviteType, string | undefined> = {
  commune: 'commune',
  intercommunalite: 'intercommunalite',
  departement: 'departement',
  region: 'region',
  autre: undefined,
};

/** Échelon and territory known from the collectivité of a diagnostic (its first trait, when it has several). */
export function profileFromCollectivite(collectivite: {
  type: CollectiviteType;
  traits: readonly TerritoryTrait[];
}): Pick<ElusProfile, 'echelon' | 'territoire'> {
  const echelon = echelonOfType[collectivite.type];
  const territoire = collectivite.traits[0];
  return { ...(echelon ? { echelon } : {}), ...(territoire ? { territoire } : {}) };
}

/** Below this score an enjeu or a prérequis is a weak spot worth an argument. */
const weakBelow = 75;
/** An enjeu-wide weakness counts a little more than one prérequis of the same score. */
const enjeuBonus = 5;

/** A title as part of a sentence: no final stop, lower-case first letter. */
const inWords = (title: string) => {
  const bare = title.trim().replace(/\.$/, '');
  return bare.charAt(0).toLowerCase() + bare.slice(1);
};

/**
 * The diagnostic's weak spots that have an argument in the referential, weakest first: weak political backing
 * (E1) leads to why portage matters, no dedicated budget (E2P2) to cofinancement, and so on.
 */
export function weakPointsOf(result: MaturityResult, links: readonly DiagnosticLink[]): WeakPoint[] {
  const candidates: (WeakPoint & { weakness: number })[] = [];
  for (const enjeu of result.enjeux) {
    const link = links.find((l) => l.for === enjeu.id);
    if (enjeu.score !== null && enjeu.score < weakBelow && link) {
      candidates.push({
        for: enjeu.id,
        label: `Enjeu ${enjeu.number} — ${enjeu.title} : ${formatPercent(enjeu.score)}`,
        words: inWords(enjeu.title),
        link,
        weakness: 100 - enjeu.score + enjeuBonus,
      });
    }
    for (const p of enjeu.prerequis) {
      const prerequisLink = links.find((l) => l.for === p.id);
      if (p.score !== null && p.score < weakBelow && prerequisLink) {
        candidates.push({
          for: p.id,
          label: `Prérequis ${p.enjeuNumber}.${p.number} — ${p.title.replace(/\.$/, '')} : ${formatPercent(p.score)}`,
          words: inWords(p.title),
          link: prerequisLink,
          weakness: 100 - p.score,
        });
      }
    }
  }
  const seen = new Set<string>();
  return candidates
    .sort((a, b) => b.weakness - a.weakness)
    .filter((c) => !seen.has(c.link.topic) && seen.add(c.link.topic))
    .slice(0, 3)
    .map(({ weakness: _weakness, ...point }) => point);
}
