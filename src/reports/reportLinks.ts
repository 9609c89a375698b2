/**
 * Where a finished diagnostic's report and its downloads are served (src/server/reportRoutes.ts), under `base` (the
 * server's public address, or nothing for a path). `reportLinks(':reportId')` gives the routes themselves.
 */
export function reportLinks(reportId: string, base = '') {
  const page = `${base}/rapports/${reportId}`;
  return {
    page,
    pdf: `${page}/rapport.pdf`,
    csv: `${page}/reponses.csv`,
    json: `${page}/rapport.json`,
    png: `${page}/graphique.png`,
    /** The results card's picture (src/reports/cardChart.ts). */
    cardPng: `${page}/graphique-carte.png`,
  };
}
