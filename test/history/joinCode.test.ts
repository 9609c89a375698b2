import { describe, expect, it } from 'vitest';
import {
  generateJoinCode,
  issueJoinCode,
  joinCodeAlphabet,
  joinCodeBits,
  joinCollectivite,
  normalizeJoinCode,
  revokeJoinCode,
} from '../../src/domain/collectivite/joinCode.js';
import type { Collectivite } from '../../src/domain/collectivite/collectivite.js';
import { recordKeys } from '../../src/domain/records/diagnostic.js';
import { createCollectivite, setup } from '../reports/fixtures.js';

const shape = new RegExp(`^[${joinCodeAlphabet}]{4}-[${joinCodeAlphabet}]{4}-[${joinCodeAlphabet}]{2}$`);

describe('les codes pour rejoindre une collectivité', () => {
  it('sont imprévisibles (au moins 40 bits) et sans caractères ambigus', () => {
    expect(joinCodeBits).toBeGreaterThanOrEqual(40);
    expect(joinCodeAlphabet).not.toMatch(/[01OILU]/);
    const codes = new Set(Array.from({ length: 2000 }, () => generateJoinCode()));
    expect(codes.size).toBe(2000);
    for (const code of codes) expect(code).toMatch(shape);
  });

  it('se comprennent tels que les gens les tapent', () => {
    expect(normalizeJoinCode('k7qf m2xp 9r')).toBe('K7QF-M2XP-9R');
    expect(normalizeJoinCode('  K7QF-M2XP-9R ')).toBe('K7QF-M2XP-9R');
    expect(normalizeJoinCode('k7qfm2xp9r')).toBe('K7QF-M2XP-9R');
    expect(normalizeJoinCode('rejoindre k7qf‑m2xp‑9r')).toBe('K7QF-M2XP-9R');
    expect(normalizeJoinCode('ｋ７ｑｆ ｍ２ｘｐ ９ｒ')).toBe('K7QF-M2XP-9R');
    expect(normalizeJoinCode('K7QF-M2XP-9')).toBeUndefined();
    expect(normalizeJoinCode('K0QF-M2XP-9R')).toBeUndefined();
    expect(normalizeJoinCode('bonjour')).toBeUndefined();
  });

  it('sont enregistrés sous joincode/<code> et un nouveau code remplace l’ancien', async () => {
    const { service, store } = setup();
    const c = await createCollectivite(service, 'alice');
    const first = await issueJoinCode(store, c.id);
    expect(first).toMatch(shape);
    expect((await store.read(recordKeys.joinCode(first)))?.value).toMatchObject({ collectiviteId: c.id });
    expect((await service.collectivite(c.id))?.joinCode).toBe(first);

    const second = await issueJoinCode(store, c.id);
    expect(second).not.toBe(first);
    expect(await store.read(recordKeys.joinCode(first))).toBeUndefined();
    expect(await joinCollectivite(store, first, 'bruno')).toEqual({ ok: false, reason: 'code-inconnu' });
    expect((await joinCollectivite(store, second, 'bruno')).ok).toBe(true);
  });

  it('retire un code déjà pris et en tire un autre', async () => {
    const { service, store } = setup();
    const a = await createCollectivite(service, 'alice');
    const b = await createCollectivite(service, 'bruno');
    const codes = ['AAAA-BBBB-CC', 'AAAA-BBBB-CC', 'DDDD-EEEE-FF'];
    await issueJoinCode(store, a.id, { generate: () => codes.shift()! });
    expect(await issueJoinCode(store, b.id, { generate: () => codes.shift()! })).toBe('DDDD-EEEE-FF');
  });

  it('font entrer la personne dans la collectivité, une seule fois', async () => {
    const { service, store } = setup();
    const c = await createCollectivite(service, 'alice');
    const code = await issueJoinCode(store, c.id);
    const typed = code.toLowerCase().replace(/-/g, ' ');
    const joined = await joinCollectivite(store, typed, 'bruno');
    expect(joined).toMatchObject({ ok: true, alreadyMember: false });
    expect((await service.collectivite(c.id))?.members).toEqual(['alice', 'bruno']);
    expect((await service.respondent('bruno'))?.collectiviteIds).toEqual([c.id]);
    const again = await joinCollectivite(store, code, 'bruno');
    expect(again).toMatchObject({ ok: true, alreadyMember: true });
    expect((await service.collectivite(c.id))?.members).toEqual(['alice', 'bruno']);
  });

  it('refusent une autre organisation Teams que celle de la collectivité', async () => {
    const { service, store } = setup();
    const c = await createCollectivite(service, 'alice', 'Commune de Cœuvres-et-Valsery', 'tenant-a');
    const code = await issueJoinCode(store, c.id);
    expect(await joinCollectivite(store, code, 'mallory', 'tenant-b')).toEqual({
      ok: false,
      reason: 'autre-organisation',
    });
    expect(await joinCollectivite(store, code, 'web-visitor')).toEqual({
      ok: false,
      reason: 'autre-organisation',
    });
    expect((await joinCollectivite(store, code, 'bruno', 'tenant-a')).ok).toBe(true);
    const stored = (await store.read<Collectivite>(recordKeys.collectivite(c.id)))!.value;
    expect(stored.members).toEqual(['alice', 'bruno']);
  });

  it('ne marchent plus une fois révoqués', async () => {
    const { service, store } = setup();
    const c = await createCollectivite(service, 'alice');
    const code = await issueJoinCode(store, c.id);
    expect(await revokeJoinCode(store, c.id)).toBe(true);
    expect(await store.read(recordKeys.joinCode(code))).toBeUndefined();
    expect((await service.collectivite(c.id))?.joinCode).toBeUndefined();
    expect(await joinCollectivite(store, code, 'bruno')).toEqual({ ok: false, reason: 'code-inconnu' });
    expect(await revokeJoinCode(store, c.id)).toBe(false);
    expect(await joinCollectivite(store, 'pas un code', 'bruno')).toEqual({
      ok: false,
      reason: 'code-invalide',
    });
  });
});
