import type { Request, Response, Server } from 'restify';
import { chartTokenPattern, renderCardChart, renderChartLink } from '../reports/cardChart.js';
import { reportLinks } from '../reports/reportLinks.js';
import { answersOf } from '../domain/assessment/assessment.js';
import type { DiagnosticService } from '../domain/diagnostics/service.js';
import { recordKeys, type Diagnostic } from '../domain/records/diagnostic.js';
import type { ChartLink } from '../domain/records/schemas.js';
import type { Referentials } from '../domain/referential/load.js';
import { computeMaturity, type MaturityResult } from '../domain/scoring/scoring.js';
import type { Collectivite } from '../domain/collectivite/collectivite.js';
import type { Logger } from '../log.js';
import { renderChartPng } from '../reports/charts.js';
import { renderAnswersCsv, renderReportJson } from '../reports/csv.js';
import { slugify } from '../reports/format.js';
import { renderErrorHtml, renderReportHtml, reportCsp } from '../reports/html.js';
import { renderReportPdf } from '../reports/pdf.js';
import { buildReportData, type ReportArgument, type ReportData } from '../reports/reportModel.js';

export interface ReportRoutesOptions {
  service: DiagnosticService;
  referentials: Referentials;
  logger: Logger;
  /** Arguments for élus to print in the report, when the élus referential is there. */
  argumentsFor?: (
    report: ReportData,
    result: MaturityResult,
    collectivite?: Collectivite,
  ) => ReportArgument[];
}

/** Report ids are 24 random bytes in base64url (192 bits): anything else is not a report. */
const reportIdPattern = /^[A-Za-z0-9_-]{32}$/;

export const commonHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'private, no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex, nofollow',
};

export const htmlHeaders = {
  ...commonHeaders,
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': reportCsp,
  'X-Frame-Options': 'DENY',
};

export function send(
  res: Response,
  status: number,
  body: string | Buffer,
  headers: Record<string, string>,
): void {
  res.sendRaw(status, body, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
}

function notFound(res: Response): void {
  send(
    res,
    404,
    renderErrorHtml(
      'Rapport introuvable',
      'Rapport introuvable : ce lien ne correspond à aucun rapport. Il est peut-être incomplet (copiez-le en entier) ou le rapport a été supprimé. Demandez à l’assistant « résultats » pour obtenir un nouveau lien.',
    ),
    htmlHeaders,
  );
}

const attachment = (kind: 'inline' | 'attachment', file: string) => `${kind}; filename="${file}"`;

interface Loaded {
  diagnostic: Diagnostic;
  report: ReportData;
  baseName: string;
}

/**
 * The report pages of a finished diagnostic, reached by its unguessable report id: the HTML page and its PDF, CSV,
 * JSON and PNG downloads, for GET and HEAD. An unknown or malformed id gets the same French 404 page. Also the
 * pictures of partial results' chart links (`/graphiques/<token>.png`, src/reports/cardChart.ts).
 */
export function registerReportRoutes(server: Server, options: ReportRoutesOptions): void {
  const { service, referentials, logger } = options;

  const load = async (reportId: string): Promise<Loaded | undefined> => {
    if (!reportIdPattern.test(reportId)) return undefined;
    const diagnostic = await service.diagnosticByReportId(reportId);
    if (!diagnostic) return undefined;
    const collectivite = diagnostic.collectiviteId
      ? await service.collectivite(diagnostic.collectiviteId)
      : undefined;
    const result = computeMaturity(referentials.maturity, diagnostic.scope, answersOf(diagnostic));
    const base = buildReportData(referentials, diagnostic, collectivite, result);
    const args = options.argumentsFor?.(base, result, collectivite);
    const report = args && args.length > 0 ? { ...base, arguments: args } : base;
    const baseName = `${slugify(collectivite?.name ?? diagnostic.name ?? 'diagnostic')}-${report.date.slice(0, 10)}`;
    return { diagnostic, report, baseName };
  };

  const route = (
    path: string,
    render: (loaded: Loaded, reportId: string, res: Response) => Promise<void> | void,
  ) => {
    const handler = async (req: Request, res: Response) => {
      const reportId = String(req.params?.reportId ?? '');
      try {
        const loaded = await load(reportId);
        if (!loaded) return notFound(res);
        await render(loaded, reportId, res);
      } catch (err) {
        logger.error({ err, route: path, reqId: req.id() }, 'report rendering failed');
        send(
          res,
          500,
          renderErrorHtml(
            'Rapport indisponible',
            'Le rapport n’a pas pu être produit. Réessayez dans un instant.',
          ),
          htmlHeaders,
        );
      }
    };
    // HEAD: the same status and headers (Content-Length included), Node leaves the body out
    server.get(path, handler);
    server.head(path, handler);
  };

  const chartMeta = (report: ReportData) => ({
    ...(report.collectivite ? { collectiviteName: report.collectivite.name } : {}),
    date: report.date,
    scopeLabel: report.scopeLabel,
  });

  const routes = reportLinks(':reportId');

  route(routes.page, ({ report }, reportId, res) => {
    const { pdf, csv, json, png } = reportLinks(reportId);
    const html = renderReportHtml(report, { links: { pdf, csv, json, png } });
    send(res, 200, html, htmlHeaders);
  });

  route(routes.pdf, async ({ report, baseName }, _id, res) => {
    send(res, 200, await renderReportPdf(report), {
      ...commonHeaders,
      'Content-Type': 'application/pdf',
      'Content-Disposition': attachment('inline', `rapport-maturite-${baseName}.pdf`),
    });
  });

  route(routes.csv, ({ diagnostic, report, baseName }, _id, res) => {
    send(res, 200, renderAnswersCsv(referentials, diagnostic, report), {
      ...commonHeaders,
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': attachment('attachment', `reponses-${baseName}.csv`),
    });
  });

  route(routes.json, ({ diagnostic, report, baseName }, _id, res) => {
    send(res, 200, renderReportJson(report, referentials, diagnostic), {
      ...commonHeaders,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': attachment('attachment', `rapport-maturite-${baseName}.json`),
    });
  });

  // the results card's picture (src/reports/cardChart.ts), drawn by the chart worker when a client displays it
  route(routes.cardPng, async ({ report, baseName }, _id, res) => {
    send(res, 200, await renderCardChart(report, chartMeta(report)), {
      ...commonHeaders,
      'Content-Type': 'image/png',
      'Content-Disposition': attachment('inline', `graphique-${baseName}.png`),
    });
  });

  // the chart of partial results (src/reports/cardChart.ts): a short-lived link, then the same 404 as an unknown one
  const chartLink = async (req: Request, res: Response) => {
    const token = /^(.+)\.png$/.exec(String(req.params?.file ?? ''))?.[1] ?? '';
    try {
      const link = chartTokenPattern.test(token)
        ? (await service.store.read<ChartLink>(recordKeys.chartLink(token)))?.value
        : undefined;
      if (!link || Date.parse(link.expiresAt) <= Date.now()) {
        return send(
          res,
          404,
          renderErrorHtml(
            'Graphique introuvable',
            'Graphique introuvable : ce lien a expiré ou ne correspond à aucun graphique. Demandez « résultats » à l’assistant pour en obtenir un nouveau.',
          ),
          htmlHeaders,
        );
      }
      send(res, 200, await renderChartLink(link), {
        ...commonHeaders,
        'Content-Type': 'image/png',
        'Content-Disposition': attachment('inline', 'graphique-resultats.png'),
      });
    } catch (err) {
      logger.error({ err, route: 'chart link', reqId: req.id() }, 'chart rendering failed');
      send(
        res,
        500,
        renderErrorHtml(
          'Graphique indisponible',
          'Le graphique n’a pas pu être produit. Réessayez dans un instant.',
        ),
        htmlHeaders,
      );
    }
  };
  server.get('/graphiques/:file', chartLink);
  server.head('/graphiques/:file', chartLink);

  route(routes.png, ({ report, baseName }, _id, res) => {
    send(res, 200, renderChartPng(report, chartMeta(report)), {
      ...commonHeaders,
      'Content-Type': 'image/png',
      'Content-Disposition': attachment('inline', `graphique-maturite-${baseName}.png`),
    });
  });
}
