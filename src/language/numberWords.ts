import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { NumberModel } from '../domain/language/numbers.js';
import { projectRoot } from '../paths.js';
import { WorkerRequests } from '../util/workerRequests.js';

const recognizeTimeoutMs = 15_000;

/**
 * Numbers written in French words (« douze », « deux millions et demi »), read by Microsoft's recognizers in a
 * worker thread (src/language/numberWordsWorker.mjs) started when a quantity question is asked, so a person typing
 * « douze » never stalls everyone else's turn.
 */
const recognizers = new WorkerRequests<{ model: NumberModel; text: string }, (string | undefined)[]>(
  () => new Worker(join(projectRoot, 'src', 'language', 'numberWordsWorker.mjs')),
);

/** The values the recognizer found in `text` (none when the worker failed or timed out). */
export async function readNumberWords(model: NumberModel, text: string): Promise<(string | undefined)[]> {
  return (await recognizers.request({ model, text }, recognizeTimeoutMs)) ?? [];
}

/** Starts the worker so the first « douze » typed is answered at once. */
export function warmUpNumberWords(): void {
  recognizers.start();
}

export function stopNumberWords(): Promise<void> {
  return recognizers.stop();
}
