import { recognizeNumber } from '@microsoft/recognizers-text-number';
import { recognizeCurrency, recognizePercentage } from '@microsoft/recognizers-text-suite';
import type { Quantity } from '../referential/schema.js';

const culture = 'fr-fr';

export const maxQuantity: Record<Quantity['unit'], number> = {
  EUR: 10_000_000_000,
  count: 10_000_000,
  percent: 100,
  ETP: 100_000,
  other: 10_000_000_000,
};

export type QuantityParse = { ok: true; value: number } | { ok: false; reason: 'not_a_number' | 'negative' | 'too_large' | 'ambiguous' };

function toNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/\s/g, '').replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Reads a quantity as people type it in French — "45 000 €", "1,5 M€", "douze", "30 %" — with Microsoft's
 * recognizers (shipped with botbuilder-dialogs).
 */
export function parseQuantity(text: string, unit: Quantity['unit']): QuantityParse {
  const input = text.trim().slice(0, 200);
  if (/^-\s*\d/.test(input) || /\bmoins\b/i.test(input)) return { ok: false, reason: 'negative' };
  let candidates: number[] = [];
  if (unit === 'EUR') candidates = recognizeCurrency(input, culture).flatMap((r) => toNumber(r.resolution?.value) ?? []);
  if (unit === 'percent') candidates = recognizePercentage(input, culture).flatMap((r) => toNumber(r.resolution?.value?.replace('%', '')) ?? []);
  if (candidates.length === 0) candidates = recognizeNumber(input, culture).flatMap((r) => toNumber(r.resolution?.value) ?? []);
  if (candidates.length === 0) return { ok: false, reason: 'not_a_number' };
  if (candidates.length > 1) return { ok: false, reason: 'ambiguous' };
  const value = candidates[0]!;
  if (value < 0) return { ok: false, reason: 'negative' };
  if (value > maxQuantity[unit]) return { ok: false, reason: 'too_large' };
  return { ok: true, value: unit === 'count' ? Math.round(value) : Math.round(value * 100) / 100 };
}
