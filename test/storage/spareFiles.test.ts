import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { LowdbStorage } from '../../src/storage/lowdbStorage.js';
import { storedFiles, useTempDirs } from './tempDir.js';

const newDir = useTempDirs('spare-files');

const spares = async (directory: string) =>
  (await readdir(directory)).filter((name) => name.startsWith('.spare-'));

describe('spare files for new records', () => {
  it('are made in the background after the first creation, stay empty, and become records whole', async () => {
    const storage = new LowdbStorage(join(await newDir(), 'state'));
    await storage.write({ first: { v: 0 } });
    await vi.waitFor(async () => expect((await spares(storage.directory)).length).toBeGreaterThanOrEqual(8));
    for (const name of await spares(storage.directory)) {
      expect((await stat(join(storage.directory, name))).size).toBe(0);
    }

    const before = new Set(await spares(storage.directory));
    for (let n = 1; n <= 5; n++) await storage.write({ [`key${n}`]: { v: n } });
    const after = new Set(await spares(storage.directory));
    expect([...before].filter((name) => !after.has(name)).length).toBeGreaterThanOrEqual(5); // five were used

    for (let n = 1; n <= 5; n++) {
      const text = await readFile(storage.fileFor(`key${n}`), 'utf8');
      expect(JSON.parse(text)).toMatchObject({ key: `key${n}`, item: { v: n } });
    }
    expect(await storedFiles(storage.directory)).toEqual(
      ['first.json', 'key1.json', 'key2.json', 'key3.json', 'key4.json', 'key5.json'].sort(),
    );
    expect(await collect(storage.listKeys())).toEqual(['first', 'key1', 'key2', 'key3', 'key4', 'key5']);
  });

  it('also take the place of a file being compacted (no new inode made in the turn)', async () => {
    const storage = new LowdbStorage(join(await newDir(), 'state'));
    for (let v = 0; v < 3; v++) await storage.write({ answers: { v } });
    await vi.waitFor(async () => expect((await spares(storage.directory)).length).toBeGreaterThanOrEqual(8));
    const spareInodes = new Set<number>();
    for (const name of await spares(storage.directory)) {
      spareInodes.add((await stat(join(storage.directory, name))).ino);
    }

    storage.compactAll();

    const file = storage.fileFor('answers');
    expect(spareInodes.has((await stat(file)).ino)).toBe(true);
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(1);
    expect((await storage.read(['answers'])).answers).toMatchObject({ v: 2 });
  });

  it('left by a stopped process: reused, and one a crash left written is cut to the new record', async () => {
    const directory = join(await newDir(), 'state');
    const storage = new LowdbStorage(directory);
    await storage.write({ first: { v: 0 } });
    await vi.waitFor(async () => expect((await spares(directory)).length).toBeGreaterThanOrEqual(8));
    const written = join(directory, '.spare-crashed');
    // longer than any record below: without cutting it, a record written over it would end in this line
    await writeFile(written, `{"key":"half-made","item":{"eTag":"x","text":"${'x'.repeat(500)}"}}\n`);
    const empty = join(directory, '.spare-from-before');
    await writeFile(empty, '');

    // another directory's pool is another process's, as far as files go: simulate a restart with a fresh module
    vi.resetModules();
    const { LowdbStorage: Restarted } = await import('../../src/storage/lowdbStorage.js');
    const restarted = new Restarted(directory);
    await restarted.write({ second: { v: 1 } });
    // the restarted process takes every spare left there, the written one included: each record stays whole
    await vi.waitFor(async () => expect((await spares(directory)).length).toBeGreaterThanOrEqual(30));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the listing of the leftovers is done by now
    const keys = Array.from({ length: 300 }, (_, n) => `after-restart-${n}`);
    for (const [n, key] of keys.entries()) {
      await restarted.write({ [key]: { v: key } });
      if (n % 10 === 0) await new Promise((resolve) => setImmediate(resolve)); // as a server's event loop turns
    }
    expect(await spares(directory)).not.toContain('.spare-crashed');
    expect(await spares(directory)).not.toContain('.spare-from-before');
    const read = await new Restarted(directory).read(keys);
    expect(keys.every((key) => read[key]?.v === key)).toBe(true);
    for (const key of keys) {
      expect((await readFile(restarted.fileFor(key), 'utf8')).split('\n').filter(Boolean)).toHaveLength(1);
    }
  });

  it('removed behind its back: records are still created', async () => {
    const storage = new LowdbStorage(join(await newDir(), 'state'));
    await storage.write({ first: { v: 0 } });
    await vi.waitFor(async () => expect((await spares(storage.directory)).length).toBeGreaterThanOrEqual(8));
    for (const name of await spares(storage.directory)) await rm(join(storage.directory, name));

    await storage.write({ second: { v: 1 } });
    expect((await storage.read(['second'])).second.v).toBe(1);
  });
});

async function collect(keys: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const key of keys) all.push(key);
  return all.sort();
}
