import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadReferentials } from '../../src/domain/referential/load.js';
import { answerValues, type Answer, type AnswerValue } from '../../src/domain/scoring/answers.js';
import { indicatorsInScope, type Scope } from '../../src/domain/scoring/scope.js';
import { computeMaturity } from '../../src/domain/scoring/scoring.js';
import { referentialDir } from '../../src/paths.js';

const { maturity } = loadReferentials(referentialDir);
const full: Scope = { kind: 'full' };
const quick: Scope = { kind: 'quick' };

const answerAll = (scope: Scope, value: AnswerValue | ((n: number) => AnswerValue)): Answer[] =>
  indicatorsInScope(maturity, scope).map((r) => ({
    indicator: r.indicateur.number,
    value: typeof value === 'function' ? value(r.indicateur.number) : value,
  }));

describe('Règle : la méthode de calcul du référentiel', () => {
  it('tout « oui » donne 100 et Maturité ; tout « non » donne 0 et Émergence', () => {
    const yes = computeMaturity(maturity, full, answerAll(full, 'oui'));
    expect(yes.score).toBe(100);
    expect(yes.level).toBe('Maturité');
    expect(yes.coverage).toEqual({ known: 68, total: 68, ratio: 1 });
    const no = computeMaturity(maturity, full, answerAll(full, 'non'));
    expect(no.score).toBe(0);
    expect(no.level).toBe('Émergence');
  });

  it('« en partie » vaut 0,5 : tout « en partie » donne 50 et Consolidation', () => {
    const half = computeMaturity(maturity, full, answerAll(full, 'en_partie'));
    expect(half.score).toBe(50);
    expect(half.level).toBe('Consolidation');
  });

  it('« je ne sais pas » est exclu des moyennes, compté et listé « à vérifier »', () => {
    const answers = answerAll(full, (n) => (n === 1 ? 'nsp' : n <= 5 ? 'oui' : 'non'));
    const result = computeMaturity(maturity, full, answers);
    const e1p1 = result.enjeux[0]!.prerequis[0]!;
    expect(e1p1.score).toBe(100); // 4 known "oui", the unknown left out
    expect(e1p1.coverage).toEqual({ known: 4, total: 5, ratio: 0.8 });
    expect(result.toVerify.map((v) => v.indicator)).toEqual([1]);
    expect(result.coverage.known).toBe(67);
  });

  it('un prérequis sans réponse connue n’est pas évalué et ne pèse pas dans la moyenne de son enjeu', () => {
    const answers = answerAll(full, (n) => (n <= 5 ? 'nsp' : 'oui'));
    const result = computeMaturity(maturity, full, answers);
    expect(result.enjeux[0]!.prerequis[0]!.score).toBeNull();
    expect(result.enjeux[0]!.score).toBe(100);
    expect(result.score).toBe(100);
  });

  it('enjeu = moyenne de ses prérequis ; global = moyenne des 4 enjeux, qui pèsent autant', () => {
    // E1P1 all yes (100), E1P2 all no (0), E1P3 half (50) → E1 = 50; other enjeux all yes.
    const e1 = maturity.enjeux[0]!;
    const value = (n: number): AnswerValue => {
      if (e1.prerequis[0]!.indicators.some((i) => i.number === n)) return 'oui';
      if (e1.prerequis[1]!.indicators.some((i) => i.number === n)) return 'non';
      if (e1.prerequis[2]!.indicators.some((i) => i.number === n)) return 'en_partie';
      return 'oui';
    };
    const result = computeMaturity(maturity, full, answerAll(full, value));
    expect(result.enjeux.map((e) => e.score)).toEqual([50, 100, 100, 100]);
    expect(result.score).toBe(87.5);
  });

  it('le niveau global est plafonné un niveau au-dessus de l’enjeu le plus faible, et le résultat le dit', () => {
    // Three enjeux at 100, enjeu 4 around 10 → global ≈ 77.5 (Maturité) capped at Structuration.
    const e4 = new Set(maturity.enjeux[3]!.prerequis.flatMap((p) => p.indicators.map((i) => i.number)));
    const e4Yes = new Set(maturity.enjeux[3]!.prerequis.map((p) => p.indicators[0]!.number).slice(0, 2));
    const answers = answerAll(full, (n) => (!e4.has(n) ? 'oui' : e4Yes.has(n) ? 'en_partie' : 'non'));
    const result = computeMaturity(maturity, full, answers);
    const e4Score = result.enjeux[3]!.score!;
    expect(e4Score).toBeLessThan(25);
    expect(result.score).toBeCloseTo((300 + e4Score) / 4);
    expect(result.uncappedLevel).toBe('Maturité');
    expect(result.level).toBe('Structuration');
    expect(result.cap?.weakestEnjeuId).toBe('E4');
    expect(result.cap?.reason).toContain('plafonné');
    expect(result.cap?.reason).toContain('Émergence');
  });

  it('pas de plafond quand les enjeux sont proches', () => {
    const result = computeMaturity(maturity, full, answerAll(full, 'oui'));
    expect(result.cap).toBeNull();
  });

  it('priorités : les prérequis évalués aux scores les plus bas, à égalité dans l’ordre des enjeux, avec leurs pistes', () => {
    const lowPrerequis = new Map([
      ['E3P2', 'non'],
      ['E2P1', 'non'],
      ['E4P4', 'non'],
      ['E1P3', 'en_partie'],
    ] as [string, AnswerValue][]);
    const answers = answerAll(full, (n) => lowPrerequis.get(maturity.indicator(n)!.prerequis.id) ?? 'oui');
    const result = computeMaturity(maturity, full, answers);
    expect(result.priorities.map((p) => p.id)).toEqual(['E2P1', 'E3P2', 'E4P4']);
    expect(result.priorities[0]!.pistes.length).toBeGreaterThan(0);
    expect(result.strengths).toHaveLength(3);
    expect(result.strengths.map((p) => p.score)).toEqual([100, 100, 100]);
    expect(result.strengths.map((p) => p.id)).toEqual(['E1P1', 'E1P2', 'E2P2']);
  });

  it('les quantités sont reprises, jamais notées', () => {
    const answers = answerAll(full, 'non');
    answers[20] = { indicator: 21, value: 'oui', quantities: { q21_budget_concertation: 45000 } };
    const result = computeMaturity(maturity, full, answers);
    expect(result.quantities).toEqual([
      expect.objectContaining({ indicator: 21, id: 'q21_budget_concertation', value: 45000, unit: 'EUR' }),
    ]);
    const without = computeMaturity(
      maturity,
      full,
      answers.map((a) => ({ indicator: a.indicator, value: a.value })),
    );
    expect(without.score).toBe(result.score);
  });

  it('le diagnostic rapide porte sur les 13 indicateurs clés, avec les mêmes règles, marqué comme estimation', () => {
    const result = computeMaturity(maturity, quick, answerAll(quick, 'oui'));
    expect(result.estimate).toBe(true);
    expect(result.coverage.total).toBe(13);
    expect(result.score).toBe(100);
    expect(result.enjeux.flatMap((e) => e.prerequis)).toHaveLength(13);
  });

  it('un diagnostic limité à un enjeu ne note que cet enjeu', () => {
    const scope: Scope = { kind: 'enjeu', enjeuId: 'E2' };
    const result = computeMaturity(maturity, scope, answerAll(scope, 'oui'));
    expect(result.enjeux.map((e) => e.id)).toEqual(['E2']);
    expect(result.coverage.total).toBe(17);
  });
});

describe('Propriétés de la méthode (fast-check)', () => {
  const numbers = maturity.indicators.map((r) => r.indicateur.number);
  const answersArb = fc
    .array(fc.tuple(fc.constantFrom(...numbers), fc.constantFrom(...answerValues)), { maxLength: 90 })
    .map((pairs) =>
      [...new Map(pairs).entries()].map(([indicator, value]): Answer => ({ indicator, value })),
    );
  const scopeArb = fc.constantFrom<Scope>(
    full,
    quick,
    { kind: 'enjeu', enjeuId: 'E1' },
    { kind: 'enjeu', enjeuId: 'E4' },
  );

  const allScores = (r: ReturnType<typeof computeMaturity>) => [
    r.score,
    ...r.enjeux.map((e) => e.score),
    ...r.enjeux.flatMap((e) => e.prerequis.map((p) => p.score)),
  ];

  it('tout score reste entre 0 et 100', () => {
    fc.assert(
      fc.property(scopeArb, answersArb, (scope, answers) => {
        for (const s of allScores(computeMaturity(maturity, scope, answers))) {
          if (s !== null) expect(s >= 0 && s <= 100).toBe(true);
        }
      }),
    );
  });

  it('passer une réponse de « non » à « oui » ne baisse jamais aucun score', () => {
    fc.assert(
      fc.property(scopeArb, answersArb, fc.nat(), (scope, answers, pick) => {
        const noes = answers.filter((a) => a.value === 'non');
        fc.pre(noes.length > 0);
        const target = noes[pick % noes.length]!.indicator;
        const before = allScores(computeMaturity(maturity, scope, answers));
        const after = allScores(
          computeMaturity(
            maturity,
            scope,
            answers.map((a) => (a.indicator === target ? { ...a, value: 'oui' as const } : a)),
          ),
        );
        before.forEach((b, i) => {
          if (b !== null) expect(after[i]!).toBeGreaterThanOrEqual(b - 1e-9);
        });
      }),
    );
  });

  it("l'ordre des réponses ne change pas le résultat", () => {
    fc.assert(
      fc.property(scopeArb, answersArb, fc.infiniteStream(fc.nat()), (scope, answers, seeds) => {
        const shuffled = [...answers].sort(() => (seeds.next().value % 3) - 1);
        expect(computeMaturity(maturity, scope, shuffled)).toEqual(computeMaturity(maturity, scope, answers));
      }),
    );
  });
});
