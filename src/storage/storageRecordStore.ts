import type { Storage } from 'botbuilder';
import { ConflictError, type RecordStore, type StoredRecord } from '../domain/records/recordStore.js';
import { recordShapeProblem } from '../domain/records/schemas.js';
import { LowdbStorage } from './lowdbStorage.js';
import { StorageCorruptionError } from './storageErrors.js';

function isConflict(err: unknown): boolean {
  const e = err as { statusCode?: number; code?: string; message?: string };
  return e?.statusCode === 412 || e?.code === 'ConditionNotMet' || /etag conflict/i.test(e?.message ?? '');
}

/**
 * Domain records over any Bot Framework `Storage` (lowdb, Blob, memory), with its eTags as optimistic locks. A record
 * is checked against its schema (src/domain/records/schemas.ts) when read: one of another shape throws
 * `StorageCorruptionError`, naming its file with lowdb, its key otherwise.
 */
export class StorageRecordStore implements RecordStore {
  constructor(private readonly storage: Storage) {}

  async read<T>(key: string): Promise<StoredRecord<T> | undefined> {
    const items = await this.storage.read([key]);
    const item = items[key] as { record?: unknown; eTag: string } | undefined;
    if (!item) return undefined;
    const problem = recordShapeProblem(key, item.record);
    if (problem) throw new StorageCorruptionError(this.#whereIs(key), problem);
    return { value: item.record as T, eTag: item.eTag };
  }

  async write<T>(key: string, value: T, eTag: string | undefined): Promise<void> {
    try {
      await this.storage.write({ [key]: { record: value, ...(eTag ? { eTag } : {}) } });
    } catch (err) {
      if (isConflict(err)) throw new ConflictError(key);
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.storage.delete([key]);
  }

  #whereIs(key: string): string {
    return this.storage instanceof LowdbStorage ? this.storage.fileFor(key) : key;
  }
}
