import { randomUUID } from 'node:crypto';
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { eTagConflictError } from './eTagConflict.js';
import { fileNameForKey, keyForFileName } from './keyFileName.js';
import { KeyedLock } from '../util/keyedLock.js';

interface StoredRecord {
  key: string;
  item: StoreItem & { eTag: string };
}

export class StorageCorruptionError extends Error {
  constructor(
    readonly file: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(
      `lowdb storage: cannot parse ${file}: ${reason}. Repair or delete this file; other records are not affected.`,
      options,
    );
    this.name = 'StorageCorruptionError';
  }
}

const fileLocks = new KeyedLock();

/**
 * The eTag this process last wrote to a file, with the file's identity then: a rename gives every write a new inode,
 * and a hand edit changes size or mtime, so a matching `stat` proves the eTag still holds without reading the file.
 * Only filled and used under the file's lock.
 */
interface WrittenETag {
  eTag: string;
  ino: number;
  size: number;
  mtimeMs: number;
}
const writtenETags = new Map<string, WrittenETag>();
const maxWrittenETags = 10_000;

async function statOrUndefined(file: string) {
  try {
    return await stat(file);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * Bot Framework `Storage` on lowdb: one JSON file per key in `directory`, replaced atomically (steno writes a
 * temporary file, then renames it), with `MemoryStorage`'s eTag rules. Compare-and-write is serialised per file
 * for every instance of this process; several processes must not share one directory.
 */
export class LowdbStorage implements Storage {
  readonly directory: string;
  #directoryReady: Promise<void> | undefined;

  constructor(directory: string) {
    this.directory = resolve(directory);
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const records = await Promise.all(keys.map((key) => this.#load(this.fileFor(key), key)));
    const items: StoreItems = {};
    for (const record of records) if (record) items[record.key] = record.item;
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    await this.#ensureDirectory();
    const outcomes = await Promise.allSettled(
      Object.entries(changes).map(([key, item]) => this.#writeOne(key, item)),
    );
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    await Promise.all(
      keys.map((key) => {
        const file = this.fileFor(key);
        return fileLocks.run(file, () => {
          writtenETags.delete(file);
          return removeIfPresent(file, stenoTempFileOf(file));
        });
      }),
    );
  }

  /** Every stored key that starts with `prefix`, in file-name order. */
  async *listKeys(prefix = ''): AsyncGenerator<string, void, undefined> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    for (const name of names.sort()) {
      const named = keyForFileName(name);
      if (named?.kind === 'encoded' && named.key.startsWith(prefix)) yield named.key;
      if (named?.kind === 'hashed') {
        const record = await this.#load(join(this.directory, name));
        if (record?.key.startsWith(prefix)) yield record.key;
      }
    }
  }

  fileFor(key: string): string {
    return join(this.directory, fileNameForKey(key));
  }

  #writeOne(key: string, item: StoreItem): Promise<void> {
    if (typeof item !== 'object' || item === null) {
      return Promise.reject(
        new TypeError(`lowdb storage: the item written under "${key}" must be an object`),
      );
    }
    const file = this.fileFor(key);
    return fileLocks.run(file, async () => {
      const db = openRecord(file, key);
      const expected: unknown = item.eTag;
      if (expected && expected !== '*') {
        const known = writtenETags.get(file);
        const current = known && (await statOrUndefined(file));
        const unchanged =
          known &&
          current &&
          current.ino === known.ino &&
          current.size === known.size &&
          current.mtimeMs === known.mtimeMs;
        if (unchanged) {
          if (known.eTag !== expected) throw eTagConflictError(key);
        } else {
          await db.read();
          if (db.data && db.data.item.eTag !== expected) throw eTagConflictError(key);
        }
      }
      const eTag = randomUUID();
      db.data = { key, item: { ...item, eTag } };
      writtenETags.delete(file);
      await db.write();
      const written = await stat(file);
      if (writtenETags.size >= maxWrittenETags) writtenETags.delete(writtenETags.keys().next().value!);
      writtenETags.set(file, { eTag, ino: written.ino, size: written.size, mtimeMs: written.mtimeMs });
    });
  }

  async #load(file: string, key?: string): Promise<StoredRecord | null> {
    const db = openRecord(file, key);
    await db.read();
    return db.data;
  }

  #ensureDirectory(): Promise<void> {
    this.#directoryReady ??= mkdir(this.directory, { recursive: true }).then(
      () => undefined,
      (err: unknown) => {
        this.#directoryReady = undefined;
        throw err;
      },
    );
    return this.#directoryReady;
  }
}

function openRecord(file: string, key?: string): Low<StoredRecord | null> {
  const adapter = new DataFile<StoredRecord | null>(file, {
    parse: (text) => parseRecord(text, file, key),
    stringify: (record) => JSON.stringify(record),
  });
  return new Low(adapter, null);
}

function parseRecord(text: string, file: string, key: string | undefined): StoredRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new StorageCorruptionError(file, err instanceof Error ? err.message : String(err), { cause: err });
  }
  if (!isStoredRecord(value)) {
    throw new StorageCorruptionError(file, 'expected {"key": "...", "item": {..., "eTag": "..."}}');
  }
  const expectedName = basename(file);
  if (key === undefined ? fileNameForKey(value.key) !== expectedName : value.key !== key) {
    throw new StorageCorruptionError(
      file,
      `it holds the key ${JSON.stringify(value.key)}, which belongs elsewhere`,
    );
  }
  return value;
}

function isStoredRecord(value: unknown): value is StoredRecord {
  if (!isPlainObject(value) || typeof value.key !== 'string') return false;
  return isPlainObject(value.item) && typeof value.item.eTag === 'string';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stenoTempFileOf(file: string): string {
  return join(dirname(file), `.${basename(file)}.tmp`);
}

async function removeIfPresent(...files: string[]): Promise<void> {
  for (const file of files) {
    try {
      await unlink(file);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
