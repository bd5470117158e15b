import * as echarts from 'echarts';
import type { ChartData } from '../domain/reports/annual-report.js';

/**
 * Charts drawn on the server as SVG by Apache ECharts (its server-side renderer needs no
 * browser or canvas): the same picture goes into the PDF, the DOCX and the Markdown.
 */
const PALETTE = ['#1f5fa8', '#d97b29', '#3a9a5b', '#8e5cb5', '#c4473d', '#6b7b8c'];

export function chartSvg(chart: ChartData, size = { width: 640, height: 300 }): string {
  const instance = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    const percent = chart.unit === 'share';
    // Values are printed above single-series bars: the plot starts low enough under the title that
    // the label of a full-height bar (100%) stays clear of it.
    const labelled = chart.series.length === 1;
    const rotated = chart.categories.length > 4;
    const grid = { left: rotated ? 84 : 48, right: 16, top: labelled ? 60 : 44, bottom: chart.series.length > 1 ? 120 : 70 };
    // An axis label wraps onto further lines rather than ending in "…": the reader must tell
    // "Ditandatangani sebagian" from "Ditandatangani", and one index from another, on the chart itself.
    // Upright labels may take their whole slot; rotated ones run diagonally and keep to 110 px.
    const labelWidth = rotated ? 110 : Math.max(60, Math.floor((size.width - grid.left - grid.right) / Math.max(1, chart.categories.length)) - 12);
    instance.setOption({
      animation: false,
      color: PALETTE,
      title: { text: chart.title, left: 'center', textStyle: { fontSize: 14, fontFamily: 'Helvetica, Arial, sans-serif' } },
      legend: chart.series.length > 1 ? { bottom: 0, textStyle: { fontSize: 10 } } : undefined,
      // the bottom holds the rotated axis labels (up to 110 px long) and, with several series, a legend of up to two lines
      grid,
      xAxis: { type: 'category', data: chart.categories, axisLabel: { interval: 0, rotate: rotated ? 30 : 0, fontSize: 10, width: labelWidth, overflow: 'break' } },
      yAxis: { type: 'value', max: percent ? 1 : undefined, minInterval: chart.unit === 'count' ? 1 : undefined, axisLabel: { formatter: percent ? (v: number) => `${Math.round(v * 100)}%` : undefined } },
      series: chart.series.map((s) => ({
        type: 'bar',
        name: s.name,
        // null stays null: ECharts leaves the bar out rather than drawing a zero
        data: s.values,
        label: { show: labelled, position: 'top', fontSize: 10, formatter: percent ? (p: { value: number }) => `${Math.round(p.value * 100)}%` : undefined },
      })),
    });
    return instance.renderToSVGString();
  } finally {
    instance.dispose();
  }
}
