import { setImmediate as nextIteration } from 'node:timers/promises';

/**
 * For long loops over stored records (retention, erasure by scan): storage reads are synchronous
 * (src/storage/lowdbStorage.ts), so a pass over 10,000 diagnostics would hold the event loop for seconds. The
 * returned function gives the loop back to the event loop every `every` calls (`await breather()` in the loop).
 */
export function breather(every = 32): () => Promise<void> | undefined {
  let count = 0;
  return () => {
    if (++count < every) return undefined;
    count = 0;
    return nextIteration();
  };
}
