import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { LowdbStorage } from '../../src/storage/lowdbStorage.js';
import { useTempDirs } from './tempDir.js';

const newDir = useTempDirs('lowdb-cost');

const conversationState = {
  dialogState: {
    dialogStack: [{ id: 'diagnostic', state: { indicateur: 23, enjeu: 'E2', prerequis: 'E2P3' } }],
  },
  answers: Object.fromEntries(
    Array.from({ length: 68 }, (_, i) => [i + 1, i % 3 === 0 ? 'oui' : 'en partie']),
  ),
};

async function fill(storage: LowdbStorage, count: number): Promise<void> {
  const batch = 100;
  for (let start = 0; start < count; start += batch) {
    const changes = Object.fromEntries(
      Array.from({ length: Math.min(batch, count - start) }, (_, i) => [
        `webchat/conversations/other-${start + i}/`,
        { ...conversationState, n: start + i },
      ]),
    );
    await storage.write(changes);
  }
}

/** One turn: read the conversation's state, then save it with the eTag read. */
async function turn(storage: LowdbStorage, key: string, n: number): Promise<number> {
  const started = performance.now();
  const item = (await storage.read([key]))[key];
  await storage.write({ [key]: { ...conversationState, n, eTag: item?.eTag } });
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe("a turn's cost", () => {
  it('does not depend on how many other records exist', { timeout: 60_000 }, async () => {
    const fewRecords = new LowdbStorage(join(await newDir(), 'state'));
    const manyRecords = new LowdbStorage(join(await newDir(), 'state'));
    const fillStarted = performance.now();
    await fill(fewRecords, 10);
    await fill(manyRecords, 5_000);
    const fillMs = performance.now() - fillStarted;
    const key = 'webchat/conversations/measured/';
    for (let i = 0; i < 20; i++) {
      await turn(fewRecords, key, i);
      await turn(manyRecords, key, i);
    }

    const few: number[] = [];
    const many: number[] = [];
    for (let i = 0; i < 200; i++) {
      few.push(await turn(fewRecords, key, i));
      many.push(await turn(manyRecords, key, i));
    }

    const ratio = median(many) / median(few);
    console.log(
      `lowdb turn (read + compare-and-write): median ${median(few).toFixed(3)} ms with 10 records, ` +
        `${median(many).toFixed(3)} ms with 5,000 records, ratio ${ratio.toFixed(2)}; ` +
        `writing the 5,010 records took ${fillMs.toFixed(0)} ms`,
    );
    expect(ratio).toBeLessThan(3);
  });
});
