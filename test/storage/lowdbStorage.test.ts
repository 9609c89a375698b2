import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isETagConflict } from '../../src/storage/eTagConflict.js';
import { LowdbStorage } from '../../src/storage/lowdbStorage.js';
import { StorageCorruptionError } from '../../src/storage/storageErrors.js';
import { storedFiles, useTempDirs } from './tempDir.js';

const newDir = useTempDirs('lowdb-storage');

async function freshStorage(): Promise<LowdbStorage> {
  return new LowdbStorage(join(await newDir(), 'state'));
}

async function keysOf(storage: LowdbStorage, prefix = ''): Promise<string[]> {
  return (await storage.listKeys(prefix)).map(({ key }) => key).sort();
}

describe('LowdbStorage', () => {
  it('reads back what it wrote, with a fresh eTag, and only the keys that exist', async () => {
    const storage = await freshStorage();
    await storage.write({ 'collectivite/1': { name: 'Pays de Gex', score: 42.5, tags: ['rural'] } });

    const items = await storage.read(['collectivite/1', 'collectivite/absente']);

    expect(Object.keys(items)).toEqual(['collectivite/1']);
    expect(items['collectivite/1']).toEqual({
      name: 'Pays de Gex',
      score: 42.5,
      tags: ['rural'],
      eTag: expect.any(String),
    });
  });

  it('makes its directory on first write', async () => {
    const storage = new LowdbStorage(join(await newDir(), 'deep', 'er', 'state'));
    expect(await storage.read(['k'])).toEqual({});
    await storage.write({ k: { v: 1 } });
    expect(await storedFiles(storage.directory)).toEqual(['k.json']);
  });

  it('gives every write a new eTag', async () => {
    const storage = await freshStorage();
    await storage.write({ k: { v: 1 } });
    const first = (await storage.read(['k'])).k.eTag;
    await storage.write({ k: { v: 2, eTag: first } });
    const second = (await storage.read(['k'])).k.eTag;
    await storage.write({ k: { v: 3 } });
    const third = (await storage.read(['k'])).k.eTag;
    expect(new Set([first, second, third]).size).toBe(3);
  });

  it('rejects a write whose eTag is out of date, and keeps the stored item', async () => {
    const storage = await freshStorage();
    await storage.write({ k: { v: 1 } });
    const stale = (await storage.read(['k'])).k.eTag;
    await storage.write({ k: { v: 2, eTag: stale } });

    const attempt = storage.write({ k: { v: 3, eTag: stale } });

    await expect(attempt).rejects.toThrow('Storage: error writing "k" due to eTag conflict.');
    await expect(attempt.catch((err: unknown) => isETagConflict(err))).resolves.toBe(true);
    expect((await storage.read(['k'])).k.v).toBe(2);
  });

  it('lets "*" and a missing eTag overwrite whatever is stored', async () => {
    const storage = await freshStorage();
    await storage.write({ k: { v: 1 } });
    await storage.write({ k: { v: 2, eTag: '*' } });
    expect((await storage.read(['k'])).k.v).toBe(2);
    await storage.write({ k: { v: 3 } });
    expect((await storage.read(['k'])).k.v).toBe(3);
    await storage.write({ k: { v: 4, eTag: '' } });
    expect((await storage.read(['k'])).k.v).toBe(4);
  });

  it('accepts any eTag for a key that does not exist yet, as MemoryStorage does', async () => {
    const storage = await freshStorage();
    await storage.write({ k: { v: 1, eTag: 'from-another-life' } });
    expect((await storage.read(['k'])).k.v).toBe(1);
  });

  it('writes the other keys of a batch and rejects for the one in conflict', async () => {
    const storage = await freshStorage();
    await storage.write({ a: { v: 1 }, b: { v: 1 } });

    await expect(storage.write({ a: { v: 2 }, b: { v: 2, eTag: 'stale' }, c: { v: 2 } })).rejects.toThrow(
      'error writing "b"',
    );

    const items = await storage.read(['a', 'b', 'c']);
    expect([items.a?.v, items.b?.v, items.c?.v]).toEqual([2, 1, 2]);
  });

  it('deletes keys, ignores keys that do not exist, and then accepts a fresh write', async () => {
    const storage = await freshStorage();
    await storage.write({ a: { v: 1 }, b: { v: 1 } });
    const eTag = (await storage.read(['a'])).a.eTag;

    await storage.delete(['a', 'never-written']);

    expect(Object.keys(await storage.read(['a', 'b']))).toEqual(['b']);
    await storage.write({ a: { v: 2, eTag } });
    expect((await storage.read(['a'])).a.v).toBe(2);
  });

  it('keeps everything across a restart (a new instance on the same directory)', async () => {
    const directory = join(await newDir(), 'state');
    const before = new LowdbStorage(directory);
    await before.write({ 'user/1': { answers: { 23: 'oui' } }, 'user/2': { answers: {} } });
    const eTagBefore = (await before.read(['user/1']))['user/1'].eTag;

    const after = new LowdbStorage(directory);
    const items = await after.read(['user/1', 'user/2']);

    expect(items['user/1']).toEqual({ answers: { 23: 'oui' }, eTag: eTagBefore });
    await after.write({ 'user/1': { answers: { 23: 'non' }, eTag: eTagBefore } });
    await expect(before.write({ 'user/1': { answers: {}, eTag: eTagBefore } })).rejects.toThrow(
      'eTag conflict',
    );
  });

  const oddKeys = [
    'msteams/conversations/19:abc@thread.tacv2/',
    'emulator/users/Marie Curie/',
    'webchat/Conversation/ABC',
    'webchat/conversation/abc',
    'élus/Saint-Étienne/collectivité',
    '中文/العربية/🙂',
    '../../etc/passwd',
    '.',
    '..',
    '.hidden',
    'con',
    'NUL.txt',
    '%2f',
    '=deadbeef',
    'a\\b:c*d?e"f<g>h|i',
    'tab\tnew\nline',
    '',
    ' ',
    'lone \ud800 surrogate',
    'lone \ufffd replacement',
    'x'.repeat(1000),
    'x'.repeat(999) + 'y',
    'A'.repeat(300),
  ];

  it('stores keys with any characters, each in its own file inside the directory', async () => {
    const storage = await freshStorage();
    await storage.write(Object.fromEntries(oddKeys.map((key, index) => [key, { index }])));

    const items = await storage.read(oddKeys);

    expect(oddKeys.map((key) => items[key]?.index)).toEqual(oddKeys.map((_, index) => index));
    const files = await storedFiles(storage.directory);
    expect(files).toHaveLength(oddKeys.length);
    expect(files.every((file) => /^[a-z0-9_.%=-]+\.json$/.test(file) && Buffer.byteLength(file) <= 210)).toBe(
      true,
    );
    expect(await keysOf(storage)).toEqual([...oddKeys].sort());
  });

  it('lists the keys under a prefix, hashed long keys included, without their pending temp files', async () => {
    const storage = await freshStorage();
    const longKey = 'msteams/users/' + '29:1AbCdEfGhIjKlMnOpQrStUvWxYz'.repeat(10);
    await storage.write({
      'msteams/users/a': { v: 1 },
      [longKey]: { v: 1 },
      'webchat/users/a': { v: 1 },
      msteams: { v: 1 },
    });
    await writeFile(
      join(storage.directory, `.${basename(storage.fileFor('msteams/users/b'))}.tmp`),
      '{"key":',
    );

    expect(await keysOf(storage, 'msteams/users/')).toEqual([longKey, 'msteams/users/a'].sort());
    expect(await keysOf(storage)).toHaveLength(4);
    expect(await keysOf(new LowdbStorage(join(await newDir(), 'missing')))).toEqual([]);
  });

  it('lists each key with the time its file was last written', async () => {
    const storage = await freshStorage();
    await storage.write({
      'webchat/conversations/ancienne/': { v: 1 },
      'webchat/conversations/recente/': { v: 1 },
    });
    const old = new Date('2021-01-10T09:00:00.000Z');
    await utimes(storage.fileFor('webchat/conversations/ancienne/'), old, old);

    const listed = await storage.listKeys('webchat/conversations/');

    expect(listed.map(({ key, modifiedAt }) => [key, modifiedAt.getFullYear()]).sort()).toEqual([
      ['webchat/conversations/ancienne/', 2021],
      ['webchat/conversations/recente/', new Date().getFullYear()],
    ]);
  });

  it('leaves out of the listing a long-key file that cannot be read (its key is inside it)', async () => {
    const storage = await freshStorage();
    const longKey = 'msteams/conversations/' + 'x'.repeat(300);
    await storage.write({ [longKey]: { v: 1 }, 'msteams/conversations/court': { v: 1 } });
    expect(basename(storage.fileFor(longKey))).toMatch(/^=[0-9a-f]{64}\.json$/);
    await writeFile(storage.fileFor(longKey), '{"key": "msteams/conv');

    expect(await keysOf(storage)).toEqual(['msteams/conversations/court']);
  });

  it('removes a temp file left by an interrupted write when the key is deleted', async () => {
    const storage = await freshStorage();
    await storage.write({ 'user/1': { v: 1 } });
    const leftover = join(storage.directory, `.${basename(storage.fileFor('user/1'))}.tmp`);
    await writeFile(leftover, '{"key": "user/1", "item": {"name": "Ma');

    await storage.delete(['user/1']);

    expect(await storedFiles(storage.directory)).toEqual([]);
  });

  it('lets exactly one of three concurrent writes with the same eTag succeed', async () => {
    const storage = await freshStorage();
    await storage.write({ k: { v: 0 } });

    for (let round = 1; round <= 20; round++) {
      const eTag = (await storage.read(['k'])).k.eTag;
      const outcomes = await Promise.allSettled([
        storage.write({ k: { v: round, by: 'first', eTag } }),
        storage.write({ k: { v: round, by: 'second', eTag } }),
        storage.write({ k: { v: round, by: 'third', eTag }, other: { v: round } }),
      ]);
      const winners = outcomes.filter((o) => o.status === 'fulfilled');
      const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(winners).toHaveLength(1);
      expect(losers.every((o) => isETagConflict(o.reason))).toBe(true);
      expect((await storage.read(['k'])).k.v).toBe(round);
    }
  });

  it('stores an answer before the next question: a write that resolved is on disk', async () => {
    const storage = await freshStorage();
    await storage.write({ 'user/1': { indicateur: 23, reponse: 'oui' } });
    const onDisk = JSON.parse(await readFile(storage.fileFor('user/1'), 'utf8')) as unknown;
    expect(onDisk).toMatchObject({ key: 'user/1', item: { indicateur: 23, reponse: 'oui' } });
  });

  it('writes one JSON document per key, and sees a hand edit at once', async () => {
    const storage = await freshStorage();
    await storage.write({ 'user/1': { name: 'Marie' } });
    await storage.write({ 'user/1': { name: 'Marie B.' } });
    const text = await readFile(storage.fileFor('user/1'), 'utf8');
    expect(JSON.parse(text)).toMatchObject({ key: 'user/1', item: { name: 'Marie B.' } });
    expect(await storedFiles(storage.directory)).toEqual(['user%2f1.json']);

    const edited = { key: 'user/1', item: { name: 'Marianne', eTag: 'by-hand' } };
    await writeFile(storage.fileFor('user/1'), JSON.stringify(edited, null, 2));
    expect((await storage.read(['user/1']))['user/1']).toEqual(edited.item);
    await expect(storage.write({ 'user/1': { name: 'x', eTag: 'by-hand' } })).resolves.toBeUndefined();
  });

  it('a file made by hand is read at once', async () => {
    const storage = await freshStorage();
    await storage.write({ other: { n: 1 } });
    expect(await storage.read(['user/2'])).toEqual({});
    const made = { key: 'user/2', item: { name: 'Paul', eTag: 'by-hand' } };
    await writeFile(storage.fileFor('user/2'), `${JSON.stringify(made)}\n`);
    expect((await storage.read(['user/2']))['user/2']).toEqual(made.item);
  });

  it('writes concurrent changes of one key one after the other, each whole', async () => {
    const storage = await freshStorage();
    const sizes = Array.from({ length: 30 }, (_, n) => 1_000 + ((n * 7_919) % 60_000));
    await Promise.all(sizes.map((size) => storage.write({ k: { size, text: 'é'.repeat(size) } })));

    const { k } = await storage.read(['k']);
    expect(sizes).toContain(k.size);
    expect(k.text).toBe('é'.repeat(k.size));
    expect(await readdir(storage.directory)).toEqual(['k.json']);
  });

  describe('a file written by the earlier store (JSON Lines: one version per line, the last complete one current)', () => {
    const version = (v: number, eTag: string) => JSON.stringify({ key: 'user/1', item: { v, eTag } });

    it('reads the last complete line, and the next write makes it one JSON document', async () => {
      const storage = await freshStorage();
      await storage.write({ other: { n: 1 } });
      const file = storage.fileFor('user/1');
      await writeFile(file, `${version(1, 'e1')}\n${version(2, 'e2')}\n${version(3, 'e3')}\n`);

      expect((await storage.read(['user/1']))['user/1']).toEqual({ v: 3, eTag: 'e3' });
      await expect(storage.write({ 'user/1': { v: 4, eTag: 'e2' } })).rejects.toThrow('eTag conflict');
      await storage.write({ 'user/1': { v: 4, eTag: 'e3' } });

      const text = await readFile(file, 'utf8');
      expect(text.trimEnd().split('\n')).toHaveLength(1);
      expect(JSON.parse(text)).toMatchObject({ key: 'user/1', item: { v: 4 } });
    });

    it('skips a last line that a crash cut short', async () => {
      const storage = await freshStorage();
      await storage.write({ other: { n: 1 } });
      await writeFile(
        storage.fileFor('user/1'),
        `${version(1, 'e1')}\n${version(2, 'e2')}\n{"key": "user/1", "it`,
      );
      expect((await storage.read(['user/1']))['user/1']).toEqual({ v: 2, eTag: 'e2' });
    });

    it('is damaged when its last complete line is', async () => {
      const storage = await freshStorage();
      await storage.write({ other: { n: 1 } });
      const file = storage.fileFor('user/1');
      await writeFile(file, `${version(1, 'e1')}\n{"key": "user/1", "item": \n`);
      const failure = await storage.read(['user/1']).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(StorageCorruptionError);
      expect((failure as StorageCorruptionError).file).toBe(file);
    });
  });

  describe('a damaged file', () => {
    const damages: [string, string][] = [
      ['truncated', '{"key": "user/1", "item": {"name": "Ma'],
      ['empty', ''],
      ['not JSON', 'hello'],
      ['JSON null', 'null'],
      ['the wrong shape', '{"name": "Marie"}'],
      ['an item without eTag', '{"key": "user/1", "item": {"name": "Marie"}}'],
      ['another key', '{"key": "user/2", "item": {"eTag": "x"}}'],
    ];

    it.each(damages)(
      'rejects the read with the file name when it is %s, other keys still readable',
      async (_, text) => {
        const storage = await freshStorage();
        await storage.write({ 'user/1': { name: 'Marie' }, 'user/2': { name: 'Paul' } });
        const file = storage.fileFor('user/1');
        await writeFile(file, text);

        const failure = await storage.read(['user/1']).catch((err: unknown) => err);

        expect(failure).toBeInstanceOf(StorageCorruptionError);
        expect((failure as StorageCorruptionError).file).toBe(file);
        expect((failure as Error).message).toMatch(/^storage: cannot read /);
        expect((failure as Error).message).toContain(`cannot read ${file}: `);
        expect((await storage.read(['user/2']))['user/2']?.name).toBe('Paul');
      },
    );

    it('blocks a compare-and-write on that key, and is replaced by a "*" write', async () => {
      const storage = await freshStorage();
      await storage.write({ 'user/1': { name: 'Marie' } });
      await writeFile(storage.fileFor('user/1'), '{"key": "us');

      await expect(storage.write({ 'user/1': { name: 'x', eTag: 'some-etag' } })).rejects.toBeInstanceOf(
        StorageCorruptionError,
      );
      await storage.write({ 'user/1': { name: 'Marie', eTag: '*' } });
      expect((await storage.read(['user/1']))['user/1']?.name).toBe('Marie');
    });

    it('can be deleted', async () => {
      const storage = await freshStorage();
      await storage.write({ 'user/1': { name: 'Marie' } });
      await writeFile(storage.fileFor('user/1'), 'garbage');
      await storage.delete(['user/1']);
      expect(await storage.read(['user/1'])).toEqual({});
    });
  });

  it('rejects calls without keys or changes, and items that are not objects', async () => {
    const storage = await freshStorage();
    await expect(storage.read(undefined as unknown as string[])).rejects.toBeInstanceOf(ReferenceError);
    await expect(storage.write(undefined as unknown as Record<string, never>)).rejects.toBeInstanceOf(
      ReferenceError,
    );
    await expect(storage.delete(undefined as unknown as string[])).rejects.toBeInstanceOf(ReferenceError);
    await expect(storage.write({ k: 'text' as unknown as object })).rejects.toThrow('must be an object');
  });
});
