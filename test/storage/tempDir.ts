import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A fresh folder under the system temp dir, removed after the test file. */
export function useTempDirs(label: string): () => Promise<string> {
  const made: string[] = [];
  afterAll(async () => {
    await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), `${label}-`));
    made.push(dir);
    return dir;
  };
}

/** The files of a storage directory, temporary files included, in name order. */
export async function storedFiles(directory: string): Promise<string[]> {
  return (await readdir(directory)).sort();
}
