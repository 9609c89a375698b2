import { levelNames, type LevelName } from '../referential/schema.js';

export { levelNames, type LevelName };

/** Lower bound (inclusive) of each level, in %. */
export const levelThresholds: Record<LevelName, number> = {
  Émergence: 0,
  Structuration: 25,
  Consolidation: 50,
  Maturité: 75,
};

export function levelOf(score: number): LevelName {
  if (score < 25) return 'Émergence';
  if (score < 50) return 'Structuration';
  if (score < 75) return 'Consolidation';
  return 'Maturité';
}

export function levelIndex(level: LevelName): number {
  return levelNames.indexOf(level);
}
