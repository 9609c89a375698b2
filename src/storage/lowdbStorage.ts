import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { TextFile } from 'lowdb/node';
import { KeyedLock } from '../util/keyedLock.js';
import { eTagConflictError } from './eTagConflict.js';
import type { KeyLister, ListedKey } from './keyLister.js';
import { fileNameForKey, keyForFileName } from './keyFileName.js';
import { StorageCorruptionError } from './storageErrors.js';

/** What a record file holds. */
interface StoredRecord {
  key: string;
  item: StoreItem & { eTag: string };
}

/**
 * Bot Framework `Storage` on lowdb: one small JSON file per key in `directory` (`{"key": …, "item": {…, "eTag": …}}`),
 * with `MemoryStorage`'s eTag rules. A file is read at each read (no cache) and written whole by lowdb's `TextFile`,
 * which writes a temporary file and renames it into place: a file always holds a whole version, the previous one or
 * the new one. The compare-and-write of a key runs alone within the instance; one process (and one instance) per
 * directory.
 */
export class LowdbStorage implements Storage, KeyLister {
  readonly directory: string;
  readonly #writes = new KeyedLock();
  #directoryReady: Promise<void> | undefined;

  constructor(directory: string) {
    this.directory = resolve(directory);
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const items: StoreItems = {};
    for (const key of keys) {
      const record = this.#load(key);
      if (record) items[key] = record.item;
    }
    return items;
  }

  /** Every change is tried (one failure does not stop the others); the first failure is thrown at the end. */
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
      keys.map((key) =>
        this.#writes.run(key, async () => {
          const file = this.fileFor(key);
          await removeIfPresent(file);
          await removeIfPresent(tempFileOf(file));
        }),
      ),
    );
  }

  /**
   * Every stored key that starts with `prefix`, in file-name order. A file with a hashed name (a long key) is opened
   * to learn its key; one that cannot be read is left out.
   */
  async listKeys(prefix: string): Promise<ListedKey[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
    const listed: ListedKey[] = [];
    for (const name of names.sort()) {
      const named = keyForFileName(name);
      if (!named) continue;
      const file = join(this.directory, name);
      const key = named.kind === 'encoded' ? named.key : this.#keyInside(file);
      if (key === undefined || !key.startsWith(prefix)) continue;
      const modifiedAt = await stat(file).then(
        (stats) => stats.mtime,
        (err: unknown) => {
          if (isNotFound(err)) return undefined; // deleted since the listing
          throw err;
        },
      );
      if (modifiedAt) listed.push({ key, modifiedAt });
    }
    return listed;
  }

  fileFor(key: string): string {
    return join(this.directory, fileNameForKey(key));
  }

  async #writeOne(key: string, item: StoreItem): Promise<void> {
    if (typeof item !== 'object' || item === null) {
      throw new TypeError(`lowdb storage: the item written under "${key}" must be an object`);
    }
    await this.#writes.run(key, async () => {
      const expected: unknown = item.eTag;
      if (expected && expected !== '*') {
        const current = this.#load(key);
        if (current && current.item.eTag !== expected) throw eTagConflictError(key);
      }
      const record: StoredRecord = { key, item: { ...item, eTag: randomUUID() } };
      await new TextFile(this.fileFor(key)).write(`${JSON.stringify(record)}\n`);
    });
  }

  #load(key: string): StoredRecord | undefined {
    const file = this.fileFor(key);
    const text = readIfPresent(file);
    return text === undefined ? undefined : parseRecordFile(text, file, key);
  }

  #keyInside(file: string): string | undefined {
    try {
      const text = readIfPresent(file);
      return text === undefined ? undefined : parseRecordFile(text, file).key;
    } catch (err) {
      if (err instanceof StorageCorruptionError) return undefined;
      throw err;
    }
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

/**
 * The record in a file's text, for `key` (or, without it, for the key its name stands for). A file is one JSON
 * document. A data directory written by the earlier store holds JSON Lines — one version per line, the last complete
 * line being the current one — read here too; the next write of the key replaces it by one document.
 */
function parseRecordFile(text: string, file: string, key?: string): StoredRecord {
  const whole = tryParse(text);
  const value = whole.ok ? whole.value : tryParse(lastCompleteLine(text)).value;
  if (!isStoredRecord(value)) {
    const reason = whole.ok ? 'expected {"key": "...", "item": {..., "eTag": "..."}}' : whole.error;
    throw new StorageCorruptionError(file, reason);
  }
  const belongsHere = key === undefined ? fileNameForKey(value.key) === basename(file) : value.key === key;
  if (!belongsHere) {
    throw new StorageCorruptionError(
      file,
      `it holds the key ${JSON.stringify(value.key)}, which belongs elsewhere`,
    );
  }
  return value;
}

/** The last line that ends with a newline (a JSON Lines append cut short by a crash has none). */
function lastCompleteLine(text: string): string {
  const complete = text.slice(0, text.lastIndexOf('\n') + 1).trimEnd();
  return complete.slice(complete.lastIndexOf('\n') + 1);
}

function tryParse(
  text: string,
): { ok: true; value: unknown } | { ok: false; value?: undefined; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

function isStoredRecord(value: unknown): value is StoredRecord {
  if (!isPlainObject(value) || typeof value.key !== 'string') return false;
  return isPlainObject(value.item) && typeof value.item.eTag === 'string';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where lowdb's `TextFile` writes a file before renaming it into place. */
function tempFileOf(file: string): string {
  return join(dirname(file), `.${basename(file)}.tmp`);
}

/**
 * The file's text, undefined when it does not exist. Synchronous: a record is a few kilobytes, and the promise API
 * costs several times more CPU for such a read (docs/benchmarks.md, seventh pass).
 */
function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function removeIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
