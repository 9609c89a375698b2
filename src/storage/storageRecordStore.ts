import type { Storage } from 'botbuilder';
import { ConflictError, type RecordStore, type StoredRecord } from '../domain/records/recordStore.js';
import type { LowdbStorage } from './lowdbStorage.js';

function isConflict(err: unknown): boolean {
  const e = err as { statusCode?: number; code?: string; message?: string };
  return e?.statusCode === 412 || e?.code === 'ConditionNotMet' || /etag conflict/i.test(e?.message ?? '');
}

/** Domain records over any Bot Framework `Storage` (lowdb, Blob, memory), with its eTags as optimistic locks. */
export class StorageRecordStore implements RecordStore {
  constructor(private readonly storage: Storage) {}

  async read<T>(key: string): Promise<StoredRecord<T> | undefined> {
    const items = await this.storage.read([key]);
    const item = items[key] as { record: T; eTag: string } | undefined;
    return item ? { value: item.record, eTag: item.eTag } : undefined;
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

  /** Only lowdb files keep earlier versions; Blob and memory storage replace the item. */
  async dropHistory(key: string): Promise<void> {
    await (this.storage as Partial<Pick<LowdbStorage, 'dropHistory'>>).dropHistory?.([key]);
  }
}
