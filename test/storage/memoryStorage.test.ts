import { describe, expect, it } from 'vitest';
import { ListableMemoryStorage } from '../../src/storage/memoryStorage.js';

describe('ListableMemoryStorage', () => {
  it('lists the keys it holds under a prefix, not the deleted ones', async () => {
    const storage = new ListableMemoryStorage();
    await storage.write({ 'diagnostic/1': { v: 1 }, 'diagnostic/2': { v: 1 }, 'respondent/a': { v: 1 } });
    await storage.delete(['diagnostic/2']);
    expect((await storage.listKeys('diagnostic/')).map(({ key }) => key)).toEqual(['diagnostic/1']);
    expect(await storage.listKeys('')).toHaveLength(2);
  });

  it('gives each key the time of its last write, not of a write refused for its eTag', async () => {
    const storage = new ListableMemoryStorage();
    await storage.write({ k: { v: 1 } });
    const [first] = await storage.listKeys('k');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(storage.write({ k: { v: 2, eTag: 'stale' } })).rejects.toThrow('eTag conflict');
    expect((await storage.listKeys('k'))[0]!.modifiedAt).toEqual(first!.modifiedAt);
    await storage.write({ k: { v: 3 } });
    expect((await storage.listKeys('k'))[0]!.modifiedAt.getTime()).toBeGreaterThan(
      first!.modifiedAt.getTime(),
    );
  });
});
