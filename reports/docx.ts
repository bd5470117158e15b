import { Resvg } from '@resvg/resvg-js';
import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  ImageRun,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { AnnualReport, Run } from '../domain/reports/annual-report.js';
import { chartSvg } from './charts.js';
import { EMPTY_CELL, NO_CHART_DATA, REPORT_WORDS, chartHasData, chartTable } from './tables.js';

/**
 * DOCX through the `docx` library: headings, bullets whose agreement titles are hyperlinks to the
 * tracker, the table of figures, and the charts as SVG images (with the PNG fallback Word needs,
 * rendered by resvg).
 */
function runs(items: Run[], linkBase: string): Array<TextRun | ExternalHyperlink> {
  return items.map((r) =>
    r.agreementId ? new ExternalHyperlink({ link: `${linkBase}${r.agreementId}`, children: [new TextRun({ text: r.text, style: 'Hyperlink' })] }) : new TextRun(r.text),
  );
}

const border = { style: BorderStyle.SINGLE, size: 4, color: '999999' };
const borders = { top: border, bottom: border, left: border, right: border };

function cell(children: Array<TextRun | ExternalHyperlink>, widthPct: number): TableCell {
  return new TableCell({ width: { size: widthPct, type: WidthType.PERCENTAGE }, borders, children: [new Paragraph({ children })] });
}

function simpleTable(header: string[], rows: Array<Array<Array<TextRun | ExternalHyperlink>>>, widths: number[]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: header.map((h, i) => cell([new TextRun({ text: h, bold: true })], widths[i])) }),
      ...rows.map((r) => new TableRow({ children: r.map((c, i) => cell(c, widths[i])) })),
    ],
  });
}

export async function annualReportDocx(report: AnnualReport): Promise<Buffer> {
  const words = REPORT_WORDS[report.lang];
  const body: Array<Paragraph | Table> = [
    new Paragraph({ text: report.title, heading: HeadingLevel.TITLE }),
    new Paragraph({ text: report.intro }),
  ];
  for (const section of report.sections) {
    body.push(new Paragraph({ text: section.heading, heading: HeadingLevel.HEADING_1 }));
    for (const bullet of section.bullets) body.push(new Paragraph({ bullet: { level: 0 }, children: runs(bullet, report.linkBase) }));
  }
  body.push(new Paragraph({ text: words.figures, heading: HeadingLevel.HEADING_1 }));
  body.push(
    simpleTable(
      [...words.figuresHeader],
      report.figures.map((f) => [
        [new TextRun(f.label)],
        [new TextRun(String(f.value))],
        f.agreements.length ? runs(f.agreements.flatMap((a, i) => [...(i ? [{ text: ', ' }] : []), { text: a.code, agreementId: a.id }]), report.linkBase) : [new TextRun(EMPTY_CELL)],
      ]),
      [55, 10, 35],
    ),
  );
  body.push(new Paragraph({ text: words.charts, heading: HeadingLevel.HEADING_1 }));
  for (const chart of report.charts) {
    // A drawing carries its own title, as in the PDF and on the reports page: a heading above it
    // printed the title twice. The title is written out only where there is no drawing to carry it.
    if (!chartHasData(chart)) {
      body.push(new Paragraph({ children: [new TextRun({ text: chart.title, bold: true })] }), new Paragraph({ text: NO_CHART_DATA[report.lang] }));
      continue;
    }
    const svg = chartSvg(chart);
    const png = new Resvg(svg, { fitTo: { mode: 'width', value: 1280 }, background: 'white', font: { loadSystemFonts: true } }).render().asPng();
    body.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new ImageRun({ type: 'svg', data: Buffer.from(svg), fallback: { type: 'png', data: png }, transformation: { width: 600, height: 281 }, altText: { name: chart.title, title: chart.title, description: chart.title } })],
      }),
    );
    const t = chartTable(chart, report.lang);
    body.push(simpleTable(t.header, t.rows.map((r) => r.map((c) => [new TextRun(c)])), t.header.map(() => Math.floor(100 / t.header.length))));
  }
  // The proofing language, as the PDF declares it: without it Word checks an Indonesian report
  // against its own (often English) dictionary and underlines nearly every word in red.
  const language = { value: report.lang === 'id' ? 'id-ID' : 'en-GB' };
  const doc = new Document({ creator: 'Pelacak Perjanjian PWNI', title: report.title, styles: { default: { document: { run: { font: 'Arial', size: 21, language } } } }, sections: [{ children: body }] });
  return Packer.toBuffer(doc);
}
