import { Resvg } from '@resvg/resvg-js';
import type { LevelName } from '../domain/scoring/levels.js';
import { levelNames, levelThresholds } from '../domain/scoring/levels.js';
import { chartFontFamily, fonts, textWidth, wrapText } from './fonts.js';
import { escapeHtml as esc, formatDate, formatScore, nbsp } from './format.js';
import { encodeIndexedPng } from './png.js';

/** What a chart needs from a result: `MaturityResult` and `ReportData` both fit. */
export interface ChartScores {
  score: number | null;
  level: LevelName | null;
  estimate: boolean;
  enjeux: readonly {
    number: number;
    title: string;
    score: number | null;
    level: LevelName | null;
    prerequis: readonly { number: number; enjeuNumber: number; title: string; score: number | null; level: LevelName | null }[];
  }[];
}

export interface ChartMeta {
  /** Shown in the title; omitted for an anonymous quick check. */
  collectiviteName?: string;
  /** ISO date of the diagnostic. */
  date: string;
  /** "Diagnostic rapide", "Diagnostic complet"… */
  scopeLabel?: string;
}

export type ChartVariant = 'full' | 'card';

/** Okabe–Ito colours, one per level, readable by colour-blind people; the values are always printed too. */
export const levelColors: Record<LevelName, string> = {
  Émergence: '#D55E00',
  Structuration: '#E69F00',
  Consolidation: '#56B4E9',
  Maturité: '#009E73',
};

const ink = '#1A1A1A';
const muted = '#555555';
const grid = '#B8B8B8';
const radarColor = '#0072B2';

export const chartSizes: Record<ChartVariant, { width: number; height: number }> = {
  full: { width: 1280, height: 880 },
  card: { width: 520, height: 380 },
};

const fontAttr = `font-family="${chartFontFamily}, Verdana, Arial, sans-serif"`;

interface TextOptions {
  size: number;
  bold?: boolean;
  anchor?: 'start' | 'middle' | 'end';
  fill?: string;
}

function text(x: number, y: number, content: string, o: TextOptions): string {
  return (
    `<text x="${r(x)}" y="${r(y)}" font-size="${o.size}"${o.bold ? ' font-weight="bold"' : ''}` +
    `${o.anchor && o.anchor !== 'start' ? ` text-anchor="${o.anchor}"` : ''} fill="${o.fill ?? ink}">${esc(content)}</text>`
  );
}

function lines(x: number, y: number, content: string[], lineHeight: number, o: TextOptions): string {
  return content.map((line, i) => text(x, y + i * lineHeight, line, o)).join('');
}

const r = (n: number): string => String(Math.round(n * 10) / 10);

function levelLabel(scores: ChartScores): string {
  if (!scores.level) return 'Niveau : non évalué';
  return `Niveau : ${scores.level}${scores.estimate ? ' (estimation)' : ''}`;
}

function titleOf(meta: ChartMeta): string {
  return meta.collectiviteName
    ? `Maturité en inclusion numérique — ${meta.collectiviteName}`
    : 'Maturité en inclusion numérique';
}

function subtitleOf(scores: ChartScores, meta: ChartMeta): string {
  return [
    levelLabel(scores),
    `score global ${formatScore(scores.score)}`,
    `${meta.scopeLabel ?? 'Diagnostic'} du ${formatDate(meta.date)}`,
  ].join(' · ');
}

/** The four enjeux on diagonal axes (1 top-left, then clockwise), rings at the 25/50/75/100 % thresholds. */
function radar(
  scores: ChartScores,
  cx: number,
  cy: number,
  radius: number,
  label: (enjeu: ChartScores['enjeux'][number], tipX: number, tipY: number, top: boolean) => string,
  ringLabels: boolean,
): string {
  const enjeux = scores.enjeux;
  const n = enjeux.length;
  const angle = (i: number) => -((3 * Math.PI) / 4) + (i * 2 * Math.PI) / n;
  const point = (i: number, fraction: number): [number, number] => [
    cx + Math.cos(angle(i)) * radius * fraction,
    cy + Math.sin(angle(i)) * radius * fraction,
  ];
  const polygon = (fraction: (i: number) => number) =>
    enjeux.map((_, i) => point(i, fraction(i)).map(r).join(',')).join(' ');
  const parts: string[] = [];
  const bands = [1, 0.75, 0.5, 0.25];
  bands.forEach((fraction, k) => {
    parts.push(
      `<polygon points="${polygon(() => fraction)}" fill="${k % 2 === 0 ? '#F4F4F4' : '#FFFFFF'}" stroke="${grid}" stroke-width="1"/>`,
    );
  });
  enjeux.forEach((_, i) => {
    const [x, y] = point(i, 1);
    parts.push(`<line x1="${r(cx)}" y1="${r(cy)}" x2="${r(x)}" y2="${r(y)}" stroke="${grid}" stroke-width="1"/>`);
  });
  if (ringLabels) {
    const toEdge = Math.cos(Math.PI / n);
    for (const fraction of bands) {
      parts.push(
        text(cx, cy - radius * fraction * toEdge + 13, `${fraction * 100}${nbsp}%`, {
          size: 11,
          anchor: 'middle',
          fill: muted,
        }),
      );
    }
  }
  const fractionOf = (i: number) => (enjeux[i]!.score ?? 0) / 100;
  parts.push(
    `<polygon points="${polygon(fractionOf)}" fill="${radarColor}" fill-opacity="0.22" stroke="${radarColor}" stroke-width="3" stroke-linejoin="round"/>`,
  );
  enjeux.forEach((enjeu, i) => {
    const [x, y] = point(i, fractionOf(i));
    parts.push(
      enjeu.score === null
        ? `<circle cx="${r(x)}" cy="${r(y)}" r="5" fill="#FFFFFF" stroke="${radarColor}" stroke-width="2"/>`
        : `<circle cx="${r(x)}" cy="${r(y)}" r="5" fill="${radarColor}"/>`,
    );
    const [tipX, tipY] = point(i, 1);
    parts.push(label(enjeu, tipX, tipY, tipY < cy));
  });
  return parts.join('');
}

function scoreAndLevel(score: number | null, level: LevelName | null): string {
  return score === null ? 'non évalué' : `${formatScore(score)} · ${level}`;
}

function legend(x: number, y: number, size: number): string {
  const parts: string[] = [];
  let cursor = x;
  levelNames.forEach((level, i) => {
    const upper = levelNames[i + 1];
    const range =
      i === 0
        ? `< ${levelThresholds[upper!]}${nbsp}%`
        : upper
          ? `${levelThresholds[level]}–${levelThresholds[upper]}${nbsp}%`
          : `≥ ${levelThresholds[level]}${nbsp}%`;
    const label = `${level} ${range}`;
    parts.push(
      `<rect x="${r(cursor)}" y="${r(y - size + 1)}" width="${size}" height="${size}" fill="${levelColors[level]}" stroke="${ink}" stroke-width="0.8"/>`,
    );
    parts.push(text(cursor + size + 6, y, label, { size }));
    cursor += size + 6 + textWidth(label, size) + 22;
  });
  return parts.join('');
}

function fullChart(scores: ChartScores, meta: ChartMeta): string {
  const { width, height } = chartSizes.full;
  const margin = 32;
  const parts: string[] = [];
  parts.push(text(margin, 50, wrapText(titleOf(meta), width - 2 * margin, 26, 1, true)[0] ?? '', { size: 26, bold: true }));
  parts.push(text(margin, 84, wrapText(subtitleOf(scores, meta), width - 2 * margin, 17, 1)[0] ?? '', { size: 17, fill: '#333333' }));
  parts.push(`<line x1="${margin}" y1="104" x2="${width - margin}" y2="104" stroke="${grid}" stroke-width="1"/>`);

  // Radar (left panel, 32–552).
  const cx = 292;
  const cy = 370;
  const radius = 168;
  parts.push(text(margin, 136, 'Les 4 enjeux', { size: 17, bold: true }));
  if (scores.enjeux.length >= 3) {
    parts.push(
      radar(
        scores,
        cx,
        cy,
        radius,
        (enjeu, tipX, tipY, top) => {
          const title = wrapText(`Enjeu ${enjeu.number} — ${enjeu.title}`, 236, 14, 2);
          const value = scoreAndLevel(enjeu.score, enjeu.level);
          const block = [...title.map((t) => ({ t, bold: false })), { t: value, bold: true }];
          const y0 = top ? tipY - 14 - (block.length - 1) * 18 : tipY + 26;
          return block.map((b, i) => text(tipX, y0 + i * 18, b.t, { size: 14, bold: b.bold, anchor: 'middle' })).join('');
        },
        true,
      ),
    );
  }
  const summaryY = 650;
  parts.push(text(margin, summaryY, 'Score global', { size: 16, fill: muted }));
  parts.push(text(margin, summaryY + 50, formatScore(scores.score), { size: 46, bold: true }));
  parts.push(text(margin + 160, summaryY + 30, levelLabel(scores), { size: 19, bold: true }));
  if (scores.level) {
    parts.push(
      `<rect x="${margin + 160}" y="${summaryY + 42}" width="220" height="12" fill="${levelColors[scores.level]}" stroke="${ink}" stroke-width="0.8"/>`,
    );
  }
  parts.push(
    text(margin, summaryY + 90, 'Anneaux du radar : seuils de 25, 50 et 75 % entre niveaux.', { size: 13, fill: muted }),
  );

  // Bars (right panel, 580–1248).
  const panelX = 580;
  const labelWidth = 300;
  const barX = panelX + labelWidth + 12;
  const barWidth = 236;
  const valueX = barX + barWidth + 10;
  const rowHeight = 38;
  const headerHeight = 27;
  parts.push(text(panelX, 136, 'Les prérequis', { size: 17, bold: true }));
  let y = 168;
  const top = y - 14;
  const rows: string[] = [];
  for (const enjeu of scores.enjeux) {
    rows.push(
      text(panelX, y + 4, wrapText(`Enjeu ${enjeu.number} — ${enjeu.title}`, width - margin - panelX, 14, 1, true)[0]!, {
        size: 14,
        bold: true,
      }),
    );
    y += headerHeight;
    for (const p of enjeu.prerequis) {
      const label = wrapText(`${p.enjeuNumber}.${p.number} ${p.title.replace(/\.$/, '')}`, labelWidth, 13, 2);
      const labelY = label.length === 1 ? y + 17 : y + 10;
      rows.push(lines(panelX, labelY, label, 15, { size: 13 }));
      rows.push(`<rect x="${barX}" y="${y + 3}" width="${barWidth}" height="22" fill="#EFEFEF"/>`);
      if (p.score !== null && p.level) {
        const w = Math.max((p.score / 100) * barWidth, 1.5);
        rows.push(
          `<rect x="${barX}" y="${y + 3}" width="${r(w)}" height="22" fill="${levelColors[p.level]}" stroke="${ink}" stroke-width="0.8"/>`,
        );
        rows.push(text(valueX, y + 13, formatScore(p.score), { size: 14, bold: true }));
        rows.push(text(valueX, y + 27, p.level, { size: 11, fill: muted }));
      } else {
        rows.push(text(valueX, y + 19, 'non évalué', { size: 12, fill: muted }));
      }
      y += rowHeight;
    }
  }
  const bottom = y - 8;
  for (const threshold of [0, 25, 50, 75, 100]) {
    const x = barX + (threshold / 100) * barWidth;
    parts.push(
      `<line x1="${r(x)}" y1="${top}" x2="${r(x)}" y2="${bottom}" stroke="${threshold % 100 === 0 ? grid : '#777777'}" stroke-width="1"${threshold % 100 === 0 ? '' : ' stroke-dasharray="4 3"'}/>`,
    );
    parts.push(text(x, top - 4, `${threshold}`, { size: 11, anchor: 'middle', fill: muted }));
  }
  parts.push(...rows);
  parts.push(legend(margin, height - 44, 14));
  parts.push(
    text(margin, height - 16, 'Référentiel : La Mednum, « Collectivités territoriales et inclusion numérique » (2023), CC BY-SA 4.0', {
      size: 12,
      fill: muted,
    }),
  );
  return wrapSvg(width, height, scores, meta, parts.join(''));
}

function cardChart(scores: ChartScores, meta: ChartMeta): string {
  const { width, height } = chartSizes.card;
  const parts: string[] = [];
  parts.push(text(16, 28, `${levelLabel(scores)} — ${formatScore(scores.score)}`, { size: 18, bold: true }));
  const sub = [meta.collectiviteName, formatDate(meta.date)].filter(Boolean).join(' · ');
  parts.push(text(16, 50, wrapText(sub, width - 32, 13, 1)[0] ?? '', { size: 13, fill: '#333333' }));
  if (scores.enjeux.length >= 3) {
    parts.push(
      radar(
        scores,
        width / 2,
        218,
        118,
        (enjeu, tipX, tipY, top) => {
          const y0 = top ? tipY - 26 : tipY + 22;
          const x = tipX + (tipX < width / 2 ? -14 : 14);
          const anchor = tipX < width / 2 ? 'end' : 'start';
          return (
            text(x, y0, `Enjeu ${enjeu.number}`, { size: 14, anchor }) +
            text(x, y0 + 18, scoreAndLevel(enjeu.score, enjeu.level), { size: 14, bold: true, anchor })
          );
        },
        false,
      ),
    );
  }
  return wrapSvg(width, height, scores, meta, parts.join(''));
}

function wrapSvg(width: number, height: number, scores: ChartScores, meta: ChartMeta, body: string): string {
  const description = scores.enjeux
    .map((e) => `Enjeu ${e.number} : ${formatScore(e.score)}`)
    .concat(`score global ${formatScore(scores.score)}`)
    .join(' ; ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-labelledby="graphique-titre graphique-description" ${fontAttr}>` +
    `<title id="graphique-titre">${esc(`${titleOf(meta)} — ${levelLabel(scores)}`)}</title>` +
    `<desc id="graphique-description">${esc(description)}</desc>` +
    `<rect width="${width}" height="${height}" fill="#FFFFFF"/>${body}</svg>`
  );
}

/** The chart as an SVG string: radar of the enjeux and bars of the prérequis (`full`), or the radar alone (`card`). */
export function renderChartSvg(scores: ChartScores, meta: ChartMeta, variant: ChartVariant = 'full'): string {
  return variant === 'full' ? fullChart(scores, meta) : cardChart(scores, meta);
}

function rasterize(svg: string, width: number) {
  return new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    background: '#FFFFFF',
    font: { loadSystemFonts: false, fontFiles: [fonts.regular, fonts.bold], defaultFontFamily: chartFontFamily },
    logLevel: 'off',
  }).render();
}

/** The chart as a PNG (1280 px wide by default; `scale` 2 for print). */
export function renderChartPng(scores: ChartScores, meta: ChartMeta, options: { variant?: ChartVariant; scale?: number } = {}): Buffer {
  const variant = options.variant ?? 'full';
  return rasterize(renderChartSvg(scores, meta, variant), chartSizes[variant].width * (options.scale ?? 1)).asPng();
}

/** Under ~25 KB once base64-encoded, so an Adaptive Card that embeds it stays under Teams' 28 KB limit. */
export const cardImageMaxBytes = 25 * 1024;

/**
 * The small radar as a `data:image/png;base64,…` URI for an Adaptive Card `Image`: rendered at 520 px and reduced
 * to a palette of at most 64 colours, which keeps it well under `cardImageMaxBytes`.
 */
export function renderChartDataUri(scores: ChartScores, meta: ChartMeta): string {
  const image = rasterize(renderChartSvg(scores, meta, 'card'), chartSizes.card.width);
  const png = encodeIndexedPng(image.pixels, image.width, image.height, 64);
  return `data:image/png;base64,${png.toString('base64')}`;
}
