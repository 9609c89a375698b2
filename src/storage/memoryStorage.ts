import { MemoryStorage, type StoreItems } from 'botbuilder';
import type { KeyLister, ListedKey } from './keyLister.js';

/** botbuilder's `MemoryStorage` (STORAGE=memory, tests), which also lists its keys with the time each was written. */
export class ListableMemoryStorage extends MemoryStorage implements KeyLister {
  readonly #modifiedAt = new Map<string, Date>();
  /** When this storage was made: the date of items it was given at construction. */
  readonly #since = new Date();

  override async write(changes: StoreItems): Promise<void> {
    const before = new Map(Object.keys(changes ?? {}).map((key) => [key, this.memory[key]]));
    try {
      await super.write(changes);
    } finally {
      for (const [key, old] of before) if (this.memory[key] !== old) this.#modifiedAt.set(key, new Date());
    }
  }

  override async delete(keys: string[]): Promise<void> {
    await super.delete(keys);
    for (const key of keys) this.#modifiedAt.delete(key);
  }

  async listKeys(prefix: string): Promise<ListedKey[]> {
    return Object.keys(this.memory)
      .filter((key) => this.memory[key] !== undefined && key.startsWith(prefix))
      .map((key) => ({ key, modifiedAt: this.#modifiedAt.get(key) ?? this.#since }));
  }
}
