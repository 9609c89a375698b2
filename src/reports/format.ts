import type { Quantity } from '../domain/referential/schema.js';

/** No-break space: keeps "45 000 €" and "62 %" on one line, as French typography wants. */
export const nbsp = '\u00a0';

const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });

/** French digit grouping with a plain no-break space (Intl uses U+202F, which fonts and Excel handle badly). */
const frenchSpaces = (s: string): string => s.replace(/[\u202f\u00a0 ]/g, nbsp);

export function formatNumber(value: number): string {
  return frenchSpaces((Number.isInteger(value) ? integer : decimal).format(value));
}

/** "45 000 €", "1 234,50 €". */
export function formatEuros(value: number): string {
  const text = Number.isInteger(value)
    ? integer.format(value)
    : new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
  return `${frenchSpaces(text)}${nbsp}€`;
}

/** A score 0–100 as "62 %"; null (not assessed) as "non évalué". */
export function formatScore(score: number | null): string {
  return score === null ? 'non évalué' : `${Math.round(score)}${nbsp}%`;
}

/** "+12 points", "−5 points", "0 point". */
export function formatDelta(points: number | null): string {
  if (points === null) return '—';
  const rounded = Math.round(points);
  if (rounded === 0) return `0${nbsp}point`;
  const sign = rounded > 0 ? '+' : '−';
  const abs = Math.abs(rounded);
  return `${sign}${abs}${nbsp}point${abs > 1 ? 's' : ''}`;
}

export function formatQuantity(quantity: Pick<Quantity, 'unit'>, value: number): string {
  switch (quantity.unit) {
    case 'EUR':
      return formatEuros(value);
    case 'percent':
      return `${formatNumber(value)}${nbsp}%`;
    case 'ETP':
      return `${formatNumber(value)}${nbsp}ETP`;
    case 'count':
    case 'other':
      return formatNumber(value);
  }
}

const longDate = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' });
const shortDateTime = new Intl.DateTimeFormat('fr-FR', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Paris',
});

/** "12 mars 2025" (Paris time). */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : longDate.format(date);
}

/** "12/03/2025 14:05" (Paris time), which French Excel reads as a date. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : shortDateTime.format(date).replace(/,?\s+/, ' ');
}

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML and XML (SVG) content and attribute values. */
export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => htmlEscapes[c]!);
}

/** A name usable in a file name: "Commune de Saint-Étienne" → "commune-de-saint-etienne". */
export function slugify(text: string, fallback = 'collectivite'): string {
  const slug = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/œ/g, 'oe')
    .replace(/Œ/g, 'OE')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  return slug || fallback;
}
