import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import type { AnnualReport, ChartData, FigureRow, PeriodReport, Run } from '../domain/reports/annual-report.js';
import { longDate } from '../domain/reports/words.js';
import { chartSvg } from './charts.js';
import { EMPTY_CELL, NO_CHART_DATA, REPORT_WORDS, chartHasData, chartTable } from './tables.js';

/**
 * PDF through PDFKit (standard Helvetica, which covers Indonesian), the ECharts SVGs drawn as
 * vectors by svg-to-pdfkit, and every agreement title or code a link back to the tracker.
 */
const MARGIN = 50;
const LINK_COLOUR = '#1f5fa8';

/** The parts every PDF here is made of: a title, paragraphs, bullets, tables and charts. */
export interface PdfContent {
  title: string;
  intro?: string;
  sections: Array<{ heading: string; bullets: Run[][] }>;
  figures?: { heading: string; header: [string, string, string]; rows: FigureRow[] };
  /** extra tables (e.g. the lists of a summary export) */
  tables?: Array<{ heading: string; header: string[]; rows: string[][] }>;
  charts: ChartData[];
  chartsHeading: string;
  lang: 'id' | 'en';
  linkBase: string;
}

export function annualReportPdfContent(report: AnnualReport): PdfContent {
  const words = REPORT_WORDS[report.lang];
  return {
    title: report.title,
    intro: report.intro,
    sections: report.sections,
    figures: { heading: words.figures, header: [...words.figuresHeader], rows: report.figures },
    charts: report.charts,
    chartsHeading: words.charts,
    lang: report.lang,
    linkBase: report.linkBase,
  };
}

/**
 * A period summary as a PDF: its figures, the agreements signed in the period and the charts,
 * every heading and date in the document's own language ("1 April 2022", as its figures write it).
 */
export function summaryPdfContent(report: PeriodReport): PdfContent {
  const L = (id: string, en: string) => (report.lang === 'id' ? id : en);
  const signed = report.summary.signed.list;
  return {
    title: report.title,
    sections: [],
    figures: { heading: REPORT_WORDS[report.lang].figures, header: [...REPORT_WORDS[report.lang].figuresHeader], rows: report.figures },
    tables: signed.length
      ? [{
          heading: L('Ditandatangani', 'Signed'),
          header: [L('Kode', 'Code'), L('Judul', 'Title'), L('Tanggal', 'Date')],
          rows: signed.map((a) => [a.code, report.lang === 'id' ? a.title.id : a.title.en, a.date ? longDate(a.date, report.lang) : '']),
        }]
      : [],
    charts: report.charts,
    chartsHeading: REPORT_WORDS[report.lang].charts,
    lang: report.lang,
    linkBase: report.linkBase,
  };
}

export function renderPdf(content: PdfContent): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: content.title, Creator: 'Pelacak Perjanjian PWNI' }, lang: content.lang === 'id' ? 'id-ID' : 'en-GB' });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;

  doc.font('Helvetica-Bold').fontSize(16).text(content.title, { width });
  if (content.intro) doc.moveDown(0.5).font('Helvetica').fontSize(10).text(content.intro, { width });
  for (const section of content.sections) {
    doc.moveDown(1).font('Helvetica-Bold').fontSize(12).text(section.heading, { width });
    for (const bullet of section.bullets) {
      doc.moveDown(0.4).font('Helvetica').fontSize(10);
      writeRuns(doc, [{ text: '•  ' }, ...bullet], content.linkBase, width);
    }
  }
  if (content.figures) figureTable(doc, content.figures, content.linkBase, width);
  for (const t of content.tables ?? []) plainTable(doc, t.heading, t.header, t.rows, width);
  if (content.charts.length) {
    // The charts go on where the tables end, their heading kept with the first chart: a page break
    // here by rule left a page holding the last few rows of the figures and nothing else.
    doc.moveDown(1).font('Helvetica-Bold').fontSize(12);
    ensureRoom(doc, doc.heightOfString(content.chartsHeading, { width }) + chartRoom(content.charts[0], width));
    doc.text(content.chartsHeading, MARGIN, doc.y, { width });
    for (const chart of content.charts) drawChart(doc, chart, content.lang, width);
  }
  doc.end();
  return done;
}

function writeRuns(doc: PDFKit.PDFDocument, runs: Run[], linkBase: string, width: number): void {
  runs.forEach((run, i) => {
    const last = i === runs.length - 1;
    if (run.agreementId) doc.fillColor(LINK_COLOUR).text(run.text, { width, continued: !last, link: `${linkBase}${run.agreementId}`, underline: true });
    else doc.fillColor('black').text(run.text, { width, continued: !last, link: null, underline: false });
  });
  doc.fillColor('black');
}

function ensureRoom(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
}

function figureTable(doc: PDFKit.PDFDocument, figures: NonNullable<PdfContent['figures']>, linkBase: string, width: number): void {
  const cols = [width * 0.55, width * 0.1, width * 0.35];
  doc.moveDown(1).font('Helvetica-Bold').fontSize(12);
  ensureRoom(doc, 60);
  doc.text(figures.heading, MARGIN, doc.y, { width });
  const rows = figures.rows.map((f) => {
    const codes = codeRuns(doc, f.agreements, cols[2] - 6);
    return [[{ text: f.label }], [{ text: String(f.value) }], codes.length ? codes : [{ text: EMPTY_CELL }]];
  });
  table(doc, figures.header.map((h) => [{ text: h }]), rows, cols, linkBase);
}

/**
 * A figure's codes with a line break between two codes where the next would not fit: left to
 * pdfkit, the line broke at a code's hyphen ("PKS-" above "ID-2022-01"), which reads as two codes.
 */
function codeRuns(doc: PDFKit.PDFDocument, agreements: FigureRow['agreements'], width: number): Run[] {
  doc.font('Helvetica').fontSize(9);
  const comma = doc.widthOfString(', ');
  let used = 0;
  return agreements.flatMap((a, i) => {
    const code = doc.widthOfString(a.code);
    const fits = i > 0 && used + comma + code <= width;
    used = fits ? used + comma + code : code;
    // pdfkit keeps a line break that opens a continued run only (one that ends a run is dropped)
    return [...(i === 0 ? [] : [{ text: fits ? ', ' : ',' }]), { text: fits || i === 0 ? a.code : `\n${a.code}`, agreementId: a.id }];
  });
}

function plainTable(doc: PDFKit.PDFDocument, heading: string, header: string[], rows: string[][], width: number): void {
  const cols = header.map(() => width / header.length);
  doc.moveDown(1).font('Helvetica-Bold').fontSize(11);
  ensureRoom(doc, 50);
  doc.text(heading, MARGIN, doc.y, { width });
  table(doc, header.map((h) => [{ text: h }]), rows.map((r) => r.map((c) => [{ text: c }])), cols, '');
}

/**
 * A table whose header row is printed again at the top of each page it continues on: a page of
 * bare rows ("Perundingan – – 170 68") leaves the reader to turn back to learn what the columns are.
 * The header never stands alone at the foot of a page: it moves on with the first row.
 */
function table(doc: PDFKit.PDFDocument, header: Run[][], rows: Run[][][], cols: number[], linkBase: string): void {
  ensureRoom(doc, rowHeight(doc, header, cols, true) + (rows.length ? rowHeight(doc, rows[0], cols, false) : 0));
  row(doc, header, cols, linkBase, true);
  for (const r of rows) {
    if (doc.y + rowHeight(doc, r, cols, false) > doc.page.height - MARGIN) {
      doc.addPage();
      row(doc, header, cols, linkBase, true);
    }
    row(doc, r, cols, linkBase, false);
  }
}

function rowHeight(doc: PDFKit.PDFDocument, cells: Run[][], cols: number[], header: boolean): number {
  doc.font(header ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
  return Math.max(...cells.map((cell, i) => doc.heightOfString(cell.map((r) => r.text).join(''), { width: cols[i] - 6 }))) + 6;
}

/** One table row: each cell wraps in its column; the row is as tall as its tallest cell. */
function row(doc: PDFKit.PDFDocument, cells: Run[][], cols: number[], linkBase: string, header: boolean): void {
  const height = rowHeight(doc, cells, cols, header);
  ensureRoom(doc, height);
  doc.font(header ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
  const top = doc.y;
  let x = MARGIN;
  cells.forEach((cell, i) => {
    doc.x = x + 3;
    doc.y = top + 3;
    writeRuns(doc, cell, linkBase, cols[i] - 6);
    x += cols[i];
  });
  doc.moveTo(MARGIN, top + height).lineTo(MARGIN + cols.reduce((a, b) => a + b, 0), top + height).lineWidth(0.5).strokeColor('#999999').stroke();
  doc.x = MARGIN;
  doc.y = top + height;
}

/**
 * The SVG is drawn at a size near the text width, so its labels stay close to their own size,
 * then scaled into the text width: svg-to-pdfkit keeps an SVG's own width and height unless it is
 * given a preserveAspectRatio, and a 640-wide chart then ran off the page and under its table.
 */
const PDF_CHART = { width: 560, height: 300 };

/** What a chart needs on its page: its drawing with its table's header and a first row, or its title and the words that say it has no data. */
const chartRoom = (chart: ChartData, width: number): number => (chartHasData(chart) ? width * (PDF_CHART.height / PDF_CHART.width) + 60 : 60);

function drawChart(doc: PDFKit.PDFDocument, chart: ChartData, lang: 'id' | 'en', width: number): void {
  if (!chartHasData(chart)) {
    ensureRoom(doc, chartRoom(chart, width));
    doc.moveDown(0.5).font('Helvetica-Bold').fontSize(10).text(chart.title, MARGIN, doc.y, { width });
    doc.font('Helvetica').fontSize(10).text(NO_CHART_DATA[lang], { width }).moveDown(1);
    return;
  }
  const height = width * (PDF_CHART.height / PDF_CHART.width);
  // the chart, its table's header and a first row stay together on one page
  ensureRoom(doc, chartRoom(chart, width));
  doc.moveDown(0.5);
  const top = doc.y;
  SVGtoPDF(doc, chartSvg(chart, PDF_CHART), MARGIN, top, { width, height, assumePt: true, preserveAspectRatio: 'xMidYMid meet' });
  doc.x = MARGIN;
  doc.y = top + height + 6;
  const t = chartTable(chart, lang);
  const cols = t.header.map(() => width / t.header.length);
  table(doc, t.header.map((h) => [{ text: h }]), t.rows.map((r) => r.map((c) => [{ text: c }])), cols, '');
  doc.moveDown(1);
}
