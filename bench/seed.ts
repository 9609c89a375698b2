import { join } from 'node:path';
import { MemoryStorage } from 'botbuilder';
import { recordAnswer } from '../src/domain/assessment/assessment.js';
import {
  collectiviteTypes,
  territoryTraits,
  type TerritoryTrait,
} from '../src/domain/collectivite/collectivite.js';
import { DiagnosticService } from '../src/domain/diagnostics/service.js';
import { recordKeys } from '../src/domain/records/diagnostic.js';
import { loadReferentials } from '../src/domain/referential/load.js';
import type { AnswerValue } from '../src/domain/scoring/answers.js';
import { referentialDir } from '../src/paths.js';
import { LowdbStorage } from '../src/storage/lowdbStorage.js';
import { StorageRecordStore } from '../src/storage/storageRecordStore.js';

export interface SeedResult {
  diagnostics: number;
  files: number;
  ms: number;
}

/** A small deterministic PRNG (mulberry32): the same seed gives the same records from one run to the next (only
 * their dates follow the day of the run). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const values: AnswerValue[] = ['oui', 'oui', 'en_partie', 'en_partie', 'non', 'non', 'nsp'];
const places = [
  'Saint-Martin',
  'Lacq-Orthez',
  'Val-de-Loire',
  'Haute-Garonne',
  'Pays Basque',
  'Vallée du Lot',
];

/**
 * Stored diagnostics as the assistant writes them: for each one, a collectivité, its respondent, a finished full
 * diagnostic of 68 answers (with quantities where the referential asks for them) and its report pointer, made by
 * the real `DiagnosticService` over `StorageRecordStore`. Each record set is built on a small staging
 * `MemoryStorage` (the 68 answers in one read-modify-write instead of 68), then written to the `LowdbStorage` of
 * `${dataDir}/state` — one file per key, as the server reads them — `concurrency` record sets at a time.
 */
export async function seedDiagnostics(dataDir: string, count: number, concurrency = 64): Promise<SeedResult> {
  const started = performance.now();
  const { maturity } = loadReferentials(referentialDir);
  const lowdb = new LowdbStorage(join(dataDir, 'state'));
  // dated over the year before the run: the retention rule (RETENTION_DAYS, 730 by default) keeps them all — dated
  // from January 2024, they were erased by the server's start-up purge before they were ever measured
  const dayMs = 24 * 60 * 60 * 1000;
  const spanMs = 365 * dayMs;
  const baseTime = Date.now() - spanMs - dayMs;
  let next = 0;
  let files = 0;

  async function seedOne(i: number): Promise<void> {
    const rand = random(i + 1);
    let clock = baseTime + Math.floor((i * spanMs) / Math.max(1, count));
    const now = () => new Date((clock += 1000 + Math.floor(rand() * 20_000))).toISOString();
    const staging = new MemoryStorage();
    const service = new DiagnosticService(new StorageRecordStore(staging), now);
    const respondentId = `web:dl_seed${String(i).padStart(6, '0')}`;
    const traits = territoryTraits.filter(() => rand() < 0.3) as TerritoryTrait[];
    const collectivite = await service.createCollectivite(respondentId, {
      name: `${places[i % places.length]} ${i}`,
      type: collectiviteTypes[i % collectiviteTypes.length]!,
      traits,
    });
    const diagnostic = await service.startDiagnostic(respondentId, { kind: 'full' }, collectivite.id);
    await service.updateDiagnostic(diagnostic.id, (d) => {
      let current = d;
      const mine: Record<string, AnswerValue> = {};
      for (const ref of maturity.indicators) {
        const value = values[Math.floor(rand() * values.length)]!;
        const quantities =
          value === 'oui' || value === 'en_partie'
            ? Object.fromEntries(ref.indicateur.quantities.map((q) => [q.id, Math.round(rand() * 100_000)]))
            : undefined;
        current = recordAnswer(current, ref.indicateur.number, value, {
          at: now(),
          by: respondentId,
          ...(quantities ? { quantities } : {}),
        });
        mine[ref.indicateur.number] = value;
      }
      return { ...current, byRespondent: { [respondentId]: mine } };
    });
    const finished = await service.finish(diagnostic.id);
    const keys = [
      recordKeys.collectivite(collectivite.id),
      recordKeys.respondent(respondentId),
      recordKeys.diagnostic(finished.id),
      recordKeys.report(finished.reportId!),
    ];
    const items = await staging.read(keys);
    for (const key of keys) if (items[key]) items[key] = { ...items[key], eTag: '*' };
    await lowdb.write(items);
    files += Object.keys(items).length;
  }

  const worker = async () => {
    while (next < count) await seedOne(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
  return { diagnostics: count, files, ms: performance.now() - started };
}
