import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MemoryStorage } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { createStorage, StorageStartupError } from '../../src/storage/createStorage.js';
import { LowdbStorage } from '../../src/storage/lowdbStorage.js';
import { useTempDirs } from './tempDir.js';

const newDir = useTempDirs('create-storage');

describe('createStorage', () => {
  it('opens lowdb under DATA_DIR/state, making the folder at start-up', async () => {
    const dataDir = join(await newDir(), 'data');
    const storage = await createStorage({ STORAGE: 'lowdb', DATA_DIR: dataDir });
    expect(storage).toBeInstanceOf(LowdbStorage);
    expect((storage as LowdbStorage).directory).toBe(join(dataDir, 'state'));
    await storage.write({ k: { v: 1 } });
    expect((await storage.read(['k'])).k?.v).toBe(1);
  });

  it('refuses a DATA_DIR it cannot use, naming it', async () => {
    const notAFolder = join(await newDir(), 'file');
    await writeFile(notAFolder, '');
    const failure = createStorage({ STORAGE: 'lowdb', DATA_DIR: notAFolder });
    await expect(failure).rejects.toBeInstanceOf(StorageStartupError);
    await expect(failure).rejects.toThrow(/DATA_DIR/);
  });

  it('opens memory storage', async () => {
    expect(await createStorage({ STORAGE: 'memory', DATA_DIR: 'unused' })).toBeInstanceOf(MemoryStorage);
  });

  it('asks for the blob settings it misses', async () => {
    await expect(createStorage({ STORAGE: 'blob', DATA_DIR: 'unused' })).rejects.toThrow(
      'STORAGE=blob needs BLOB_CONTAINER and one of BLOB_CONNECTION_STRING or BLOB_ACCOUNT_URL',
    );
  });
});
