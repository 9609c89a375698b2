/**
 * The worker thread that draws results cards' charts (src/reports/cardChart.ts): resvg, the palette quantiser and
 * deflate run here, off the event loop that serves everyone's turns.
 */
import { parentPort } from 'node:worker_threads';
import { renderChartDataUriAsync, type ChartMeta, type ChartScores } from './charts.js';

// rasterised on libuv's thread pool, so that several charts asked at once are drawn side by side
parentPort?.on('message', ({ id, scores, meta }: { id: number; scores: ChartScores; meta: ChartMeta }) => {
  renderChartDataUriAsync(scores, meta).then(
    (result) => parentPort!.postMessage({ id, result }),
    (err: unknown) => parentPort!.postMessage({ id, error: String(err) }),
  );
});
