import { createRequire } from 'node:module';
import type * as Resvg from '@resvg/resvg-js';
import type { LevelName } from '../domain/scoring/levels.js';
import { levelNames, levelThresholds } from '../domain/scoring/levels.js';
import { chartFontFamily, fonts, textWidth, wrapText } from './fonts.js';
import { escapeHtml as esc, formatDate, formatScore, nbsp } from './format.js';
import { encodeIndexedPng, encodeIndexedPngAsync, encodeRgbPng } from './png.js';
import { outlineText } from './textOutlines.js';

const require = createRequire(import.meta.url);
let resvgModule: typeof Resvg | undefined;
/**
 * resvg, loaded with the first chart: its native library is 4.4 MB, and the main thread of a server that only
 * answers messages never draws one (results cards get their picture from the chart worker or a report route).
 */
const resvg = (): typeof Resvg => (resvgModule ??= require('@resvg/resvg-js') as typeof Resvg);

/** What a chart needs from a result: `MaturityResult` and `ReportData` both fit. */
export interface ChartScores {
  score: number | null;
  level: LevelName | null;
  estimate: boolean;
  /** Set when the global level is held down by the weakest enjeu. */
  cap?: { weakestEnjeuId: string } | null;
  enjeux: readonly {
    id: string;
    number: number;
    title: string;
    score: number | null;
    level: LevelName | null;
    prerequis: readonly {
      number: number;
      enjeuNumber: number;
      title: string;
      score: number | null;
      level: LevelName | null;
    }[];
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

/** `full`: radar and bars side by side (PNG, PDF, wide screens); `narrow`: the same stacked for a phone; `card`: the radar alone. */
export type ChartVariant = 'full' | 'narrow' | 'card';

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

/** The drawing's size in px; the narrow chart's height grows with its wrapped labels (this one is its least). */
export const chartSizes: Record<ChartVariant, { width: number; height: number }> = {
  full: { width: 1280, height: 880 },
  narrow: { width: 340, height: 900 },
  card: { width: 520, height: 404 },
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
    parts.push(
      `<line x1="${r(cx)}" y1="${r(cy)}" x2="${r(x)}" y2="${r(y)}" stroke="${grid}" stroke-width="1"/>`,
    );
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

/** « < 25 % », « 25–50 % », « ≥ 75 % »: the scores of the i-th level. */
function levelRange(i: number): string {
  const level = levelNames[i]!;
  const upper = levelNames[i + 1];
  if (i === 0) return `< ${levelThresholds[upper!]}${nbsp}%`;
  return upper
    ? `${levelThresholds[level]}–${levelThresholds[upper]}${nbsp}%`
    : `≥ ${levelThresholds[level]}${nbsp}%`;
}

function legend(x: number, y: number, size: number): string {
  const parts: string[] = [];
  let cursor = x;
  levelNames.forEach((level, i) => {
    const range = levelRange(i);
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
  const title = titleOf(meta);
  const titleSize = [26, 23, 20].find((size) => textWidth(title, size, true) <= width - 2 * margin) ?? 20;
  parts.push(
    text(margin, 50, wrapText(title, width - 2 * margin, titleSize, 1, true)[0] ?? '', {
      size: titleSize,
      bold: true,
    }),
  );
  parts.push(
    text(margin, 84, wrapText(subtitleOf(scores, meta), width - 2 * margin, 17, 1)[0] ?? '', {
      size: 17,
      fill: '#333333',
    }),
  );
  parts.push(
    `<line x1="${margin}" y1="104" x2="${width - margin}" y2="104" stroke="${grid}" stroke-width="1"/>`,
  );

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
          return block
            .map((b, i) => text(tipX, y0 + i * 18, b.t, { size: 14, bold: b.bold, anchor: 'middle' }))
            .join('');
        },
        true,
      ),
    );
  }
  const summaryY = 640;
  parts.push(text(margin, summaryY, 'Score global', { size: 16, fill: muted }));
  parts.push(text(margin, summaryY + 50, formatScore(scores.score), { size: 46, bold: true }));
  parts.push(text(margin + 190, summaryY, 'Niveau', { size: 16, fill: muted }));
  parts.push(text(margin + 190, summaryY + 30, scores.level ?? 'non évalué', { size: 26, bold: true }));
  if (scores.level) {
    parts.push(
      `<rect x="${margin + 190}" y="${summaryY + 40}" width="200" height="12" fill="${levelColors[scores.level]}" stroke="${ink}" stroke-width="0.8"/>`,
    );
  }
  const weakest = scores.cap ? scores.enjeux.find((e) => e.id === scores.cap!.weakestEnjeuId) : undefined;
  const notes = [
    scores.estimate ? 'Estimation : questions clés seulement' : '',
    weakest ? `Plafonné : l’enjeu ${weakest.number} est en ${weakest.level ?? 'retrait'}` : '',
  ].filter(Boolean);
  notes.forEach((note, i) =>
    parts.push(text(margin + 190, summaryY + 72 + i * 17, note, { size: 13, fill: muted })),
  );
  parts.push(
    text(margin, summaryY + 112, 'Anneaux du radar : seuils de 25, 50 et 75 % entre niveaux.', {
      size: 13,
      fill: muted,
    }),
  );

  // Bars (right panel, 580–1248).
  const panelX = 580;
  const labelWidth = 300;
  const barX = panelX + labelWidth + 12;
  const barWidth = 236;
  const valueX = barX + barWidth + 10;
  const rowHeight = 38;
  const headerHeight = 24;
  parts.push(text(panelX, 136, 'Les prérequis', { size: 17, bold: true }));
  parts.push(text(barX, 158, '0', { size: 11, anchor: 'middle', fill: muted }));
  for (const threshold of [25, 50, 75, 100]) {
    parts.push(
      text(barX + (threshold / 100) * barWidth, 158, `${threshold}${nbsp}%`, {
        size: 11,
        anchor: 'middle',
        fill: muted,
      }),
    );
  }
  let y = 170;
  scores.enjeux.forEach((enjeu, k) => {
    if (k > 0) y += 10;
    const header = wrapText(
      `Enjeu ${enjeu.number} — ${enjeu.title}`,
      width - margin - panelX,
      14,
      1,
      true,
    )[0]!;
    parts.push(text(panelX, y + 13, header, { size: 14, bold: true }));
    y += headerHeight;
    for (const p of enjeu.prerequis) {
      const label = wrapText(`${p.enjeuNumber}.${p.number} ${p.title.replace(/\.$/, '')}`, labelWidth, 13, 2);
      parts.push(lines(panelX, label.length === 1 ? y + 18 : y + 11, label, 15, { size: 13 }));
      parts.push(`<rect x="${barX}" y="${y + 3}" width="${barWidth}" height="22" fill="#EFEFEF"/>`);
      if (p.score !== null && p.level) {
        const w = Math.max((p.score / 100) * barWidth, 1.5);
        parts.push(
          `<rect x="${barX}" y="${y + 3}" width="${r(w)}" height="22" fill="${levelColors[p.level]}" stroke="${ink}" stroke-width="0.8"/>`,
        );
        parts.push(text(valueX, y + 13, formatScore(p.score), { size: 14, bold: true }));
        parts.push(text(valueX, y + 27, p.level, { size: 11, fill: muted }));
      } else {
        parts.push(text(valueX, y + 19, 'non évalué', { size: 12, fill: muted }));
      }
      for (const threshold of [25, 50, 75]) {
        const x = r(barX + (threshold / 100) * barWidth);
        parts.push(
          `<line x1="${x}" y1="${y}" x2="${x}" y2="${y + 28}" stroke="#444444" stroke-width="1" stroke-dasharray="3 3"/>`,
        );
      }
      y += rowHeight;
    }
  });
  parts.push(legend(margin, height - 44, 14));
  parts.push(
    text(
      margin,
      height - 16,
      'Référentiel : La Mednum, « Collectivités territoriales et inclusion numérique » (2023), CC BY-SA 4.0',
      {
        size: 12,
        fill: muted,
      },
    ),
  );
  return wrapSvg(width, height, scores, meta, parts.join(''));
}

/**
 * The chart for a phone, 340 px wide so that it is drawn at about its own size on a 360–430 px screen: the radar
 * with a short label at each tip and the enjeux' names beneath it, then each prérequis on its own lines above its
 * bar. No text under 11 px.
 */
function narrowChart(scores: ChartScores, meta: ChartMeta): string {
  const { width } = chartSizes.narrow;
  const margin = 10;
  const inner = width - 2 * margin;
  const parts: string[] = [];
  let y = 22;
  for (const line of wrapText(titleOf(meta), inner, 15, 3, true)) {
    parts.push(text(margin, y, line, { size: 15, bold: true }));
    y += 19;
  }
  for (const line of wrapText(subtitleOf(scores, meta).replace(/ · /g, ' — '), inner, 12, 3)) {
    parts.push(text(margin, y, line, { size: 12, fill: '#333333' }));
    y += 16;
  }
  y += 4;
  parts.push(
    `<line x1="${margin}" y1="${y}" x2="${width - margin}" y2="${y}" stroke="${grid}" stroke-width="1"/>`,
  );
  y += 24;
  parts.push(text(margin, y, 'Les 4 enjeux', { size: 14, bold: true }));

  if (scores.enjeux.length >= 3) {
    const radius = 78;
    const cy = y + 60 + radius * Math.SQRT1_2;
    parts.push(
      radar(
        scores,
        width / 2,
        cy,
        radius,
        (enjeu, tipX, tipY, top) => {
          const block = [
            { t: `Enjeu ${enjeu.number}`, bold: true },
            { t: enjeu.score === null ? 'non évalué' : formatScore(enjeu.score), bold: true },
            { t: enjeu.level ?? '', bold: false },
          ];
          const x = Math.min(Math.max(tipX, margin + 50), width - margin - 50);
          const y0 = top ? tipY - 40 : tipY + 20;
          return block
            .map((b, i) => text(x, y0 + i * 15, b.t, { size: 12, bold: b.bold, anchor: 'middle' }))
            .join('');
        },
        false,
      ),
    );
    y = cy + radius * Math.SQRT1_2 + 76;
  } else {
    y += 12;
  }
  for (const enjeu of scores.enjeux) {
    const lines = wrapText(`Enjeu ${enjeu.number} — ${enjeu.title}`, inner, 12, 2);
    parts.push(
      lines.map((line, i) => text(margin, y + i * 15, line, { size: 12, fill: '#333333' })).join(''),
    );
    y += lines.length * 15 + 4;
  }
  y += 10;
  parts.push(
    `<line x1="${margin}" y1="${y}" x2="${width - margin}" y2="${y}" stroke="${grid}" stroke-width="1"/>`,
  );
  y += 24;
  parts.push(text(margin, y, 'Les prérequis', { size: 14, bold: true }));

  const barX = margin;
  const barWidth = 180;
  const valueX = barX + barWidth + 8;
  y += 8;
  for (const enjeu of scores.enjeux) {
    y += 14;
    const header = wrapText(`Enjeu ${enjeu.number} — ${enjeu.title}`, inner, 13, 2, true);
    parts.push(lines(margin, y + 13, header, 16, { size: 13, bold: true }));
    y += header.length * 16 + 4;
    for (const p of enjeu.prerequis) {
      const label = wrapText(
        `${p.enjeuNumber}.${p.number} ${p.title.replace(/(?<!\.)\.$/, '')}`,
        inner,
        12,
        3,
      );
      parts.push(lines(margin, y + 13, label, 15, { size: 12 }));
      y += label.length * 15 + 4;
      parts.push(`<rect x="${barX}" y="${y}" width="${barWidth}" height="16" fill="#EFEFEF"/>`);
      if (p.score !== null && p.level) {
        const w = Math.max((p.score / 100) * barWidth, 1.5);
        parts.push(
          `<rect x="${barX}" y="${y}" width="${r(w)}" height="16" fill="${levelColors[p.level]}" stroke="${ink}" stroke-width="0.8"/>`,
        );
        parts.push(text(valueX, y + 13, `${formatScore(p.score)} · ${p.level}`, { size: 12, bold: true }));
      } else {
        parts.push(text(valueX, y + 13, 'non évalué', { size: 12, fill: muted }));
      }
      for (const threshold of [25, 50, 75]) {
        const x = r(barX + (threshold / 100) * barWidth);
        parts.push(
          `<line x1="${x}" y1="${y - 2}" x2="${x}" y2="${y + 18}" stroke="#444444" stroke-width="1" stroke-dasharray="3 3"/>`,
        );
      }
      y += 28;
    }
  }
  y += 10;
  levelNames.forEach((level, i) => {
    const range = levelRange(i);
    const x = margin + (i % 2) * (inner / 2);
    const rowY = y + Math.floor(i / 2) * 20;
    parts.push(
      `<rect x="${x}" y="${rowY - 11}" width="12" height="12" fill="${levelColors[level]}" stroke="${ink}" stroke-width="0.8"/>`,
    );
    parts.push(text(x + 17, rowY, `${level} ${range}`, { size: 12 }));
  });
  y += 44;
  for (const line of wrapText(
    'Pointillés : seuils de 25, 50 et 75 % entre niveaux. Référentiel : La Mednum, « Collectivités territoriales et inclusion numérique » (2023), CC BY-SA 4.0',
    inner,
    11,
    4,
  )) {
    parts.push(text(margin, y, line, { size: 11, fill: muted }));
    y += 14;
  }
  const height = Math.max(Math.ceil(y + 4), 200);
  return wrapSvg(width, height, scores, meta, parts.join(''), 'graphique-etroit');
}

/** The width a results card gives its picture on a 390 px phone (Teams mobile, Web Chat): the card text sizes are set for it. */
export const cardDisplayWidth = 358;

/**
 * The radar of a results card: each tip labelled with the enjeu's number and its title from the referential (two
 * lines), then its score and level, in the quarter of the picture that the tip points at. 16 px at least, so about
 * 11 px once the card shows the picture `cardDisplayWidth` wide.
 */
function cardChart(scores: ChartScores, meta: ChartMeta): string {
  const { width, height } = chartSizes.card;
  const margin = 12;
  const size = 16;
  const lineHeight = 19;
  const parts: string[] = [];
  const heading = `${levelLabel(scores)} — ${formatScore(scores.score)}`;
  const headingSize = [20, 18].find((s) => textWidth(heading, s, true) <= width - 2 * margin) ?? 16;
  parts.push(text(margin, 30, heading, { size: headingSize, bold: true }));
  const sub = [meta.collectiviteName, `${meta.scopeLabel ?? 'Diagnostic'} du ${formatDate(meta.date)}`];
  sub.filter(Boolean).forEach((line, i) => {
    parts.push(
      text(margin, 54 + i * 20, wrapText(line!, width - 2 * margin, size, 1)[0] ?? '', {
        size,
        fill: '#333333',
      }),
    );
  });
  if (scores.enjeux.length >= 3) {
    const cx = width / 2;
    const columnWidth = width / 2 - 1.5 * margin;
    parts.push(
      radar(
        scores,
        cx,
        246,
        116,
        (enjeu, tipX, tipY, top) => {
          const x = tipX < cx ? margin + columnWidth / 2 : width - margin - columnWidth / 2;
          const title = wrapText(`${enjeu.number} · ${enjeu.title}`, columnWidth, size, 2);
          const value = scoreAndLevel(enjeu.score, enjeu.level);
          const block = [...title.map((t) => ({ t, bold: false })), { t: value, bold: true }];
          const y0 = top ? tipY - 20 - (block.length - 1) * lineHeight : tipY + 26;
          return block
            .map((b, i) => text(x, y0 + i * lineHeight, b.t, { size, bold: b.bold, anchor: 'middle' }))
            .join('');
        },
        false,
      ),
    );
  }
  return wrapSvg(width, height, scores, meta, parts.join(''));
}

function wrapSvg(
  width: number,
  height: number,
  scores: ChartScores,
  meta: ChartMeta,
  body: string,
  idPrefix = 'graphique',
): string {
  const description = scores.enjeux
    .map((e) => `Enjeu ${e.number} : ${formatScore(e.score)}`)
    .concat(`score global ${formatScore(scores.score)}`)
    .join(' ; ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-labelledby="${idPrefix}-titre ${idPrefix}-description" ${fontAttr}>` +
    `<title id="${idPrefix}-titre">${esc(`${titleOf(meta)} — ${levelLabel(scores)}`)}</title>` +
    `<desc id="${idPrefix}-description">${esc(description)}</desc>` +
    `<rect width="${width}" height="${height}" fill="#FFFFFF"/>${body}</svg>`
  );
}

/** The chart as an SVG string: radar of the enjeux and bars of the prérequis (`full`), or the radar alone (`card`). */
export function renderChartSvg(scores: ChartScores, meta: ChartMeta, variant: ChartVariant = 'full'): string {
  switch (variant) {
    case 'full':
      return fullChart(scores, meta);
    case 'narrow':
      return narrowChart(scores, meta);
    case 'card':
      return cardChart(scores, meta);
  }
}

const rasterOptions = (width: number) => ({
  fitTo: { mode: 'width' as const, value: width },
  background: '#FFFFFF',
  font: {
    loadSystemFonts: false,
    fontFiles: [fonts.regular, fonts.bold],
    defaultFontFamily: chartFontFamily,
  },
  logLevel: 'off' as const,
});

function rasterize(svg: string, width: number) {
  return new (resvg().Resvg)(outlineText(svg), rasterOptions(width)).render();
}

/**
 * The chart as a PNG, 1280 px wide by default (`scale` 1.5 or 2 for print). `opaque`: RGB without an alpha
 * channel, which a PDF embeds as is (an RGBA PNG costs pdfkit a slow split into colour and mask).
 */
export function renderChartPng(
  scores: ChartScores,
  meta: ChartMeta,
  options: { variant?: ChartVariant; scale?: number; opaque?: boolean } = {},
): Buffer {
  const variant = options.variant ?? 'full';
  const image = rasterize(
    renderChartSvg(scores, meta, variant),
    Math.round(chartSizes[variant].width * (options.scale ?? 1)),
  );
  return options.opaque ? encodeRgbPng(image.pixels, image.width, image.height) : image.asPng();
}

/** Under ~25 KB once base64-encoded, so an Adaptive Card that embeds it stays under Teams' 28 KB limit. */
export const cardImageMaxBytes = 25 * 1024;

/**
 * The small radar of a results card as a PNG: rendered at 520 px and reduced to a palette of at most 64 colours
 * (about 7 KB), which keeps a card that embeds it as a data URI well under `cardImageMaxBytes`.
 */
export function renderCardChartPng(scores: ChartScores, meta: ChartMeta): Buffer {
  const image = rasterize(renderChartSvg(scores, meta, 'card'), chartSizes.card.width);
  return encodeIndexedPng(image.pixels, image.width, image.height, 64);
}

/** The same, rasterised and compressed on libuv's thread pool. */
export async function renderCardChartPngAsync(scores: ChartScores, meta: ChartMeta): Promise<Buffer> {
  const image = await resvg().renderAsync(
    outlineText(renderChartSvg(scores, meta, 'card')),
    rasterOptions(chartSizes.card.width),
  );
  return encodeIndexedPngAsync(image.pixels, image.width, image.height, 64);
}

export const pngDataUri = (png: Buffer): string => `data:image/png;base64,${png.toString('base64')}`;

/** The card's radar as a `data:image/png;base64,…` URI for an Adaptive Card `Image`. */
export function renderChartDataUri(scores: ChartScores, meta: ChartMeta): string {
  return pngDataUri(renderCardChartPng(scores, meta));
}
