import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersOf } from '../../src/domain/assessment/assessment.js';
import { computeMaturity } from '../../src/domain/scoring/scoring.js';
import { projectRoot } from '../../src/paths.js';
import { loopTurnsDuring } from '../helpers/eventLoop.js';
import { chartSizes } from '../../src/reports/charts.js';
import { buildOnce } from '../helpers/server.js';
import { answeredDiagnostic, ihdr, pngMagic, referentials, setup } from './fixtures.js';

type CardChartModule = typeof import('../../src/reports/cardChart.js');
let built: CardChartModule;

beforeAll(async () => {
  await buildOnce();
  // the worker runs the build (Node 20 gives worker threads no TypeScript loader): test it there
  built = (await import(
    pathToFileURL(join(projectRoot, 'dist', 'src', 'reports', 'cardChart.js')).href
  )) as CardChartModule;
});
afterAll(() => built?.stopChartWorker());

async function quickResult() {
  const { service } = setup();
  const diagnostic = await answeredDiagnostic(service);
  return computeMaturity(referentials.maturity, diagnostic.scope, answersOf(diagnostic));
}

describe('le graphique des résultats, dessiné hors de la boucle d’événements', () => {
  it('vient du worker : un PNG 520×404, et la boucle ne s’arrête pas pendant ce temps', async () => {
    const result = await quickResult();
    const meta = { date: '2024-03-12T09:00:00Z', collectiviteName: 'Pays de Gex' };
    await built.renderCardChart(result, meta); // starts the worker

    const before = { ...built.chartWorkerStats };
    const { result: pngs, turns } = await loopTurnsDuring(() =>
      Promise.all(Array.from({ length: 8 }, () => built.renderCardChart(result, meta))),
    );

    expect(built.chartWorkerStats.inWorker - before.inWorker).toBe(8);
    expect(built.chartWorkerStats.inProcess).toBe(before.inProcess);
    for (const png of pngs) {
      expect(png.subarray(0, 8).equals(pngMagic)).toBe(true);
      expect(ihdr(png)).toEqual(chartSizes.card);
    }
    expect(new Set(pngs.map((png) => png.toString('base64'))).size).toBe(1); // the same scores draw the same picture
    // ≈ 40 ms of drawing elsewhere: the event loop keeps turning (drawn here, it would hold it for each chart)
    expect(turns).toBeGreaterThanOrEqual(20);
  });

  it('se dessine quand même si le worker s’est arrêté', async () => {
    const result = await quickResult();
    await built.stopChartWorker();
    const png = await built.renderCardChart(result, { date: '2024-03-12T09:00:00Z' });
    expect(ihdr(png)).toEqual(chartSizes.card);
  });
});
