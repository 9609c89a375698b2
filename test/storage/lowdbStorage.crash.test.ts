import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { LowdbStorage } from '../../src/storage/lowdbStorage.js';
import { useTempDirs } from './tempDir.js';

const newDir = useTempDirs('lowdb-crash');
const writer = join(projectRoot, 'test', 'storage', 'fixtures', 'rewriteForever.ts');

async function killWhileWriting(directory: string, delayMs: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, directory], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`writer exited early with code ${code}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.kill('SIGKILL');
  await exited;
}

describe('LowdbStorage under SIGKILL', () => {
  it('leaves the old or the new file, never a truncated one', { timeout: 60_000 }, async () => {
    const directory = join(await newDir(), 'state');
    let killedMidWrite = 0;
    const delays = [0, 7, 23, 41, 66, 97, 131, 173];
    for (const delayMs of delays) {
      await killWhileWriting(directory, delayMs);
      if ((await readdir(directory)).some((name) => name.endsWith('.tmp'))) killedMidWrite++;

      const item = (await new LowdbStorage(directory).read(['user/1']))['user/1'];

      expect(item).toBeDefined();
      expect(item!.payload).toHaveLength(item!.length);
      expect(item!.payload).toBe('é'.repeat(item!.length));
    }
    console.log(
      `SIGKILL during rewrites: ${delays.length} kills, ${killedMidWrite} left a temp file, all reads whole`,
    );
  });
});
