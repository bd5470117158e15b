import type { ChartData } from '../domain/reports/annual-report.js';

/** The rows behind a chart, for the table printed with it: one row per category, one column per series. */
export function chartTable(chart: ChartData, lang: 'id' | 'en'): { header: string[]; rows: string[][] } {
  const format = (v: number) => (chart.unit === 'share' ? `${Math.round(v * 100)}%` : String(v));
  return {
    header: [lang === 'id' ? 'Kategori' : 'Category', ...chart.series.map((s) => s.name)],
    rows: chart.categories.map((category, i) => [category, ...chart.series.map((s) => format(s.values[i]))]),
  };
}
