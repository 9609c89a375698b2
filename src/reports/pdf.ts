import { levelColors, renderChartPng } from './charts.js';
import { fonts } from './fonts.js';
import { formatScore, nbsp } from './format.js';
import {
  coverageSentence,
  declaredDates,
  levelText,
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

type Doc = PDFKit.PDFDocument;

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

class Writer {
  constructor(readonly doc: Doc) {}

  get width(): number {
    return this.doc.page.width - margin * 2;
  }

  get bottom(): number {
    return this.doc.page.height - margin - footerHeight;
  }

  ensure(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  heading(text: string, size = 15): void {
    this.ensure(size * 4);
    this.doc
      .moveDown(0.6)
      .font(bold)
      .fontSize(size)
      .fillColor(ink)
      .text(text, margin, this.doc.y, { width: this.width });
    this.doc.moveDown(0.3);
  }

  paragraph(
    text: string,
    options: { size?: number; color?: string; font?: string; indent?: number; spaceBefore?: number } = {},
  ): void {
    const size = options.size ?? 10.5;
    const indent = options.indent ?? 0;
    if (options.spaceBefore) this.doc.moveDown(options.spaceBefore);
    this.doc.font(options.font ?? regular).fontSize(size);
    this.ensure(Math.min(this.doc.heightOfString(text, { width: this.width - indent }), size * 3));
    this.doc
      .fillColor(options.color ?? ink)
      .text(text, margin + indent, this.doc.y, { width: this.width - indent });
    this.doc.moveDown(0.3);
  }

  bullet(text: string, indent = 0): void {
    this.doc.font(regular).fontSize(10.5);
    const x = margin + indent;
    this.ensure(this.doc.heightOfString(text, { width: this.width - indent - 12 }) + 2);
    const y = this.doc.y;
    this.doc.fillColor(ink).text('•', x, y, { width: 10 });
    this.doc.text(text, x + 12, y, { width: this.width - indent - 12 });
    this.doc.moveDown(0.2);
  }

  /** A table; a `{ group }` row is a header across all columns for the rows that follow it. */
  table(caption: string, columns: Column[], rows: (string[] | { group: string })[]): void {
    const size = 9.5;
    const pad = 4;
    const drawHeader = () => {
      this.doc.font(bold).fontSize(size);
      const height =
        Math.max(...columns.map((c) => this.doc.heightOfString(c.header, { width: c.width - 2 * pad }))) +
        2 * pad;
      const y = this.doc.y;
      this.doc.rect(margin, y, this.width, height).fill('#ECECEC');
      let x = margin;
      for (const c of columns) {
        this.doc
          .fillColor(ink)
          .text(c.header, x + pad, y + pad, { width: c.width - 2 * pad, align: c.align ?? 'left' });
        x += c.width;
      }
      this.doc
        .moveTo(margin, y + height)
        .lineTo(margin + this.width, y + height)
        .strokeColor(line)
        .lineWidth(0.7)
        .stroke();
      this.doc.y = y + height;
    };
    this.ensure(60);
    this.doc.font(bold).fontSize(10).fillColor(ink).text(caption, margin, this.doc.y, { width: this.width });
    this.doc.moveDown(0.25);
    drawHeader();
    for (const row of rows) {
      if (!Array.isArray(row)) {
        this.doc.font(bold).fontSize(size);
        const height = this.doc.heightOfString(row.group, { width: this.width - 2 * pad }) + 2 * pad;
        if (this.doc.y + height + 20 > this.bottom) {
          this.doc.addPage();
          drawHeader();
          this.doc.font(bold).fontSize(size);
        }
        const y = this.doc.y;
        this.doc.rect(margin, y, this.width, height).fill('#F6F6F6');
        this.doc.fillColor(ink).text(row.group, margin + pad, y + pad, { width: this.width - 2 * pad });
        this.doc
          .moveTo(margin, y + height)
          .lineTo(margin + this.width, y + height)
          .strokeColor(line)
          .lineWidth(0.5)
          .stroke();
        this.doc.y = y + height;
        continue;
      }
      this.doc.font(regular).fontSize(size);
      const height =
        Math.max(
          ...row.map((cell, i) => this.doc.heightOfString(cell, { width: columns[i]!.width - 2 * pad })),
        ) +
        2 * pad;
      if (this.doc.y + height > this.bottom) {
        this.doc.addPage();
        drawHeader();
        this.doc.font(regular).fontSize(size);
      }
      const y = this.doc.y;
      let x = margin;
      row.forEach((cell, i) => {
        const c = columns[i]!;
        this.doc
          .fillColor(ink)
          .text(cell, x + pad, y + pad, { width: c.width - 2 * pad, align: c.align ?? 'left' });
        x += c.width;
      });
      this.doc
        .moveTo(margin, y + height)
        .lineTo(margin + this.width, y + height)
        .strokeColor(line)
        .lineWidth(0.5)
        .stroke();
      this.doc.y = y + height;
    }
    this.doc.x = margin;
    this.doc.moveDown(0.6);
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

/** The report as an A4 PDF: DejaVu fonts embedded (accents, œ, ’, €), the chart, page numbers, sources in the footer. */
export async function renderReportPdf(
  report: ReportData,
  options: { chartPng?: Buffer } = {},
): Promise<Buffer> {
  const heading = reportHeading(report);
  // pdfkit is loaded on the first PDF asked for, not at start-up
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: margin, bottom: margin, left: margin, right: margin },
    bufferPages: true,
    lang: 'fr-FR',
    displayTitle: true,
    font: fonts.regular,
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
  const w = new Writer(doc);
  const c = report.collectivite;

  doc
    .font(regular)
    .fontSize(10)
    .fillColor(muted)
    .text(report.title.toUpperCase(), margin, margin, { width: w.width });
  doc.moveDown(0.2).font(bold).fontSize(22).fillColor(ink).text(heading, { width: w.width });
  const metaLine = [
    c?.typeLabel,
    report.scopeLabel,
    report.dateLabel,
    `${report.respondentCount} répondant${report.respondentCount > 1 ? 's' : ''}`,
  ]
    .filter(Boolean)
    .join(' · ');
  doc.moveDown(0.2).font(regular).fontSize(11).fillColor(muted).text(metaLine, { width: w.width });
  if (c && c.traits.length > 0) doc.text(`Territoire : ${c.traits.join(', ')}`, { width: w.width });

  // Result box.
  doc.moveDown(0.8);
  const boxY = doc.y;
  const boxHeight = 72;
  doc.rect(margin, boxY, w.width, boxHeight).lineWidth(1).strokeColor(ink).stroke();
  if (report.level) doc.rect(margin, boxY, 10, boxHeight).fill(levelColors[report.level]);
  const cell = (x: number, label: string, value: string, note?: string) => {
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
  };
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
  if (!report.finished) {
    w.paragraph(unfinishedSentence(report), { color: muted });
  }

  const scoreColumns = (first: string): Column[] => [
    { header: first, width: w.width - 205 },
    { header: 'Score', width: 55, align: 'right' },
    { header: 'Niveau', width: 90 },
    { header: 'Réponses connues', width: 60, align: 'right' },
  ];
  const known = (cov: { known: number; total: number }) => `${cov.known}${nbsp}/${nbsp}${cov.total}`;
  w.heading('Scores par enjeu');
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

  if (report.strengths.length > 0 || report.priorities.length > 0) w.heading('En bref');
  if (report.strengths.length > 0) {
    w.paragraph('Vos points forts', { font: bold });
    for (const p of report.strengths) w.bullet(`${prerequisLabel(p)} — ${formatScore(p.score)}`);
  }
  if (report.priorities.length > 0) {
    w.paragraph('Vos priorités (pistes d’action plus loin)', { font: bold, spaceBefore: 0.4 });
    for (const p of report.priorities) w.bullet(`${prerequisLabel(p)} — ${formatScore(p.score)}`);
  }

  const png =
    options.chartPng ??
    renderChartPng(
      report,
      { ...(c ? { collectiviteName: c.name } : {}), date: report.date, scopeLabel: report.scopeLabel },
      { scale: 1.5, opaque: true },
    );
  doc.addPage({
    size: 'A4',
    layout: 'landscape',
    margins: { top: margin, bottom: margin, left: margin, right: margin },
  });
  const chartBox: [number, number] = [
    doc.page.width - 2 * margin,
    doc.page.height - 2 * margin - footerHeight,
  ];
  doc.image(png, margin, margin, { fit: chartBox, align: 'center', valign: 'center' });
  doc.addPage();

  w.heading('Scores par prérequis');
  w.table(
    'Score, niveau et réponses connues de chaque prérequis',
    scoreColumns('Prérequis'),
    report.enjeux.flatMap((e) =>
      e.prerequis.map((p) => [prerequisLabel(p), formatScore(p.score), p.level ?? '—', known(p.coverage)]),
    ),
  );

  if (report.priorities.length > 0) {
    w.heading('Priorités et pistes d’action');
    for (const p of report.priorities) {
      w.paragraph(`${prerequisLabel(p)} — ${formatScore(p.score)}`, {
        font: bold,
        size: 11.5,
        spaceBefore: 0.5,
      });
      for (const piste of p.pistes) {
        w.paragraph(piste.title, { font: bold, indent: 12 });
        w.paragraph(piste.text, { indent: 12 });
        if (piste.examples.length > 0)
          w.paragraph(`Exemples : ${piste.examples.join(', ')}`, { indent: 12, color: muted });
      }
    }
  }

  if (report.quantities.length > 0) {
    w.heading('Chiffres déclarés');
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
    w.heading('À vérifier');
    w.paragraph(
      'Vous avez répondu « Je ne sais pas » à ces indicateurs : renseignez-vous, puis complétez le diagnostic.',
    );
    for (const t of report.toVerify) w.bullet(`Indicateur ${t.indicator} — ${t.text}`);
  }

  if (report.unanswered.length > 0) {
    w.heading('Sans réponse');
    w.paragraph('Ces indicateurs n’ont pas de réponse : ils ne comptent pas dans les scores.');
    for (const u of report.unanswered)
      w.bullet(
        `Indicateur ${u.indicator} : sans réponse${u.skipped ? ' (question passée)' : ''} — ${u.text}`,
      );
  }

  w.heading('Prochaines étapes : votre feuille de route');
  w.paragraph(report.nextSteps.advice);
  for (const step of report.nextSteps.steps) {
    w.paragraph(`Étape ${step.number} — ${step.title}`, { font: bold, size: 11.5, spaceBefore: 0.5 });
    w.paragraph(step.summary);
    for (const action of step.actions) w.bullet(action, 12);
  }

  if (report.arguments && report.arguments.length > 0) {
    w.heading('Arguments pour vos élus');
    for (const a of report.arguments) {
      w.paragraph(a.title, { font: bold, size: 11.5, spaceBefore: 0.5 });
      w.paragraph(a.text);
      w.paragraph(sourceNote(a.source), { color: muted, size: 9.5 });
    }
  }

  w.heading('Sources', 12);
  w.paragraph(`Référentiel : ${sourceLine(report.sources.maturity)}`, { size: 9.5, color: muted });
  if (report.sources.maturity.attribution)
    w.paragraph(report.sources.maturity.attribution, { size: 9.5, color: muted });
  w.paragraph(`Méthode de la feuille de route : ${sourceLine(report.sources.roadmap)}`, {
    size: 9.5,
    color: muted,
  });
  w.paragraph('Les personnes qui ont répondu ne sont pas nommées.', { size: 9.5, color: muted });

  const footer = `${heading} — ${report.dateLabel}`;
  const licence = `Référentiel : ${report.sources.maturity.publisher} (${sourceDate(report.sources.maturity.date)})${
    report.sources.maturity.license ? `, licence ${report.sources.maturity.license}` : ''
  }`;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const y = doc.page.height - margin - footerHeight + 12;
    doc.page.margins.bottom = 0;
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
  }
  doc.end();
  return done;
}
