import { writeFile } from 'node:fs/promises';
import type { Storage } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { DiagnosticService } from '../../src/domain/diagnostics/service.js';
import { recordKeys } from '../../src/domain/records/diagnostic.js';
import { ListableBlobsStorage } from '../../src/storage/blobStorage.js';
import { LowdbStorage } from '../../src/storage/lowdbStorage.js';
import { ListableMemoryStorage } from '../../src/storage/memoryStorage.js';
import { StorageCorruptionError } from '../../src/storage/storageErrors.js';
import { StorageRecordStore } from '../../src/storage/storageRecordStore.js';
import { useAzurite } from '../helpers/azurite.js';
import { useTempDirs } from './tempDir.js';

const newDir = useTempDirs('record-store');
const azurite = useAzurite('records');

const storages: [string, () => Promise<Storage>][] = [
  ['lowdb', async () => new LowdbStorage(await newDir())],
  ['blob', async () => new ListableBlobsStorage(azurite.connectionString(), azurite.newContainer())],
  ['memory', async () => new ListableMemoryStorage()],
];

/** Where the record store says a record is: its file with lowdb, its key elsewhere. */
const whereIs = (storage: Storage, key: string) =>
  storage instanceof LowdbStorage ? storage.fileFor(key) : key;

describe.each(storages)('StorageRecordStore on %s', (_, open) => {
  it('reads back a record of the right shape', async () => {
    const storage = await open();
    const service = new DiagnosticService(new StorageRecordStore(storage));
    const diagnostic = await service.startDiagnostic('web:dl_alice', { kind: 'quick' });
    await service.answer(diagnostic.id, 'web:dl_alice', 1, 'oui');
    expect((await service.diagnostic(diagnostic.id))!.answers[1]).toMatchObject({ value: 'oui' });
  });

  const wrongShapes: [string, (record: Record<string, unknown>) => unknown][] = [
    ['without its answers', ({ answers: _answers, ...rest }) => rest],
    ['with an answer that is no answer', (record) => ({ ...record, answers: { 1: { value: 'peut-être' } } })],
    ['with a date that is no date', (record) => ({ ...record, updatedAt: 'hier' })],
    ['replaced by something else', () => ({ bonjour: 'à la main' })],
    ['missing from its envelope', () => undefined],
  ];

  it.each(wrongShapes)(
    'refuses a diagnostic %s, naming where it is, and keeps it as it is',
    async (_, change) => {
      const storage = await open();
      const store = new StorageRecordStore(storage);
      const service = new DiagnosticService(store);
      const diagnostic = await service.startDiagnostic('web:dl_alice', { kind: 'quick' });
      const key = recordKeys.diagnostic(diagnostic.id);
      const { [key]: stored } = await storage.read([key]);
      const edited = change(stored!.record as Record<string, unknown>);
      await storage.write({ [key]: edited === undefined ? { bonjour: 1 } : { record: edited } });

      const failure = await service.diagnostic(diagnostic.id).catch((err: unknown) => err);

      expect(failure).toBeInstanceOf(StorageCorruptionError);
      expect((failure as StorageCorruptionError).file).toBe(whereIs(storage, key));
      expect((failure as Error).message).toMatch(/not a valid diagnostic record/);
      await expect(service.answer(diagnostic.id, 'web:dl_alice', 2, 'non')).rejects.toBeInstanceOf(
        StorageCorruptionError,
      );
      expect((await storage.read([key]))[key]).toMatchObject(edited === undefined ? { bonjour: 1 } : {});
    },
  );

  it('refuses a respondent, a collectivité and a download link of the wrong shape', async () => {
    const storage = await open();
    const store = new StorageRecordStore(storage);
    for (const key of [
      recordKeys.respondent('web:dl_alice'),
      recordKeys.collectivite('c1'),
      recordKeys.personalDataLink('t'.repeat(32)),
    ]) {
      await storage.write({ [key]: { record: { id: 42 } } });
      await expect(store.read(key)).rejects.toThrow(
        /not a valid (respondent|collectivité|personal data link)/,
      );
    }
  });

  it('keeps the fields its schema does not list', async () => {
    const storage = await open();
    const store = new StorageRecordStore(storage);
    const service = new DiagnosticService(store);
    const diagnostic = await service.startDiagnostic('web:dl_alice', { kind: 'quick' });
    await store.write(
      recordKeys.diagnostic(diagnostic.id),
      { ...diagnostic, note: 'ajoutée plus tard' },
      undefined,
    );
    await service.answer(diagnostic.id, 'web:dl_alice', 1, 'oui');
    expect(await service.diagnostic(diagnostic.id)).toMatchObject({ note: 'ajoutée plus tard' });
  });
});

describe('StorageRecordStore on lowdb', () => {
  it('names the file of a record that is not JSON', async () => {
    const storage = new LowdbStorage(await newDir());
    const store = new StorageRecordStore(storage);
    await store.write(recordKeys.respondent('web:dl_alice'), { id: 'web:dl_alice' }, undefined);
    const file = storage.fileFor(recordKeys.respondent('web:dl_alice'));
    await writeFile(file, '{"key": "respondent/web:dl_al');
    await expect(store.read(recordKeys.respondent('web:dl_alice'))).rejects.toMatchObject({ file });
  });
});
