/**
 * The worker thread that draws results cards' charts (src/reports/cardChart.ts): resvg, the palette quantiser and
 * deflate run here, off the event loop that serves everyone's turns. Two charts at a time (rasterised on libuv's
 * thread pool): a burst of results waits in the queue instead of holding a raster each in memory.
 */
import { parentPort } from 'node:worker_threads';
import { renderCardChartPngAsync, type ChartMeta, type ChartScores } from './charts.js';

interface Job {
  id: number;
  scores: ChartScores;
  meta: ChartMeta;
}

const queue: Job[] = [];
const maxConcurrent = 2;
let running = 0;

function next(): void {
  while (running < maxConcurrent && queue.length > 0) {
    const { id, scores, meta } = queue.shift()!;
    running++;
    renderCardChartPngAsync(scores, meta)
      .then(
        (png) => {
          parentPort!.postMessage({ id, result: new Uint8Array(png) });
        },
        (err: unknown) => parentPort!.postMessage({ id, error: String(err) }),
      )
      .finally(() => {
        running--;
        next();
      });
  }
}

parentPort?.on('message', (job: Job) => {
  queue.push(job);
  next();
});
