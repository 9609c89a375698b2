import { inflateSync } from 'node:zlib';
import { extractText, getDocumentProxy } from 'unpdf';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReportPdf } from '../../src/reports/pdf.js';
import { buildReportData, type ReportData } from '../../src/reports/reportModel.js';
import { answeredDiagnostic, createCollectivite, referentials, setup } from './fixtures.js';

interface StructNode {
  role?: string;
  alt?: string;
  type?: string;
  id?: string;
  children?: StructNode[];
}

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

/** An object's dictionary, as pdfkit writes it (`N 0 obj\n<<…>>`). */
function objectText(raw: string, n: string): string {
  const start = raw.indexOf(`\n${n} 0 obj\n`);
  const end = raw.indexOf('\nendobj', start);
  const stream = raw.indexOf('stream\n', start);
  return raw.slice(start, stream > 0 && stream < end ? stream : end);
}

/**
 * Each page's content stream, inflated (pdfkit writes one per page, referenced by /Contents), and the base font
 * of each of its font resources ("F3" → "ABCDEF+DejaVuSans-Bold").
 */
function pages(pdf: Buffer): { content: string; fonts: Map<string, string> }[] {
  const raw = pdf.toString('latin1');
  return [...raw.matchAll(/\/Type \/Page\n[^]*?\/Contents (\d+) 0 R\n\/Resources (\d+) 0 R/g)].map(
    ([, n, r]) => {
      const dict = objectText(raw, n!);
      const length = Number(/\/Length (\d+)/.exec(dict)![1]);
      const from = raw.indexOf(dict) + dict.length + 'stream\n'.length;
      const data = pdf.subarray(from, from + length);
      const content = (/\/FlateDecode/.test(dict) ? inflateSync(data) : data).toString('latin1');
      const fontDict = /\/Font <<([^>]*)>>/.exec(objectText(raw, r!))?.[1] ?? '';
      const fonts = new Map(
        [...fontDict.matchAll(/\/(\w+) (\d+) 0 R/g)].map(([, name, ref]) => [
          name!,
          /\/BaseFont \/(\S+)/.exec(objectText(raw, ref!))?.[1] ?? '',
        ]),
      );
      return { content, fonts };
    },
  );
}

const paintOperators = new Set([
  'f',
  'F',
  'f*',
  'S',
  's',
  'B',
  'B*',
  'b',
  'b*',
  'Tj',
  'TJ',
  "'",
  '"',
  'Do',
  'sh',
]);

/** Paint operators (text, paths, images) drawn outside any marked content (neither a tag nor an artifact). */
function unmarkedPainting(content: string): { painted: number; outside: string[]; depthAtEnd: number } {
  const tokens = content
    .replace(/\((?:\\.|[^\\)])*\)/g, ' ')
    .replace(/<<[^]*?>>/g, ' ')
    .replace(/<[0-9a-fA-F\s]*>/g, ' ')
    .split(/[\s[\]]+/)
    .filter(Boolean);
  let depth = 0;
  let painted = 0;
  const outside: string[] = [];
  for (const token of tokens) {
    if (token === 'BDC' || token === 'BMC') depth++;
    else if (token === 'EMC') depth--;
    else if (paintOperators.has(token)) {
      painted++;
      if (depth < 1) outside.push(token);
    }
  }
  return { painted, outside, depthAtEnd: depth };
}

/** Each page's text items with the marked-content tag they are drawn in ("H1", "P", "Artifact"…) and its id. */
async function markedText(doc: PdfDocument, pageNumber: number) {
  const page = await doc.getPage(pageNumber);
  const { items } = await page.getTextContent({ includeMarkedContent: true });
  const stack: { tag: string; id?: string }[] = [];
  const texts: { str: string; tag?: string; id?: string }[] = [];
  for (const item of items as (
    { type: string; tag?: string; id?: string } | { str: string; hasEOL: boolean }
  )[]) {
    if ('str' in item) {
      // pdf.js gives a wrapped line's final space as hasEOL
      const str = item.hasEOL ? `${item.str} ` : item.str;
      if (str.trim()) texts.push({ str, ...stack[stack.length - 1] });
    } else if (item.type === 'beginMarkedContent' || item.type === 'beginMarkedContentProps') {
      stack.push({ tag: item.tag ?? '', ...(item.id ? { id: item.id } : {}) });
    } else if (item.type === 'endMarkedContent') stack.pop();
  }
  return texts;
}

function nodes(tree: StructNode, list: StructNode[] = []): StructNode[] {
  if (tree.role) list.push(tree);
  for (const child of tree.children ?? []) nodes(child, list);
  return list;
}

const contentIds = (node: StructNode): string[] =>
  (node.children ?? []).flatMap((c) => (c.type === 'content' && c.id ? [c.id] : contentIds(c)));

let report: ReportData;
let pdf: Buffer;
let doc: PdfDocument;

beforeAll(async () => {
  const { service } = setup();
  const collectivite = await createCollectivite(service, 'teams-user-aad-0001');
  const diagnostic = await answeredDiagnostic(service, {
    collectiviteId: collectivite.id,
    quantities: { 22: { q22_budget_fonctionnement: 45000 } },
  });
  report = buildReportData(referentials, diagnostic, collectivite);
  pdf = await renderReportPdf(report);
  doc = await getDocumentProxy(new Uint8Array(pdf));
});

describe('le rapport PDF balisé, pour les lecteurs d’écran', () => {
  it('se déclare PDF balisé 1.7, en français, avec un titre affiché par le lecteur', async () => {
    const raw = pdf.toString('latin1');
    expect(raw.startsWith('%PDF-1.7')).toBe(true);
    expect(raw).toMatch(/\/MarkInfo \d+ 0 R/);
    expect(raw).toMatch(/\/StructTreeRoot \d+ 0 R/);
    expect(raw).toContain('/Lang (fr-FR)');
    const preferences = /\/ViewerPreferences (\d+) 0 R/.exec(raw)![1];
    expect(raw).toMatch(new RegExp(`\\n${preferences} 0 obj\\n<<\\n/DisplayDocTitle true\\n>>`));
    expect(await doc.getMarkInfo()).toMatchObject({ Marked: true });
    const { info } = (await doc.getMetadata()) as unknown as { info: { Title: string; Language: string } };
    expect(info.Language).toBe('fr-FR');
    expect(info.Title).toBe(
      'Rapport de maturité en inclusion numérique — Communauté de communes Cœur de Savoie',
    );
  });

  it('a une structure : un titre H1, des sections H2, des tableaux, des listes et un graphique décrit', async () => {
    const all: StructNode[] = [];
    for (let n = 1; n <= doc.numPages; n++)
      nodes((await (await doc.getPage(n)).getStructTree()) as StructNode, all);
    const roles = new Set(all.map((node) => node.role));
    for (const role of ['Document', 'H1', 'H2', 'H3', 'H4', 'P', 'Sect', 'L', 'LI', 'Lbl', 'LBody'])
      expect(roles, role).toContain(role);
    for (const role of ['Table', 'Caption', 'THead', 'TBody', 'TR', 'TH', 'TD'])
      expect(roles, role).toContain(role);
    expect(all.filter((node) => node.role === 'H1')).toHaveLength(1);

    const figure = all.find((node) => node.role === 'Figure');
    expect(figure?.alt).toContain('Graphique : niveau Consolidation (estimation), score global 61');
    expect(figure?.alt).toContain('Enjeu 2, Garantir une capacité opérationnelle solide : 83');
    expect(figure?.alt).toContain('1.1 : 100');

    // rows of the enjeux table: a header cell, then score, level, known answers
    const table = all.find((node) => node.role === 'Table')!;
    const rows = nodes(table).filter((node) => node.role === 'TR');
    expect(rows).toHaveLength(1 + report.enjeux.length);
    for (const row of rows.slice(1))
      expect(row.children!.map((c) => c.role)).toEqual(['TH', 'TD', 'TD', 'TD']);
  });

  it('relie chaque balise à son texte : le H1 est le nom de la collectivité, les H2 les titres des sections', async () => {
    const page = await doc.getPage(1);
    const tree = (await page.getStructTree()) as StructNode;
    const text = new Map<string, string>();
    for (const t of await markedText(doc, 1)) if (t.id) text.set(t.id, `${text.get(t.id) ?? ''}${t.str}`);
    const textOf = (node: StructNode) =>
      contentIds(node)
        .map((id) => text.get(id) ?? '')
        .join(' ');
    const h1 = nodes(tree).find((node) => node.role === 'H1')!;
    expect(textOf(h1).trim()).toBe('Communauté de communes Cœur de Savoie');
    const h2 = nodes(tree)
      .filter((node) => node.role === 'H2')
      .map((node) => textOf(node).trim());
    expect(h2).toEqual(['Scores par enjeu', 'En bref']);
  });

  it('ne laisse rien hors balise : les pieds de page, filets et fonds sont des artefacts', async () => {
    const contents = pages(pdf).map((p) => p.content);
    expect(contents).toHaveLength(doc.numPages);
    for (const [i, content] of contents.entries()) {
      const { painted, outside, depthAtEnd } = unmarkedPainting(content);
      expect(painted, `page ${i + 1}`).toBeGreaterThan(3);
      expect(outside, `page ${i + 1}`).toEqual([]);
      expect(depthAtEnd, `page ${i + 1}`).toBe(0);
    }
    for (let n = 1; n <= doc.numPages; n++) {
      const texts = await markedText(doc, n);
      for (const t of texts) expect(t.tag, `page ${n} : « ${t.str} »`).toBeTruthy();
      const footer = texts.filter(
        (t) =>
          t.str.trim() === `Page ${n} / ${doc.numPages}` ||
          t.str.startsWith('Référentiel : La Mednum (décembre 2023), licence CC BY-SA 4.0'),
      );
      expect(footer, `page ${n}`).toHaveLength(2);
      for (const t of footer) expect(t.tag, `page ${n} : « ${t.str} »`).toBe('Artifact');
    }
  });

  it('écrit chaque titre en gras, même en haut d’une nouvelle page', async () => {
    // with these answers a section title falls at the foot of a page and moves to the next one
    const { service } = setup();
    const collectivite = await createCollectivite(
      service,
      'u1',
      'Communauté d’agglomération des coteaux du Lauragais, de la vallée de la Garonne et de la montagne Noire réunies',
    );
    const full = await answeredDiagnostic(service, {
      collectiviteId: collectivite.id,
      scope: { kind: 'full' },
      values: ['oui', 'en_partie', 'non', 'nsp', 'oui'],
      quantities: { 35: { q35_conventions_signees: 4 }, 38: { q38_conventions_hub: 1 } },
    });
    const long = pages(await renderReportPdf(buildReportData(referentials, full, collectivite)));
    expect(long.some((p) => /^[^]*?BDC/.exec(p.content)![0].includes('/H2'))).toBe(true);
    let headings = 0;
    for (const [i, { content, fonts }] of long.entries()) {
      for (const [, tag, body] of content.matchAll(/\/(H\d) <<[^>]*>> BDC([^]*?)EMC/g)) {
        headings++;
        for (const [, font] of body!.matchAll(/\/(\w+) [\d.]+ Tf/g))
          expect(fonts.get(font!), `page ${i + 1}, ${tag}`).toMatch(/\+DejaVuSans-Bold$/);
      }
    }
    expect(headings).toBeGreaterThan(15);
  });

  it('se lit toujours dans l’ordre, texte extrait compris', async () => {
    const { text } = await extractText(doc, { mergePages: true });
    const flat = text.replace(/[\s\u00a0]+/g, ' ');
    const order = [
      'Communauté de communes Cœur de Savoie',
      'Scores par enjeu',
      'Graphique des scores',
      'Scores par prérequis',
      'Chiffres déclarés',
      'Sources',
    ];
    const positions = order.map((s) => flat.indexOf(s));
    for (const p of positions) expect(p).toBeGreaterThanOrEqual(0);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(flat).toContain('Indicateur 22 — Un document budgétaire atteste');
  });
});
