import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`paths: no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

/** The project's root folder, whether running from `src/` (tsx, vitest) or from `dist/src/` (npm start). */
export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
export const referentialDir = join(projectRoot, 'referential');
