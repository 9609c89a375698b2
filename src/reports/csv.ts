import { respondentLabels } from '../domain/history/respondents.js';
import type { Diagnostic } from '../domain/records/diagnostic.js';
import type { Referentials } from '../domain/referential/load.js';
import { answerLabels, type AnswerValue } from '../domain/scoring/answers.js';
import { indicatorsInScope } from '../domain/scoring/scope.js';
import { formatDateTime, formatQuantity } from './format.js';
import type { ReportData } from './reportModel.js';

/** One answer as the report files show it: labels in French, the respondent as "Répondant 1", never an id. */
export interface ReportAnswer {
  indicator: number;
  enjeu: string;
  prerequis: string;
  text: string;
  value: AnswerValue | null;
  /** "Oui", "En partie", "Non", "Je ne sais pas", "Sans réponse (question passée)", "Sans réponse". */
  label: string;
  quantities: { id: string; label: string; unit: string; value: number; formatted: string }[];
  respondent: string | null;
  at: string | null;
}

export function reportAnswers(referentials: Referentials, diagnostic: Diagnostic): ReportAnswer[] {
  const labels = respondentLabels(diagnostic);
  return indicatorsInScope(referentials.maturity, diagnostic.scope).map(
    ({ indicateur, prerequis, enjeu }) => {
      const answer = diagnostic.answers[indicateur.number];
      const skipped = diagnostic.skipped.includes(indicateur.number);
      return {
        indicator: indicateur.number,
        enjeu: `Enjeu ${enjeu.number} — ${enjeu.title}`,
        prerequis: `${enjeu.number}.${prerequis.number} ${prerequis.title}`,
        text: indicateur.text,
        value: answer?.value ?? null,
        label: answer
          ? answerLabels[answer.value]
          : skipped
            ? 'Sans réponse (question passée)'
            : 'Sans réponse',
        quantities: indicateur.quantities.flatMap((q) => {
          const value = answer?.quantities?.[q.id];
          return value === undefined
            ? []
            : [{ id: q.id, label: q.label, unit: q.unit, value, formatted: formatQuantity(q, value) }];
        }),
        respondent: answer?.by ? labels.labelOf(answer.by) : null,
        at: answer?.at ?? null,
      };
    },
  );
}

export const csvSeparator = ';';

/** RFC 4180 quoting; a cell that a spreadsheet would run as a formula (=, +, -, @) is prefixed with '. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[";\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** UTF-8 byte order mark: French Excel then reads the accents right. */
export const utf8Bom = '\ufeff';

/**
 * The answers, one row per indicator in scope, `;`-separated with CRLF line ends, UTF-8 with BOM. The last three
 * columns say whose answers they are (the same on every row, so that files of several collectivités can be put
 * together): its name, its official code (INSEE or SIREN) and population when it was recognised.
 */
export function renderAnswersCsv(
  referentials: Referentials,
  diagnostic: Diagnostic,
  report?: Pick<ReportData, 'collectivite' | 'name'>,
): string {
  const header = [
    'Numéro',
    'Enjeu',
    'Prérequis',
    'Indicateur',
    'Réponse',
    'Quantités',
    'Répondant',
    'Date',
    'Collectivité',
    'Code officiel',
    'Population',
  ];
  const official = report?.collectivite?.official;
  const whose = [
    report?.collectivite?.name ?? report?.name ?? '',
    official?.code ?? '',
    official?.population !== undefined ? String(official.population) : '',
  ];
  const rows = reportAnswers(referentials, diagnostic).map((a) => [
    String(a.indicator),
    a.enjeu,
    a.prerequis,
    a.text,
    a.label,
    a.quantities.map((q) => `${q.label}: ${q.formatted}`).join('; '),
    a.respondent ?? '',
    a.at ? formatDateTime(a.at) : '',
    ...whose,
  ]);
  return utf8Bom + [header, ...rows].map((row) => row.map(csvCell).join(csvSeparator)).join('\r\n') + '\r\n';
}

/** The report data and the raw answers (respondents as "Répondant n"), as pretty-printed JSON. */
export function renderReportJson(
  report: ReportData,
  referentials: Referentials,
  diagnostic: Diagnostic,
): string {
  return `${JSON.stringify({ ...report, answers: reportAnswers(referentials, diagnostic) }, null, 2)}\n`;
}
