import type { Quantity } from '../referential/schema.js';

export const maxQuantity: Record<Quantity['unit'], number> = {
  EUR: 10_000_000_000,
  count: 10_000_000,
  percent: 100,
  ETP: 100_000,
  other: 10_000_000_000,
};

export type QuantityParse =
  | { ok: true; value: number }
  | { ok: false; reason: 'not_a_number' | 'negative' | 'too_large' | 'ambiguous' };

const multipliers: Record<string, number> = {
  k: 1e3,
  ke: 1e3,
  mille: 1e3,
  m: 1e6,
  million: 1e6,
  millions: 1e6,
  md: 1e9,
  mds: 1e9,
  milliard: 1e9,
  milliards: 1e9,
};

/**
 * Figures as people type them: "45 000 €", "45000", "1,5 M€", "12 k€", "30 %", "environ 200". Anything with words
 * ("douze", "deux millions et demi") goes to Microsoft's recognizers.
 */
function parseFigures(text: string): number | undefined {
  const match =
    /^(?:environ|à peu près|a peu pres|approximativement|presque|près de|pres de|autour de|~)?\s*(\d{1,3}(?:[  \u202f]\d{3})+|\d+)(?:[,.](\d+))?\s*(k|ke|mille|m|millions?|mds?|milliards?)?\s*(?:€|euros?|eur)?\s*(?:d'euros|d’euros)?\s*(?:%|pour ?cent)?\s*\.?$/i.exec(
      text.trim(),
    );
  if (!match) return undefined;
  const integer = match[1]!.replace(/[  \u202f]/g, '');
  const value = Number(`${integer}.${match[2] ?? '0'}`);
  const multiplier = match[3] ? (multipliers[match[3].toLowerCase()] ?? 1) : 1;
  return value * multiplier;
}

export type NumberModel = 'number' | 'percent' | 'currency';

/** Reads numbers written in words with one of Microsoft's models (src/language/numberWords.ts). */
export type NumberWordsReader = (model: NumberModel, text: string) => Promise<(string | undefined)[]>;

function toNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/\s/g, '').replace('%', '').replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
}

function check(value: number, unit: Quantity['unit']): QuantityParse {
  if (value < 0) return { ok: false, reason: 'negative' };
  if (value > maxQuantity[unit]) return { ok: false, reason: 'too_large' };
  return { ok: true, value: unit === 'count' ? Math.round(value) : Math.round(value * 100) / 100 };
}

/** Reads a quantity as people type it in French — "45 000 €", "1,5 M€", "douze", "30 %". */
export async function parseQuantity(
  text: string,
  unit: Quantity['unit'],
  readWords: NumberWordsReader,
): Promise<QuantityParse> {
  const input = text.trim().slice(0, 200);
  if (/^[-−]\s*\d/.test(input) || /\bmoins\b/i.test(input)) return { ok: false, reason: 'negative' };
  const figure = parseFigures(input);
  if (figure !== undefined) return check(figure, unit);
  if (!/[a-zà-ÿ]/i.test(input)) return { ok: false, reason: 'not_a_number' };

  const model: NumberModel = unit === 'EUR' ? 'currency' : unit === 'percent' ? 'percent' : 'number';
  let values = (await readWords(model, input)).flatMap((v) => toNumber(v) ?? []);
  if (values.length === 0 && model !== 'number') {
    values = (await readWords('number', input)).flatMap((v) => toNumber(v) ?? []);
  }
  if (values.length === 0) return { ok: false, reason: 'not_a_number' };
  if (values.length > 1) return { ok: false, reason: 'ambiguous' };
  return check(values[0]!, unit);
}
