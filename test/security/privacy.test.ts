import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { issueJoinCode, joinCollectivite } from '../../src/domain/collectivite/joinCode.js';
import { DiagnosticService } from '../../src/domain/diagnostics/service.js';
import { recordKeys } from '../../src/domain/records/diagnostic.js';
import { createLogger } from '../../src/log.js';
import { deletePersonalData, exportPersonalData } from '../../src/privacy/personalData.js';
import { purgeInactive, scheduleRetention } from '../../src/privacy/retention.js';
import { LowdbStorage } from '../../src/storage/lowdbStorage.js';
import { StorageRecordStore } from '../../src/storage/storageRecordStore.js';
import { storedFiles, useTempDirs } from '../storage/tempDir.js';
import { loopTurnsDuring } from '../helpers/eventLoop.js';

const newDir = useTempDirs('privacy');

const alice = 'msteams:tenant-1:alice-aad';
const bob = 'msteams:tenant-1:bob-aad';
const carol = 'web:dl_carol';

async function world(now?: () => string) {
  const storage = new LowdbStorage(await newDir());
  const store = new StorageRecordStore(storage);
  return { storage, store, service: new DiagnosticService(store, now) };
}

/** Every stored file, as text: what a person's id must vanish from. */
async function everything(storage: LowdbStorage): Promise<string> {
  const names = await storedFiles(storage.directory); // records and any temporary file; not the empty spares
  const texts = await Promise.all(names.map((name) => readFile(join(storage.directory, name), 'utf8')));
  return texts.join('\n');
}

/** Alice and Bob answer for one collectivité; each also did a quick check alone; Bob answered in Carol's. */
async function sharedCollectivite() {
  const w = await world();
  const { service, store } = w;
  const collectivite = await service.createCollectivite(alice, {
    name: 'Communauté de communes du Haut-Test',
    type: 'intercommunalite',
    traits: ['rural'],
    tenantId: 'tenant-1',
  });
  const code = await issueJoinCode(store, collectivite.id);
  expect((await joinCollectivite(store, code, bob, 'tenant-1')).ok).toBe(true);
  const shared = await service.startDiagnostic(alice, { kind: 'full' }, collectivite.id);
  await service.setActiveDiagnostic(bob, shared.id);
  for (const n of [1, 2, 3, 4]) await service.answer(shared.id, alice, n, 'oui');
  for (const n of [3, 4, 5, 6]) await service.answer(shared.id, bob, n, 'non');

  const bobsQuickCheck = await service.startDiagnostic(bob, { kind: 'quick' });
  await service.answer(bobsQuickCheck.id, bob, 1, 'en_partie');
  const finished = await service.finish(bobsQuickCheck.id);
  const alicesQuickCheck = await service.startDiagnostic(alice, { kind: 'quick' });
  await service.answer(alicesQuickCheck.id, alice, 1, 'nsp');
  const carolsQuickCheck = await service.startDiagnostic(carol, { kind: 'quick' });
  await service.answer(carolsQuickCheck.id, carol, 1, 'oui');
  await service.answer(carolsQuickCheck.id, bob, 2, 'non');
  return { ...w, collectivite, shared, bobsQuickCheck: finished, alicesQuickCheck, carolsQuickCheck };
}

describe('Règle : « mes données » donne tout ce qui est gardé sur la personne, et rien sur les autres', () => {
  it('fiche, collectivités avec leur nom, diagnostics, réponses données et dernières réponses', async () => {
    const { store, collectivite, shared, bobsQuickCheck } = await sharedCollectivite();
    const data = await exportPersonalData(store, bob, () => '2026-03-01T10:00:00.000Z');

    expect(data.exportedAt).toBe('2026-03-01T10:00:00.000Z');
    expect(data.respondent).toMatchObject({ id: bob, collectiviteIds: [collectivite.id] });
    expect(data.collectivites).toEqual([
      expect.objectContaining({
        id: collectivite.id,
        name: 'Communauté de communes du Haut-Test',
        member: true,
      }),
    ]);
    const inShared = data.diagnostics.find((d) => d.id === shared.id)!;
    expect(inShared.collectiviteName).toBe('Communauté de communes du Haut-Test');
    expect(inShared.owner).toBe(false);
    expect(inShared.answersGiven.map((a) => [a.indicator, a.value])).toEqual([
      [3, 'non'],
      [4, 'non'],
      [5, 'non'],
      [6, 'non'],
    ]);
    expect(inShared.latestAnswers).toEqual({ 3: 'non', 4: 'non', 5: 'non', 6: 'non' });
    const own = data.diagnostics.find((d) => d.id === bobsQuickCheck.id)!;
    expect(own).toMatchObject({ owner: true, collectiviteId: null, finishedAt: bobsQuickCheck.finishedAt });

    const json = JSON.stringify(data);
    expect(JSON.parse(json)).toEqual(data);
    expect(json).not.toContain(alice);
    expect(json).not.toContain(carol);
  });

  it('quelqu’un qui n’a jamais rien fait : un export vide, pas une erreur', async () => {
    const { store } = await world();
    const data = await exportPersonalData(store, 'web:dl_inconnu');
    expect(data).toMatchObject({ respondent: null, collectivites: [], diagnostics: [] });
  });
});

describe('Règle : « supprimer mes données » efface la personne, la collectivité garde ses réponses', () => {
  it('Bob supprimé : sa fiche, son diagnostic rapide et son lien de rapport disparaissent ; son nom, partout', async () => {
    const {
      storage,
      store,
      service,
      collectivite,
      shared,
      bobsQuickCheck,
      alicesQuickCheck,
      carolsQuickCheck,
    } = await sharedCollectivite();
    const answersBefore = Object.keys((await service.diagnostic(shared.id))!.answers).length;

    const summary = await deletePersonalData(store, bob, { listKeys: (prefix) => storage.listKeys(prefix) });

    expect(summary).toMatchObject({ respondentDeleted: true, diagnosticsDeleted: [bobsQuickCheck.id] });
    expect(summary.diagnosticsAnonymised.sort()).toEqual([shared.id, carolsQuickCheck.id].sort());
    expect(summary.collectivitesLeft).toEqual([collectivite.id]);
    expect(await service.respondent(bob)).toBeUndefined();
    expect(await service.diagnostic(bobsQuickCheck.id)).toBeUndefined();
    expect(await store.read(recordKeys.report(bobsQuickCheck.reportId!))).toBeUndefined();
    expect(await everything(storage)).not.toContain('bob-aad');

    const kept = (await service.diagnostic(shared.id))!;
    expect(Object.keys(kept.answers)).toHaveLength(answersBefore);
    expect(kept.byRespondent[bob]).toBeUndefined();
    expect(kept.respondents).toHaveLength(2);
    const anonymous = kept.answers[5]!.by!;
    expect(anonymous).toMatch(/^anonyme-/);
    expect(kept.answers[6]!.by).toBe(anonymous);
    expect(kept.byRespondent[alice]).toEqual({ 1: 'oui', 2: 'oui', 3: 'oui', 4: 'oui' });
    expect((await service.collectivite(collectivite.id))!.members).toEqual([alice]);

    expect(await service.diagnostic(alicesQuickCheck.id)).toBeDefined();
    const carols = (await service.diagnostic(carolsQuickCheck.id))!;
    expect(carols.answers[2]!.value).toBe('non');
    expect(carols.byRespondent[carol]).toEqual({ 1: 'oui' });
  });

  it('sans lister tout le stockage, seuls les diagnostics que la fiche désigne sont traités', async () => {
    const { storage, store, carolsQuickCheck } = await sharedCollectivite();
    await deletePersonalData(store, bob);
    const carols = (await new DiagnosticService(store).diagnostic(carolsQuickCheck.id))!;
    expect(carols.byRespondent[bob]).toBeDefined();
    await deletePersonalData(store, bob, { listKeys: (prefix) => storage.listKeys(prefix) });
    expect(await everything(storage)).not.toContain('bob-aad');
  });

  it('une deuxième demande ne change plus rien, et l’export est vide ensuite', async () => {
    const { storage, store } = await sharedCollectivite();
    await deletePersonalData(store, bob);
    const before = await everything(storage);
    const again = await deletePersonalData(store, bob);
    expect(again).toEqual({
      respondentDeleted: false,
      diagnosticsAnonymised: [],
      diagnosticsDeleted: [],
      collectivitesLeft: [],
    });
    expect(await everything(storage)).toBe(before);
    expect(await exportPersonalData(store, bob)).toMatchObject({ respondent: null, diagnostics: [] });
  });

  it('pendant qu’Alice répond, la suppression de Bob ne fait perdre aucune de ses réponses', async () => {
    const { store, service, shared } = await sharedCollectivite();
    await Promise.all([
      deletePersonalData(store, bob),
      (async () => {
        for (let n = 10; n <= 40; n++) await service.answer(shared.id, alice, n, 'en_partie');
      })(),
    ]);
    const kept = (await service.diagnostic(shared.id))!;
    for (let n = 10; n <= 40; n++) expect(kept.answers[n]).toMatchObject({ value: 'en_partie', by: alice });
    expect(JSON.stringify(kept)).not.toContain(bob);
  });
});

describe('Règle : au-delà de RETENTION_DAYS sans activité, les données d’une personne sont effacées', () => {
  const longAgo = '2021-01-10T09:00:00.000Z';
  const recently = '2025-12-20T09:00:00.000Z';
  const today = () => new Date('2026-01-15T09:00:00.000Z');

  async function twoYearsLater() {
    const w = await world();
    const past = new DiagnosticService(w.store, () => longAgo);
    const present = new DiagnosticService(w.store, () => recently);
    const collectivite = await past.createCollectivite('web:dl_olga', {
      name: 'Ville de Test',
      type: 'commune',
      traits: [],
    });
    const shared = await past.startDiagnostic('web:dl_olga', { kind: 'full' }, collectivite.id);
    await past.answer(shared.id, 'web:dl_olga', 1, 'oui');
    const olgasQuickCheck = await past.startDiagnostic('web:dl_olga', { kind: 'quick' });
    await past.answer(olgasQuickCheck.id, 'web:dl_olga', 1, 'non');
    const remisOldQuickCheck = await past.startDiagnostic('web:dl_remi', { kind: 'quick' });
    const remisQuickCheck = await present.startDiagnostic('web:dl_remi', { kind: 'quick' });

    const paul = await past.startDiagnostic('web:dl_paul', { kind: 'full' }, collectivite.id);
    await present.answer(paul.id, 'web:dl_paul', 2, 'oui');

    await w.storage.write({ 'webchat/conversations/ancienne/': { dialogState: {} } });
    await w.storage.write({ 'webchat/conversations/recente/': { dialogState: {} } });
    const old = new Date(longAgo);
    await utimes(w.storage.fileFor('webchat/conversations/ancienne/'), old, old);
    return { ...w, collectivite, shared, olgasQuickCheck, remisOldQuickCheck, remisQuickCheck, paul };
  }

  it('Olga, absente depuis 5 ans : effacée ; Rémi et Paul, actifs : gardés ; le diagnostic de la collectivité reste', async () => {
    const w = await twoYearsLater();
    const report = await purgeInactive(w.storage, 730, { now: today });

    expect(report).toEqual({
      respondentsErased: 1,
      diagnosticsDeleted: 2,
      diagnosticsAnonymised: 1,
      conversationsDeleted: 1,
      unreadable: [],
    });
    expect(await w.service.respondent('web:dl_olga')).toBeUndefined();
    expect(await everything(w.storage)).not.toContain('dl_olga');
    const shared = (await w.service.diagnostic(w.shared.id))!;
    expect(shared.answers[1]!.value).toBe('oui');
    expect((await w.service.collectivite(w.collectivite.id))!.members).toEqual([]);
    expect(await w.service.diagnostic(w.olgasQuickCheck.id)).toBeUndefined();

    expect(await w.service.respondent('web:dl_remi')).toBeDefined();
    expect(await w.service.diagnostic(w.remisQuickCheck.id)).toBeDefined();
    expect(
      await w.service.diagnostic(w.remisOldQuickCheck.id),
      'anonymous, untouched for 5 years',
    ).toBeUndefined();
    expect(await w.service.respondent('web:dl_paul'), 'his last answer is recent').toBeDefined();
    expect(await w.storage.read(['webchat/conversations/recente/'])).not.toEqual({});
    expect(await w.storage.read(['webchat/conversations/ancienne/'])).toEqual({});
  });

  it('un nom resté sur un vieux diagnostic sans fiche (réponse donnée dans la conversation d’un autre) est anonymisé', async () => {
    const w = await world(() => longAgo);
    const collectivite = await w.service.createCollectivite('web:dl_olga', {
      name: 'Ville',
      type: 'commune',
      traits: [],
    });
    const shared = await w.service.startDiagnostic('web:dl_olga', { kind: 'full' }, collectivite.id);
    await w.service.answer(shared.id, 'msteams:t:sans-fiche', 3, 'non');
    const report = await purgeInactive(w.storage, 730, { now: today });
    expect(report).toMatchObject({ respondentsErased: 1, diagnosticsAnonymised: 1 });
    expect(await everything(w.storage)).not.toContain('sans-fiche');
    expect((await w.service.diagnostic(shared.id))!.answers[3]!.value).toBe('non');
  });

  it('un fichier abîmé est signalé et sauté, la purge va au bout', async () => {
    const w = await twoYearsLater();
    await writeFile(w.storage.fileFor(recordKeys.respondent('web:dl_remi')), '{"key": "respondent/web:dl_re');
    const report = await purgeInactive(w.storage, 730, { now: today });
    expect(report.unreadable).toEqual([recordKeys.respondent('web:dl_remi')]);
    expect(report.respondentsErased).toBe(1);
    expect(await w.service.respondent('web:dl_olga')).toBeUndefined();
  });

  it('planifiée : un passage au démarrage, des comptes au journal et jamais d’identifiant', async () => {
    const w = await twoYearsLater();
    const lines: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    const retention = scheduleRetention({ storage: w.storage, days: 1, logger, everyMs: 60_000 });
    const report = await retention.firstRun;
    retention.stop();
    expect(report!.respondentsErased).toBeGreaterThanOrEqual(1);
    expect(lines.join('')).toContain('retention: inactive data purged');
    expect(lines.join('')).not.toMatch(/dl_olga|dl_remi|dl_paul/);
  });

  it('une purge de centaines de fiches laisse le serveur répondre entre deux lectures', async () => {
    const w = await world(() => recently);
    for (let n = 0; n < 400; n++) await w.service.touchRespondent(`web:dl_personne${n}`);
    const { result: report, turns } = await loopTurnsDuring(() =>
      purgeInactive(w.storage, 730, { now: today }),
    );
    expect(report.respondentsErased).toBe(0);
    // the synchronous reads give the event loop back every 32 records (800 reads here: ≥ 20 turns of the loop)
    expect(turns).toBeGreaterThanOrEqual(20);
  });
});
