import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { recordKeys, type Diagnostic } from '../domain/records/diagnostic.js';
import type { RecordStore } from '../domain/records/recordStore.js';
import type { ChartLink } from '../domain/records/schemas.js';
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

/** Chart link tokens are 24 random bytes in base64url (192 bits). */
export const chartTokenPattern = /^[A-Za-z0-9_-]{32}$/;

/** How long a chart link of partial results draws its picture. */
export const chartLinkHours = 6;

/** Where the chart of partial results is served (src/server/reportRoutes.ts), under `base`. */
export const chartLinkUrl = (token: string, base = '') => `${base}/graphiques/${token}.png`;

/** The scores a chart link keeps: what the card's radar draws, nothing more. */
function chartLinkOf(scores: ChartScores, meta: ChartMeta, expiresAt: Date): ChartLink {
  return {
    scores: {
      score: scores.score,
      level: scores.level,
      estimate: scores.estimate,
      enjeux: scores.enjeux.map(({ id, number, title, score, level }) => ({
        id,
        number,
        title,
        score,
        level,
      })),
    },
    meta: { date: meta.date, ...(meta.collectiviteName ? { collectiviteName: meta.collectiviteName } : {}) },
    expiresAt: expiresAt.toISOString(),
  };
}

/** The picture of a chart link: its scores drawn as the card's radar. */
export function renderChartLink(link: ChartLink): Promise<Buffer> {
  const { scores, meta } = link;
  return renderCardChart({ ...scores, enjeux: scores.enjeux.map((e) => ({ ...e, prerequis: [] })) }, meta);
}

/**
 * The chart of a results card. A finished diagnostic's card points at its report's picture. Partial results (no
 * report yet) point at a chart link when `store` is given (PUBLIC_URL set: Teams clients do not all show data URIs),
 * a short-lived record of the scores under an unguessable token; without it (local mode: the Emulator, the local web
 * page) they embed a data URI. Either picture is drawn when a client displays it, not by the turn that sends the card.
 */
export function cardChart(options: { store?: RecordStore; now?: () => Date } = {}) {
  const { store } = options;
  return async (
    result: MaturityResult,
    diagnostic: Diagnostic,
    baseUrl: string,
    collectiviteName?: string,
  ) => {
    const alt = `Graphique des scores : ${result.enjeux.map((e) => `enjeu ${e.number} (${e.title}) ${formatPercent(e.score)}`).join(', ')}.`;
    if (diagnostic.reportId) return { url: reportLinks(diagnostic.reportId, baseUrl).cardPng, alt };
    const meta = {
      date: diagnostic.finishedAt ?? diagnostic.updatedAt,
      ...(collectiviteName ? { collectiviteName } : {}),
    };
    if (!store) return { url: pngDataUri(await renderCardChart(result, meta)), alt };
    const token = randomBytes(24).toString('base64url');
    const now = options.now?.() ?? new Date();
    const expiresAt = new Date(now.getTime() + chartLinkHours * 60 * 60 * 1000);
    await store.write(recordKeys.chartLink(token), chartLinkOf(result, meta, expiresAt), undefined);
    return { url: chartLinkUrl(token, baseUrl), alt };
  };
}
