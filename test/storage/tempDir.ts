import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A fresh folder under the system temp dir, removed after the test file. */
export function useTempDirs(label: string): () => Promise<string> {
  const made: string[] = [];
  afterAll(async () => {
    // retried: LowdbStorage may still be making spare files in the background (src/storage/spareFiles.ts)
    await Promise.all(
      made.map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 })),
    );
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), `${label}-`));
    made.push(dir);
    return dir;
  };
}

/** The files of a storage directory, without the empty spare files LowdbStorage keeps for new records. */
export async function storedFiles(directory: string): Promise<string[]> {
  return (await readdir(directory)).filter((name) => !name.startsWith('.spare-')).sort();
}
