import { createServer } from 'node:net';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { describe, expect, it } from 'vitest';
import { createStorage, StorageStartupError, type StorageConfig } from '../../src/storage/createStorage.js';
import { isETagConflict } from '../../src/storage/eTagConflict.js';
import { azuriteAccountKey, azuriteConnectionString, useAzurite } from '../helpers/azurite.js';

const azurite = useAzurite('bot-state');

function blobConfig(container = azurite.newContainer()): StorageConfig {
  return {
    STORAGE: 'blob',
    DATA_DIR: 'unused',
    BLOB_CONNECTION_STRING: azurite.connectionString(),
    BLOB_CONTAINER: container,
  };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('blob storage (Azurite)', () => {
  it('is the official BlobsStorage, and gives back what it stored, French text included', async () => {
    const storage = await createStorage(blobConfig());
    expect(storage).toBeInstanceOf(BlobsStorage);
    const key = 'msteams/conversations/19:abc@thread.tacv2/';
    const item = { collectivite: 'Saint-Étienne-de-Tinée', niveau: 'Émergence', reponses: { 23: 'oui' } };

    await storage.write({ [key]: item });
    const read = await storage.read([key, 'absent']);

    expect(read).toEqual({ [key]: { ...item, eTag: expect.any(String) } });
  });

  it('rejects a write whose eTag is out of date', async () => {
    const storage = await createStorage(blobConfig());
    await storage.write({ k: { v: 1 } });
    const first = (await storage.read(['k'])).k.eTag;
    await storage.write({ k: { v: 2, eTag: first } });

    const stale = storage.write({ k: { v: 3, eTag: first } });

    await expect(stale).rejects.toThrow('Storage: error writing "k" due to eTag conflict.');
    expect((await storage.read(['k'])).k.v).toBe(2);
  });

  it('lets "*" and a missing eTag overwrite whatever is stored', async () => {
    const storage = await createStorage(blobConfig());
    await storage.write({ k: { v: 1 } });
    await storage.write({ k: { v: 2, eTag: '*' } });
    expect((await storage.read(['k'])).k.v).toBe(2);
    await storage.write({ k: { v: 3 } });
    expect((await storage.read(['k'])).k.v).toBe(3);
  });

  it('lets two bot instances sharing a container see each other’s writes and conflicts', async () => {
    const config = blobConfig();
    const first = await createStorage(config);
    const second = await createStorage(config);

    await first.write({ 'collectivite/42': { nom: 'Privas', version: 1 } });
    const seen = (await second.read(['collectivite/42']))['collectivite/42'];
    expect(seen).toMatchObject({ nom: 'Privas', version: 1 });

    for (let round = 2; round <= 6; round++) {
      const { eTag } = (await first.read(['collectivite/42']))['collectivite/42'];
      const outcomes = await Promise.allSettled([
        first.write({ 'collectivite/42': { nom: 'Privas', version: round, by: 'first', eTag } }),
        second.write({ 'collectivite/42': { nom: 'Privas', version: round, by: 'second', eTag } }),
      ]);
      const winners = outcomes.filter((o) => o.status === 'fulfilled');
      const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(winners).toHaveLength(1);
      expect(losers.every((o) => isETagConflict(o.reason))).toBe(true);
      const [a, b] = await Promise.all([first.read(['collectivite/42']), second.read(['collectivite/42'])]);
      expect(a).toEqual(b);
      expect(a['collectivite/42']?.version).toBe(round);
    }
  });

  describe('listing keys (retention and erasure)', () => {
    it('lists the keys under a prefix, each one reading and deleting its own blob', async () => {
      const storage = await createStorage(blobConfig());
      const keys = [
        'diagnostic/1',
        'diagnostic/2',
        'diagnostics-ailleurs',
        'respondent/msteams:tenant-1:Émile Zola',
        'export/AbC_-123',
      ];
      await storage.write(Object.fromEntries(keys.map((key, n) => [key, { n }])));

      const listed = await storage.listKeys('diagnostic/');
      expect(listed.map(({ key }) => key).sort()).toEqual(['diagnostic/1', 'diagnostic/2']);
      for (const { modifiedAt } of listed)
        expect(Math.abs(Date.now() - modifiedAt.getTime())).toBeLessThan(60_000);

      const all = (await storage.listKeys('')).map(({ key }) => key);
      expect(all.sort()).toEqual([...keys].sort());
      const items = await storage.read(all);
      expect(all.map((key) => items[key]?.n).sort()).toEqual([0, 1, 2, 3, 4]);
      await storage.delete(all);
      expect(await storage.listKeys('')).toEqual([]);
    });

    it('lists a key with repeated or trailing slashes as the key BlobsStorage stores it under', async () => {
      const storage = await createStorage(blobConfig());
      await storage.write({ 'webchat/conversations/abc/': { v: 1 }, 'a//b': { v: 2 } });

      const listed = (await storage.listKeys('')).map(({ key }) => key).sort();

      expect(listed).toEqual(['a/b', 'webchat/conversations/abc']);
      expect((await storage.read(['webchat/conversations/abc']))['webchat/conversations/abc']?.v).toBe(1);
      await storage.delete(listed);
      expect(await storage.read(['webchat/conversations/abc/', 'a//b'])).toEqual({});
    });

    it('lists nothing in a container nobody wrote to yet', async () => {
      const storage = await createStorage(blobConfig());
      expect(await storage.listKeys('diagnostic/')).toEqual([]);
    });
  });

  describe('BlobsStorage differs from MemoryStorage (pinned so an upgrade that changes it is noticed)', () => {
    it('rejects a real eTag on a key that does not exist, where MemoryStorage accepts it', async () => {
      const storage = await createStorage(blobConfig());
      await storage.write({ k: { v: 1 } });
      const { eTag } = (await storage.read(['k'])).k;
      await storage.delete(['k']);

      await expect(storage.write({ k: { v: 2, eTag } })).rejects.toThrow('eTag conflict');
      await expect(storage.write({ never: { v: 1, eTag: 'made-up' } })).rejects.toThrow('eTag conflict');
    });

    it('stores keys that differ only by repeated slashes in the same blob, and refuses the empty key', async () => {
      const storage = await createStorage(blobConfig());
      await storage.write({ 'a//b': { v: 1 } });
      expect((await storage.read(['a/b']))['a/b']?.v).toBe(1);
      await expect(storage.write({ '': { v: 1 } })).rejects.toThrow('non-empty key');
    });

    it('hands out quoted HTTP eTags', async () => {
      const storage = await createStorage(blobConfig());
      await storage.write({ k: { v: 1 } });
      expect((await storage.read(['k'])).k.eTag).toMatch(/^"0x[0-9A-F]+"$/);
    });
  });

  describe('at start-up', () => {
    it('fails fast, naming BLOB_CONTAINER and the endpoint, when the storage cannot be reached', async () => {
      const port = await closedPort();
      const started = Date.now();
      const failure = await createStorage({
        ...blobConfig('bot-state'),
        BLOB_CONNECTION_STRING: azuriteConnectionString(port),
      }).catch((err: unknown) => err);

      expect(failure).toBeInstanceOf(StorageStartupError);
      const message = (failure as Error).message;
      expect(message).toContain('"bot-state" (BLOB_CONTAINER)');
      expect(message).toContain(`http://127.0.0.1:${port}/devstoreaccount1`);
      expect(message).toMatch(/ECONNREFUSED/);
      expect(message).not.toContain(azuriteAccountKey);
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    it('names BLOB_CONTAINER when the container name is invalid', async () => {
      await expect(createStorage(blobConfig('Not_A_Valid_Name'))).rejects.toThrow(
        /"Not_A_Valid_Name" \(BLOB_CONTAINER\)/,
      );
    });

    it('names BLOB_CONNECTION_STRING when it is not a connection string, without echoing it', async () => {
      const failure = await createStorage({
        ...blobConfig(),
        BLOB_CONNECTION_STRING: 'AccountName=x;AccountKey=c2VjcmV0LXNlY3JldC1zZWNyZXQ=',
      }).catch((err: unknown) => err);
      expect((failure as Error).message).toMatch(/BLOB_CONNECTION_STRING|BLOB_CONTAINER/);
      expect((failure as Error).message).not.toContain('c2VjcmV0LXNlY3JldC1zZWNyZXQ=');
    });
  });
});
