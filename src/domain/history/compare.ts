import { answersOf } from '../assessment/assessment.js';
import type { Diagnostic } from '../records/diagnostic.js';
import type { Referentials } from '../referential/load.js';
import { answerLabels, answerPoints, type AnswerValue } from '../scoring/answers.js';
import { levelIndex, type LevelName } from '../scoring/levels.js';
import { indicatorsInScope } from '../scoring/scope.js';
import { computeMaturity, type MaturityResult } from '../scoring/scoring.js';

/** A score then and now, in points (0–100); delta is null when either side was not assessed. */
export interface ScoreDelta {
  from: number | null;
  to: number | null;
  delta: number | null;
}

export interface EnjeuDelta extends ScoreDelta {
  id: string;
  number: number;
  title: string;
}

export interface PrerequisDelta extends ScoreDelta {
  id: string;
  enjeuNumber: number;
  number: number;
  title: string;
}

export interface ChangedAnswer {
  indicator: number;
  text: string;
  enjeuNumber: number;
  prerequisId: string;
  prerequisNumber: number;
  /** null: no answer then (or now). */
  from: AnswerValue | null;
  to: AnswerValue | null;
  fromLabel: string;
  toLabel: string;
  /** progress: more points now; setback: fewer; otherwise (a "Je ne sais pas" or no answer on one side) other. */
  direction: 'progres' | 'recul' | 'autre';
}

export interface DiagnosticComparison {
  older: { id: string; date: string; result: MaturityResult };
  newer: { id: string; date: string; result: MaturityResult };
  /** Both diagnostics looked at the same indicators; false when, say, a quick check is compared with a full one. */
  sameScope: boolean;
  global: ScoreDelta;
  level: {
    from: LevelName | null;
    to: LevelName | null;
    change: 'hausse' | 'baisse' | 'stable' | 'inconnu';
    steps: number;
  };
  enjeux: EnjeuDelta[];
  prerequis: PrerequisDelta[];
  /** Indicators looked at by both whose answer changed, in referential order. */
  changedAnswers: ChangedAnswer[];
}

const delta = (from: number | null, to: number | null): ScoreDelta => ({
  from,
  to,
  delta: from === null || to === null ? null : to - from,
});

const dateOf = (d: Diagnostic): string => d.finishedAt ?? d.updatedAt;

/** What changed between two diagnostics of one collectivité: scores in points, level, answers. */
export function compareDiagnostics(
  referentials: Referentials,
  older: Diagnostic,
  newer: Diagnostic,
): DiagnosticComparison {
  const maturity = referentials.maturity;
  const before = computeMaturity(maturity, older.scope, answersOf(older));
  const after = computeMaturity(maturity, newer.scope, answersOf(newer));

  const enjeux: EnjeuDelta[] = maturity.enjeux.flatMap((enjeu) => {
    const a = before.enjeux.find((e) => e.id === enjeu.id);
    const b = after.enjeux.find((e) => e.id === enjeu.id);
    if (!a || !b) return [];
    return [{ id: enjeu.id, number: enjeu.number, title: enjeu.title, ...delta(a.score, b.score) }];
  });

  const prerequisOf = (result: MaturityResult, id: string) =>
    result.enjeux.flatMap((e) => e.prerequis).find((p) => p.id === id);
  const prerequis: PrerequisDelta[] = maturity.enjeux.flatMap((enjeu) =>
    enjeu.prerequis.flatMap((p) => {
      const a = prerequisOf(before, p.id);
      const b = prerequisOf(after, p.id);
      if (!a || !b) return [];
      return [
        { id: p.id, enjeuNumber: enjeu.number, number: p.number, title: p.title, ...delta(a.score, b.score) },
      ];
    }),
  );

  const olderScope = new Set(indicatorsInScope(maturity, older.scope).map((r) => r.indicateur.number));
  const newerScope = indicatorsInScope(maturity, newer.scope);
  const changedAnswers: ChangedAnswer[] = newerScope
    .filter((ref) => olderScope.has(ref.indicateur.number))
    .flatMap(({ indicateur, prerequis: p, enjeu }) => {
      const from = older.answers[indicateur.number]?.value ?? null;
      const to = newer.answers[indicateur.number]?.value ?? null;
      if (from === to) return [];
      const a = from === null ? undefined : answerPoints(from);
      const b = to === null ? undefined : answerPoints(to);
      return [
        {
          indicator: indicateur.number,
          text: indicateur.text,
          enjeuNumber: enjeu.number,
          prerequisId: p.id,
          prerequisNumber: p.number,
          from,
          to,
          fromLabel: from === null ? 'Sans réponse' : answerLabels[from],
          toLabel: to === null ? 'Sans réponse' : answerLabels[to],
          direction: a === undefined || b === undefined ? 'autre' : b > a ? 'progres' : 'recul',
        },
      ];
    });

  const steps = before.level && after.level ? levelIndex(after.level) - levelIndex(before.level) : 0;
  const sameScope =
    olderScope.size === newerScope.length && newerScope.every((ref) => olderScope.has(ref.indicateur.number));

  return {
    older: { id: older.id, date: dateOf(older), result: before },
    newer: { id: newer.id, date: dateOf(newer), result: after },
    sameScope,
    global: delta(before.score, after.score),
    level: {
      from: before.level,
      to: after.level,
      change:
        !before.level || !after.level ? 'inconnu' : steps > 0 ? 'hausse' : steps < 0 ? 'baisse' : 'stable',
      steps,
    },
    enjeux,
    prerequis,
    changedAnswers,
  };
}
