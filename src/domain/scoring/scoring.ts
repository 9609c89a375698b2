import type { MaturityReferential } from '../referential/load.js';
import type { Piste, Quantity } from '../referential/schema.js';
import { answerPoints, type Answer } from './answers.js';
import { levelIndex, levelOf, levelNames, type LevelName } from './levels.js';
import { indicatorsInScope, type Scope } from './scope.js';

export interface Coverage {
  /** Answers with a value (Oui, En partie, Non). */
  known: number;
  /** Indicators in scope. */
  total: number;
  /** known / total, 0–1. */
  ratio: number;
}

export interface PrerequisScore {
  id: string;
  enjeuId: string;
  number: number;
  enjeuNumber: number;
  title: string;
  /** 0–100, or null when no answer with a value: not assessed. */
  score: number | null;
  level: LevelName | null;
  coverage: Coverage;
  pistes: Piste[];
}

export interface EnjeuScore {
  id: string;
  number: number;
  title: string;
  score: number | null;
  level: LevelName | null;
  coverage: Coverage;
  prerequis: PrerequisScore[];
}

export interface ToVerify {
  indicator: number;
  text: string;
  prerequisId: string;
}

export interface RecordedQuantity extends Quantity {
  indicator: number;
  value: number;
}

export interface MaturityResult {
  scope: Scope;
  /** The quick self-check only looks at 13 key indicators: its result is an estimate. */
  estimate: boolean;
  score: number | null;
  level: LevelName | null;
  /** The level the global score alone would give, before the cap. */
  uncappedLevel: LevelName | null;
  cap: { level: LevelName; weakestEnjeuId: string; reason: string } | null;
  coverage: Coverage;
  enjeux: EnjeuScore[];
  /** "Je ne sais pas" answers: left out of the means, listed to check. */
  toVerify: ToVerify[];
  priorities: PrerequisScore[];
  strengths: PrerequisScore[];
  quantities: RecordedQuantity[];
}

const mean = (values: number[]): number | null =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;

const coverage = (known: number, total: number): Coverage => ({
  known,
  total,
  ratio: total === 0 ? 0 : known / total,
});

const byScoreThenOrder = (direction: 1 | -1) => (a: PrerequisScore, b: PrerequisScore) =>
  direction * (a.score! - b.score!) || a.enjeuNumber - b.enjeuNumber || a.number - b.number;

/**
 * The scoring method of the design brief: prérequis = mean of known answers × 100, enjeu = mean of its assessed
 * prérequis, global = mean of the assessed enjeux, levels by quarter, the global level capped one level above the
 * weakest enjeu's level.
 */
export function computeMaturity(
  referential: MaturityReferential,
  scope: Scope,
  answers: Iterable<Answer>,
  options: { topCount?: number } = {},
): MaturityResult {
  const topCount = options.topCount ?? 3;
  const byIndicator = new Map<number, Answer>();
  for (const answer of answers) byIndicator.set(answer.indicator, answer);

  const inScope = indicatorsInScope(referential, scope);
  const scopeNumbers = new Set(inScope.map((ref) => ref.indicateur.number));
  const toVerify: ToVerify[] = [];
  const quantities: RecordedQuantity[] = [];
  const enjeux: EnjeuScore[] = [];
  let knownTotal = 0;

  for (const enjeu of referential.enjeux) {
    const prerequisScores: PrerequisScore[] = [];
    let enjeuKnown = 0;
    let enjeuTotal = 0;
    for (const prerequis of enjeu.prerequis) {
      const points: number[] = [];
      let total = 0;
      for (const indicateur of prerequis.indicators) {
        if (!scopeNumbers.has(indicateur.number)) continue;
        total++;
        const answer = byIndicator.get(indicateur.number);
        if (!answer) continue;
        const value = answerPoints(answer.value);
        if (value === undefined)
          toVerify.push({ indicator: indicateur.number, text: indicateur.text, prerequisId: prerequis.id });
        else points.push(value);
        for (const quantity of indicateur.quantities) {
          const recorded = answer.quantities?.[quantity.id];
          if (recorded !== undefined)
            quantities.push({ ...quantity, indicator: indicateur.number, value: recorded });
        }
      }
      if (total === 0) continue;
      const m = mean(points);
      const score = m === null ? null : m * 100;
      prerequisScores.push({
        id: prerequis.id,
        enjeuId: enjeu.id,
        number: prerequis.number,
        enjeuNumber: enjeu.number,
        title: prerequis.title,
        score,
        level: score === null ? null : levelOf(score),
        coverage: coverage(points.length, total),
        pistes: prerequis.pistes,
      });
      enjeuKnown += points.length;
      enjeuTotal += total;
    }
    if (enjeuTotal === 0) continue;
    const score = mean(prerequisScores.flatMap((p) => (p.score === null ? [] : [p.score])));
    enjeux.push({
      id: enjeu.id,
      number: enjeu.number,
      title: enjeu.title,
      score,
      level: score === null ? null : levelOf(score),
      coverage: coverage(enjeuKnown, enjeuTotal),
      prerequis: prerequisScores,
    });
    knownTotal += enjeuKnown;
  }

  const assessedEnjeux = enjeux.filter((e) => e.score !== null);
  const score = mean(assessedEnjeux.map((e) => e.score!));
  const uncappedLevel = score === null ? null : levelOf(score);
  let level = uncappedLevel;
  let cap: MaturityResult['cap'] = null;
  if (uncappedLevel !== null) {
    const weakest = assessedEnjeux.reduce((w, e) => (e.score! < w.score! ? e : w));
    const ceiling = levelNames[Math.min(levelIndex(weakest.level!) + 1, levelNames.length - 1)]!;
    if (levelIndex(uncappedLevel) > levelIndex(ceiling)) {
      level = ceiling;
      cap = {
        level: ceiling,
        weakestEnjeuId: weakest.id,
        reason:
          `Le niveau global est plafonné à « ${ceiling} » : l'enjeu ${weakest.number} (${weakest.title}) ` +
          `est au niveau « ${weakest.level} », et une collectivité ne peut pas être à plus d'un niveau au-dessus de son enjeu le plus faible.`,
      };
    }
  }

  const assessed = enjeux.flatMap((e) => e.prerequis).filter((p) => p.score !== null);
  const priorities = assessed
    .filter((p) => p.score! < 100)
    .sort(byScoreThenOrder(1))
    .slice(0, topCount);
  const strengths = assessed
    .filter((p) => p.score! > 0 && !priorities.includes(p))
    .sort(byScoreThenOrder(-1))
    .slice(0, topCount);

  return {
    scope,
    estimate: scope.kind === 'quick',
    score,
    level,
    uncappedLevel,
    cap,
    coverage: coverage(knownTotal, inScope.length),
    enjeux,
    toVerify,
    priorities,
    strengths,
    quantities,
  };
}
