import { describe, expect, it } from 'vitest';
import { compareDiagnostics } from '../../src/domain/history/compare.js';
import type { AnswerValue } from '../../src/domain/scoring/answers.js';
import {
  answeredDiagnostic,
  createCollectivite,
  quickAnswers,
  referentials,
  setup,
} from '../reports/fixtures.js';

// Key indicators in order: 1, 7, 10, 16, 22, 25, 35, 36, 46, 50, 56, 59, 67.
const nextYear: AnswerValue[] = [...quickAnswers];
nextYear[1] = 'non'; // 7: En partie → Non
nextYear[2] = 'oui'; // 10: Non → Oui
nextYear[6] = 'oui'; // 35: Je ne sais pas → Oui
nextYear[7] = 'en_partie'; // 36: Non → En partie
nextYear[12] = 'oui'; // 67: Non → Oui

async function twoYears() {
  const { service, clock } = setup('2024-03-12T09:00:00.000Z');
  const collectivite = await createCollectivite(service, 'u1');
  const older = await answeredDiagnostic(service, { collectiviteId: collectivite.id });
  clock.now = '2025-03-12T09:00:00.000Z';
  const newer = await answeredDiagnostic(service, { collectiviteId: collectivite.id, values: nextYear });
  const stored = await service.collectivite(collectivite.id);
  expect(stored?.diagnosticIds).toEqual([older.id, newer.id]);
  return { older, newer, service };
}

describe('la comparaison de deux diagnostics à un an d’écart', () => {
  it('donne l’évolution du score global en points et le changement de niveau', async () => {
    const { older, newer } = await twoYears();
    const c = compareDiagnostics(referentials, older, newer);
    expect(c.older.date).toBe('2024-03-12T09:00:00.000Z');
    expect(c.newer.date).toBe('2025-03-12T09:00:00.000Z');
    expect(c.sameScope).toBe(true);
    expect(c.global.from).toBeCloseTo(61.458, 2);
    expect(c.global.to).toBeCloseTo(80.208, 2);
    expect(c.global.delta).toBeCloseTo(18.75, 6);
    expect(c.level).toEqual({ from: 'Consolidation', to: 'Maturité', change: 'hausse', steps: 1 });
  });

  it('donne l’évolution de chaque enjeu et de chaque prérequis', async () => {
    const { older, newer } = await twoYears();
    const c = compareDiagnostics(referentials, older, newer);
    expect(c.enjeux.map((e) => e.id)).toEqual(['E1', 'E2', 'E3', 'E4']);
    expect(c.enjeux.map((e) => Math.round(e.delta! * 100) / 100)).toEqual([16.67, 0, 33.33, 25]);
    expect(c.prerequis).toHaveLength(13);
    const byId = Object.fromEntries(c.prerequis.map((p) => [p.id, p]));
    expect(byId.E1P2).toMatchObject({ from: 50, to: 0, delta: -50 });
    expect(byId.E1P3).toMatchObject({ from: 0, to: 100, delta: 100 });
    expect(byId.E3P1).toMatchObject({ from: null, to: 100, delta: null });
    expect(byId.E3P2).toMatchObject({ from: 0, to: 50, delta: 50 });
    expect(byId.E4P4).toMatchObject({ from: 0, to: 100, delta: 100 });
    expect(c.prerequis.filter((p) => p.delta === 0).map((p) => p.id)).toEqual([
      'E1P1',
      'E2P1',
      'E2P2',
      'E2P3',
      'E3P3',
      'E4P1',
      'E4P2',
      'E4P3',
    ]);
  });

  it('liste les réponses qui ont changé, dans l’ordre du référentiel', async () => {
    const { older, newer } = await twoYears();
    const c = compareDiagnostics(referentials, older, newer);
    expect(c.changedAnswers.map((a) => [a.indicator, a.fromLabel, a.toLabel, a.direction])).toEqual([
      [7, 'En partie', 'Non', 'recul'],
      [10, 'Non', 'Oui', 'progres'],
      [35, 'Je ne sais pas', 'Oui', 'autre'],
      [36, 'Non', 'En partie', 'progres'],
      [67, 'Non', 'Oui', 'progres'],
    ]);
    expect(c.changedAnswers[0]).toMatchObject({ enjeuNumber: 1, prerequisId: 'E1P2', prerequisNumber: 2 });
  });

  it('signale quand les deux diagnostics n’ont pas porté sur les mêmes indicateurs', async () => {
    const { service, older } = { ...(await twoYears()) };
    const full = await answeredDiagnostic(service, { scope: { kind: 'full' }, values: ['oui'] });
    const c = compareDiagnostics(referentials, older, full);
    expect(c.sameScope).toBe(false);
    expect(
      c.changedAnswers.every((a) =>
        referentials.maturity.keyIndicators.some((k) => k.indicateur.number === a.indicator),
      ),
    ).toBe(true);
    expect(c.level.to).toBe('Maturité');
  });
});
