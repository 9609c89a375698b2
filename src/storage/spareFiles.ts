import { randomUUID } from 'node:crypto';
import {
  close,
  closeSync,
  fstatSync,
  ftruncateSync,
  open,
  openSync,
  renameSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Names of spare files: hidden (a leading dot), never taken for a record by `keyForFileName`. */
const sparePrefix = '.spare-';
/** The pool starts small and doubles each time it runs dry, up to this many files. */
const initialTarget = 32;
const maxTarget = 256;
const batch = 128;

/**
 * Empty files made ahead of time on libuv's thread pool, for new records and compactions. Giving a file a new inode
 * is the slow part of writing a whole file on these machines (0.1 to 1 ms, and unpredictable: the disk is shared);
 * writing into an empty file takes ≈ 13 µs and renaming it into place 30–70 µs (docs/benchmarks.md). A record is
 * written into a spare, then renamed into place: it appears whole, as with a temporary file. Spares left by a
 * stopped process are reused.
 */
export class SpareFiles {
  private readonly spares: string[] = [];
  private refilling: Promise<void> | undefined;
  private adopted = false;
  private target = initialTarget;

  constructor(private readonly directory: string) {}

  /**
   * Writes `text` as `file` using a spare, renamed into place: a new file, or a whole new version of an existing
   * one (the rename replaces it atomically). Returns the file's `stat`, or undefined when no spare is ready (the
   * caller then writes the file itself). A refill starts in the background when spares run low.
   */
  writeAs(file: string, text: string): Stats | undefined {
    const spare = this.spares.shift(); // oldest first: the ones an earlier process left
    if (!spare && this.adopted) this.target = Math.min(maxTarget, this.target * 2);
    if (this.spares.length < (this.target * 3) / 4) this.refill();
    if (!spare) return undefined;
    let fd: number;
    try {
      fd = openSync(spare, 'r+');
    } catch {
      return undefined; // removed behind our back: write the file the usual way
    }
    let stats: Stats;
    try {
      const bytes = Buffer.from(text);
      if (writeSync(fd, bytes) !== bytes.length) throw new Error(`lowdb storage: short write to ${spare}`);
      stats = fstatSync(fd);
      // a spare an earlier process wrote before it stopped may be longer than this record
      if (stats.size !== bytes.length) {
        ftruncateSync(fd, bytes.length);
        stats = fstatSync(fd);
      }
    } finally {
      closeSync(fd);
    }
    renameSync(spare, file);
    return stats;
  }

  private refill(): void {
    this.refilling ??= this.fill()
      .catch(() => undefined) // no spares then: records are created directly, as without this pool
      .finally(() => (this.refilling = undefined));
  }

  private async fill(): Promise<void> {
    if (!this.adopted) {
      this.adopted = true;
      await this.adoptLeftovers();
    }
    // batches side by side: each creation is a round trip to the thread pool, and under load a round trip waits for
    // a whole turn of the event loop; records taken meanwhile are made up by the next batch
    while (this.spares.length < this.target) {
      const made = await Promise.allSettled(
        Array.from({ length: Math.min(batch, this.target - this.spares.length) }, () =>
          createEmpty(join(this.directory, `${sparePrefix}${randomUUID()}`)),
        ),
      );
      for (const outcome of made) if (outcome.status === 'fulfilled') this.spares.push(outcome.value);
      if (made.every((outcome) => outcome.status === 'rejected')) return; // the directory is gone, or full
    }
  }

  /**
   * Spares of an earlier process are taken as they are (one listing, no round trip per file): one that a crash left
   * written is cut to the new record's length when used.
   */
  private async adoptLeftovers(): Promise<void> {
    for (const name of await readdir(this.directory)) {
      if (name.startsWith(sparePrefix)) this.spares.push(join(this.directory, name));
    }
  }
}

/**
 * Creates the empty file `name` on the thread pool. Callbacks rather than a `FileHandle`: the promise API's handle
 * objects cost the main thread about twice as much per file (docs/benchmarks.md), and spares are made by the hundred.
 */
function createEmpty(name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    open(name, 'wx', (err, fd) => {
      if (err) return reject(err);
      close(fd, (closeError) => (closeError ? reject(closeError) : resolve(name)));
    });
  });
}
