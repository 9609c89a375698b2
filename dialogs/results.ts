import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { answersOf } from '../src/domain/assessment/assessment.js';
import type { Diagnostic } from '../src/domain/records/diagnostic.js';
import { computeMaturity } from '../src/domain/scoring/scoring.js';
import { scopeLabel } from '../src/domain/scoring/scope.js';
import { resultsCard } from '../cards/resultsCard.js';
import type { DialogDeps } from './deps.js';
import { formatDate } from '../src/reports/format.js';
import { reportLinks } from '../src/reports/reportLinks.js';

/** Computes the diagnostic's maturity and sends the results card (partial while the diagnostic goes on). */
export async function sendResults(
  context: TurnContext,
  deps: DialogDeps,
  diagnostic: Diagnostic,
  options: { detailed: boolean },
): Promise<void> {
  const { maturity, roadmap } = deps.referentials;
  const result = computeMaturity(maturity, diagnostic.scope, answersOf(diagnostic));
  const collectivite = diagnostic.collectiviteId
    ? await deps.service.collectivite(diagnostic.collectiviteId)
    : undefined;
  const base = deps.publicUrl(context);
  const report = diagnostic.reportId ? reportLinks(diagnostic.reportId, base) : undefined;
  const links = report
    ? [
        { label: 'Rapport à partager', url: report.page },
        { label: 'Rapport PDF', url: report.pdf },
      ]
    : undefined;
  const name = collectivite?.name ?? diagnostic.name;
  const chart = await deps.chart?.(result, diagnostic, base, name);
  const card = resultsCard({
    result,
    maturity,
    roadmap,
    scopeLabel: scopeLabel(maturity, diagnostic.scope),
    ...(name ? { collectiviteName: name } : {}),
    date: formatDate(diagnostic.finishedAt ?? diagnostic.updatedAt),
    detailed: options.detailed,
    partial: !diagnostic.finishedAt,
    ...(chart ? { chart } : {}),
    ...(links ? { links } : {}),
  });
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}
