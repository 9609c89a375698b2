import { levelColors, renderChartPng } from './charts.js';
import { fonts } from './fonts.js';
import { formatScore, nbsp } from './format.js';
import {
  coverageSentence,
  declaredDates,
  levelText,
  officialLine,
  prerequisLabel,
  quantitiesByIndicator,
  reportHeading,
  sourceDate,
  sourceNote,
  unfinishedSentence,
  type ReportData,
  type ReportSource,
} from './reportModel.js';

const regular = 'DejaVu';
const bold = 'DejaVu-Bold';
const ink = '#1A1A1A';
const muted = '#4A4A4A';
const line = '#B8B8B8';

const margin = 50;
const footerHeight = 44;
/** Text flows down to the footer, never into it. */
const pageMargins = { top: margin, bottom: margin + footerHeight, left: margin, right: margin };
/** Every page is added with these options: no `font` in them, which pdfkit would set again on each new page. */
const portrait = { size: 'A4', layout: 'portrait', margins: pageMargins } as const;
const landscape = { ...portrait, layout: 'landscape' } as const;

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

interface TextStyle {
  size?: number;
  color?: string;
  font?: string;
  indent?: number;
  spaceBefore?: number;
}

/**
 * Writes the report top to bottom as tagged PDF: every text is drawn inside the structure element it belongs to
 * (H1–H4, P, L/LI, Table/TR/TH/TD, Figure), in reading order; rules, fills and the repeated table headers and page
 * footers are artifacts, which screen readers skip.
 */
class Writer {
  #section: Struct;

  constructor(
    readonly doc: Doc,
    readonly root: Struct,
  ) {
    this.#section = root;
  }

  get width(): number {
    return this.doc.page.width - margin * 2;
  }

  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  ensure(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage(portrait);
  }

  /** Decoration drawn outside the structure. */
  artifact(draw: () => void, type?: 'Pagination' | 'Layout'): void {
    this.doc.markContent('Artifact', type ? { type } : undefined);
    draw();
    this.doc.endMarkedContent();
  }

  /** Adds a structure element to `parent` (the current section by default); its content is drawn now. */
  tag(
    type: string,
    draw: () => void,
    parent: Struct = this.#section,
    options?: PDFKit.Mixins.StructureElementOptions,
  ): void {
    parent.add(this.doc.struct(type, options ?? {}, draw));
  }

  /** Starts a new section (`Sect`) of the document, titled by an H2. */
  section(title: string, size = 15): void {
    if (this.#section !== this.root) this.#section.end();
    this.#section = this.doc.struct('Sect');
    this.root.add(this.#section);
    this.heading(title, 'H2', size);
  }

  heading(text: string, type: 'H1' | 'H2' | 'H3' | 'H4' = 'H3', size = 11.5, spaceBefore = 0.6): void {
    this.doc.moveDown(spaceBefore).font(bold).fontSize(size);
    this.ensure(this.doc.heightOfString(text, { width: this.width }) + size * 3);
    this.tag(type, () => {
      this.doc.font(bold).fontSize(size).fillColor(ink).text(text, margin, this.doc.y, { width: this.width });
    });
    this.doc.moveDown(0.3);
  }

  paragraph(text: string, style: TextStyle = {}): void {
    const size = style.size ?? 10.5;
    const indent = style.indent ?? 0;
    if (style.spaceBefore) this.doc.moveDown(style.spaceBefore);
    this.doc.font(style.font ?? regular).fontSize(size);
    this.ensure(Math.min(this.doc.heightOfString(text, { width: this.width - indent }), size * 3));
    this.tag('P', () => {
      this.doc
        .font(style.font ?? regular)
        .fontSize(size)
        .fillColor(style.color ?? ink)
        .text(text, margin + indent, this.doc.y, { width: this.width - indent });
    });
    this.doc.moveDown(0.3);
  }

  /** A bulleted list: L > LI > Lbl (the bullet) + LBody. */
  list(items: string[], indent = 0): void {
    const list = this.doc.struct('L');
    this.#section.add(list);
    for (const text of items) {
      this.doc.font(regular).fontSize(10.5);
      const x = margin + indent;
      this.ensure(this.doc.heightOfString(text, { width: this.width - indent - 12 }) + 2);
      const y = this.doc.y;
      const item = this.doc.struct('LI');
      list.add(item);
      this.tag(
        'Lbl',
        () => this.doc.font(regular).fontSize(10.5).fillColor(ink).text('•', x, y, { width: 10 }),
        item,
      );
      this.tag('LBody', () => this.doc.text(text, x + 12, y, { width: this.width - indent - 12 }), item);
      item.end();
      this.doc.moveDown(0.2);
    }
    list.end();
  }

  figure(alt: string, draw: () => void): void {
    this.tag('Figure', draw, this.#section, { alt });
  }

  /**
   * A table with its caption; the first cell of each row is its header (TH). A `{ group }` row is a header across
   * all columns for the rows that follow it. On a new page the column headers are drawn again, as an artifact.
   */
  table(caption: string, columns: Column[], rows: (string[] | { group: string })[]): void {
    const doc = this.doc;
    const size = 9.5;
    const pad = 4;
    const rule = (y: number, width: number) =>
      this.artifact(() => {
        doc
          .moveTo(margin, y)
          .lineTo(margin + this.width, y)
          .strokeColor(line)
          .lineWidth(width)
          .stroke();
      });
    const drawHeader = (parent: Struct | null) => {
      doc.font(bold).fontSize(size);
      const height =
        Math.max(...columns.map((c) => doc.heightOfString(c.header, { width: c.width - 2 * pad }))) + 2 * pad;
      const y = doc.y;
      this.artifact(() => doc.rect(margin, y, this.width, height).fill('#ECECEC'));
      const row = parent ? doc.struct('TR') : null;
      if (parent && row) parent.add(row);
      let x = margin;
      for (const c of columns) {
        const cellX = x;
        const draw = () =>
          doc
            .font(bold)
            .fontSize(size)
            .fillColor(ink)
            .text(c.header, cellX + pad, y + pad, { width: c.width - 2 * pad, align: c.align ?? 'left' });
        if (row) this.tag('TH', draw, row);
        else this.artifact(draw, 'Pagination');
        x += c.width;
      }
      row?.end();
      rule(y + height, 0.7);
      doc.y = y + height;
    };

    this.ensure(60);
    const table = doc.struct('Table');
    this.#section.add(table);
    this.tag(
      'Caption',
      () => doc.font(bold).fontSize(10).fillColor(ink).text(caption, margin, doc.y, { width: this.width }),
      table,
    );
    doc.moveDown(0.25);
    const head = doc.struct('THead');
    table.add(head);
    drawHeader(head);
    head.end();
    const body = doc.struct('TBody');
    table.add(body);
    for (const row of rows) {
      const cells = Array.isArray(row) ? row : [row.group];
      const widths = Array.isArray(row) ? columns.map((c) => c.width) : [this.width];
      const font = Array.isArray(row) ? regular : bold;
      doc.font(font).fontSize(size);
      const height =
        Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: widths[i]! - 2 * pad }))) +
        2 * pad;
      // a group header stays with its first row
      if (doc.y + height + (Array.isArray(row) ? 0 : 20) > this.bottom) {
        doc.addPage(portrait);
        drawHeader(null);
      }
      const y = doc.y;
      if (!Array.isArray(row)) this.artifact(() => doc.rect(margin, y, this.width, height).fill('#F6F6F6'));
      const tr = doc.struct('TR');
      body.add(tr);
      let x = margin;
      cells.forEach((cell, i) => {
        const cellX = x;
        const align = Array.isArray(row) ? (columns[i]!.align ?? 'left') : 'left';
        this.tag(
          i === 0 ? 'TH' : 'TD',
          () => {
            doc
              .font(font)
              .fontSize(size)
              .fillColor(ink)
              .text(cell, cellX + pad, y + pad, { width: widths[i]! - 2 * pad, align });
          },
          tr,
        );
        x += widths[i]!;
      });
      tr.end();
      rule(y + height, 0.5);
      doc.y = y + height;
    }
    body.end();
    table.end();
    doc.x = margin;
    doc.moveDown(0.6);
  }

  end(): void {
    if (this.#section !== this.root) this.#section.end();
    this.root.end();
  }
}

function sourceLine(source: ReportSource): string {
  return `« ${source.title} », ${source.publisher}, ${sourceDate(source.date)}${source.license ? `, licence ${source.license}` : ''}.`;
}

function collect(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

/** What the chart shows, said in words: the Figure's alternative text. */
function chartAlt(report: ReportData): string {
  const score = (s: number | null, level: string | null) =>
    s === null ? 'non évalué' : `${formatScore(s)}${level ? ` (${level})` : ''}`;
  return [
    `Graphique : niveau ${levelText(report)}, score global ${formatScore(report.score)}.`,
    ...report.enjeux.map(
      (e) =>
        `Enjeu ${e.number}, ${e.title} : ${score(e.score, e.level)} ; prérequis ${e.prerequis
          .map((p) => `${p.enjeuNumber}.${p.number} : ${score(p.score, p.level)}`)
          .join(', ')}.`,
    ),
  ].join(' ');
}

/**
 * The report as an A4 tagged PDF (PDF 1.7, language fr-FR, title shown in the reader's title bar): DejaVu fonts
 * embedded (accents, œ, ’, €), the chart with its alternative text, page numbers, sources in the footer.
 */
export async function renderReportPdf(
  report: ReportData,
  options: { chartPng?: Buffer } = {},
): Promise<Buffer> {
  const heading = reportHeading(report);
  // pdfkit is loaded on the first PDF asked for, not at start-up
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    ...portrait,
    bufferPages: true,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'fr-FR',
    displayTitle: true,
    info: {
      Title: `${report.title} — ${heading}`,
      Subject: `${report.scopeLabel} du ${report.dateLabel} — niveau ${levelText(report)}`,
      Author: 'Assistant maturité en inclusion numérique',
      Keywords: 'inclusion numérique, collectivité, maturité, La Mednum',
    },
  });
  const done = collect(doc);
  doc.registerFont(regular, fonts.regular);
  doc.registerFont(bold, fonts.bold);
  doc.font(regular);
  const root = doc.struct('Document');
  doc.addStructure(root);
  const w = new Writer(doc, root);
  const c = report.collectivite;

  doc.font(regular).fontSize(10);
  w.tag('P', () => {
    doc.fillColor(muted).text(report.title.toUpperCase(), margin, margin, { width: w.width });
  });
  doc.moveDown(0.2).font(bold).fontSize(22);
  w.tag('H1', () => doc.fillColor(ink).text(heading, margin, doc.y, { width: w.width }));
  const metaLine = [
    c?.typeLabel,
    report.scopeLabel,
    report.dateLabel,
    `${report.respondentCount} répondant${report.respondentCount > 1 ? 's' : ''}`,
  ]
    .filter(Boolean)
    .join(' · ');
  doc.moveDown(0.2).font(regular).fontSize(11);
  w.tag('P', () => doc.fillColor(muted).text(metaLine, margin, doc.y, { width: w.width }));
  const official = officialLine(report);
  if (official) w.tag('P', () => doc.text(official, margin, doc.y, { width: w.width }));
  if (c && c.traits.length > 0)
    w.tag('P', () => doc.text(`Territoire : ${c.traits.join(', ')}`, margin, doc.y, { width: w.width }));

  // Result box.
  doc.moveDown(0.8);
  const boxY = doc.y;
  const boxHeight = 72;
  w.artifact(() => {
    doc.rect(margin, boxY, w.width, boxHeight).lineWidth(1).strokeColor(ink).stroke();
    if (report.level) doc.rect(margin, boxY, 10, boxHeight).fill(levelColors[report.level]);
  });
  const cell = (x: number, label: string, value: string, note?: string) =>
    w.tag('P', () => {
      doc
        .font(regular)
        .fontSize(10)
        .fillColor(muted)
        .text(label, margin + x, boxY + 10, { lineBreak: false });
      doc
        .font(bold)
        .fontSize(20)
        .fillColor(ink)
        .text(value, margin + x, boxY + 26, { lineBreak: false });
      if (note)
        doc
          .font(regular)
          .fontSize(9.5)
          .fillColor(muted)
          .text(note, margin + x, boxY + 52, { lineBreak: false });
    });
  cell(
    24,
    'Niveau de maturité',
    report.level ?? 'non évalué',
    report.estimate ? 'estimation (diagnostic rapide)' : undefined,
  );
  cell(230, 'Score global', formatScore(report.score));
  cell(330, 'Réponses connues', `${report.coverage.known}${nbsp}/${nbsp}${report.coverage.total}`);
  doc.x = margin;
  doc.y = boxY + boxHeight + 10;
  w.paragraph(`Le score repose sur ${coverageSentence(report)}.`);

  if (report.estimate) {
    w.paragraph(
      'Ceci est une estimation : le diagnostic rapide pose une seule question clé par prérequis. Le diagnostic complet, avec tous les indicateurs, donne un résultat plus sûr.',
      { color: muted },
    );
  }
  if (report.cap) w.paragraph(report.cap.reason, { color: muted });
  if (!report.finished) w.paragraph(unfinishedSentence(report), { color: muted });

  const scoreColumns = (first: string): Column[] => [
    { header: first, width: w.width - 205 },
    { header: 'Score', width: 55, align: 'right' },
    { header: 'Niveau', width: 90 },
    { header: 'Réponses connues', width: 60, align: 'right' },
  ];
  const known = (cov: { known: number; total: number }) => `${cov.known}${nbsp}/${nbsp}${cov.total}`;
  w.section('Scores par enjeu');
  w.table(
    'Score, niveau et réponses connues de chaque enjeu',
    scoreColumns('Enjeu'),
    report.enjeux.map((e) => [
      `Enjeu ${e.number} — ${e.title}`,
      formatScore(e.score),
      e.level ?? '—',
      known(e.coverage),
    ]),
  );
  w.paragraph(
    'Niveaux : Émergence (moins de 25 %), Structuration (25 à 50 %), Consolidation (50 à 75 %), Maturité (75 % et plus). Les réponses « Je ne sais pas » ne comptent pas dans les moyennes.',
    { size: 9, color: muted },
  );

  if (report.strengths.length > 0 || report.priorities.length > 0) w.section('En bref');
  if (report.strengths.length > 0) {
    w.heading('Vos points forts', 'H3', 10.5, 0.2);
    w.list(report.strengths.map((p) => `${prerequisLabel(p)} — ${formatScore(p.score)}`));
  }
  if (report.priorities.length > 0) {
    w.heading('Vos priorités (pistes d’action plus loin)', 'H3', 10.5, 0.4);
    w.list(report.priorities.map((p) => `${prerequisLabel(p)} — ${formatScore(p.score)}`));
  }

  const png =
    options.chartPng ??
    renderChartPng(
      report,
      { ...(c ? { collectiviteName: c.name } : {}), date: report.date, scopeLabel: report.scopeLabel },
      { scale: 1.5, opaque: true },
    );
  doc.addPage(landscape);
  w.section('Graphique des scores', 12);
  const chartTop = doc.y;
  const chartBox: [number, number] = [doc.page.width - 2 * margin, w.bottom - chartTop];
  w.figure(chartAlt(report), () => {
    doc.image(png, margin, chartTop, { fit: chartBox, align: 'center', valign: 'center' });
  });
  doc.addPage(portrait);

  w.section('Scores par prérequis');
  w.table(
    'Score, niveau et réponses connues de chaque prérequis',
    scoreColumns('Prérequis'),
    report.enjeux.flatMap((e) =>
      e.prerequis.map((p) => [prerequisLabel(p), formatScore(p.score), p.level ?? '—', known(p.coverage)]),
    ),
  );

  if (report.priorities.length > 0) {
    w.section('Priorités et pistes d’action');
    for (const p of report.priorities) {
      w.heading(`${prerequisLabel(p)} — ${formatScore(p.score)}`, 'H3', 11.5, 0.5);
      for (const piste of p.pistes) {
        w.heading(piste.title, 'H4', 10.5, 0.2);
        w.paragraph(piste.text, { indent: 12 });
        if (piste.examples.length > 0)
          w.paragraph(`Exemples : ${piste.examples.join(', ')}`, { indent: 12, color: muted });
      }
    }
  }

  if (report.quantities.length > 0) {
    w.section('Chiffres déclarés');
    w.table(
      `Montants et nombres déclarés ${declaredDates(report.quantities)}, par indicateur (non notés)`,
      [
        { header: 'Quantité', width: w.width - 110 },
        { header: 'Valeur', width: 110, align: 'right' },
      ],
      quantitiesByIndicator(report.quantities).flatMap((group) => [
        { group: `Indicateur ${group.indicator} — ${group.text}` },
        ...group.quantities.map((q) => [q.label, q.formatted]),
      ]),
    );
  }

  if (report.toVerify.length > 0) {
    w.section('À vérifier');
    w.paragraph(
      'Vous avez répondu « Je ne sais pas » à ces indicateurs : renseignez-vous, puis complétez le diagnostic.',
    );
    w.list(report.toVerify.map((t) => `Indicateur ${t.indicator} — ${t.text}`));
  }

  if (report.unanswered.length > 0) {
    w.section('Sans réponse');
    w.paragraph('Ces indicateurs n’ont pas de réponse : ils ne comptent pas dans les scores.');
    w.list(
      report.unanswered.map(
        (u) => `Indicateur ${u.indicator} : sans réponse${u.skipped ? ' (question passée)' : ''} — ${u.text}`,
      ),
    );
  }

  w.section('Prochaines étapes : votre feuille de route');
  w.paragraph(report.nextSteps.advice);
  for (const step of report.nextSteps.steps) {
    w.heading(`Étape ${step.number} — ${step.title}`, 'H3', 11.5, 0.5);
    w.paragraph(step.summary);
    w.list(step.actions, 12);
  }

  if (report.arguments && report.arguments.length > 0) {
    w.section('Arguments pour vos élus');
    for (const a of report.arguments) {
      w.heading(a.title, 'H3', 11.5, 0.5);
      w.paragraph(a.text);
      w.paragraph(sourceNote(a.source), { color: muted, size: 9.5 });
    }
  }

  w.section('Sources', 12);
  w.paragraph(`Référentiel : ${sourceLine(report.sources.maturity)}`, { size: 9.5, color: muted });
  if (report.sources.maturity.attribution)
    w.paragraph(report.sources.maturity.attribution, { size: 9.5, color: muted });
  w.paragraph(`Méthode de la feuille de route : ${sourceLine(report.sources.roadmap)}`, {
    size: 9.5,
    color: muted,
  });
  w.paragraph('Les personnes qui ont répondu ne sont pas nommées.', { size: 9.5, color: muted });
  w.end();

  const footer = `${heading} — ${report.dateLabel}`;
  const licence = `Référentiel : ${report.sources.maturity.publisher} (${sourceDate(report.sources.maturity.date)})${
    report.sources.maturity.license ? `, licence ${report.sources.maturity.license}` : ''
  }`;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const y = doc.page.height - margin - footerHeight + 12;
    doc.page.margins.bottom = 0;
    w.artifact(() => {
      doc
        .moveTo(margin, y - 6)
        .lineTo(doc.page.width - margin, y - 6)
        .strokeColor(line)
        .lineWidth(0.5)
        .stroke();
      doc.font(regular).fontSize(8).fillColor(muted);
      doc.text(footer, margin, y, { width: w.width - 80, lineBreak: false, ellipsis: true, height: 12 });
      doc.text(`Page ${i + 1} / ${range.count}`, doc.page.width - margin - 80, y, {
        width: 80,
        align: 'right',
        lineBreak: false,
      });
      doc.text(licence, margin, y + 12, { width: w.width, lineBreak: false });
    }, 'Pagination');
  }
  doc.end();
  return done;
}
