import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ContainerClient } from '@azure/storage-blob';
import type { Storage } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { issueJoinCode, joinCollectivite } from '../../src/domain/collectivite/joinCode.js';
import { recordAnswer } from '../../src/domain/assessment/assessment.js';
import { addOnce, DiagnosticService } from '../../src/domain/diagnostics/service.js';
import { issueResumeCode, resolveRespondent, useResumeCode } from '../../src/domain/identity/resumeCode.js';
import { recordKeys } from '../../src/domain/records/diagnostic.js';
import type { AnswerValue } from '../../src/domain/scoring/answers.js';
import { createLogger } from '../../src/log.js';
import {
  createPersonalDataLink,
  deletePersonalData,
  exportPersonalData,
  usePersonalDataLink,
} from '../../src/privacy/personalData.js';
import { purgeInactive, scheduleRetention } from '../../src/privacy/retention.js';
import { ListableBlobsStorage } from '../../src/storage/blobStorage.js';
import type { KeyLister } from '../../src/storage/keyLister.js';
import { LowdbStorage } from '../../src/storage/lowdbStorage.js';
import { ListableMemoryStorage } from '../../src/storage/memoryStorage.js';
import { StorageRecordStore } from '../../src/storage/storageRecordStore.js';
import { useAzurite } from '../helpers/azurite.js';
import { loopTurnsDuring } from '../helpers/eventLoop.js';
import { storedFiles, useTempDirs } from '../storage/tempDir.js';

const newDir = useTempDirs('privacy');

const alice = 'msteams:tenant-1:alice-aad';
const bob = 'msteams:tenant-1:bob-aad';
const carol = 'web:dl_carol';

type Mode = 'lowdb' | 'blob' | 'memory';
const modes: Mode[] = ['lowdb', 'blob', 'memory'];

const azurite = useAzurite('privacy');

/** A fresh store of the given kind, and every byte it holds as text: what a person's id must vanish from. */
async function world(mode: Mode, now?: () => string) {
  let storage: Storage & KeyLister;
  let everything: () => Promise<string>;
  if (mode === 'lowdb') {
    const lowdb = new LowdbStorage(await newDir());
    storage = lowdb;
    everything = async () => {
      const names = await storedFiles(lowdb.directory); // records and any temporary file
      const texts = await Promise.all(names.map((name) => readFile(join(lowdb.directory, name), 'utf8')));
      return texts.join('\n');
    };
  } else if (mode === 'blob') {
    const container = azurite.newContainer();
    storage = new ListableBlobsStorage(azurite.connectionString(), container);
    const client = new ContainerClient(azurite.connectionString(), container);
    everything = async () => {
      const texts: string[] = [];
      for await (const blob of client.listBlobsFlat()) {
        texts.push((await client.getBlobClient(blob.name).downloadToBuffer()).toString('utf8'));
      }
      return texts.join('\n');
    };
  } else {
    const memory = new ListableMemoryStorage();
    storage = memory;
    everything = async () => {
      const keys = (await memory.listKeys('')).map(({ key }) => key);
      return JSON.stringify(await memory.read(keys));
    };
  }
  const store = new StorageRecordStore(storage);
  return { storage, store, everything, service: new DiagnosticService(store, now) };
}

/**
 * An answer recorded as `DiagnosticService.answer` records it, without its check that the person may answer: what an
 * answer typed in a colleague's conversation, or by an earlier version of the assistant, left in the store.
 */
async function answerAs(
  service: DiagnosticService,
  diagnosticId: string,
  person: string,
  indicator: number,
  value: AnswerValue,
  at = new Date().toISOString(),
): Promise<void> {
  await service.updateDiagnostic(diagnosticId, (d) => ({
    ...recordAnswer(d, indicator, value, { at, by: person }),
    respondents: addOnce(d.respondents, person),
    byRespondent: { ...d.byRespondent, [person]: { ...d.byRespondent[person], [indicator]: value } },
  }));
}

/** Alice and Bob answer for one collectivité; each also did a quick check alone; Bob answered in Carol's. */
async function sharedCollectivite(mode: Mode) {
  const w = await world(mode);
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
  await answerAs(service, carolsQuickCheck.id, bob, 2, 'non');
  const bobsDownloadLink = await createPersonalDataLink(store, bob);
  const alicesDownloadLink = await createPersonalDataLink(store, alice);
  const { code: bobsResumeCode } = await issueResumeCode(store, bob);
  expect(await useResumeCode(store, bobsResumeCode, 'web:dl_bobs-phone')).toMatchObject({ ok: true });
  return {
    ...w,
    collectivite,
    shared,
    bobsQuickCheck: finished,
    alicesQuickCheck,
    carolsQuickCheck,
    bobsDownloadLink,
    alicesDownloadLink,
  };
}

describe('Règle : « mes données » donne tout ce qui est gardé sur la personne, et rien sur les autres', () => {
  it('fiche, collectivités avec leur nom, diagnostics, réponses données et dernières réponses', async () => {
    const { store, collectivite, shared, bobsQuickCheck } = await sharedCollectivite('lowdb');
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
    const { store } = await world('lowdb');
    const data = await exportPersonalData(store, 'web:dl_inconnu');
    expect(data).toMatchObject({ respondent: null, collectivites: [], diagnostics: [] });
  });
});

describe.each(modes)(
  'Règle : « supprimer mes données » efface la personne, la collectivité garde ses réponses (stockage %s)',
  (mode) => {
    it('Bob supprimé : sa fiche, son diagnostic rapide, son lien de rapport et son lien de téléchargement disparaissent ; son nom, partout', async () => {
      const {
        storage,
        store,
        service,
        everything,
        collectivite,
        shared,
        bobsQuickCheck,
        alicesQuickCheck,
        carolsQuickCheck,
        bobsDownloadLink,
        alicesDownloadLink,
      } = await sharedCollectivite(mode);
      const answersBefore = Object.keys((await service.diagnostic(shared.id))!.answers).length;

      const summary = await deletePersonalData(store, bob, { lister: storage });

      expect(summary).toMatchObject({
        respondentDeleted: true,
        diagnosticsDeleted: [bobsQuickCheck.id],
        exportLinksDeleted: 1,
        resumeLinksDeleted: 2,
        unreadable: [],
      });
      expect(summary.diagnosticsAnonymised.sort()).toEqual([shared.id, carolsQuickCheck.id].sort());
      expect(summary.collectivitesLeft).toEqual([collectivite.id]);
      expect(await service.respondent(bob)).toBeUndefined();
      expect(await service.diagnostic(bobsQuickCheck.id)).toBeUndefined();
      expect(await store.read(recordKeys.report(bobsQuickCheck.reportId!))).toBeUndefined();
      expect(await usePersonalDataLink(store, bobsDownloadLink)).toBeUndefined();
      expect(await resolveRespondent(store, 'web:dl_bobs-phone'), 'the phone is itself again').toBe(
        'web:dl_bobs-phone',
      );
      expect(await everything()).not.toContain('bob-aad');

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
      expect(await usePersonalDataLink(store, alicesDownloadLink)).toBe(alice);
      const carols = (await service.diagnostic(carolsQuickCheck.id))!;
      expect(carols.answers[2]!.value).toBe('non');
      expect(carols.byRespondent[carol]).toEqual({ 1: 'oui' });
    });

    it('sans lister le stockage, seuls les diagnostics que la fiche désigne sont traités', async () => {
      const { storage, store, everything, carolsQuickCheck } = await sharedCollectivite(mode);
      await deletePersonalData(store, bob);
      const carols = (await new DiagnosticService(store).diagnostic(carolsQuickCheck.id))!;
      expect(carols.byRespondent[bob]).toBeDefined();
      await deletePersonalData(store, bob, { lister: storage });
      expect(await everything()).not.toContain('bob-aad');
    });

    it('une deuxième demande ne change plus rien, et l’export est vide ensuite', async () => {
      const { storage, store, everything } = await sharedCollectivite(mode);
      await deletePersonalData(store, bob, { lister: storage });
      const before = await everything();
      const again = await deletePersonalData(store, bob, { lister: storage });
      expect(again).toEqual({
        respondentDeleted: false,
        diagnosticsAnonymised: [],
        diagnosticsDeleted: [],
        collectivitesLeft: [],
        exportLinksDeleted: 0,
        resumeLinksDeleted: 0,
        unreadable: [],
      });
      expect(await everything()).toBe(before);
      expect(await exportPersonalData(store, bob)).toMatchObject({ respondent: null, diagnostics: [] });
    });

    it('pendant qu’Alice répond, la suppression de Bob ne fait perdre aucune de ses réponses', async () => {
      const { storage, store, service, shared } = await sharedCollectivite(mode);
      await Promise.all([
        deletePersonalData(store, bob, { lister: storage }),
        (async () => {
          for (let n = 10; n <= 40; n++) await service.answer(shared.id, alice, n, 'en_partie');
        })(),
      ]);
      const kept = (await service.diagnostic(shared.id))!;
      for (let n = 10; n <= 40; n++) expect(kept.answers[n]).toMatchObject({ value: 'en_partie', by: alice });
      expect(JSON.stringify(kept)).not.toContain(bob);
    });
  },
);

describe('Règle : un enregistrement abîmé n’empêche pas d’effacer une personne, et il est signalé', () => {
  it('le diagnostic d’une autre personne modifié à la main : sauté et signalé, Bob effacé partout ailleurs', async () => {
    const { storage, store, service, alicesQuickCheck, bobsQuickCheck } = await sharedCollectivite('lowdb');
    const damaged = recordKeys.diagnostic(alicesQuickCheck.id);
    await writeFile(
      (storage as LowdbStorage).fileFor(damaged),
      JSON.stringify({ key: damaged, item: { eTag: 'x', record: {} } }),
    );

    const summary = await deletePersonalData(store, bob, { lister: storage });

    expect(summary.unreadable).toEqual([damaged]);
    expect(summary.diagnosticsDeleted).toEqual([bobsQuickCheck.id]);
    expect(await service.respondent(bob)).toBeUndefined();
  });

  it('la fiche de la personne elle-même abîmée : effacée quand même', async () => {
    const { storage, store, everything } = await sharedCollectivite('lowdb');
    await writeFile(
      (storage as LowdbStorage).fileFor(recordKeys.respondent(bob)),
      '{"key": "respondent/msteams:tenant-1:bob-a',
    );

    const summary = await deletePersonalData(store, bob, { lister: storage });

    expect(summary).toMatchObject({ respondentDeleted: true, unreadable: [] });
    expect(await everything()).not.toContain('bob-aad');
  });
});

describe.each(modes)(
  'Règle : au-delà de RETENTION_DAYS sans activité, les données d’une personne sont effacées (stockage %s)',
  (mode) => {
    const longAgo = '2021-01-10T09:00:00.000Z';
    const recently = '2025-12-20T09:00:00.000Z';
    const today = () => new Date('2026-01-15T09:00:00.000Z');

    async function twoYearsLater() {
      const w = await world(mode);
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
      const olgasOldLink = await createPersonalDataLink(w.store, 'web:dl_olga', Date.parse(longAgo));
      await w.service.touchRespondent('web:dl_paul');
      const { code: paulsOldCode } = await issueResumeCode(
        w.store,
        'web:dl_paul',
        new Date('2025-11-01T09:00:00Z'),
      );
      const remisOldQuickCheck = await past.startDiagnostic('web:dl_remi', { kind: 'quick' });
      const remisQuickCheck = await present.startDiagnostic('web:dl_remi', { kind: 'quick' });
      const remisNewLink = await createPersonalDataLink(w.store, 'web:dl_remi', today().getTime() - 60_000);

      const paul = await past.startDiagnostic('web:dl_paul', { kind: 'full' }, collectivite.id);
      await present.answer(paul.id, 'web:dl_paul', 2, 'oui');

      await w.storage.write({ 'webchat/conversations/recente/': { dialogState: {} } });
      return {
        ...w,
        collectivite,
        shared,
        olgasQuickCheck,
        olgasOldLink,
        remisOldQuickCheck,
        remisQuickCheck,
        remisNewLink,
        paul,
        paulsOldCode,
      };
    }

    it('Olga, absente depuis 5 ans : effacée ; Rémi et Paul, actifs : gardés ; le diagnostic de la collectivité reste', async () => {
      const w = await twoYearsLater();
      const report = await purgeInactive(w.storage, 730, { now: today });

      expect(report).toEqual({
        respondentsErased: 1,
        diagnosticsDeleted: 2,
        diagnosticsAnonymised: 1,
        conversationsDeleted: 0,
        exportLinksDeleted: 1,
        resumeCodesDeleted: 1,
        unreadable: [],
      });
      expect(await w.service.respondent('web:dl_olga')).toBeUndefined();
      expect(await w.everything()).not.toContain('dl_olga');
      const shared = (await w.service.diagnostic(w.shared.id))!;
      expect(shared.answers[1]!.value).toBe('oui');
      expect((await w.service.collectivite(w.collectivite.id))!.members).toEqual([]);
      expect(await w.service.diagnostic(w.olgasQuickCheck.id)).toBeUndefined();
      expect(await w.store.read(recordKeys.personalDataLink(w.olgasOldLink))).toBeUndefined();

      expect(await w.service.respondent('web:dl_remi')).toBeDefined();
      expect(await w.service.diagnostic(w.remisQuickCheck.id)).toBeDefined();
      expect(
        await w.store.read(recordKeys.personalDataLink(w.remisNewLink)),
        'not expired yet',
      ).toBeDefined();
      expect(
        await w.service.diagnostic(w.remisOldQuickCheck.id),
        'anonymous, untouched for 5 years',
      ).toBeUndefined();
      expect(await w.service.respondent('web:dl_paul'), 'his last answer is recent').toBeDefined();
      expect(
        await w.store.read(recordKeys.resumeCode(w.paulsOldCode)),
        'expired after 30 days',
      ).toBeUndefined();
      expect(await w.storage.read(['webchat/conversations/recente/'])).not.toEqual({});
    });

    it('les conversations silencieuses depuis RETENTION_DAYS jours sont effacées, les autres gardées', async () => {
      const w = await world(mode);
      await w.storage.write({ 'webchat/conversations/abc/': { dialogState: {} } });
      const inDays = (days: number) => () => new Date(Date.now() + days * 24 * 60 * 60 * 1000);

      expect((await purgeInactive(w.storage, 730, { now: inDays(729) })).conversationsDeleted).toBe(0);
      expect(await w.everything()).toContain('dialogState');
      expect((await purgeInactive(w.storage, 730, { now: inDays(731) })).conversationsDeleted).toBe(1);
      expect(await w.everything()).not.toContain('dialogState');
    });

    it('un nom resté sur un vieux diagnostic sans fiche (réponse donnée dans la conversation d’un autre) est anonymisé', async () => {
      const w = await world(mode, () => longAgo);
      const collectivite = await w.service.createCollectivite('web:dl_olga', {
        name: 'Ville',
        type: 'commune',
        traits: [],
      });
      const shared = await w.service.startDiagnostic('web:dl_olga', { kind: 'full' }, collectivite.id);
      await answerAs(w.service, shared.id, 'msteams:t:sans-fiche', 3, 'non', longAgo);
      const report = await purgeInactive(w.storage, 730, { now: today });
      expect(report).toMatchObject({ respondentsErased: 1, diagnosticsAnonymised: 1 });
      expect(await w.everything()).not.toContain('sans-fiche');
      expect((await w.service.diagnostic(shared.id))!.answers[3]!.value).toBe('non');
    });

    /** Rewrites the stored record under `key` as `change` makes it, as a person editing the file would. */
    async function editByHand(
      storage: Storage,
      key: string,
      change: (record: Record<string, unknown>) => unknown,
    ) {
      const { [key]: stored } = await storage.read([key]);
      const edited = change(stored!.record as Record<string, unknown>);
      await storage.write({ [key]: { record: edited } });
      return edited;
    }

    it('un enregistrement de la mauvaise forme (modifié à la main) est signalé et gardé tel quel, jamais effacé', async () => {
      const w = await twoYearsLater();
      const oldQuickCheck = recordKeys.diagnostic(w.remisOldQuickCheck.id);
      const edited = await editByHand(w.storage, oldQuickCheck, ({ answers: _answers, ...rest }) => rest);
      const zoe = recordKeys.respondent('web:dl_zoe');
      await w.storage.write({ [zoe]: { record: { bonjour: 'à la main' } } });

      const report = await purgeInactive(w.storage, 730, { now: today });

      expect(report.unreadable.sort()).toEqual([oldQuickCheck, zoe].sort());
      expect((await w.storage.read([oldQuickCheck]))[oldQuickCheck]?.record).toEqual(edited);
      expect((await w.storage.read([zoe]))[zoe]?.record).toEqual({ bonjour: 'à la main' });
      expect(report.respondentsErased).toBe(1);
      expect(await w.service.respondent('web:dl_olga')).toBeUndefined();
    });

    it('une personne dont un diagnostic ne peut pas être lu est gardée (il peut contenir une réponse récente)', async () => {
      const w = await twoYearsLater();
      const olgasKey = recordKeys.diagnostic(w.olgasQuickCheck.id);
      await editByHand(w.storage, olgasKey, (record) => ({ ...record, updatedAt: 'hier' }));

      const report = await purgeInactive(w.storage, 730, { now: today });

      expect(report).toMatchObject({ respondentsErased: 0, unreadable: [olgasKey] });
      expect(await w.service.respondent('web:dl_olga')).toBeDefined();
      expect(await w.storage.read([olgasKey])).not.toEqual({});
    });
  },
);

describe('Règle : la purge de rétention sur les fichiers lowdb', () => {
  const today = () => new Date('2026-01-15T09:00:00.000Z');

  it('une conversation dont le fichier n’a pas changé depuis RETENTION_DAYS jours est effacée', async () => {
    const w = await world('lowdb');
    await w.storage.write({ 'webchat/conversations/ancienne/': { dialogState: {} } });
    await w.storage.write({ 'webchat/conversations/recente/': { dialogState: {} } });
    const old = new Date('2021-01-10T09:00:00.000Z');
    await utimes((w.storage as LowdbStorage).fileFor('webchat/conversations/ancienne/'), old, old);
    const recent = new Date('2025-12-20T09:00:00.000Z');
    await utimes((w.storage as LowdbStorage).fileFor('webchat/conversations/recente/'), recent, recent);

    expect((await purgeInactive(w.storage, 730, { now: today })).conversationsDeleted).toBe(1);
    expect(await w.storage.read(['webchat/conversations/recente/'])).not.toEqual({});
    expect(await w.storage.read(['webchat/conversations/ancienne/'])).toEqual({});
  });

  it('un fichier abîmé est signalé et sauté, la purge va au bout', async () => {
    const w = await world('lowdb', () => '2021-01-10T09:00:00.000Z');
    await w.service.touchRespondent('web:dl_olga');
    await w.service.touchRespondent('web:dl_remi');
    const storage = w.storage as LowdbStorage;
    await writeFile(storage.fileFor(recordKeys.respondent('web:dl_remi')), '{"key": "respondent/web:dl_re');
    const report = await purgeInactive(storage, 730, { now: today });
    expect(report.unreadable).toEqual([recordKeys.respondent('web:dl_remi')]);
    expect(report.respondentsErased).toBe(1);
    expect(await w.service.respondent('web:dl_olga')).toBeUndefined();
  });

  it('planifiée : un passage au démarrage, des comptes au journal, les enregistrements abîmés nommés, jamais d’identifiant', async () => {
    const w = await world('lowdb', () => '2021-01-10T09:00:00.000Z');
    await w.service.touchRespondent('web:dl_olga');
    const diagnostic = await w.service.startDiagnostic('web:dl_paul', { kind: 'quick' });
    const damaged = recordKeys.diagnostic(diagnostic.id);
    await w.storage.write({ [damaged]: { record: { ...diagnostic, scope: 'rapide' } } });
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
    const warning = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((l) => l.level === 40);
    expect(warning).toMatchObject({ unreadable: [damaged] });
    expect(lines.join('')).not.toMatch(/dl_olga|dl_remi/);
    expect(await w.storage.read([damaged])).not.toEqual({});
  });

  it('une purge de centaines de fiches laisse le serveur répondre entre deux lectures', async () => {
    const w = await world('lowdb', () => '2025-12-20T09:00:00.000Z');
    for (let n = 0; n < 400; n++) await w.service.touchRespondent(`web:dl_personne${n}`);
    const { result: report, turns } = await loopTurnsDuring(() =>
      purgeInactive(w.storage, 730, { now: today }),
    );
    expect(report.respondentsErased).toBe(0);
    // every file read waits for the thread pool: the event loop turns between reads
    expect(turns).toBeGreaterThanOrEqual(20);
  });
});
