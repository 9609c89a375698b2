import { createRequire } from 'node:module';
import type { Font } from 'fontkit';
import { fonts } from './fonts.js';

// fontkit is loaded with the first chart drawn, not at start-up
const require = createRequire(import.meta.url);

/**
 * The chart's `<text>` elements turned into glyph outlines (`<path>`), laid out with fontkit (kerning included)
 * from the same DejaVu fonts, so that resvg does not shape each text element from the font file again; glyph
 * outlines are computed once each (measurements: docs/benchmarks.md).
 * Only the rasterised charts (PNG) go through this: the SVG kept in reports keeps real text.
 */

const faces: Partial<Record<'regular' | 'bold', Font>> = {};
const face = (weight: 'regular' | 'bold'): Font =>
  (faces[weight] ??= (require('fontkit') as typeof import('fontkit')).openSync(fonts[weight]));

const glyphPaths = new Map<string, string>();
const maxGlyphPaths = 2_000;

function glyphPath(weight: 'regular' | 'bold', glyph: { id: number; path: { toSVG(): string } }): string {
  const key = `${weight}:${glyph.id}`;
  let d = glyphPaths.get(key);
  if (d === undefined) {
    d = glyph.path.toSVG();
    if (glyphPaths.size >= maxGlyphPaths) glyphPaths.clear();
    glyphPaths.set(key, d);
  }
  return d;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const unescape = (text: string): string =>
  text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => entities[e]!);

const attribute = (attrs: string, name: string): string | undefined =>
  new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attrs)?.[1];

/** One `<text>` of the charts (src/reports/charts.ts `text()`: x, y, font-size, font-weight, text-anchor, fill). */
function outline(attrs: string, escaped: string): string {
  const content = unescape(escaped);
  if (content.trim() === '') return '';
  const weight = attribute(attrs, 'font-weight') === 'bold' ? 'bold' : 'regular';
  const font = face(weight);
  const size = Number(attribute(attrs, 'font-size') ?? 16);
  const scale = size / font.unitsPerEm;
  const run = font.layout(content);
  const anchor = attribute(attrs, 'text-anchor');
  const shift = anchor === 'middle' ? run.advanceWidth / 2 : anchor === 'end' ? run.advanceWidth : 0;
  const x = Number(attribute(attrs, 'x') ?? 0) - shift * scale;
  const y = Number(attribute(attrs, 'y') ?? 0);
  let pen = 0;
  const paths: string[] = [];
  run.glyphs.forEach((glyph, i) => {
    const position = run.positions[i]!;
    const d = glyphPath(weight, glyph);
    if (d !== '') {
      paths.push(`<path transform="translate(${pen + position.xOffset} ${position.yOffset})" d="${d}"/>`);
    }
    pen += position.xAdvance;
  });
  const fill = attribute(attrs, 'fill') ?? '#000000';
  return `<g fill="${fill}" transform="translate(${x} ${y}) scale(${scale} ${-scale})">${paths.join('')}</g>`;
}

/** Labels recur from one chart to the next ("Enjeu 2 · 50 %", "Structuration"): their outlines are kept. */
const outlines = new Map<string, string>();
const maxOutlines = 300;

/** `svg` with every `<text>` element replaced by its glyph outlines. */
export function outlineText(svg: string): string {
  return svg.replace(/<text [^>]*>[^<]*<\/text>/g, (element: string) => {
    let done = outlines.get(element);
    if (done === undefined) {
      const [, attrs, content] = /^<text ([^>]*)>([^<]*)<\/text>$/.exec(element)!;
      done = outline(attrs!, content!);
      if (outlines.size >= maxOutlines) outlines.delete(outlines.keys().next().value!);
      outlines.set(element, done);
    }
    return done;
  });
}
