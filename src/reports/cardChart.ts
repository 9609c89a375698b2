import type { Diagnostic } from '../domain/records/diagnostic.js';
import { formatPercent } from '../domain/scoring/format.js';
import type { MaturityResult } from '../domain/scoring/scoring.js';
import { renderChartDataUriAsync } from './charts.js';

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
    return { url: await renderChartDataUriAsync(result, meta), alt };
  };
}
