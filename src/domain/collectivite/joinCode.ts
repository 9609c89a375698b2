import { randomInt } from 'node:crypto';
import { addOnce, type Respondent } from '../diagnostics/service.js';
import { recordKeys } from '../records/diagnostic.js';
import { ConflictError, updateRecord, type RecordStore } from '../records/recordStore.js';
import type { Collectivite } from './collectivite.js';

/**
 * Join codes let colleagues answer for the same collectivité ("rejoindre K7QF-M2XP-9R").
 *
 * A code is 10 characters drawn uniformly (crypto.randomInt) from 30 that cannot be mistaken for one another —
 * no 0/O, 1/I/L, nor U/V — shown as 4-4-2: 30^10 ≈ 2^49 codes. At 1,000 guesses per second against 10,000 live
 * codes, finding one would take about two years on average; the chat should still slow down repeated failures.
 * A code is revocable, and a new code replaces the old one.
 */
export const joinCodeAlphabet = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const joinCodeLength = 10;
export const joinCodeBits = joinCodeLength * Math.log2(joinCodeAlphabet.length);

export interface JoinCodeRecord {
  collectiviteId: string;
  createdAt: string;
}

/** "K7QFM2XP9R" → "K7QF-M2XP-9R". */
function format(raw: string): string {
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

export function generateJoinCode(random: (max: number) => number = randomInt): string {
  let raw = '';
  for (let i = 0; i < joinCodeLength; i++) raw += joinCodeAlphabet[random(joinCodeAlphabet.length)];
  return format(raw);
}

const isCodeChar = (c: string) => joinCodeAlphabet.includes(c);

/**
 * What people type ("k7qf m2xp 9r", "K7QF‑M2XP‑9R", "rejoindre k7qf-m2xp-9r") → "K7QF-M2XP-9R"; undefined when
 * no well-formed code is found.
 */
export function normalizeJoinCode(input: string): string | undefined {
  const upper = input.normalize('NFKC').toUpperCase();
  const compact = upper.replace(/[^A-Z0-9]/g, '');
  if (compact.length === joinCodeLength && [...compact].every(isCodeChar)) return format(compact);
  const found = upper.match(
    /(?:^|[^A-Z0-9])([A-Z0-9]{4})[\s\-‐‑–.]*([A-Z0-9]{4})[\s\-‐‑–.]*([A-Z0-9]{2})(?![A-Z0-9])/,
  );
  if (!found) return undefined;
  const raw = `${found[1]}${found[2]}${found[3]}`;
  return [...raw].every(isCodeChar) ? format(raw) : undefined;
}

/**
 * Gives the collectivité a new join code (the previous one stops working) and stores `joincode/<code>`.
 * A code already taken (about one chance in 10^14 per live code) is drawn again.
 */
export async function issueJoinCode(
  store: RecordStore,
  collectiviteId: string,
  options: { now?: string; generate?: () => string } = {},
): Promise<string> {
  const now = options.now ?? new Date().toISOString();
  const generate = options.generate ?? (() => generateJoinCode());
  const existing = await store.read<Collectivite>(recordKeys.collectivite(collectiviteId));
  if (!existing) throw new Error(`joinCode: collectivite ${collectiviteId} not found`);

  let code: string | undefined;
  for (let attempt = 0; attempt < 5 && !code; attempt++) {
    const candidate = generate();
    // Read first: not every Storage refuses to overwrite when no eTag is given (MemoryStorage does not).
    if (await store.read(recordKeys.joinCode(candidate))) continue;
    try {
      await store.write<JoinCodeRecord>(
        recordKeys.joinCode(candidate),
        { collectiviteId, createdAt: now },
        undefined,
      );
      code = candidate;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }
  if (!code) throw new Error('joinCode: could not draw a free join code after 5 attempts');

  let previous: string | undefined;
  const issued = code;
  await updateRecord<Collectivite>(store, recordKeys.collectivite(collectiviteId), (current) => {
    if (!current) throw new Error(`joinCode: collectivite ${collectiviteId} not found`);
    previous = current.joinCode;
    return { ...current, joinCode: issued, updatedAt: now };
  });
  if (previous && previous !== code) await store.delete(recordKeys.joinCode(previous));
  return code;
}

export type JoinRefusal = 'code-invalide' | 'code-inconnu' | 'autre-organisation';

export type JoinResult =
  { ok: true; collectivite: Collectivite; alreadyMember: boolean } | { ok: false; reason: JoinRefusal };

/** Short French explanations of a refusal, for the dialog that asked for the code. */
export const joinRefusalMessages: Record<JoinRefusal, string> = {
  'code-invalide':
    'Ce code n’a pas la bonne forme. Il ressemble à K7QF-M2XP-9R : 10 caractères, lettres et chiffres.',
  'code-inconnu':
    'Ce code ne correspond à aucune collectivité. Il a peut-être été remplacé : demandez-en un nouveau.',
  'autre-organisation':
    'Cette collectivité est rattachée à une autre organisation Teams : vous ne pouvez pas la rejoindre depuis ce compte.',
};

class RevokedMeanwhile extends Error {}

/**
 * Adds the respondent to the collectivité the code points to (and the collectivité to the respondent's list).
 * Refuses a code that is malformed, unknown or revoked, and anyone from another Teams tenant than the
 * collectivité's (a collectivité created in Teams cannot be joined from the web either).
 */
export async function joinCollectivite(
  store: RecordStore,
  code: string,
  respondentId: string,
  tenantId?: string,
  now: string = new Date().toISOString(),
): Promise<JoinResult> {
  const normalized = normalizeJoinCode(code);
  if (!normalized) return { ok: false, reason: 'code-invalide' };
  const pointer = await store.read<JoinCodeRecord>(recordKeys.joinCode(normalized));
  if (!pointer) return { ok: false, reason: 'code-inconnu' };
  const collectiviteKey = recordKeys.collectivite(pointer.value.collectiviteId);
  const found = await store.read<Collectivite>(collectiviteKey);
  if (!found || found.value.joinCode !== normalized) return { ok: false, reason: 'code-inconnu' };
  if (found.value.tenantId && found.value.tenantId !== tenantId)
    return { ok: false, reason: 'autre-organisation' };

  const alreadyMember = found.value.members.includes(respondentId);
  let collectivite = found.value;
  if (!alreadyMember) {
    try {
      collectivite = await updateRecord<Collectivite>(store, collectiviteKey, (current) => {
        if (!current || current.joinCode !== normalized) throw new RevokedMeanwhile();
        return { ...current, members: addOnce(current.members, respondentId), updatedAt: now };
      });
    } catch (err) {
      if (err instanceof RevokedMeanwhile) return { ok: false, reason: 'code-inconnu' };
      throw err;
    }
  }
  await updateRecord<Respondent>(store, recordKeys.respondent(respondentId), (current) => ({
    ...(current ?? { id: respondentId, diagnosticIds: [], createdAt: now }),
    ...(tenantId ? { tenantId } : {}),
    collectiviteIds: addOnce(current?.collectiviteIds ?? [], collectivite.id),
    lastSeenAt: now,
  }));
  return { ok: true, collectivite, alreadyMember };
}

/** The collectivité's code stops working at once; returns whether there was one. */
export async function revokeJoinCode(
  store: RecordStore,
  collectiviteId: string,
  now: string = new Date().toISOString(),
): Promise<boolean> {
  let previous: string | undefined;
  await updateRecord<Collectivite>(store, recordKeys.collectivite(collectiviteId), (current) => {
    if (!current) throw new Error(`joinCode: collectivite ${collectiviteId} not found`);
    previous = current.joinCode;
    const { joinCode: _revoked, ...rest } = current;
    return previous ? { ...rest, updatedAt: now } : current;
  });
  if (previous) await store.delete(recordKeys.joinCode(previous));
  return previous !== undefined;
}
