import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../domain/records/diagnostic.js';
import { formatPercent } from '../domain/scoring/format.js';
import type { MaturityResult } from '../domain/scoring/scoring.js';
import { WorkerRequests } from '../util/workerRequests.js';
import { reportLinks } from './reportLinks.js';
import { pngDataUri, renderCardChartPngAsync, type ChartMeta, type ChartScores } from './charts.js';

/**
 * The worker runs the build (`dist/src/reports/chartWorker.js`). Run from the TypeScript sources (`npm run dev`,
 * unit tests) there is no worker — Node 20 gives a worker no TypeScript loader — and charts are drawn in process.
 */
const fromBuild = fileURLToPath(import.meta.url).endsWith('.js');
const chartWorker = new WorkerRequests<{ scores: ChartScores; meta: ChartMeta }, Uint8Array>(
  () => new Worker(new URL('./chartWorker.js', import.meta.url)),
);

/** How many card charts the worker drew, and how many were drawn here instead (its absence, failure or delay). */
export const chartWorkerStats = { inWorker: 0, inProcess: 0 };

export function stopChartWorker(): Promise<void> {
  return chartWorker.stop();
}

/**
 * The card's radar as a PNG, drawn in the chart worker (started on the first chart) so that it does not hold the
 * event loop, or here (on libuv's thread pool) if the worker fails or is slow.
 */
export async function renderCardChart(scores: ChartScores, meta: ChartMeta): Promise<Buffer> {
  const { score, level, estimate, cap, enjeux } = scores;
  const drawn = fromBuild
    ? await chartWorker.request({ scores: { score, level, estimate, cap, enjeux }, meta }, 10_000)
    : undefined;
  if (drawn) {
    chartWorkerStats.inWorker++;
    return Buffer.from(drawn.buffer, drawn.byteOffset, drawn.byteLength);
  }
  chartWorkerStats.inProcess++;
  return renderCardChartPngAsync(scores, meta);
}

/**
 * The chart of a results card. A finished diagnostic's card points at its picture, drawn when a client displays it
 * (the turn that sends the results does not wait for it, and the card stays small); Web Chat on this server's
 * page, the Emulator on this machine and Teams through `PUBLIC_URL` all reach it. Partial results (no report
 * yet) embed a small data URI.
 */
export function cardChart() {
  return async (
    result: MaturityResult,
    diagnostic: Diagnostic,
    baseUrl: string,
    collectiviteName?: string,
  ) => {
    const alt = `Graphique des scores : ${result.enjeux.map((e) => `enjeu ${e.number} ${formatPercent(e.score)}`).join(', ')}.`;
    if (diagnostic.reportId) return { url: reportLinks(diagnostic.reportId, baseUrl).cardPng, alt };
    const meta = {
      date: diagnostic.finishedAt ?? diagnostic.updatedAt,
      ...(collectiviteName ? { collectiviteName } : {}),
    };
    return { url: pngDataUri(await renderCardChart(result, meta)), alt };
  };
}
