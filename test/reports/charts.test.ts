import { describe, expect, it } from 'vitest';
import { answersOf } from '../../src/domain/assessment/assessment.js';
import { computeMaturity } from '../../src/domain/scoring/scoring.js';
import {
  cardDisplayWidth,
  cardImageMaxBytes,
  renderCardChartPng,
  chartSizes,
  renderChartDataUri,
  renderChartPng,
  renderChartSvg,
} from '../../src/reports/charts.js';
import { wrapText, textWidth } from '../../src/reports/fonts.js';
import { formatScore } from '../../src/reports/format.js';
import { answeredDiagnostic, ihdr, pngMagic, referentials, setup } from './fixtures.js';

async function quickResult() {
  const { service } = setup();
  const diagnostic = await answeredDiagnostic(service);
  return computeMaturity(referentials.maturity, diagnostic.scope, answersOf(diagnostic));
}

const meta = {
  collectiviteName: 'Cœur de Savoie <script>alert(1)</script>',
  date: '2024-03-12T09:00:00Z',
  scopeLabel: 'Diagnostic rapide',
};

describe('le graphique de maturité', () => {
  it('dessine le radar des 4 enjeux et les barres des 13 prérequis, valeurs et seuils imprimés en français', async () => {
    const svg = renderChartSvg(await quickResult(), meta);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    for (const n of [1, 2, 3, 4]) expect(svg).toContain(`Enjeu ${n} — `);
    expect(svg.match(/<rect x="892" y="[\d.]+" width="236" height="22" fill="#EFEFEF"\/>/g)).toHaveLength(13);
    expect(svg).toContain('Niveau : Consolidation (estimation)');
    expect(svg).toContain('83\u00a0% · Maturité');
    expect(svg).toContain('12 mars 2024');
    for (const t of ['25\u00a0%', '50\u00a0%', '75\u00a0%']) expect(svg).toContain(t);
    expect(svg).toContain('non évalué');
  });

  it('garde le nom de la collectivité comme du texte', async () => {
    const svg = renderChartSvg(await quickResult(), meta);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
  });

  it('rend un PNG de la taille annoncée, avec les polices DejaVu embarquées', async () => {
    const result = await quickResult();
    const started = performance.now();
    const png = renderChartPng(result, meta);
    const ms = performance.now() - started;
    expect(png.subarray(0, 8).equals(pngMagic)).toBe(true);
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect(ihdr(png)).toEqual(chartSizes.full);
    expect(ihdr(renderChartPng(result, meta, { scale: 2 }))).toEqual({ width: 2560, height: 1760 });
    console.log(`graphique PNG 1280×880 : ${png.length} octets en ${ms.toFixed(0)} ms`);
  });

  it('fournit une petite variante en data URI qui tient dans une Adaptive Card Teams', async () => {
    const result = await quickResult();
    const started = performance.now();
    const uri = renderChartDataUri(result, meta);
    const ms = performance.now() - started;
    expect(uri.startsWith('data:image/png;base64,')).toBe(true);
    expect(Buffer.byteLength(uri)).toBeLessThan(cardImageMaxBytes);
    const png = Buffer.from(uri.slice('data:image/png;base64,'.length), 'base64');
    expect(png.subarray(0, 8).equals(pngMagic)).toBe(true);
    expect(ihdr(png)).toEqual(chartSizes.card);
    console.log(
      `variante carte : ${Buffer.byteLength(uri)} octets en data URI (PNG ${png.length} octets) en ${ms.toFixed(0)} ms`,
    );
  });
});

/** Every `<text>` of an SVG: where it starts and ends once laid out in DejaVu Sans, and its size. */
const texts = (svg: string) =>
  [
    ...svg.matchAll(
      /<text x="(-?[\d.]+)" y="(-?[\d.]+)" font-size="(\d+)"( font-weight="bold")?( text-anchor="(\w+)")?[^>]*>([^<]*)<\/text>/g,
    ),
  ].map(([, x, y, size, bold, , anchor, content]) => {
    const width = textWidth(content!.replace(/&[a-z#0-9]+;/g, '_'), Number(size), Boolean(bold));
    const left =
      anchor === 'middle' ? Number(x) - width / 2 : anchor === 'end' ? Number(x) - width : Number(x);
    return { left, right: left + width, y: Number(y), size: Number(size), content: content! };
  });

describe('le graphique pour téléphone', () => {
  it('empile le radar et les 13 prérequis sur 340 px, sans texte qui déborde ni sous 11 px', async () => {
    const { service } = setup();
    const diagnostic = await answeredDiagnostic(service, {
      scope: { kind: 'full' },
      values: ['oui', 'nsp', 'non'],
    });
    const result = computeMaturity(referentials.maturity, diagnostic.scope, answersOf(diagnostic));
    const svg = renderChartSvg(result, { ...meta, scopeLabel: 'Diagnostic complet' }, 'narrow');
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 340 \d+"/);
    expect(svg).toContain('aria-labelledby="graphique-etroit-titre graphique-etroit-description"');
    expect(svg.match(/<polygon/g)!.length).toBeGreaterThan(4);
    const all = texts(svg);
    expect(all.length).toBeGreaterThan(40);
    expect(all).toHaveLength(svg.match(/<text /g)!.length);
    for (const t of all) {
      expect(t.size, t.content).toBeGreaterThanOrEqual(11);
      expect(t.left, t.content).toBeGreaterThanOrEqual(0);
      expect(t.right, t.content).toBeLessThanOrEqual(chartSizes.narrow.width);
    }
    for (const p of result.enjeux.flatMap((e) => e.prerequis))
      expect(all.some((t) => t.content.startsWith(`${p.enjeuNumber}.${p.number} `))).toBe(true);
    for (const n of [1, 2, 3, 4]) expect(all.some((t) => t.content.startsWith(`Enjeu ${n} — `))).toBe(true);
  });
});

describe('le graphique de la carte des résultats', () => {
  const unescape = (t: string) => t.replace(/&#39;/g, "'").replace(/&amp;/g, '&');

  it('nomme chaque enjeu avec son titre du référentiel, lisible sur un téléphone de 390 px', async () => {
    const { service } = setup();
    const diagnostic = await answeredDiagnostic(service, { scope: { kind: 'full' }, values: ['oui', 'non'] });
    const result = computeMaturity(referentials.maturity, diagnostic.scope, answersOf(diagnostic));
    const svg = renderChartSvg(result, meta, 'card');
    const all = texts(svg);
    expect(all).toHaveLength(svg.match(/<text /g)!.length);
    const scale = cardDisplayWidth / chartSizes.card.width;
    for (const t of all) {
      expect(t.size * scale, t.content).toBeGreaterThanOrEqual(11);
      expect(t.left, t.content).toBeGreaterThanOrEqual(0);
      expect(t.right, t.content).toBeLessThanOrEqual(chartSizes.card.width);
      expect(t.y, t.content).toBeLessThanOrEqual(chartSizes.card.height - 4);
    }
    for (const enjeu of referentials.maturity.enjeux) {
      const first = all.findIndex((t) => t.content.startsWith(`${enjeu.number} · `));
      expect(first, `enjeu ${enjeu.number}`).toBeGreaterThanOrEqual(0);
      // the title on two lines, then the score and level
      const label = all.slice(first, first + 2).map((t) => unescape(t.content));
      expect(label.join(' ')).toBe(`${enjeu.number} · ${enjeu.title}`);
      const scores = result.enjeux.find((e) => e.id === enjeu.id)!;
      expect(all[first + 2]!.content).toBe(`${formatScore(scores.score)} · ${scores.level}`);
      // the left and right labels of a row keep apart
      const block = all.slice(first, first + 3);
      const onLeft = block[0]!.left < chartSizes.card.width / 2;
      for (const t of block) {
        if (onLeft) expect(t.right, t.content).toBeLessThan(chartSizes.card.width / 2);
        else expect(t.left, t.content).toBeGreaterThan(chartSizes.card.width / 2);
      }
    }
    expect(svg).not.toMatch(/Enjeu \d · /);
  });

  it('reste un petit PNG à palette', async () => {
    const png = renderCardChartPng(await quickResult(), meta);
    expect(ihdr(png)).toEqual(chartSizes.card);
    expect(png[25]).toBe(3); // colour type 3: indexed
    expect(png.length).toBeLessThan(18 * 1024);
    console.log(`graphique de la carte : PNG ${png.length} octets`);
  });
});

describe('la mise en page du texte', () => {
  it('coupe les libellés longs et finit par « … » ce qui ne tient pas', () => {
    const long =
      'Un sujet identifié par les services administratifs, des ressources humaines dédiées au sein d’une gouvernance interne claire.';
    const lines = wrapText(long, 300, 13, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1]!.endsWith('…')).toBe(true);
    for (const line of lines) expect(textWidth(line, 13)).toBeLessThanOrEqual(300);
    expect(wrapText('Court', 300, 13, 2)).toEqual(['Court']);
  });

  it('mesure plus large en gras et compte les accents', () => {
    expect(textWidth('Émergence', 14, true)).toBeGreaterThan(textWidth('Émergence', 14));
    expect(textWidth('é', 14)).toBeGreaterThan(0);
  });
});

describe('les cas limites', () => {
  it('un diagnostic d’un seul enjeu donne des barres sans radar', async () => {
    const { service } = setup();
    const diagnostic = await answeredDiagnostic(service, {
      scope: { kind: 'enjeu', enjeuId: 'E2' },
      values: ['oui', 'non'],
    });
    const result = computeMaturity(referentials.maturity, diagnostic.scope, answersOf(diagnostic));
    const svg = renderChartSvg(result, { date: diagnostic.updatedAt });
    expect(svg).not.toContain('<polygon');
    expect(svg).toContain('2.3 ');
    expect(ihdr(renderChartPng(result, { date: diagnostic.updatedAt }))).toEqual(chartSizes.full);
  });

  it('un diagnostic sans réponse connue s’affiche « non évalué »', async () => {
    const { service } = setup();
    const diagnostic = await answeredDiagnostic(service, { values: ['nsp'] });
    const result = computeMaturity(referentials.maturity, diagnostic.scope, answersOf(diagnostic));
    expect(result.level).toBeNull();
    const svg = renderChartSvg(result, { date: diagnostic.updatedAt });
    expect(svg).toContain('Niveau : non évalué');
    expect(Buffer.byteLength(renderChartDataUri(result, { date: diagnostic.updatedAt }))).toBeLessThan(
      cardImageMaxBytes,
    );
  });
});
