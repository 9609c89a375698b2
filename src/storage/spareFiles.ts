import { randomUUID } from 'node:crypto';
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { open, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Names of spare files: hidden (a leading dot), never taken for a record by `keyForFileName`. */
const sparePrefix = '.spare-';
const target = 64;
const lowWater = 32;

/**
 * Empty files made ahead of time on libuv's thread pool, for new records. Giving a file a new inode is the slow part
 * of creating it on these machines (0.1 to 1 ms, and unpredictable: the disk is shared); writing into an empty file
 * and renaming it to a free name take about 30 µs. A new record is written into a spare, then renamed into place:
 * it appears whole, as with a temporary file. Spares left by a stopped process are reused (empty ones) or removed.
 */
export class SpareFiles {
  private readonly spares: string[] = [];
  private refilling: Promise<void> | undefined;
  private adopted = false;

  constructor(private readonly directory: string) {}

  /**
   * Writes `text` as the new file `file` (which must not exist) using a spare; false when none is ready (the caller
   * then creates the file itself). A refill starts in the background when spares run low.
   */
  createWith(file: string, text: string): boolean {
    const spare = this.spares.pop();
    if (this.spares.length < lowWater) this.refill();
    if (!spare) return false;
    let fd: number;
    try {
      fd = openSync(spare, 'r+');
    } catch {
      return false; // removed behind our back: create the file the usual way
    }
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    renameSync(spare, file);
    return true;
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
    // all at once: each creation is a round trip to the thread pool, and under load a round trip waits for a whole
    // turn of the event loop
    const missing = Math.max(0, target - this.spares.length);
    const made = await Promise.allSettled(
      Array.from({ length: missing }, async () => {
        const name = join(this.directory, `${sparePrefix}${randomUUID()}`);
        await (await open(name, 'wx')).close();
        return name;
      }),
    );
    for (const outcome of made) if (outcome.status === 'fulfilled') this.spares.push(outcome.value);
  }

  /** Empty spares of an earlier process are taken; written ones (a crash between write and rename) removed. */
  private async adoptLeftovers(): Promise<void> {
    for (const name of await readdir(this.directory)) {
      if (!name.startsWith(sparePrefix)) continue;
      const path = join(this.directory, name);
      const stats = await stat(path).catch(() => undefined);
      if (stats?.size === 0) this.spares.push(path);
      else await unlink(path).catch(() => undefined);
    }
  }
}
