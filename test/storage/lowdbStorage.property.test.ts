import { join } from 'node:path';
import fc from 'fast-check';
import { MemoryStorage, type Storage, type StoreItems } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { LowdbStorage } from '../../src/storage/lowdbStorage.js';
import { useTempDirs } from './tempDir.js';

const newDir = useTempDirs('lowdb-property');

type ETagChoice = 'none' | 'empty' | 'star' | 'current' | 'stale' | 'unknown';

type Operation =
  | { kind: 'read'; keys: string[] }
  | { kind: 'write'; changes: { key: string; value: unknown; eTag: ETagChoice; age: number }[] }
  | { kind: 'delete'; keys: string[] };

type Outcome = { ok: true; items?: StoreItems } | { ok: false; message: string };

const keyPool = [
  'user/1',
  'User/1',
  'conv/19:abc@thread/',
  'élus/Saint-Étienne',
  '',
  '.',
  'k'.repeat(250),
  '1',
];

const keyArb = fc.oneof(
  { arbitrary: fc.constantFrom('user/1', 'User/1'), weight: 4 },
  { arbitrary: fc.constantFrom(...keyPool), weight: 1 },
);
const keysArb = fc.array(keyArb, { minLength: 1, maxLength: 3 });
const operationArb: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant('read' as const), keys: keysArb }),
  fc.record({
    kind: fc.constant('write' as const),
    changes: fc.uniqueArray(
      fc.record({
        key: keyArb,
        value: fc.jsonValue({ maxDepth: 2 }),
        eTag: fc.constantFrom<ETagChoice>('none', 'empty', 'star', 'current', 'current', 'stale', 'unknown'),
        age: fc.nat(3),
      }),
      { minLength: 1, maxLength: 3, selector: (change) => change.key },
    ),
  }),
  fc.record({ kind: fc.constant('delete' as const), keys: keysArb }),
);

/** Plays operations on one storage, turning symbolic eTags into that storage's own eTags. */
class Player {
  readonly #seenETags = new Map<string, string[]>();

  constructor(readonly storage: Storage) {}

  async play(operation: Operation): Promise<Outcome> {
    const outcome = await this.#settle(this.#run(operation));
    await this.#observe(keyPool);
    return outcome;
  }

  async #run(operation: Operation): Promise<StoreItems | undefined> {
    switch (operation.kind) {
      case 'read':
        return this.storage.read(operation.keys);
      case 'delete':
        await this.storage.delete(operation.keys);
        return undefined;
      case 'write': {
        const changes: StoreItems = {};
        for (const { key, value, eTag, age } of operation.changes) {
          const item: Record<string, unknown> = { value };
          const chosen = await this.#eTagFor(key, eTag, age);
          if (chosen !== undefined) item.eTag = chosen;
          changes[key] = item;
        }
        await this.storage.write(changes);
        return undefined;
      }
    }
  }

  async #eTagFor(key: string, choice: ETagChoice, age: number): Promise<string | undefined> {
    const seen = this.#seenETags.get(key) ?? [];
    switch (choice) {
      case 'none':
        return undefined;
      case 'empty':
        return '';
      case 'star':
        return '*';
      case 'unknown':
        return 'an-etag-no-storage-ever-made';
      case 'current':
        return (await this.storage.read([key]))[key]?.eTag ?? 'an-etag-no-storage-ever-made';
      case 'stale':
        return seen[seen.length - 2 - age] ?? seen[0] ?? 'an-etag-no-storage-ever-made';
    }
  }

  async #observe(keys: string[]): Promise<void> {
    const items = await this.storage.read(keys);
    for (const [key, item] of Object.entries(items)) {
      const seen = this.#seenETags.get(key) ?? [];
      if (seen.at(-1) !== item.eTag) seen.push(item.eTag);
      this.#seenETags.set(key, seen);
    }
  }

  async #settle(result: Promise<StoreItems | undefined>): Promise<Outcome> {
    try {
      const items = await result;
      return items ? { ok: true, items: withoutETags(items) } : { ok: true };
    } catch (err) {
      return { ok: false, message: (err as Error).message };
    }
  }
}

function withoutETags(items: StoreItems): StoreItems {
  const stripped: StoreItems = {};
  for (const [key, item] of Object.entries(items)) {
    expect(typeof item.eTag).toBe('string');
    const { eTag: _eTag, ...rest } = item;
    stripped[key] = rest;
  }
  return stripped;
}

describe('LowdbStorage behaves as MemoryStorage', () => {
  it('on random sequences of reads, writes and deletes with random eTags', async () => {
    let runs = 0;
    const outcomes = { conflicts: 0, compareAndWrites: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(operationArb, { minLength: 5, maxLength: 30, size: 'max' }),
        async (operations) => {
          runs++;
          const memory = new Player(new MemoryStorage());
          const lowdb = new Player(new LowdbStorage(join(await newDir(), 'state')));
          for (const operation of operations) {
            const expected = await memory.play(operation);
            const actual = await lowdb.play(operation);
            expect(actual).toEqual(expected);
            if (!actual.ok) outcomes.conflicts++;
            if (
              operation.kind === 'write' &&
              actual.ok &&
              operation.changes.some((c) => c.eTag === 'current')
            ) {
              outcomes.compareAndWrites++;
            }
          }
          expect(await lowdb.play({ kind: 'read', keys: keyPool })).toEqual(
            await memory.play({ kind: 'read', keys: keyPool }),
          );
        },
      ),
      { numRuns: 150 },
    );
    console.log('property test:', runs, 'runs', outcomes);
    expect(runs).toBeGreaterThanOrEqual(150);
    expect(outcomes.conflicts).toBeGreaterThan(40);
    expect(outcomes.compareAndWrites).toBeGreaterThan(100);
  });
});
