import { randomUUID } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { TextFileSync } from 'lowdb/node';
import { eTagConflictError } from './eTagConflict.js';
import { fileNameForKey, keyForFileName } from './keyFileName.js';
import { latestVersion, unreadableReason, versionLine } from './recordFile.js';
import { SpareFiles } from './spareFiles.js';
import { StorageCorruptionError } from './storageErrors.js';

interface StoredRecord {
  key: string;
  item: StoreItem & { eTag: string };
}

/**
 * What this process last read or wrote in a file, with the file's identity then (inode, size, mtime): every append
 * grows the file, a compaction or an editor's save gives it a new inode or size, so a matching `stat` proves the
 * current version is still `json` without opening the file.
 */
interface KnownVersion {
  json: string;
  eTag: string;
  ino: number;
  size: number;
  mtimeMs: number;
  versions: number;
  cleanEnd: boolean;
  /** The event-loop iteration (`iteration`) in which a `stat` or this process's own write last confirmed it. */
  seenIn: number;
}

/** Tuning of the record files (exported for the tests). */
export const recordFileLimits = {
  /** A file is compacted when an append brings it to this many versions… */
  maxVersions: 16,
  /** …or to this size. */
  maxBytes: 256 * 1024,
  /** Files with several versions are compacted once nobody has written them for this long… */
  idleCompactionMs: 60_000,
  /** …at most this many at a time, so that a sweep never holds the event loop for long. */
  idleCompactionBatch: 32,
  /** Versions kept in memory (and their total size): reads of hot records cost one `stat`. */
  cacheEntries: 2_000,
  cacheBytes: 4 * 1024 * 1024,
};

/** Files kept open for appending (the inode each was opened on): an append is then one `write` and one `fstat`. */
const appendFds = new Map<string, { fd: number; ino: number }>();
const maxAppendFds = 128;

const maxFileNames = 4_096;

const known = new Map<string, KnownVersion>();
let knownBytes = 0;

/**
 * Which event-loop iteration this is. A file confirmed by `stat` (or written by this process) is trusted without
 * another `stat` until the iteration ends: an edit by someone else during it could as well have come just after it,
 * and a turn (its reads of the conversation state, the diagnostic twice, then their writes) mostly runs in one
 * iteration: two `stat`s per answer instead of five (docs/benchmarks.md, fourth pass; a `stat` itself costs ≈ 2 µs
 * here — the 15 µs a wall-clock profile once showed was the kernel preempting the thread, sixth pass). The same
 * holds for a file found missing: a new conversation reads its state and its respondent, finds neither, then creates
 * both. A hand edit is therefore seen from the next iteration on.
 */
let iteration = 0;
let iterationEnds: NodeJS.Immediate | undefined;
/** Files a `stat` found missing during this iteration (and this process has not created since). */
const missingNow = new Set<string>();

function currentIteration(): number {
  iterationEnds ??= setImmediate(() => {
    iteration++;
    iterationEnds = undefined;
    missingNow.clear();
  }).unref();
  return iteration;
}

/** `stat` of `file`, or undefined when it does not exist; a missing file is remembered until the iteration ends. */
function statOrMissing(file: string): Stats | undefined {
  const stats = statSync(file, { throwIfNoEntry: false });
  if (!stats) {
    currentIteration();
    missingNow.add(file);
  }
  return stats;
}

/** The remembered version of `file` when it was confirmed during this iteration. */
function confirmedNow(file: string): KnownVersion | undefined {
  const version = known.get(file);
  return version?.seenIn === currentIteration() ? version : undefined;
}

/** Files holding more than one version, with when they were last written. */
const uncompacted = new Map<string, number>();
let compactionTimer: NodeJS.Timeout | undefined;

/**
 * Bot Framework `Storage` on lowdb files: one JSON Lines file per key in `directory` (src/storage/recordFile.ts),
 * `MemoryStorage`'s eTag rules. A new version is appended; a file is compacted to its last version — a spare file
 * (or lowdb's `TextFileSync` temporary file) renamed into place — after 16 versions or when nobody has written it
 * for a minute.
 * Several processes must not share one directory.
 *
 * Files are read and written **synchronously**: a record is a few kilobytes and its read or append takes
 * microseconds, each compare-and-write is then atomic for the whole process (no lock, no interleaving), and the
 * promise-based file API costs several times more CPU in thread-pool hops and file handles (docs/benchmarks.md).
 */
export class LowdbStorage implements Storage {
  readonly directory: string;
  #directoryReady: Promise<void> | undefined;
  /** File names of recent keys: encoding a key is ≈ 10 µs, and each turn names the same few files several times. */
  readonly #files = new Map<string, string>();

  constructor(directory: string) {
    this.directory = resolve(directory);
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const items: StoreItems = {};
    for (const key of keys) {
      const file = this.fileFor(key);
      const record = this.#load(file, key);
      if (record) items[record.key] = record.item;
    }
    return items;
  }

  /** Every change is tried (one failure does not stop the others); the first failure is thrown at the end. */
  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    await this.#ensureDirectory();
    let failure: { reason: unknown } | undefined;
    for (const [key, item] of Object.entries(changes)) {
      try {
        this.#writeOne(key, item);
      } catch (reason) {
        failure ??= { reason };
      }
    }
    if (failure) throw failure.reason;
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    for (const key of keys) {
      const file = this.fileFor(key);
      forget(file);
      uncompacted.delete(file);
      closeAppendFd(file);
      removeIfPresent(file, tempFileOf(file));
    }
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
        const record = this.#load(join(this.directory, name));
        if (record?.key.startsWith(prefix)) yield record.key;
      }
    }
  }

  fileFor(key: string): string {
    let file = this.#files.get(key);
    if (file === undefined) {
      file = join(this.directory, fileNameForKey(key));
      if (this.#files.size >= maxFileNames) this.#files.clear();
      this.#files.set(key, file);
    }
    return file;
  }

  /** Rewrites every file that holds more than one version down to its last one (also done on its own when idle). */
  compactAll(): void {
    for (const file of [...uncompacted.keys()]) compact(file);
  }

  /**
   * Leaves only the current version of these records on disk — what an erasure needs ("supprimer mes données",
   * retention): earlier versions would otherwise stay in the file until it is compacted. Throws when it cannot.
   */
  async dropHistory(keys: string[]): Promise<void> {
    for (const key of keys) compactNow(this.fileFor(key), key);
  }

  #writeOne(key: string, item: StoreItem): void {
    if (typeof item !== 'object' || item === null) {
      throw new TypeError(`lowdb storage: the item written under "${key}" must be an object`);
    }
    const file = this.fileFor(key);
    const expected: unknown = item.eTag;
    let current = confirmedNow(file);
    let before: { ino: number; size: number } | undefined = current;
    if (!current && !missingNow.has(file)) {
      const stats = statOrMissing(file);
      before = stats;
      current = stats && knownAs(file, stats);
    }
    if (expected && expected !== '*') {
      // compare-and-write: the stored eTag, from memory when the file is as this process left it
      if (before && !current) current = readVersion(file, key);
      if (current && current.eTag !== expected) throw eTagConflictError(key);
    }
    const eTag = randomUUID();
    const json = JSON.stringify({ key, item: { ...item, eTag } });
    if (!before) return create(file, json, eTag);
    const startOnNewLine = before.size > 0 && !current?.cleanEnd;
    const after = appendTo(file, before.ino, versionLine(json, startOnNewLine));
    const versions = (current?.versions ?? 1) + 1;
    remember(file, { json, eTag, ...identity(after), versions, cleanEnd: true });
    if (versions >= recordFileLimits.maxVersions || after.size >= recordFileLimits.maxBytes) compact(file);
    else if (versions > 1) noteUncompacted(file);
  }

  #load(file: string, key?: string): StoredRecord | null {
    const confirmed = confirmedNow(file);
    if (confirmed) return JSON.parse(confirmed.json) as StoredRecord;
    if (missingNow.has(file)) return null;
    const stats = statOrMissing(file);
    if (!stats) {
      forget(file);
      return null;
    }
    const version = knownAs(file, stats) ?? readVersion(file, key);
    return version ? (JSON.parse(version.json) as StoredRecord) : null;
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

/** Spare files per storage directory (src/storage/spareFiles.ts). */
const spareFiles = new Map<string, SpareFiles>();

/**
 * Writes `text` as the whole of `file`, which appears (or is replaced) at once, never empty or half written: into a
 * spare file made ahead of time, or else under a temporary name (lowdb's `TextFileSync`), then renamed into place.
 * Returns the new file's `stat`.
 */
function writeWhole(file: string, text: string): Stats {
  missingNow.delete(file);
  const directory = dirname(file);
  let spares = spareFiles.get(directory);
  if (!spares) spareFiles.set(directory, (spares = new SpareFiles(directory)));
  const written = spares.writeAs(file, text);
  if (written) return written;
  new TextFileSync(file).write(text);
  return statSync(file);
}

/** A new record file, with its first version. */
function create(file: string, json: string, eTag: string): void {
  const written = writeWhole(file, versionLine(json, false));
  remember(file, { json, eTag, ...identity(written), versions: 1, cleanEnd: true });
}

/**
 * Appends `text` to the existing `file` (`ino`: its inode, as confirmed in this iteration) and returns its new
 * `stat`. The descriptor is kept open, and only reused while it still points at the file's current inode (not
 * after a compaction, an editor's save or a deletion).
 */
function appendTo(file: string, ino: number, text: string): Stats {
  let open = appendFds.get(file);
  if (open && open.ino !== ino) {
    closeAppendFd(file);
    open = undefined;
  }
  if (!open) {
    const fd = openSync(file, 'a');
    try {
      open = { fd, ino: fstatSync(fd).ino };
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    if (appendFds.size >= maxAppendFds) closeAppendFd(appendFds.keys().next().value!);
    appendFds.set(file, open);
  }
  try {
    const bytes = Buffer.from(text);
    if (writeSync(open.fd, bytes) !== bytes.length) throw new Error(`lowdb storage: short write to ${file}`);
    return fstatSync(open.fd);
  } catch (err) {
    closeAppendFd(file);
    throw err;
  }
}

function closeAppendFd(file: string): void {
  const open = appendFds.get(file);
  if (!open) return;
  appendFds.delete(file);
  try {
    closeSync(open.fd);
  } catch {
    // already closed: nothing to release
  }
}

/** The file's current version read from disk (and remembered); undefined when the file does not exist. */
function readVersion(file: string, key: string | undefined): KnownVersion | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  let text: string;
  let stats: Stats;
  try {
    stats = fstatSync(fd);
    text = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  const latest = latestVersion(text, (value) => isStoredRecord(value) && belongsHere(value, file, key));
  if (!latest) throw new StorageCorruptionError(file, corruptionReason(text, file, key));
  const record = latest.value as StoredRecord;
  const version: KnownVersion = {
    json: latest.json,
    eTag: record.item.eTag,
    ...identity(stats),
    versions: latest.versions,
    cleanEnd: latest.cleanEnd,
  };
  remember(file, version);
  if (latest.versions > 1) noteUncompacted(file);
  return version;
}

function corruptionReason(text: string, file: string, key: string | undefined): string {
  const shaped = latestVersion(text, isStoredRecord);
  if (shaped) {
    const holds = (shaped.value as StoredRecord).key;
    if (!belongsHere(shaped.value as StoredRecord, file, key)) {
      return `it holds the key ${JSON.stringify(holds)}, which belongs elsewhere`;
    }
  }
  return unreadableReason(text);
}

function belongsHere(record: StoredRecord, file: string, key: string | undefined): boolean {
  return key === undefined ? fileNameForKey(record.key) === basename(file) : record.key === key;
}

/**
 * Rewrites `file` down to its current version alone, atomically (`writeWhole`); throws when it cannot (a damaged
 * file, a full disk).
 */
function compactNow(file: string, key?: string): void {
  uncompacted.delete(file);
  const before = statSync(file, { throwIfNoEntry: false });
  if (!before) return forget(file);
  const version = knownAs(file, before) ?? readVersion(file, key);
  if (!version) return;
  const line = `${version.json}\n`;
  if (version.versions <= 1 && before.size === Buffer.byteLength(line)) return;
  closeAppendFd(file);
  remember(file, { ...version, ...identity(writeWhole(file, line)), versions: 1, cleanEnd: true });
}

/**
 * The same in passing (after 16 versions, or idle). Never throws: a damaged file stays as it is for a person to
 * look at (its next read reports it), and a file that cannot be rewritten keeps its versions, which read the same.
 */
function compact(file: string): void {
  try {
    compactNow(file);
  } catch {
    forget(file);
  }
}

const maxUncompacted = 10_000;

function noteUncompacted(file: string): void {
  uncompacted.delete(file);
  // past the bound the oldest is left as it is (still correct, only bigger) until it is written or read again
  if (uncompacted.size >= maxUncompacted) uncompacted.delete(uncompacted.keys().next().value!);
  uncompacted.set(file, Date.now());
  compactionTimer ??= setInterval(
    compactIdle,
    Math.min(1_000, recordFileLimits.idleCompactionMs / 2),
  ).unref();
}

/** Compacts the files nobody has written for a while (oldest first: the map is in order of last write). */
function compactIdle(): void {
  const idleSince = Date.now() - recordFileLimits.idleCompactionMs;
  let budget = recordFileLimits.idleCompactionBatch;
  for (const [file, writtenAt] of uncompacted) {
    if (writtenAt > idleSince || budget-- <= 0) break;
    compact(file);
  }
  if (uncompacted.size === 0 && compactionTimer) {
    clearInterval(compactionTimer);
    compactionTimer = undefined;
  }
}

/** What identifies the file's content in `stats`, confirmed now. */
function identity(stats: Stats): Pick<KnownVersion, 'ino' | 'size' | 'mtimeMs' | 'seenIn'> {
  return { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, seenIn: currentIteration() };
}

/** The remembered version when `stats` shows the file as this process left it. */
function knownAs(file: string, stats: Stats): KnownVersion | undefined {
  const version = known.get(file);
  if (!version) return undefined;
  if (version.ino === stats.ino && version.size === stats.size && version.mtimeMs === stats.mtimeMs) {
    version.seenIn = currentIteration();
    known.delete(file); // most recently used last
    known.set(file, version);
    return version;
  }
  forget(file);
  return undefined;
}

function remember(file: string, version: KnownVersion): void {
  forget(file);
  known.set(file, version);
  knownBytes += version.json.length;
  for (const [oldest, old] of known) {
    if (known.size <= recordFileLimits.cacheEntries && knownBytes <= recordFileLimits.cacheBytes) break;
    known.delete(oldest);
    knownBytes -= old.json.length;
  }
}

function forget(file: string): void {
  const version = known.get(file);
  if (!version) return;
  known.delete(file);
  knownBytes -= version.json.length;
}

function isStoredRecord(value: unknown): value is StoredRecord {
  if (!isPlainObject(value) || typeof value.key !== 'string') return false;
  return isPlainObject(value.item) && typeof value.item.eTag === 'string';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where lowdb's `TextFileSync` writes a file before renaming it into place. */
function tempFileOf(file: string): string {
  return join(dirname(file), `.${basename(file)}.tmp`);
}

function removeIfPresent(...files: string[]): void {
  for (const file of files) {
    try {
      unlinkSync(file);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
