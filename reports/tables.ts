import type { ChartData } from '../domain/reports/annual-report.js';

/**
 * What every report file prints in a cell with nothing in it: a figure that lists no agreement, a
 * chart value with nothing to measure. An empty cell would leave the reader to wonder whether
 * something was lost.
 */
export const EMPTY_CELL = '–';

/**
 * The words the PDF, the DOCX and the Markdown print around the table of figures and the charts,
 * kept in one place so that the three files say the same. The reports page shows the same words
 * from web/i18n/reports.js (a static browser module cannot import this file):
 * test/integration/web.test.ts holds the two together. Headings in sentence case, as the page's.
 */
export const REPORT_WORDS = {
  id: { figures: 'Tabel angka', figuresHeader: ['Uraian', 'Jumlah', 'Perjanjian'], charts: 'Grafik' },
  en: { figures: 'Figures', figuresHeader: ['Item', 'Number', 'Agreements'], charts: 'Charts' },
} as const satisfies Record<'id' | 'en', { figures: string; figuresHeader: readonly [string, string, string]; charts: string }>;

/** A chart value as its table prints it; nothing to measure prints as the figures table's empty cell does. */
export function chartValue(chart: ChartData, v: number | null): string {
  if (v === null) return EMPTY_CELL;
  return chart.unit === 'share' ? `${Math.round(v * 100)}%` : String(v);
}

/** Whether a chart has a value to draw: an empty drawing and a table without rows say nothing, so the files say so in words. */
export const chartHasData = (chart: ChartData): boolean => chart.categories.length > 0 && chart.series.some((s) => s.values.some((v) => v !== null && v !== undefined));

/** What a file writes in place of a chart without data (the reports page says the same). */
export const NO_CHART_DATA = { id: 'Tidak ada data untuk periode ini.', en: 'No data for this period.' } as const;

/** The rows behind a chart, for the table printed with it: one row per category, one column per series. */
export function chartTable(chart: ChartData, lang: 'id' | 'en'): { header: string[]; rows: string[][] } {
  return {
    header: [lang === 'id' ? 'Kategori' : 'Category', ...chart.series.map((s) => s.name)],
    rows: chart.categories.map((category, i) => [category, ...chart.series.map((s) => chartValue(chart, s.values[i]))]),
  };
}
