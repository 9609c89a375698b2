import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { LowdbStorage, recordFileLimits } from '../../src/storage/lowdbStorage.js';
import { latestVersion } from '../../src/storage/recordFile.js';
import { storedFiles, useTempDirs } from './tempDir.js';

const newDir = useTempDirs('record-file');
// set before any write of this file's module instance starts the idle-compaction timer
recordFileLimits.idleCompactionMs = 200;

async function freshStorage(): Promise<LowdbStorage> {
  return new LowdbStorage(join(await newDir(), 'state'));
}

const lines = async (file: string) => (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
const anyObject = (value: unknown) => typeof value === 'object' && value !== null;

describe('record files (JSON Lines, one version per line)', () => {
  it('appends each new version and reads the last one', async () => {
    const storage = await freshStorage();
    for (let v = 1; v <= 5; v++) await storage.write({ k: { v } });
    const file = storage.fileFor('k');

    expect((await lines(file)).map((l) => (JSON.parse(l) as { item: { v: number } }).item.v)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect((await storage.read(['k'])).k.v).toBe(5);
    // another instance (nothing in memory for it would matter: the file is the truth) reads the same
    expect((await new LowdbStorage(storage.directory).read(['k'])).k.v).toBe(5);
  });

  it(`compacts a file to its last version after ${recordFileLimits.maxVersions} versions`, async () => {
    const storage = await freshStorage();
    const file = storage.fileFor('k');
    for (let v = 1; v < recordFileLimits.maxVersions; v++) await storage.write({ k: { v } });
    expect(await lines(file)).toHaveLength(recordFileLimits.maxVersions - 1);

    await storage.write({ k: { v: recordFileLimits.maxVersions } });

    const left = await lines(file);
    expect(left).toHaveLength(1);
    expect(JSON.parse(left[0]!)).toMatchObject({ key: 'k', item: { v: recordFileLimits.maxVersions } });
    expect(await storedFiles(storage.directory)).toEqual(['k.json']); // no temporary file left behind
  });

  it('compacts files nobody writes any more, on its own', async () => {
    const storage = await freshStorage();
    for (let v = 1; v <= 3; v++) await storage.write({ idle: { v } });
    const file = storage.fileFor('idle');
    expect(await lines(file)).toHaveLength(3);

    await vi.waitFor(async () => expect(await lines(file)).toHaveLength(1), { timeout: 5_000, interval: 50 });
    expect((await storage.read(['idle'])).idle.v).toBe(3);
  });

  it('creates a record file whole (temporary file, then rename), and concurrent writes all land in order', async () => {
    const storage = await freshStorage();
    await storage.write({ other: { v: 0 } });
    const calls = [
      storage.write({ k: { v: 1 } }),
      storage.read(['k']),
      storage.write({ k: { v: 2 } }),
      storage.read(['k']),
      new LowdbStorage(storage.directory).write({ k: { v: 3 } }),
      storage.read(['k']),
    ];
    const outcomes = await Promise.all(calls);
    for (const read of [outcomes[1], outcomes[3], outcomes[5]] as Record<string, { v: number }>[]) {
      if (read.k) expect([1, 2, 3]).toContain(read.k.v); // nothing, or a whole version
    }
    expect((await storage.read(['k'])).k.v).toBe(3);
    expect(await lines(storage.fileFor('k'))).toHaveLength(3);
    expect(await storedFiles(storage.directory)).toEqual(['k.json', 'other.json']);
  });

  it('keeps the previous version when the last append was cut short, and the next one starts on a new line', async () => {
    const storage = await freshStorage();
    await storage.write({ k: { v: 1 } });
    const eTag = (await storage.read(['k'])).k.eTag as string;
    const file = storage.fileFor('k');
    await appendFile(file, '{"key":"k","item":{"v":2,"eTa'); // a crash in the middle of an append

    const read = new LowdbStorage(storage.directory);
    expect((await read.read(['k'])).k).toEqual({ v: 1, eTag });
    await read.write({ k: { v: 3, eTag } });

    expect((await read.read(['k'])).k.v).toBe(3);
    expect(await lines(file)).toHaveLength(3); // version 1, the cut-off line, version 3 on its own line
  });

  it('reads a file holding one pretty-printed document (older files, a hand edit) and writes after it', async () => {
    const storage = await freshStorage();
    const file = storage.fileFor('k');
    await storage.write({ k: { v: 0 } });
    const document = { key: 'k', item: { nom: 'Pays de Gex', eTag: 'hand-made' } };
    await writeFile(file, JSON.stringify(document, null, 2));

    expect((await storage.read(['k'])).k).toEqual(document.item);
    await storage.write({ k: { nom: 'Pays de Gex', v: 2, eTag: 'hand-made' } });
    expect((await storage.read(['k'])).k.v).toBe(2);
    await expect(storage.write({ k: { v: 3, eTag: 'hand-made' } })).rejects.toThrow(/eTag/i);

    storage.compactAll();
    const compacted = await lines(file);
    expect(compacted).toHaveLength(1);
    expect(JSON.parse(compacted[0]!)).toMatchObject({ item: { v: 2 } });
  });

  it('sees a change made behind its back, even of the same size', async () => {
    const storage = await freshStorage();
    await storage.write({ k: { nom: 'Marie' } });
    expect((await storage.read(['k'])).k.nom).toBe('Marie');
    const file = storage.fileFor('k');
    await writeFile(file, (await readFile(file, 'utf8')).replace('Marie', 'Maria'));

    expect((await storage.read(['k'])).k.nom).toBe('Maria');
  });
});

describe('latestVersion', () => {
  it.each([
    ['one line', '{"a":1}\n', 1, 1],
    ['one line without newline', '{"a":1}', 1, 1],
    ['several lines', '{"a":1}\n{"a":2}\n\n{"a":3}\n', 3, 3],
    ['a cut-off last line', '{"a":1}\n{"a":2}\n{"a":', 2, 2],
    ['one pretty document', '{\n  "a": 4\n}\n', 4, 1],
  ])('%s', (_, text, a, versions) => {
    const latest = latestVersion(text, anyObject);
    expect(latest?.value).toEqual({ a });
    expect(latest?.versions).toBe(versions);
  });

  it.each([
    ['empty', ''],
    ['garbage', 'hello'],
    ['a damaged complete last line', '{"a":1}\n{"a":\n'],
    ['a cut-off only line', '{"a":'],
  ])('none in %s', (_, text) => {
    expect(latestVersion(text, anyObject)).toBeUndefined();
  });
});
