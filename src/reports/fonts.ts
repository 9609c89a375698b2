import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function fontPath(file: string): string {
  try {
    return require.resolve(`dejavu-fonts-ttf/ttf/${file}`);
  } catch {
    throw new Error(
      `reports: font ${file} not found — the package "dejavu-fonts-ttf" must be installed (npm install)`,
    );
  }
}

/** The DejaVu fonts embedded in every chart and PDF, so they render the same everywhere, accents included. */
export const fonts = {
  regular: fontPath('DejaVuSans.ttf'),
  bold: fontPath('DejaVuSans-Bold.ttf'),
} as const;

export const chartFontFamily = 'DejaVu Sans';

interface Metrics {
  unitsPerEm: number;
  advance(codePoint: number): number;
}

/** Reads the advance widths of a TrueType font (cmap format 4 + hmtx): enough to wrap chart labels. */
function readMetrics(file: string): Metrics {
  const font = readFileSync(file);
  const tables = new Map<string, number>();
  const numTables = font.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const record = 12 + i * 16;
    tables.set(font.toString('latin1', record, record + 4), font.readUInt32BE(record + 8));
  }
  const table = (tag: string): number => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`reports: font ${file} has no ${tag} table`);
    return offset;
  };
  const unitsPerEm = font.readUInt16BE(table('head') + 18);
  const numberOfHMetrics = font.readUInt16BE(table('hhea') + 34);
  const hmtx = table('hmtx');

  const cmap = table('cmap');
  let subtable = -1;
  for (let i = 0; i < font.readUInt16BE(cmap + 2); i++) {
    const record = cmap + 4 + i * 8;
    const platform = font.readUInt16BE(record);
    const encoding = font.readUInt16BE(record + 2);
    const offset = cmap + font.readUInt32BE(record + 4);
    if (((platform === 3 && encoding === 1) || platform === 0) && font.readUInt16BE(offset) === 4)
      subtable = offset;
  }
  if (subtable < 0) throw new Error(`reports: font ${file} has no Unicode BMP cmap`);
  const segCount = font.readUInt16BE(subtable + 6) / 2;
  const ends = subtable + 14;
  const starts = ends + segCount * 2 + 2;
  const deltas = starts + segCount * 2;
  const rangeOffsets = deltas + segCount * 2;

  const glyphOf = (codePoint: number): number => {
    for (let s = 0; s < segCount; s++) {
      if (font.readUInt16BE(ends + s * 2) < codePoint) continue;
      const start = font.readUInt16BE(starts + s * 2);
      if (start > codePoint) return 0;
      const delta = font.readInt16BE(deltas + s * 2);
      const rangeOffsetAt = rangeOffsets + s * 2;
      const rangeOffset = font.readUInt16BE(rangeOffsetAt);
      if (rangeOffset === 0) return (codePoint + delta) & 0xffff;
      const glyph = font.readUInt16BE(rangeOffsetAt + rangeOffset + (codePoint - start) * 2);
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
  const cache = new Map<number, number>();
  return {
    unitsPerEm,
    advance(codePoint) {
      let width = cache.get(codePoint);
      if (width === undefined) {
        const glyph = codePoint > 0xffff ? 0 : glyphOf(codePoint);
        width = font.readUInt16BE(hmtx + Math.min(glyph, numberOfHMetrics - 1) * 4);
        cache.set(codePoint, width);
      }
      return width;
    },
  };
}

const metrics: { regular?: Metrics; bold?: Metrics } = {};

/** Width in px of `text` set in DejaVu Sans at `size` px (no kerning: a few % wider than drawn, which is safe). */
export function textWidth(text: string, size: number, bold = false): number {
  const m = bold
    ? (metrics.bold ??= readMetrics(fonts.bold))
    : (metrics.regular ??= readMetrics(fonts.regular));
  let units = 0;
  for (const char of text) units += m.advance(char.codePointAt(0)!);
  return (units / m.unitsPerEm) * size;
}

/**
 * Splits `text` into at most `maxLines` lines no wider than `maxWidth`; what does not fit ends with "…".
 */
export function wrapText(
  text: string,
  maxWidth: number,
  size: number,
  maxLines: number,
  bold = false,
): string[] {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let current = '';
  let index = 0;
  for (; index < words.length; index++) {
    const word = words[index]!;
    const candidate = current ? `${current} ${word}` : word;
    if (textWidth(candidate, size, bold) <= maxWidth || !current) {
      current = candidate;
      continue;
    }
    lines.push(current);
    current = word;
    if (lines.length === maxLines) break;
  }
  if (lines.length < maxLines && current) {
    lines.push(current);
    current = '';
    index = words.length;
  }
  const truncated = index < words.length || current !== '';
  const ellipsize = (line: string): string => {
    let cut = line.replace(/[\s,;:.—–-]+$/u, '');
    while (cut.length > 1 && textWidth(`${cut}…`, size, bold) > maxWidth) {
      cut = cut.slice(0, -1).replace(/[\s,;:.—–-]+$/u, '');
    }
    return `${cut}…`;
  };
  return lines.map((line, i) =>
    (truncated && i === lines.length - 1) || textWidth(line, size, bold) > maxWidth ? ellipsize(line) : line,
  );
}
