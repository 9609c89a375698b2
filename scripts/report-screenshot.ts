/**
 * Pictures for the README: docs/report-chart.png (the chart renderer) and docs/report.png (the top of an HTML
 * report, rendered by Debian's chromium through playwright-core when /usr/bin/chromium is there).
 *
 *   npx tsx scripts/report-screenshot.ts
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryStorage } from 'botbuilder';
import { chromium } from 'playwright-core';
import { issueJoinCode, joinCollectivite } from '../src/domain/collectivite/joinCode.js';
import { DiagnosticService } from '../src/domain/diagnostics/service.js';
import { loadReferentials } from '../src/domain/referential/load.js';
import type { AnswerValue } from '../src/domain/scoring/answers.js';
import { projectRoot, referentialDir } from '../src/paths.js';
import { renderChartPng } from '../src/reports/charts.js';
import { renderReportHtml } from '../src/reports/html.js';
import { buildReportData } from '../src/reports/reportModel.js';
import { StorageRecordStore } from '../src/storage/storageRecordStore.js';
import { chromiumArgs, chromiumPath } from '../test/helpers/chromium.js';

const docs = join(projectRoot, 'docs');

/** A plausible full diagnostic: a committed collectivité, weaker on its ties with the wider ecosystem. */
const profile: Record<string, AnswerValue[]> = {
  E1: ['oui', 'oui', 'en_partie', 'oui', 'en_partie', 'non'],
  E2: ['oui', 'en_partie', 'non', 'en_partie', 'oui', 'nsp'],
  E3: ['non', 'en_partie', 'non', 'non', 'nsp', 'non'],
  E4: ['oui', 'en_partie', 'oui', 'non', 'en_partie'],
};

async function sampleReport() {
  const referentials = loadReferentials(referentialDir);
  let now = '2025-03-14T10:30:00.000Z';
  const store = new StorageRecordStore(new MemoryStorage());
  const service = new DiagnosticService(store, () => now);
  const collectivite = await service.createCollectivite('agent-1', {
    name: 'Communauté de communes du Pays de Cœur-Vert',
    type: 'intercommunalite',
    traits: ['rural', 'environnement'],
  });
  // a colleague joins with the collectivité's code, as « rejoindre CODE » does
  await joinCollectivite(
    store,
    await issueJoinCode(store, collectivite.id, { now }),
    'agent-2',
    undefined,
    now,
  );
  const diagnostic = await service.startDiagnostic('agent-1', { kind: 'full' }, collectivite.id);
  const counters: Record<string, number> = {};
  for (const { indicateur, enjeu } of referentials.maturity.indicators) {
    const i = (counters[enjeu.id] = (counters[enjeu.id] ?? -1) + 1);
    const values = profile[enjeu.id]!;
    const respondent = i % 3 === 0 ? 'agent-2' : 'agent-1';
    const quantities: Record<number, Record<string, number>> = {
      22: { q22_budget_fonctionnement: 45000, q22_budget_investissement: 120000 },
      23: { q23_cofinancement_etat: 30000, q23_cofinancement_total: 52500 },
      59: { q59_conseillers_numeriques: 4 },
    };
    await service.answer(
      diagnostic.id,
      respondent,
      indicateur.number,
      values[i % values.length]!,
      quantities[indicateur.number],
    );
  }
  now = '2025-03-14T11:05:00.000Z';
  const finished = await service.finish(diagnostic.id);
  return buildReportData(referentials, finished, collectivite);
}

async function main(): Promise<void> {
  mkdirSync(docs, { recursive: true });
  const report = await sampleReport();

  const started = performance.now();
  const chart = renderChartPng(report, {
    collectiviteName: report.collectivite!.name,
    date: report.date,
    scopeLabel: report.scopeLabel,
  });
  writeFileSync(join(docs, 'report-chart.png'), chart);
  console.log(
    `docs/report-chart.png: ${chart.length} bytes in ${(performance.now() - started).toFixed(0)} ms`,
  );

  if (!existsSync(chromiumPath)) {
    console.log(`${chromiumPath} not found (apt-get install -y chromium): docs/report.png not rendered`);
    return;
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: chromiumArgs,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
    await page.setContent(renderReportHtml(report, { links: { pdf: '#', csv: '#', json: '#', png: '#' } }), {
      waitUntil: 'load',
    });
    const top = await page.locator('#enjeux').evaluate((el) => {
      const section = el.closest('section')!;
      return section.getBoundingClientRect().bottom + window.scrollY;
    });
    const shot = await page.screenshot({
      fullPage: true,
      clip: { x: 0, y: 0, width: 1100, height: Math.ceil(top + 24) },
    });
    writeFileSync(join(docs, 'report.png'), shot);
    console.log(`docs/report.png: ${shot.length} bytes, 1100×${Math.ceil(top + 24)}`);
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
