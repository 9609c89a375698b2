import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../domain/records/diagnostic.js';
import { formatPercent } from '../domain/scoring/format.js';
import type { MaturityResult } from '../domain/scoring/scoring.js';
import { WorkerRequests } from '../util/workerRequests.js';
import { renderChartDataUriAsync, type ChartMeta, type ChartScores } from './charts.js';

/**
 * The worker runs the build (`dist/src/reports/chartWorker.js`). Run from the TypeScript sources (`npm run dev`,
 * unit tests) there is no worker — Node 20 gives a worker no TypeScript loader — and charts are drawn in process.
 */
const fromBuild = fileURLToPath(import.meta.url).endsWith('.js');
const chartWorker = new WorkerRequests<{ scores: ChartScores; meta: ChartMeta }, string>(
  () => new Worker(new URL('./chartWorker.js', import.meta.url)),
);

/** How many card charts the worker drew, and how many were drawn here instead (its absence, failure or delay). */
export const chartWorkerStats = { inWorker: 0, inProcess: 0 };

export function stopChartWorker(): Promise<void> {
  return chartWorker.stop();
}

/**
 * The card's radar as a data URI, drawn in the chart worker (started on the first results card, in ~30 ms) so
 * that its ~4 ms of JavaScript do not hold the event loop, or here if the worker fails or is slow.
 */
export async function renderCardChartDataUri(scores: ChartScores, meta: ChartMeta): Promise<string> {
  const { score, level, estimate, cap, enjeux } = scores;
  const drawn = fromBuild
    ? await chartWorker.request({ scores: { score, level, estimate, cap, enjeux }, meta }, 10_000)
    : undefined;
  if (drawn) {
    chartWorkerStats.inWorker++;
    return drawn;
  }
  chartWorkerStats.inProcess++;
  return renderChartDataUriAsync(scores, meta);
}

/**
 * The chart of a results card: the report's PNG by URL when the server has a public address Teams can reach,
 * a small data URI otherwise (kept under Teams' card size limit).
 */
export function cardChart(publicUrl: string | undefined) {
  return async (
    result: MaturityResult,
    diagnostic: Diagnostic,
    baseUrl: string,
    collectiviteName?: string,
  ) => {
    const alt = `Graphique des scores : ${result.enjeux.map((e) => `enjeu ${e.number} ${formatPercent(e.score)}`).join(', ')}.`;
    if (publicUrl && diagnostic.reportId)
      return { url: `${baseUrl}/rapports/${diagnostic.reportId}/graphique.png`, alt };
    const meta = {
      date: diagnostic.finishedAt ?? diagnostic.updatedAt,
      ...(collectiviteName ? { collectiviteName } : {}),
    };
    return { url: await renderCardChartDataUri(result, meta), alt };
  };
}
