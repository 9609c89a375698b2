import { stat } from 'node:fs/promises';
import type { Respondent } from '../domain/diagnostics/service.js';
import { recordKeys, type Diagnostic } from '../domain/records/diagnostic.js';
import type { Logger } from '../log.js';
import type { LowdbStorage } from '../storage/lowdbStorage.js';
import { StorageRecordStore } from '../storage/storageRecordStore.js';
import { deletePersonalData, type KeyLister } from './personalData.js';
import { breather } from '../util/breathe.js';

const dayMs = 24 * 60 * 60 * 1000;
const pseudonymPrefix = 'anonyme-';

export interface PurgeReport {
  /** People not seen for `days`, erased as by "supprimer mes données". */
  respondentsErased: number;
  /** Quick checks without a collectivité not updated for `days`, with their report link. */
  diagnosticsDeleted: number;
  /** Collectivité diagnostics not updated for `days` that still named someone with no record any more. */
  diagnosticsAnonymised: number;
  /** Dialog positions (conversation state) of conversations silent for `days`. */
  conversationsDeleted: number;
  /** Records that could not be read (damaged files): left as they are, to repair or delete by hand. */
  unreadable: string[];
}

/**
 * The retention rule (RETENTION_DAYS, 730 by default): whatever concerns a person who has not used the assistant for
 * `days` is erased — their record, their own quick checks, their name on collectivité diagnostics, the dialog state of
 * their silent conversations. Collectivité diagnostics stay: they are the collectivité's history. A damaged file is
 * reported and skipped, never a reason to stop.
 */
export async function purgeInactive(
  storage: LowdbStorage,
  days: number,
  options: { now?: () => Date } = {},
): Promise<PurgeReport> {
  const cutoff = (options.now?.() ?? new Date()).getTime() - days * dayMs;
  const store = new StorageRecordStore(storage);
  const report: PurgeReport = {
    respondentsErased: 0,
    diagnosticsDeleted: 0,
    diagnosticsAnonymised: 0,
    conversationsDeleted: 0,
    unreadable: [],
  };
  const deleted = new Set<string>();
  const anonymised = new Set<string>();
  const erase = async (respondentId: string, listKeys?: KeyLister) => {
    const summary = await deletePersonalData(store, respondentId, listKeys ? { listKeys } : {});
    summary.diagnosticsDeleted.forEach((id) => deleted.add(id));
    summary.diagnosticsAnonymised.forEach((id) => anonymised.add(id));
  };
  const readOrReport = async <T>(key: string): Promise<T | undefined> => {
    try {
      return (await store.read<T>(key))?.value;
    } catch (err) {
      if ((err as Error).name !== 'StorageCorruptionError') throw err;
      report.unreadable.push(key);
      return undefined;
    }
  };
  const breathe = breather();
  const keys = await listAll(storage, report, breathe);

  for (const key of keys.filter((k) => k.startsWith('respondent/'))) {
    await breathe();
    const respondent = await readOrReport<Respondent>(key);
    if (!respondent || (await lastActivity(respondent, readOrReport)) >= cutoff) continue;
    await erase(respondent.id);
    report.respondentsErased++;
  }

  for (const key of keys.filter((k) => k.startsWith('diagnostic/'))) {
    await breathe();
    const diagnostic = await readOrReport<Diagnostic>(key);
    if (!diagnostic || Date.parse(diagnostic.updatedAt) >= cutoff) continue;
    if (!diagnostic.collectiviteId) {
      if (diagnostic.reportId) await store.delete(recordKeys.report(diagnostic.reportId));
      await store.delete(key);
      deleted.add(diagnostic.id);
      continue;
    }
    // Someone who answered without a record of their own (in a colleague's conversation) is erased here.
    for (const person of peopleIn(diagnostic)) {
      if (person.startsWith(pseudonymPrefix) || (await readOrReport(recordKeys.respondent(person)))) continue;
      await erase(person, only(key, recordKeys.collectivite(diagnostic.collectiviteId)));
    }
  }
  report.diagnosticsDeleted = deleted.size;
  report.diagnosticsAnonymised = anonymised.size;

  for (const key of keys.filter((k) => /\/conversations\//.test(k))) {
    await breathe();
    const modified = await stat(storage.fileFor(key)).then(
      (s) => s.mtimeMs,
      () => Infinity,
    );
    if (modified >= cutoff) continue;
    await storage.delete([key]);
    report.conversationsDeleted++;
  }
  return report;
}

/**
 * Runs `purgeInactive` once now (without delaying start-up) and then every day; the timer does not keep the process
 * alive. Failures are logged, never thrown. Counts only go to the log, never ids.
 */
export function scheduleRetention(options: {
  storage: LowdbStorage;
  days: number;
  logger: Logger;
  everyMs?: number;
}): { firstRun: Promise<PurgeReport | undefined>; stop(): void } {
  const { storage, days, logger } = options;
  let running: Promise<PurgeReport | undefined> | undefined;
  const run = (): Promise<PurgeReport | undefined> => {
    running ??= purgeInactive(storage, days)
      .then(
        (report) => {
          logger.info({ ...report, retentionDays: days }, 'retention: inactive data purged');
          if (report.unreadable.length > 0) {
            logger.warn(
              { unreadable: report.unreadable },
              'retention: damaged records skipped, repair or delete them',
            );
          }
          return report;
        },
        (err: unknown) => {
          logger.error({ err }, 'retention: purge failed, next attempt in a day');
          return undefined;
        },
      )
      .finally(() => (running = undefined));
    return running;
  };
  const firstRun = run();
  const timer = setInterval(() => void run(), options.everyMs ?? dayMs).unref();
  return { firstRun, stop: () => clearInterval(timer) };
}

/** The latest sign of life: the record's own dates, and the person's answers in their diagnostics. */
async function lastActivity(
  respondent: Respondent,
  read: <T>(key: string) => Promise<T | undefined>,
): Promise<number> {
  let latest = Math.max(Date.parse(respondent.lastSeenAt) || 0, Date.parse(respondent.createdAt) || 0);
  const ids = new Set([
    ...respondent.diagnosticIds,
    ...(respondent.activeDiagnosticId ? [respondent.activeDiagnosticId] : []),
  ]);
  for (const id of ids) {
    const diagnostic = await read<Diagnostic>(recordKeys.diagnostic(id));
    for (const answer of Object.values(diagnostic?.answers ?? {})) {
      if (answer.by === respondent.id && answer.at) latest = Math.max(latest, Date.parse(answer.at) || 0);
    }
  }
  return latest;
}

function peopleIn(diagnostic: Diagnostic): Set<string> {
  return new Set([
    diagnostic.ownerId,
    ...diagnostic.respondents,
    ...Object.keys(diagnostic.byRespondent),
    ...Object.values(diagnostic.answers).flatMap((a) => (a.by ? [a.by] : [])),
  ]);
}

async function listAll(
  storage: LowdbStorage,
  report: PurgeReport,
  breathe: () => Promise<void> | undefined,
): Promise<string[]> {
  const keys: string[] = [];
  try {
    for await (const key of storage.listKeys()) {
      await breathe();
      keys.push(key);
    }
  } catch (err) {
    // A damaged file with a hashed name ends the listing: purge what was listed, report the rest.
    if ((err as Error).name !== 'StorageCorruptionError') throw err;
    report.unreadable.push((err as { file?: string }).file ?? String(err));
  }
  return keys;
}

/** A `KeyLister` over the given keys: erasure limited to these records. */
function only(...keys: string[]): KeyLister {
  return async function* (prefix) {
    yield* keys.filter((key) => key.startsWith(prefix));
  };
}
