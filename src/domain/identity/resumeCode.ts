import { randomInt } from 'node:crypto';
import { addOnce, type Respondent } from '../diagnostics/service.js';
import { joinCodeAlphabet } from '../collectivite/joinCode.js';
import { recordKeys } from '../records/diagnostic.js';
import { updateRecord, type RecordStore } from '../records/recordStore.js';

/**
 * A personal resume code carries a person's own diagnostics to another device or channel (Teams ↔ web): typed
 * there (« reprendre 7KQ2M-XP9RT-4HWZC »), it makes that device answer as the same respondent, so the diagnostic
 * continues where it stopped instead of starting at 1/68.
 *
 * It opens everything the person has, so it is longer than a join code: 15 characters of the same unambiguous
 * alphabet (30^15 ≈ 2^73), valid 30 days, revocable — revoking also cuts off the devices already linked — and
 * guesses are slowed down like join codes (src/domain/collectivite/joinAttempts.ts).
 */
export const resumeCodeLength = 15;
export const resumeCodeBits = resumeCodeLength * Math.log2(joinCodeAlphabet.length);
export const resumeCodeDays = 30;

/** `resume/<code>`: whose code it is, until when. */
export interface ResumeCodeRecord {
  respondentId: string;
  createdAt: string;
  expiresAt: string;
}

/** `link/<device respondent id>`: this device or channel answers as `respondentId`. */
export interface IdentityLink {
  respondentId: string;
  linkedAt: string;
}

const format = (raw: string) => `${raw.slice(0, 5)}-${raw.slice(5, 10)}-${raw.slice(10)}`;

export function generateResumeCode(random: (max: number) => number = randomInt): string {
  let raw = '';
  for (let i = 0; i < resumeCodeLength; i++) raw += joinCodeAlphabet[random(joinCodeAlphabet.length)];
  return format(raw);
}

/** « 7kq2m xp9rt 4hwzc » → « 7KQ2M-XP9RT-4HWZC »; undefined when it is not a well-formed resume code. */
export function normalizeResumeCode(input: string): string | undefined {
  const compact = input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-‐‑–.]/g, '');
  if (compact.length !== resumeCodeLength) return undefined;
  return [...compact].every((c) => joinCodeAlphabet.includes(c)) ? format(compact) : undefined;
}

const daysMs = 24 * 60 * 60 * 1000;

/** The person's valid resume code, or a new one (the expired one is removed). */
export async function issueResumeCode(
  store: RecordStore,
  respondentId: string,
  now: Date = new Date(),
): Promise<{ code: string; expiresAt: string }> {
  const respondent = (await store.read<Respondent>(recordKeys.respondent(respondentId)))?.value;
  if (respondent?.resumeCode) {
    const current = await store.read<ResumeCodeRecord>(recordKeys.resumeCode(respondent.resumeCode));
    if (current && current.value.respondentId === respondentId && Date.parse(current.value.expiresAt) > +now)
      return { code: respondent.resumeCode, expiresAt: current.value.expiresAt };
    await store.delete(recordKeys.resumeCode(respondent.resumeCode));
  }
  let code = generateResumeCode();
  while (await store.read(recordKeys.resumeCode(code))) code = generateResumeCode();
  const expiresAt = new Date(+now + resumeCodeDays * daysMs).toISOString();
  await store.write<ResumeCodeRecord>(
    recordKeys.resumeCode(code),
    { respondentId, createdAt: now.toISOString(), expiresAt },
    undefined,
  );
  await updateRecord<Respondent>(store, recordKeys.respondent(respondentId), (r) => ({
    ...(r ?? {
      id: respondentId,
      collectiviteIds: [],
      diagnosticIds: [],
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
    }),
    resumeCode: code,
  }));
  return { code, expiresAt };
}

export type ResumeRefusal = 'code-invalide' | 'code-inconnu';

/**
 * Links the device (`deviceId`, the respondent id this channel gives it) to the code's owner. Returns the owner's
 * id, which the device answers as from now on.
 */
export async function useResumeCode(
  store: RecordStore,
  typed: string,
  deviceId: string,
  now: Date = new Date(),
): Promise<{ ok: true; respondentId: string } | { ok: false; reason: ResumeRefusal }> {
  const code = normalizeResumeCode(typed);
  if (!code) return { ok: false, reason: 'code-invalide' };
  const found = (await store.read<ResumeCodeRecord>(recordKeys.resumeCode(code)))?.value;
  if (!found || Date.parse(found.expiresAt) <= +now) return { ok: false, reason: 'code-inconnu' };
  const owner = found.respondentId;
  if (owner === deviceId) return { ok: true, respondentId: owner };
  const still = (await store.read<Respondent>(recordKeys.respondent(owner)))?.value;
  if (still?.resumeCode !== code) return { ok: false, reason: 'code-inconnu' };
  await store.write<IdentityLink>(
    recordKeys.identityLink(deviceId),
    { respondentId: owner, linkedAt: now.toISOString() },
    undefined,
  );
  await updateRecord<Respondent>(store, recordKeys.respondent(owner), (r) => ({
    ...r!,
    linkedDevices: addOnce(r?.linkedDevices ?? [], deviceId),
    lastSeenAt: now.toISOString(),
  }));
  return { ok: true, respondentId: owner };
}

/** Who this device answers as: the person it was linked to with a resume code, or itself. */
export async function resolveRespondent(store: RecordStore, deviceId: string): Promise<string> {
  return (await store.read<IdentityLink>(recordKeys.identityLink(deviceId)))?.value.respondentId ?? deviceId;
}

/** The code stops working and every device linked with it goes back to its own identity. */
export async function revokeResumeCode(store: RecordStore, respondentId: string): Promise<boolean> {
  const respondent = (await store.read<Respondent>(recordKeys.respondent(respondentId)))?.value;
  if (!respondent?.resumeCode && !respondent?.linkedDevices?.length) return false;
  if (respondent.resumeCode) await store.delete(recordKeys.resumeCode(respondent.resumeCode));
  for (const device of respondent.linkedDevices ?? []) await store.delete(recordKeys.identityLink(device));
  await updateRecord<Respondent>(store, recordKeys.respondent(respondentId), (r) => {
    const { resumeCode: _code, linkedDevices: _devices, ...rest } = r!;
    return rest;
  });
  return true;
}

export const resumeRefusalMessages: Record<ResumeRefusal, string> = {
  'code-invalide':
    'Ce code de reprise n’a pas la bonne forme : il compte 15 caractères, par exemple 7KQ2M-XP9RT-4HWZC.',
  'code-inconnu':
    'Ce code de reprise ne correspond à aucun diagnostic : il a peut-être expiré (30 jours) ou été révoqué. Sur l’appareil où vous avez commencé, tapez « code de reprise » pour en obtenir un.',
};
