import type { Storage } from 'botbuilder';
import type { Respondent } from '../domain/diagnostics/service.js';
import type { ResumeCodeRecord } from '../domain/identity/resumeCode.js';
import { recordKeys, type Diagnostic } from '../domain/records/diagnostic.js';
import type { PersonalDataLink } from '../domain/records/schemas.js';
import type { Logger } from '../log.js';
import type { KeyLister, ListedKey } from '../storage/keyLister.js';
import { StorageCorruptionError } from '../storage/storageErrors.js';
import { StorageRecordStore } from '../storage/storageRecordStore.js';
import { deletePersonalData } from './personalData.js';

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
  /** "mes données" download links and partial results' chart links past their expiry. */
  exportLinksDeleted: number;
  /** Resume codes past their expiry (the devices linked with them stay linked). */
  resumeCodesDeleted: number;
  /** Records that could not be read (damaged, or of the wrong shape): left as they are, to repair or delete by hand. */
  unreadable: string[];
}

/**
 * The retention rule (RETENTION_DAYS, 730 by default): whatever concerns a person who has not used the assistant for
 * `days` is erased — their record, their own quick checks, their name on collectivité diagnostics, the dialog state of
 * their silent conversations — and expired download links and resume codes are deleted. Collectivité diagnostics stay: they are the
 * collectivité's history. A record that cannot be read is reported and left alone, never a reason to stop.
 */
export async function purgeInactive(
  storage: Storage & KeyLister,
  days: number,
  options: { now?: () => Date } = {},
): Promise<PurgeReport> {
  const now = (options.now?.() ?? new Date()).getTime();
  const cutoff = now - days * dayMs;
  const store = new StorageRecordStore(storage);
  const report: PurgeReport = {
    respondentsErased: 0,
    diagnosticsDeleted: 0,
    diagnosticsAnonymised: 0,
    conversationsDeleted: 0,
    exportLinksDeleted: 0,
    resumeCodesDeleted: 0,
    unreadable: [],
  };
  const unreadable = new Set<string>();
  const deleted = new Set<string>();
  const anonymised = new Set<string>();
  const erase = async (respondentId: string, lister?: KeyLister) => {
    const summary = await deletePersonalData(store, respondentId, lister ? { lister } : {});
    summary.diagnosticsDeleted.forEach((id) => deleted.add(id));
    summary.diagnosticsAnonymised.forEach((id) => anonymised.add(id));
    summary.unreadable.forEach((key) => unreadable.add(key));
  };
  let failedReads = 0;
  const readOrReport = async <T>(key: string): Promise<T | undefined> => {
    try {
      return (await store.read<T>(key))?.value;
    } catch (err) {
      if (!(err instanceof StorageCorruptionError)) throw err;
      unreadable.add(key);
      failedReads++;
      return undefined;
    }
  };
  const listed = await storage.listKeys('');
  const under = (prefix: string) => listed.filter(({ key }) => key.startsWith(prefix));

  for (const { key } of under('respondent/')) {
    const respondent = await readOrReport<Respondent>(key);
    if (!respondent) continue;
    const failedBefore = failedReads;
    const latest = await lastActivity(respondent, readOrReport);
    // a diagnostic that cannot be read may hold a recent answer: the person is kept
    if (latest >= cutoff || failedReads > failedBefore) continue;
    await erase(respondent.id);
    report.respondentsErased++;
  }

  for (const { key } of under('diagnostic/')) {
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

  for (const { key } of [...under(recordKeys.personalDataLink('')), ...under(recordKeys.chartLink(''))]) {
    const link = await readOrReport<PersonalDataLink>(key);
    if (!link || Date.parse(link.expiresAt) > now) continue;
    await store.delete(key);
    report.exportLinksDeleted++;
  }

  for (const { key } of under(recordKeys.resumeCode(''))) {
    const code = await readOrReport<ResumeCodeRecord>(key);
    if (!code || Date.parse(code.expiresAt) > now) continue;
    await store.delete(key);
    report.resumeCodesDeleted++;
  }

  for (const { key, modifiedAt } of listed.filter(({ key }) => /\/conversations\//.test(key))) {
    if (modifiedAt.getTime() >= cutoff) continue;
    await storage.delete([key]);
    report.conversationsDeleted++;
  }
  report.unreadable = [...unreadable];
  return report;
}

/**
 * Runs `purgeInactive` once now (without delaying start-up) and then every day; the timer does not keep the process
 * alive. Failures are logged, never thrown. Counts only go to the log, and the keys of unreadable records.
 */
export function scheduleRetention(options: {
  storage: Storage & KeyLister;
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
          const { unreadable, ...counts } = report;
          logger.info(
            { ...counts, unreadable: unreadable.length, retentionDays: days },
            'retention: inactive data purged',
          );
          if (unreadable.length > 0) {
            logger.warn({ unreadable }, 'retention: damaged records skipped, repair or delete them');
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

/** A `KeyLister` over the given keys: erasure limited to these records. */
function only(...keys: string[]): KeyLister {
  return {
    listKeys: async (prefix) =>
      keys.filter((key) => key.startsWith(prefix)).map((key): ListedKey => ({ key, modifiedAt: new Date() })),
  };
}
