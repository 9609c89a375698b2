import { randomBytes, randomUUID } from 'node:crypto';
import type { Collectivite, CollectiviteType, TerritoryTrait } from '../domain/collectivite/collectivite.js';
import type { Respondent } from '../domain/diagnostics/service.js';
import { recordKeys, type Diagnostic } from '../domain/records/diagnostic.js';
import { updateRecord, type RecordStore } from '../domain/records/recordStore.js';
import type { PersonalDataLink } from '../domain/records/schemas.js';
import type { KeyLister } from '../storage/keyLister.js';
import { StorageCorruptionError } from '../storage/storageErrors.js';
import type { Answer, AnswerValue } from '../domain/scoring/answers.js';
import type { Scope } from '../domain/scoring/scope.js';

/**
 * The person's rights under the RGPD (articles 15, 17 and 20): see everything kept about them, and have it erased.
 * A diagnostic made for a collectivité belongs to the collectivité: erasing a person keeps its answers but removes
 * every trace of who gave them. A quick check made alone, with no collectivité, is the person's own: it is deleted.
 */

export interface PersonalDataExport {
  /** What this file is, in the person's language. */
  description: string;
  exportedAt: string;
  respondentId: string;
  /** The person's own record: where they are, their collectivités and diagnostics; null when nothing is kept. */
  respondent: Respondent | null;
  collectivites: {
    id: string;
    name: string;
    type: CollectiviteType;
    traits: TerritoryTrait[];
    member: boolean;
    createdAt: string;
  }[];
  diagnostics: {
    id: string;
    scope: Scope;
    collectiviteId: string | null;
    collectiviteName: string | null;
    owner: boolean;
    createdAt: string;
    updatedAt: string;
    finishedAt: string | null;
    /** The answers of the diagnostic that this person gave (and that no one changed since). */
    answersGiven: Answer[];
    /** This person's latest answer to each indicator, kept to show where respondents disagree. */
    latestAnswers: Record<string, AnswerValue>;
  }[];
}

export interface DeletionSummary {
  respondentDeleted: boolean;
  /** Collectivité diagnostics kept without any trace of the person. */
  diagnosticsAnonymised: string[];
  /** Quick checks of the person alone, without a collectivité, deleted with their report link. */
  diagnosticsDeleted: string[];
  collectivitesLeft: string[];
  /** "mes données" download links of the person, deleted. */
  exportLinksDeleted: number;
  /** The person's resume code and the devices linked with it (which go back to their own identity), deleted. */
  resumeLinksDeleted: number;
  /** Records that could not be read (damaged): left as they are, they may still name the person. */
  unreadable: string[];
}

const exportDescription =
  'Données enregistrées par l’assistant maturité à votre sujet : votre fiche, les collectivités dont vous êtes membre, ' +
  'les diagnostics auxquels vous avez participé et les réponses que vous y avez données.';

/** Everything stored about the person, as one JSON-ready object ("mes données"). */
export async function exportPersonalData(
  store: RecordStore,
  respondentId: string,
  now: () => string = () => new Date().toISOString(),
): Promise<PersonalDataExport> {
  const read = async <T>(key: string) => (await store.read<T>(key))?.value;
  const respondent = (await read<Respondent>(recordKeys.respondent(respondentId))) ?? null;
  const collectivites = await readAll<Collectivite>(
    read,
    (respondent?.collectiviteIds ?? []).map(recordKeys.collectivite),
  );
  const diagnostics = (
    await readAll<Diagnostic>(read, (await diagnosticIdsOf(respondent, read)).map(recordKeys.diagnostic))
  ).filter((d) => involves(d, respondentId));
  const names = new Map(collectivites.map((c) => [c.id, c.name]));
  for (const d of diagnostics) {
    if (d.collectiviteId && !names.has(d.collectiviteId)) {
      const c = await read<Collectivite>(recordKeys.collectivite(d.collectiviteId));
      if (c) names.set(c.id, c.name);
    }
  }
  return {
    description: exportDescription,
    exportedAt: now(),
    respondentId,
    respondent,
    collectivites: collectivites.map((c) => ({
      id: c.id,
      name: c.name,
      type: c.type,
      traits: c.traits,
      member: c.members.includes(respondentId),
      createdAt: c.createdAt,
    })),
    diagnostics: diagnostics.map((d) => ({
      id: d.id,
      scope: d.scope,
      collectiviteId: d.collectiviteId ?? null,
      collectiviteName: (d.collectiviteId && names.get(d.collectiviteId)) || null,
      owner: d.ownerId === respondentId,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
      finishedAt: d.finishedAt ?? null,
      answersGiven: Object.values(d.answers).filter((a) => a.by === respondentId),
      latestAnswers: { ...d.byRespondent[respondentId] },
    })),
  };
}

/**
 * Erases the person ("supprimer mes données"): their record; their membership of collectivités; in collectivité
 * diagnostics, their per-person answers, and their id on shared answers, replaced by a pseudonym drawn at random for
 * this erasure and kept nowhere (the diagnostic still counts "Répondant 2", it can no longer say who); their quick
 * checks made alone without a collectivité, deleted with their report link; their "mes données" download links;
 * their resume code and the links of the devices that used it. Safe to run again, and while colleagues answer (every
 * change is an eTag-checked update).
 *
 * With `lister` (every storage of src/storage/createStorage.ts), every diagnostic, collectivité, download link,
 * resume code and device link of the store is checked; without it, only those the person's record points to. A
 * damaged record is skipped and reported in `unreadable`; the person's own record is deleted even when damaged.
 */
export async function deletePersonalData(
  store: RecordStore,
  respondentId: string,
  options: { lister?: KeyLister } = {},
): Promise<DeletionSummary> {
  const summary: DeletionSummary = {
    respondentDeleted: false,
    diagnosticsAnonymised: [],
    diagnosticsDeleted: [],
    collectivitesLeft: [],
    exportLinksDeleted: 0,
    resumeLinksDeleted: 0,
    unreadable: [],
  };
  const read = async <T>(key: string): Promise<T | undefined> => {
    try {
      return (await store.read<T>(key))?.value;
    } catch (err) {
      if (!(err instanceof StorageCorruptionError)) throw err;
      summary.unreadable.push(key);
      return undefined;
    }
  };
  const respondentKey = recordKeys.respondent(respondentId);
  let respondent: Respondent | undefined;
  try {
    respondent = (await store.read<Respondent>(respondentKey))?.value;
    summary.respondentDeleted = respondent !== undefined;
  } catch (err) {
    if (!(err instanceof StorageCorruptionError)) throw err;
    summary.respondentDeleted = true; // damaged, and deleted all the same: it is theirs
  }

  const diagnosticIds = new Set(await diagnosticIdsOf(respondent, read));
  const collectiviteIds = new Set(respondent?.collectiviteIds ?? []);
  const listed = async (prefix: string) =>
    (await options.lister?.listKeys(prefix))?.map(({ key }) => key.slice(prefix.length)) ?? [];
  for (const id of await listed('diagnostic/')) diagnosticIds.add(id);
  for (const id of await listed('collectivite/')) collectiviteIds.add(id);

  for (const id of diagnosticIds) {
    const found = await read<Diagnostic>(recordKeys.diagnostic(id));
    if (!found || !involves(found, respondentId)) continue;
    if (isOwnQuickCheck(found, respondentId)) {
      if (found.reportId) await store.delete(recordKeys.report(found.reportId));
      await store.delete(recordKeys.diagnostic(id));
      summary.diagnosticsDeleted.push(id);
      continue;
    }
    const pseudonym = `anonyme-${randomUUID()}`;
    await updateIfPresent<Diagnostic>(store, recordKeys.diagnostic(id), (d) =>
      withoutRespondent(d, respondentId, pseudonym),
    );
    summary.diagnosticsAnonymised.push(id);
  }

  for (const id of collectiviteIds) {
    const found = await read<Collectivite>(recordKeys.collectivite(id));
    if (!found?.members.includes(respondentId)) continue;
    await updateIfPresent<Collectivite>(store, recordKeys.collectivite(id), (c) => ({
      ...c,
      members: c.members.filter((m) => m !== respondentId),
    }));
    summary.collectivitesLeft.push(id);
  }

  for (const token of await listed('export/')) {
    const key = recordKeys.personalDataLink(token);
    if ((await read<PersonalDataLink>(key))?.respondentId !== respondentId) continue;
    await store.delete(key);
    summary.exportLinksDeleted++;
  }

  const resumeKeys = new Set([
    ...(respondent?.resumeCode ? [recordKeys.resumeCode(respondent.resumeCode)] : []),
    ...(respondent?.linkedDevices ?? []).map(recordKeys.identityLink),
    ...(await listed('resume/')).map(recordKeys.resumeCode),
    ...(await listed('link/')).map(recordKeys.identityLink),
  ]);
  for (const key of resumeKeys) {
    if ((await read<{ respondentId: string }>(key))?.respondentId !== respondentId) continue;
    await store.delete(key);
    summary.resumeLinksDeleted++;
  }

  await store.delete(respondentKey);
  return summary;
}

/** Did this person answer, start or own this diagnostic? */
export function involves(diagnostic: Diagnostic, respondentId: string): boolean {
  return (
    diagnostic.ownerId === respondentId ||
    diagnostic.respondents.includes(respondentId) ||
    diagnostic.byRespondent[respondentId] !== undefined ||
    Object.values(diagnostic.answers).some((a) => a.by === respondentId)
  );
}

/** A diagnostic without a collectivité that nobody but this person took part in. */
export function isOwnQuickCheck(diagnostic: Diagnostic, respondentId: string): boolean {
  if (diagnostic.collectiviteId) return false;
  const others = new Set([
    diagnostic.ownerId,
    ...diagnostic.respondents,
    ...Object.keys(diagnostic.byRespondent),
    ...Object.values(diagnostic.answers).flatMap((a) => (a.by ? [a.by] : [])),
  ]);
  others.delete(respondentId);
  return others.size === 0;
}

function withoutRespondent(diagnostic: Diagnostic, respondentId: string, pseudonym: string): Diagnostic {
  const { [respondentId]: _removed, ...byRespondent } = diagnostic.byRespondent;
  const swap = (id: string) => (id === respondentId ? pseudonym : id);
  const answers = Object.fromEntries(
    Object.entries(diagnostic.answers).map(([n, a]) => [
      n,
      a.by === respondentId ? { ...a, by: pseudonym } : a,
    ]),
  );
  return {
    ...diagnostic,
    ownerId: swap(diagnostic.ownerId),
    respondents: diagnostic.respondents.map(swap),
    byRespondent,
    answers,
  };
}

/** Reads the record stored under a key (undefined when there is none). */
type Read = <T>(key: string) => Promise<T | undefined>;

/** The diagnostics the person's record points to, directly or through their collectivités. */
async function diagnosticIdsOf(respondent: Respondent | undefined | null, read: Read): Promise<string[]> {
  if (!respondent) return [];
  const ids = new Set([
    ...respondent.diagnosticIds,
    ...(respondent.activeDiagnosticId ? [respondent.activeDiagnosticId] : []),
  ]);
  for (const c of await readAll<Collectivite>(
    read,
    respondent.collectiviteIds.map(recordKeys.collectivite),
  )) {
    for (const id of c.diagnosticIds) ids.add(id);
  }
  return [...ids];
}

async function readAll<T>(read: Read, keys: readonly string[]): Promise<T[]> {
  const found = await Promise.all(keys.map((key) => read<T>(key)));
  return found.filter((value) => value !== undefined);
}

class Vanished extends Error {}

/** `updateRecord` (eTag-checked, retried), except that a record deleted meanwhile stays deleted. */
async function updateIfPresent<T>(store: RecordStore, key: string, change: (current: T) => T): Promise<void> {
  try {
    await updateRecord<T>(store, key, (current) => {
      if (current === undefined) throw new Vanished();
      return change(current);
    });
  } catch (err) {
    if (!(err instanceof Vanished)) throw err;
  }
}

/** How long a "mes données" download link works (it also works only once). */
export const personalDataLinkMinutes = 15;

/** A one-time, short-lived, unguessable link to download the export: Teams cannot show a JSON attachment. */
export async function createPersonalDataLink(
  store: RecordStore,
  respondentId: string,
  now = Date.now(),
): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  const link: PersonalDataLink = {
    respondentId,
    expiresAt: new Date(now + personalDataLinkMinutes * 60_000).toISOString(),
  };
  await store.write(recordKeys.personalDataLink(token), link, undefined);
  return token;
}

/** The person behind a download link, once: the link is deleted as it is used; expired or unknown → undefined. */
export async function usePersonalDataLink(
  store: RecordStore,
  token: string,
  now = Date.now(),
): Promise<string | undefined> {
  if (!/^[A-Za-z0-9_-]{32}$/.test(token)) return undefined;
  const key = recordKeys.personalDataLink(token);
  const link = (await store.read<PersonalDataLink>(key))?.value;
  if (!link) return undefined;
  await store.delete(key);
  return Date.parse(link.expiresAt) > now ? link.respondentId : undefined;
}
