import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DiagnosticService } from '../../src/domain/diagnostics/service.js';
import { LowdbStorage } from '../../src/storage/lowdbStorage.js';
import { StorageRecordStore } from '../../src/storage/storageRecordStore.js';

/** The records of a server's DATA_DIR, read as the server reads them (lowdb files under `state/`). */
export function openRecords(dataDir: string) {
  const storage = new LowdbStorage(join(dataDir, 'state'));
  const store = new StorageRecordStore(storage);
  return { storage, store, service: new DiagnosticService(store) };
}

/** The respondent id the bot gives a user of the `test` channel (dialogs/identity.ts). */
export const testRespondentId = (userId: string): string => `test:${userId}`;

/** Why `text` is not one JSON document; undefined when it is. */
function jsonError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The record a record file holds, as JSON text (a record file is one JSON document). */
export function currentVersion(text: string): string {
  const error = jsonError(text);
  if (error) throw new Error(`not a JSON document: ${error}`);
  return text.trim();
}

/** Every `*.json` file under `dir` that is not one whole JSON document, with the reason. */
export async function unreadableJsonFiles(dir: string): Promise<{ file: string; reason: string }[]> {
  const problems: { file: string; reason: string }[] = [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
    const file = join(entry.parentPath, entry.name);
    const reason = jsonError(await readFile(file, 'utf8'));
    if (reason) problems.push({ file, reason });
  }
  return problems;
}

/** pino's JSON lines in a server's output (other lines — Node warnings, botbuilder's console.error — left out). */
export function logLines(output: string): Record<string, unknown>[] {
  return output.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}
