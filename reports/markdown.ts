import type { AnnualReport, ChartData, FigureRow, Run } from '../domain/reports/annual-report.js';
import { chartSvg } from './charts.js';
import { EMPTY_CELL, NO_CHART_DATA, REPORT_WORDS, chartHasData, chartTable } from './tables.js';

const escape = (text: string) => text.replace(/([\\`*_[\]|<>])/g, '\\$1');

function runs(items: Run[], linkBase: string): string {
  return items.map((r) => (r.agreementId ? `[${escape(r.text)}](${linkBase}${r.agreementId})` : escape(r.text))).join('');
}

const linksOf = (row: FigureRow, linkBase: string) => (row.agreements.length ? row.agreements.map((a) => `[${escape(a.code)}](${linkBase}${a.id})`).join(', ') : EMPTY_CELL);

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/**
 * A chart: its drawing, which carries the title (as in the PDF and on the reports page; a heading
 * above it printed the title twice), then its table. Without data, the title is written out.
 */
function chart(c: ChartData, lang: AnnualReport['lang']): string {
  if (!chartHasData(c)) return [`**${escape(c.title)}**`, '', NO_CHART_DATA[lang]].join('\n');
  const svg = Buffer.from(chartSvg(c)).toString('base64');
  const t = chartTable(c, lang);
  return [`![${escape(c.title)}](data:image/svg+xml;base64,${svg})`, '', table(t.header.map(escape), t.rows.map((r) => r.map(escape)))].join('\n');
}

/** The report as Markdown: headings, bullets with linked titles, the table of figures, charts as SVG images each with its table. */
export function annualReportMarkdown(report: AnnualReport): string {
  const words = REPORT_WORDS[report.lang];
  const out: string[] = [`# ${escape(report.title)}`, '', escape(report.intro), ''];
  for (const section of report.sections) {
    out.push(`## ${escape(section.heading)}`, '');
    for (const bullet of section.bullets) out.push(`- ${runs(bullet, report.linkBase)}`);
    out.push('');
  }
  out.push(`## ${words.figures}`, '');
  out.push(table([...words.figuresHeader], report.figures.map((f) => [escape(f.label), String(f.value), linksOf(f, report.linkBase)])), '');
  out.push(`## ${words.charts}`, '');
  for (const c of report.charts) out.push(chart(c, report.lang), '');
  return out.join('\n');
}
