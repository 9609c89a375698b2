import { KeyedLock } from '../../util/keyedLock.js';

/**
 * Where domain records (collectivités, diagnostics) live: a key-value store with optimistic concurrency.
 * Implemented over the Bot Framework `Storage` in src/storage; the domain only knows these three methods.
 */
export interface StoredRecord<T> {
  value: T;
  eTag: string;
}

export interface RecordStore {
  read<T>(key: string): Promise<StoredRecord<T> | undefined>;
  /**
   * Writes when `eTag` matches the stored one, throws `ConflictError` otherwise. Without an eTag the write is
   * unconditional (the Bot Framework `Storage` cannot express "create only if absent" on every backend): new records
   * get fresh random ids, so two creators never meet.
   */
  write<T>(key: string, value: T, eTag: string | undefined): Promise<void>;
  delete(key: string): Promise<void>;
}

export class ConflictError extends Error {
  constructor(readonly key: string) {
    super(`records: concurrent update of ${key}`);
    this.name = 'ConflictError';
  }
}

/** Updates of one record from this process wait for each other: eTag conflicts then only come from other instances. */
const updates = new KeyedLock();

/**
 * Read, change, write with the eTag read; on a concurrent change (another instance), read again and re-apply
 * `change` (a pure function of the latest value) after an exponential, jittered pause, so two people answering
 * at once lose nothing.
 */
export function updateRecord<T>(
  store: RecordStore,
  key: string,
  change: (current: T | undefined) => T,
  attempts = 10,
): Promise<T> {
  return updates.run(key, async () => {
    for (let attempt = 1; ; attempt++) {
      const current = await store.read<T>(key);
      const next = change(current?.value);
      try {
        await store.write(key, next, current?.eTag);
        return next;
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt >= attempts) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(500, 10 * 2 ** attempt)));
      }
    }
  });
}
