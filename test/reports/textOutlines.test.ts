import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { answersOf } from '../../src/domain/assessment/assessment.js';
import { computeMaturity } from '../../src/domain/scoring/scoring.js';
import { chartSizes, renderChartSvg } from '../../src/reports/charts.js';
import { chartFontFamily, fonts, textWidth } from '../../src/reports/fonts.js';
import { outlineText } from '../../src/reports/textOutlines.js';
import { answeredDiagnostic, referentials, setup } from './fixtures.js';

async function cardSvg(): Promise<string> {
  const { service } = setup();
  const diagnostic = await answeredDiagnostic(service);
  const result = computeMaturity(referentials.maturity, diagnostic.scope, answersOf(diagnostic));
  return renderChartSvg(result, { date: '2024-03-12T09:00:00Z', collectiviteName: 'Cœur & Savoie' }, 'card');
}

/** Grey level of each pixel, 0 (black) to 255 (white), as resvg draws `svg` with the DejaVu fonts. */
function grey(svg: string): Float64Array {
  const image = new Resvg(svg, {
    fitTo: { mode: 'width', value: chartSizes.card.width },
    background: '#FFFFFF',
    font: {
      loadSystemFonts: false,
      fontFiles: [fonts.regular, fonts.bold],
      defaultFontFamily: chartFontFamily,
    },
  }).render();
  const out = new Float64Array(image.width * image.height);
  const pixels = image.pixels;
  for (let p = 0; p < out.length; p++)
    out[p] = (pixels[p * 4]! + pixels[p * 4 + 1]! + pixels[p * 4 + 2]!) / 3;
  return out;
}

const meanDifference = (a: Float64Array, b: Float64Array) =>
  a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length;

describe('les libellés du graphique en contours de glyphes (pour le PNG)', () => {
  it('ne laisse aucun <text> et dessine la même image que resvg avec le texte', async () => {
    const svg = await cardSvg();
    const outlined = outlineText(svg);
    expect(svg.match(/<text /g)!.length).toBeGreaterThanOrEqual(8);
    expect(outlined).not.toContain('<text');
    expect(outlined).toContain('<title id="graphique-titre">'); // the accessible title and description stay

    const withText = grey(svg);
    const withOutlines = grey(outlined);
    const withoutText = grey(svg.replace(/<text [^>]*>[^<]*<\/text>/g, ''));
    const sameImage = meanDifference(withText, withOutlines);
    const textInk = meanDifference(withText, withoutText);
    // the labels are there (as much ink as resvg's own text), in the same places, to a few anti-aliased pixels
    expect(textInk).toBeGreaterThan(1);
    expect(sameImage).toBeLessThan(textInk / 10);
  });

  it('centre un libellé text-anchor="middle" sur son x, avec la largeur de la police', () => {
    const label = 'Enjeu 2 · 50 %';
    const outlined = outlineText(
      `<text x="200" y="40" font-size="14" text-anchor="middle" fill="#111111">${label}</text>`,
    );
    const [, x, y, scale] =
      /^<g fill="#111111" transform="translate\(([\d.]+) ([\d.]+)\) scale\(([\d.]+) -[\d.]+\)">/.exec(
        outlined,
      )!;
    expect(Number(y)).toBe(40);
    expect(Number(scale)).toBeCloseTo(14 / 2048, 8);
    expect(200 - Number(x)).toBeCloseTo(textWidth(label, 14) / 2, 0);
  });

  it('dessine le texte échappé tel quel (« & » est un glyphe, pas « &amp; »)', () => {
    const glyphs = (content: string) =>
      outlineText(`<text x="0" y="10" font-size="10">${content}</text>`).match(/<path /g)?.length ?? 0;
    expect(glyphs('A&amp;B')).toBe(3);
    expect(glyphs('A B')).toBe(2); // the space advances, draws nothing
    expect(outlineText('<text x="0" y="10" font-size="10"> </text>')).toBe('');
  });
});
