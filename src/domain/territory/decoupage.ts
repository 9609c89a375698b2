import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { bareKey, coreKey, nameKey, oneEditApart, parseName } from './names.js';
import type { Place, Territory, TerritoryKind } from './territory.js';

/**
 * The official découpage administratif (communes, EPCI, départements, régions) from the data files of
 * @etalab/decoupage-administratif, read once and kept as a compact index; `search` finds a collectivité from what a
 * person types: a name (accents, case, hyphens, « St », a typo, « CC de… »), a code INSEE, a code postal, a SIREN.
 */

interface RawCommune {
  code: string;
  nom: string;
  type: string;
  departement: string;
  region: string;
  siren?: string;
  codesPostaux?: string[];
  population?: number;
  anciensCodes?: string[];
}
interface RawGroup {
  code: string;
  nom: string;
  type: string;
  membres: { code: string }[];
}
/** An EPCI (or an EPT) as kept while loading: its members by code. */
interface Group {
  code: string;
  nom: string;
  type: string;
  membres: string[];
}
interface RawDepartement {
  code: string;
  nom: string;
  region: string;
}
interface RawRegion {
  code: string;
  nom: string;
}

/** How a candidate was found, best first. */
export type MatchKind = 'code' | 'siren' | 'postcode' | 'name' | 'alias' | 'prefix' | 'typo';

const matchScores: Record<MatchKind, number> = {
  code: 100,
  siren: 100,
  postcode: 95,
  name: 90,
  alias: 85,
  prefix: 60,
  typo: 40,
};

/** At or above this score a candidate is what the person typed, not a guess (prefix or typo). */
export const exactScore = matchScores.alias;

/** At most this many collectivités are offered to choose from (a card keeps a fifth button for « Aucune »). */
export const maxCandidates = 4;

export type Recognition =
  | { kind: 'one'; territory: Territory }
  | { kind: 'homonyms' | 'guesses'; candidates: Territory[]; total: number }
  | { kind: 'none' };

export interface Candidate {
  territory: Territory;
  match: MatchKind;
  score: number;
}

/** Names compared with a typo: at least this many letters (« one edit on names of 6 letters or more »). */
const typoMinLength = 6;
/** Names compared by their beginning: at least this many letters typed. */
const prefixMinLength = 4;

const communeCode = /^(\d{5}|2[AB]\d{3})$/;
const departementCode = /^(\d{2}|2[AB]|9[78]\d)$/;

const packageName = '@etalab/decoupage-administratif';

async function readData<T extends { code: string; nom: string }>(file: string): Promise<T[]> {
  // the data files the package's README documents (require('@etalab/decoupage-administratif/data/communes.json'))
  const path = createRequire(import.meta.url).resolve(`${packageName}/data/${file}.json`);
  const data: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (!Array.isArray(data) || data.length === 0)
    throw new Error(`territory: ${packageName}/data/${file}.json is not a list — has the package changed?`);
  for (const [i, record] of data.entries())
    if (typeof record?.code !== 'string' || typeof record?.nom !== 'string')
      throw new Error(`territory: ${packageName}/data/${file}.json, record ${i} has no code or nom`);
  return data as T[];
}

export class Decoupage {
  private readonly entries: Territory[] = [];
  /** The départements an EPCI or a région spreads over, for « CC du Pays Basque 64 ». */
  private readonly departementsOf = new Map<number, string[]>();
  private readonly byCode: Record<TerritoryKind, Map<string, number>> = {
    commune: new Map(),
    epci: new Map(),
    departement: new Map(),
    region: new Map(),
  };
  private readonly bySiren = new Map<string, number>();
  private readonly byPostcode = new Map<string, number[]>();
  private readonly byOldCode = new Map<string, number>();
  /** The communes of each EPCI, département and région (by `${kind}:${code}`). */
  private readonly members = new Map<string, number[]>();
  private readonly names = new Map<string, number[]>();
  private readonly cores = new Map<string, number[]>();
  private readonly bares = new Map<string, number[]>();
  /** Name and core keys, sorted, for prefixes; and by length, for typos. */
  private readonly sorted: { key: string; entry: number }[] = [];
  private readonly byLength = new Map<number, { key: string; entry: number }[]>();

  /** Reads the package's data files (about 13 MB of JSON) and keeps only what the search needs. */
  static async load(): Promise<Decoupage> {
    // one file after the other, each list of EPCI cut down to what is kept before the 8.6 MB of communes are
    // read: the memory held while loading stays small (docs/benchmarks.md)
    const regions = await readData<RawRegion>('regions');
    const departements = await readData<RawDepartement>('departements');
    const groups: Group[] = [];
    for (const file of ['epci', 'ept'])
      for (const g of await readData<RawGroup>(file))
        groups.push({ code: g.code, nom: g.nom, type: g.type, membres: g.membres.map((m) => m.code) });
    return new Decoupage(await readData<RawCommune>('communes'), groups, departements, regions);
  }

  private constructor(
    communes: RawCommune[],
    groups: Group[],
    departements: RawDepartement[],
    regions: RawRegion[],
  ) {
    const regionPlaces = new Map(regions.map((r) => [r.code, { code: r.code, name: r.nom }]));
    const departementPlaces = new Map(departements.map((d) => [d.code, { code: d.code, name: d.nom }]));
    const epciOfCommune = new Map<string, Place>();
    for (const g of groups)
      if (g.type !== 'EPT')
        for (const code of g.membres) epciOfCommune.set(code, { code: g.code, name: g.nom });

    const current = communes.filter((c) => c.type === 'commune-actuelle');
    for (const c of current) {
      const epci = epciOfCommune.get(c.code);
      const departement = departementPlaces.get(c.departement);
      const region = regionPlaces.get(c.region);
      const entry = this.add(
        {
          kind: 'commune',
          code: c.code,
          name: c.nom,
          ...(c.siren ? { siren: c.siren } : {}),
          ...(c.population !== undefined ? { population: c.population } : {}),
          ...(departement ? { departement } : {}),
          ...(region ? { region } : {}),
          ...(epci ? { epci } : {}),
        },
        [c.departement],
      );
      push(this.members, `departement:${c.departement}`, entry);
      push(this.members, `region:${c.region}`, entry);
      if (c.siren) this.bySiren.set(c.siren, entry);
      for (const postcode of c.codesPostaux ?? []) push(this.byPostcode, postcode, entry);
      for (const old of c.anciensCodes ?? []) if (!this.byOldCode.has(old)) this.byOldCode.set(old, entry);
    }

    for (const g of groups) {
      const entries = g.membres.flatMap((code) => {
        const found = this.byCode.commune.get(code);
        return found === undefined ? [] : [found];
      });
      const weight = new Map<string, number>();
      for (const e of entries) {
        const departement = this.entries[e]!.departement?.code;
        if (departement)
          weight.set(departement, (weight.get(departement) ?? 0) + (this.entries[e]!.population ?? 0));
      }
      const main = [...weight.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
      const departement = main ? departementPlaces.get(main) : undefined;
      const region = main
        ? this.entries[entries.find((e) => this.entries[e]!.departement?.code === main)!]!.region
        : undefined;
      const entry = this.add(
        {
          kind: 'epci',
          code: g.code,
          name: g.nom,
          nature: g.type,
          population: this.sumPopulation(entries),
          ...(departement ? { departement } : {}),
          ...(region ? { region } : {}),
          communeCount: g.membres.length,
        },
        [...weight.keys()],
      );
      this.members.set(`epci:${g.code}`, entries);
      this.bySiren.set(g.code, entry);
    }

    for (const d of departements) {
      const inside = this.members.get(`departement:${d.code}`) ?? [];
      const region = regionPlaces.get(d.region);
      this.add(
        {
          kind: 'departement',
          code: d.code,
          name: d.nom,
          population: this.sumPopulation(inside),
          ...(region ? { region } : {}),
          communeCount: inside.length,
        },
        [d.code],
      );
    }

    for (const r of regions) {
      const inside = this.members.get(`region:${r.code}`) ?? [];
      this.add(
        {
          kind: 'region',
          code: r.code,
          name: r.nom,
          population: this.sumPopulation(inside),
          communeCount: inside.length,
        },
        departements.filter((d) => d.region === r.code).map((d) => d.code),
      );
    }

    this.sorted.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const item of this.sorted) push(this.byLength, item.key.length, item);
  }

  private add(territory: Territory, departements: string[]): number {
    const entry = this.entries.length;
    this.entries.push(territory);
    if (territory.kind === 'epci' || territory.kind === 'region')
      this.departementsOf.set(entry, departements);
    this.byCode[territory.kind].set(territory.code, entry);
    const full = nameKey(territory.name);
    const core = coreKey(full, territory.kind);
    push(this.names, full, entry);
    this.sorted.push({ key: full, entry });
    if (core !== full) {
      push(this.cores, core, entry);
      this.sorted.push({ key: core, entry });
    }
    if (territory.kind === 'epci') {
      const bare = bareKey(core);
      if (bare !== core) push(this.bares, bare, entry);
    }
    return entry;
  }

  private sumPopulation(entries: readonly number[]): number {
    return entries.reduce((sum, i) => sum + (this.entries[i]!.population ?? 0), 0);
  }

  private inDepartement(entry: number, code: string): boolean {
    const t = this.entries[entry]!;
    if (t.kind === 'commune') return t.departement?.code === code;
    if (t.kind === 'departement') return t.code === code;
    return this.departementsOf.get(entry)?.includes(code) ?? false;
  }

  /** How many collectivités are indexed, by kind. */
  counts(): Record<TerritoryKind, number> {
    const counts = { commune: 0, epci: 0, departement: 0, region: 0 };
    for (const t of this.entries) counts[t.kind]++;
    return counts;
  }

  get(kind: TerritoryKind, code: string): Territory | undefined {
    const entry = this.byCode[kind].get(code.toUpperCase());
    return entry === undefined ? undefined : this.entries[entry];
  }

  /** The communes of an EPCI, a département or a région, most populous first. */
  communesOf(territory: Pick<Territory, 'kind' | 'code'>): Territory[] {
    const entries = this.members.get(`${territory.kind}:${territory.code.toUpperCase()}`) ?? [];
    return entries.map((i) => this.entries[i]!).sort(byPopulation);
  }

  /** The EPCI à fiscalité propre a commune belongs to (a few island communes belong to none). */
  epciOf(communeCode: string): Territory | undefined {
    const epci = this.get('commune', communeCode)?.epci;
    return epci ? this.get('epci', epci.code) : undefined;
  }

  /**
   * Candidates for what a person typed, best first: codes and exact names (score ≥ `exactScore`), then names that
   * start with it, then names one typo away; homonyms of the same score by population, largest first.
   */
  search(text: string, limit = 10): Candidate[] {
    const found = new Map<number, MatchKind>();
    const add = (entry: number, match: MatchKind) => {
      const before = found.get(entry);
      if (before === undefined || matchScores[match] > matchScores[before]) found.set(entry, match);
    };
    const typed = text.trim();
    const digits = typed.replace(/[\s.]/g, '');
    let key = nameKey(typed);
    const code = key.toUpperCase();

    if (/^\d{9}$/.test(digits)) {
      const entry = this.bySiren.get(digits);
      if (entry !== undefined) add(entry, 'siren');
    } else if (communeCode.test(code)) {
      const entry = this.byCode.commune.get(code) ?? this.byOldCode.get(code);
      if (entry !== undefined) add(entry, 'code');
      for (const e of this.byPostcode.get(code) ?? []) add(e, 'postcode');
    } else if (departementCode.test(code)) {
      const entry = this.byCode.departement.get(code);
      if (entry !== undefined) add(entry, 'code');
    } else {
      // « Sainte-Marie 25 », « Saint-Denis (974) », « Tulle 19000 »: a name, then a département or a code postal
      const words = key.split(' ');
      const last = words.at(-1)!.toUpperCase();
      let within: string | undefined;
      if (words.length > 1 && (this.byCode.departement.has(last) || /^\d{5}$/.test(last))) {
        within = last;
        key = words.slice(0, -1).join(' ');
      }
      const keep = (entry: number) =>
        within === undefined ||
        (within.length === 5
          ? (this.byPostcode.get(within)?.includes(entry) ?? false)
          : this.inDepartement(entry, within));
      this.searchName(key, (entry, match) => keep(entry) && add(entry, match));
    }

    return [...found.entries()]
      .map(([entry, match]) => ({ territory: this.entries[entry]!, match, score: matchScores[match] }))
      .sort((a, b) => b.score - a.score || byPopulation(a.territory, b.territory))
      .slice(0, limit);
  }

  /**
   * What the set-up makes of a typed name: one collectivité for sure (a code, or the only exact name), homonyms to
   * choose from (the most populous first), guesses (a beginning, a typo) to offer, or nothing.
   */
  recognise(text: string, exclude?: Pick<Territory, 'kind' | 'code'>): Recognition {
    const found = this.search(text, 50).filter(
      (c) => !exclude || c.territory.kind !== exclude.kind || c.territory.code !== exclude.code,
    );
    const exact = found.filter((c) => c.score >= exactScore).map((c) => c.territory);
    if (exact.length === 1 && !exclude) return { kind: 'one', territory: exact[0]! };
    if (exact.length > 0)
      return { kind: 'homonyms', candidates: exact.slice(0, maxCandidates), total: exact.length };
    const guesses = found.map((c) => c.territory);
    return guesses.length > 0
      ? { kind: 'guesses', candidates: guesses.slice(0, maxCandidates), total: guesses.length }
      : { kind: 'none' };
  }

  private searchName(key: string, add: (entry: number, match: MatchKind) => void) {
    const query = parseName(key);
    const ofKind = (entries: readonly number[] | undefined, match: MatchKind) => {
      for (const e of entries ?? []) if (!query.hint || this.entries[e]!.kind === query.hint) add(e, match);
    };
    // the whole name as typed, whatever its first word (« Ville-d'Avray », « Village-Neuf »)
    for (const e of this.names.get(query.full) ?? []) add(e, 'name');
    const text = query.hint ? query.rest : query.full;
    if (query.hint) {
      ofKind(this.names.get(text), 'name');
      ofKind(this.cores.get(text), 'name');
      if (query.hint === 'epci') ofKind(this.bares.get(bareKey(text)), 'alias');
    } else {
      ofKind(this.cores.get(text), 'alias');
    }
    if (text.length >= prefixMinLength) {
      for (let i = lowerBound(this.sorted, text); i < this.sorted.length; i++) {
        const item = this.sorted[i]!;
        if (!item.key.startsWith(text)) break;
        if (item.key !== text) ofKind([item.entry], 'prefix');
      }
    }
    if (text.length >= typoMinLength) {
      for (let length = text.length - 1; length <= text.length + 1; length++)
        for (const item of this.byLength.get(length) ?? [])
          if (item.key.length >= typoMinLength && oneEditApart(text, item.key)) ofKind([item.entry], 'typo');
    }
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function lowerBound(sorted: readonly { key: string }[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]!.key < key) low = mid + 1;
    else high = mid;
  }
  return low;
}

const byPopulation = (a: Territory, b: Territory) => (b.population ?? 0) - (a.population ?? 0);

let loading: Promise<Decoupage> | undefined;

/** The découpage, read on first use and kept (a failed read is tried again next time). */
export function decoupage(): Promise<Decoupage> {
  loading ??= Decoupage.load().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}
