// The reports page: a period (a whole year or any dates) and filters; the annual report's
// sentences as the tracker writes them, the figures with the agreements each counts, the charts
// (drawn on the server, the same as in the files) each with its table, and the downloads.
import { api, download, query, session } from '../api.js';
import { append, clear, h } from '../dom.js';
import { getLang, locale, pick } from '../i18n.js';
import { t, typeLabel } from '../i18n/reports.js';
import { checkForm, errorBox, field, loading, section, showFieldProblems, table } from '../ui.js';
import { importSection } from './report-import.js';
import { intl } from '../time.js';
import { indexActiveIn, indexNameIn, reportYear } from '../index-years.js';

const TYPES = ['mou', 'agreement', 'technical_arrangement', 'cooperation_agreement', 'guideline'];

/** The period and filters in the address (#/reports?year=2022&index=…), so a view can be shared. */
function readFilters(params) {
  const thisYear = reportYear();
  const year = /^\d{4}$/.test(params.get('year') ?? '') ? Number(params.get('year')) : thisYear - 1;
  const from = params.get('from') || `${year}-01-01`;
  const to = params.get('to') || `${year}-12-31`;
  return { year, from, to, index: params.get('index') || '', type: params.get('type') || '', leadUnit: params.get('leadUnit') || '' };
}

const wholeYear = (f) => f.from === `${f.from.slice(0, 4)}-01-01` && f.to === `${f.from.slice(0, 4)}-12-31`;

/** "1 Januari 2023" / "1 January 2023": a calendar day of the period, the way the report writes it. */
const longDay = (day) => intl(Intl.DateTimeFormat, locale(), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

function runs(items) {
  return items.map((r) => (r.agreementId ? h('a', { href: `#/agreements/${r.agreementId}` }, r.text) : r.text));
}

function agreementLinks(agreements) {
  if (!agreements.length) return '–';
  // a code broken at its hyphens ("TA-SA-" above "2022-01") reads as two: the list wraps between codes only
  return agreements.flatMap((a, i) => [i ? ', ' : '', h('a', { href: `#/agreements/${a.id}`, class: 'nowrap' }, a.code)]);
}

const SVG = 'http://www.w3.org/2000/svg';
/** the server's chart colours (reports/charts.ts), so both drawings of a chart match */
const PALETTE = ['#1f5fa8', '#d97b29', '#3a9a5b', '#8e5cb5', '#c4473d', '#6b7b8c'];

function svg(tag, attrs, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

const hasData = (chart) => chart.categories.length > 0 && chart.series.some((s) => s.values.some((v) => v !== null && v !== undefined));

/** Breaks a label into lines of at most `max` characters, at spaces (SVG text does not wrap by itself). */
function lines(text, max) {
  const out = [];
  for (const word of text.split(/\s+/)) {
    const last = out.length - 1;
    if (last >= 0 && out[last].length + 1 + word.length <= max) out[last] += ` ${word}`;
    else out.push(word);
  }
  return out;
}

/**
 * The chart for a phone: the server's 640-wide drawing shrinks to half its size there and its
 * labels to about 5 px, so below the breakpoint the same data is drawn as horizontal bars, one
 * category a line, in a viewBox about as wide as the screen (text near its own size).
 */
/** Characters per category line at 390 px: at the phone drawing's text size, 44 ran past the right edge. */
const PHONE_LINE_CHARS = 36;

function phoneChart(chart, format) {
  const width = 340;
  const barHeight = 14;
  const valueRoom = 44;
  const max = chart.unit === 'share' ? 1 : Math.max(1, ...chart.series.flatMap((s) => s.values.filter((v) => v !== null)));
  const scale = (v) => (v / max) * (width - valueRoom);
  const drawing = svg('svg', { class: 'report-chart-phone-svg', 'aria-hidden': 'true', xmlns: SVG });
  let y = 0;
  if (chart.series.length > 1) {
    chart.series.forEach((s, n) => {
      y += 18;
      drawing.append(svg('rect', { x: 0, y: y - 11, width: 12, height: 12, fill: PALETTE[n % PALETTE.length] }), svg('text', { x: 18, y }, s.name));
    });
    y += 8;
  }
  chart.categories.forEach((category, i) => {
    y += 6;
    for (const line of lines(category, PHONE_LINE_CHARS)) drawing.append(svg('text', { x: 0, y: (y += 16), class: 'report-chart-phone-category' }, line));
    y += 4;
    chart.series.forEach((s, n) => {
      const v = s.values[i];
      const length = v === null || v === undefined ? 0 : Math.max(scale(v), v > 0 ? 1 : 0);
      drawing.append(svg('rect', { x: 0, y, width: length, height: barHeight, fill: PALETTE[n % PALETTE.length] }), svg('text', { x: length + 4, y: y + barHeight - 2 }, format(v)));
      y += barHeight + 3;
    });
  });
  drawing.setAttribute('viewBox', `0 0 ${width} ${y + 4}`);
  // the image's name is its title; the numbers are read from the table below it
  return h('div', { class: 'report-chart-phone', role: 'img', 'aria-label': chart.title }, h('p', { class: 'report-chart-title', 'aria-hidden': 'true' }, chart.title), drawing);
}

function chartCard(chart, index) {
  const format = (v) => (v === null || v === undefined ? '–' : chart.unit === 'share' ? `${Math.round(v * 100)}%` : String(v));
  if (!hasData(chart)) {
    // an empty drawing and a table with no rows say nothing: say so in words
    return h('figure', { class: 'report-chart report-chart-empty', id: `chart-${chart.key}` }, h('figcaption', { class: 'report-chart-title' }, chart.title), h('p', { class: 'empty' }, t('reports.noChartData')));
  }
  const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(chart.svg)}`;
  return h(
    'figure',
    { class: ['report-chart', chart.series.length > 2 && 'report-chart-wide'], id: `chart-${chart.key}` },
    h('img', { src, alt: chart.title, width: '640', height: '300', class: 'report-chart-img' }),
    phoneChart(chart, format),
    h('figcaption', { class: 'visually-hidden' }, chart.title),
    table({
      caption: `${t('reports.chartTable')} ${index + 1}: ${chart.title}`,
      head: [t('reports.category'), ...chart.series.map((s) => s.name)],
      rows: chart.categories.map((c, i) => h('tr', null, h('th', { scope: 'row' }, c), chart.series.map((s) => h('td', { class: 'num', dataset: { label: s.name } }, format(s.values[i]))))),
      className: 'stack-on-phone',
    }),
  );
}

/**
 * An index in the filter. For a period within one year: only the indices reported that year, each
 * under the name it had then (the one the report prints), and the one the address asks for even
 * if it was not, said so. For a period over several years: every index under its latest name, a
 * retired one marked.
 */
function indexOption(index, f, select) {
  const year = f.from.slice(0, 4) === f.to.slice(0, 4) ? Number(f.from.slice(0, 4)) : null;
  const selected = f.index === index.code;
  let label;
  if (year === null) {
    label = pick(index.names.at(-1));
    if (index.retiredFromYear !== null) label = t('reports.indexRetired', { name: label, year: index.retiredFromYear });
  } else {
    label = pick(indexNameIn(index, year));
    if (!indexActiveIn(index, year)) {
      if (!selected) return;
      label = t('reports.indexNotInUse', { name: label, year });
    }
  }
  select.append(h('option', { value: index.code, selected }, label));
}

/** The period and the filters applied, as one line: "Periode 1 Januari 2022 – 31 Desember 2022 · Jenis: Pedoman". */
function describeFilters(f, indexSelect, typeSelect) {
  const chosen = (select) => (select.value ? select.selectedOptions[0]?.textContent : null);
  return [
    t('reports.printedPeriod', { from: longDay(f.from), to: longDay(f.to) }),
    chosen(indexSelect) && `${t('reports.index')}: ${chosen(indexSelect)}`,
    chosen(typeSelect) && `${t('reports.type')}: ${chosen(typeSelect)}`,
    f.leadUnit && `${t('reports.leadUnit')}: ${f.leadUnit}`,
  ]
    .filter(Boolean)
    .join(' · ');
}

/**
 * The period must end on or after its first day: otherwise `to` is marked, named and focused as
 * every form names a wrong field (showFieldProblems), in the page's words (the API would answer
 * with its parameter names, 'to' and 'from').
 */
function checkPeriod(from, to, toInput, out) {
  if (!from || !to || to >= from) return true;
  return showFieldProblems(out, [{ el: toInput, problem: () => t('reports.toBeforeFrom', { from: longDay(from), to: longDay(to) }) }]);
}

export async function renderReports(view) {
  view.setTitle(t('reports.title'));
  const f = readFilters(view.params);
  const lang = getLang();
  const thisYear = reportYear();

  // The year shown is the period's when the period is a whole calendar year, and none otherwise.
  const periodYear = wholeYear(f) ? Number(f.from.slice(0, 4)) : null;
  const years = Array.from({ length: thisYear - 2015 }, (_, i) => thisYear - i);
  if (periodYear !== null && !years.includes(periodYear)) years.push(periodYear);
  const yearSelect = h(
    'select',
    { id: 'report-year' },
    h('option', { value: '', selected: periodYear === null }, ''),
    years.map((y) => h('option', { value: String(y), selected: y === periodYear }, String(y))),
  );
  const fromInput = h('input', { id: 'report-from', type: 'date', value: f.from, required: true });
  const toInput = h('input', { id: 'report-to', type: 'date', value: f.to, required: true });
  const indexSelect = h('select', { id: 'report-index' }, h('option', { value: '' }, t('reports.allIndices')));
  const typeSelect = h('select', { id: 'report-type' }, h('option', { value: '' }, t('reports.allTypes')), TYPES.map((type) => h('option', { value: type, selected: f.type === type }, typeLabel(type))));
  const unitInput = h('input', { id: 'report-unit', type: 'text', maxlength: '60', value: f.leadUnit, placeholder: 'PWNI' });

  const go = (next, options) => view.navigate(`#/reports${query(Object.fromEntries(Object.entries(next).filter(([, v]) => v !== '' && v !== undefined)))}`, options);
  // A year applies as it is chosen. The arrow keys choose one year at a time: focus stays on the
  // choice, so the keyboard can go on from 2025 to 2022 (from the heading it could not).
  yearSelect.addEventListener('change', () => {
    if (yearSelect.value) go({ year: yearSelect.value, index: indexSelect.value, type: typeSelect.value, leadUnit: unitInput.value.trim() }, { focus: 'report-year' });
  });
  // what is wrong with the period is said here, in the page's language, before anything is asked
  const formProblems = h('div', { id: 'report-filters-result' });
  const form = h(
    'form',
    {
      class: 'report-filters',
      id: 'report-filters',
      novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        if (!checkForm(form, formProblems) || !checkPeriod(fromInput.value, toInput.value, toInput, formProblems)) return;
        go({ from: fromInput.value, to: toInput.value, index: indexSelect.value, type: typeSelect.value, leadUnit: unitInput.value.trim() });
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'report-year' }, t('reports.year')), yearSelect),
    field('report-from', t('reports.from'), fromInput),
    field('report-to', t('reports.to'), toInput),
    h('div', { class: 'field' }, h('label', { for: 'report-index' }, t('reports.index')), indexSelect),
    h('div', { class: 'field' }, h('label', { for: 'report-type' }, t('reports.type')), typeSelect),
    h('div', { class: 'field' }, h('label', { for: 'report-unit' }, t('reports.leadUnit')), unitInput),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', id: 'report-apply' }, t('reports.apply'))),
  );

  const filterQuery = { from: f.from, to: f.to, index: f.index || undefined, type: f.type || undefined, leadUnit: f.leadUnit || undefined, lang };
  const status = h('p', { class: 'reserve-line', role: 'status', id: 'report-download-status' });
  const downloadButton = (id, label, path, name) =>
    h(
      'button',
      {
        type: 'button',
        class: 'button',
        id,
        onclick: async () => {
          status.textContent = t('reports.downloading');
          try {
            const saved = await download(path, name);
            status.textContent = t('reports.downloaded', { name: saved });
          } catch (err) {
            clear(status).append(errorBox(err));
          }
        },
      },
      label,
    );
  const year = f.from.slice(0, 4);
  const downloads = h(
    'div',
    { class: 'report-downloads', id: 'report-downloads' },
    wholeYear(f)
      ? [
          downloadButton('download-annual-pdf', t('reports.annualPdf'), `/api/reports/annual${query({ year, format: 'pdf', lang })}`, `laporan-${year}.pdf`),
          downloadButton('download-annual-docx', t('reports.annualDocx'), `/api/reports/annual${query({ year, format: 'docx', lang })}`, `laporan-${year}.docx`),
          downloadButton('download-annual-md', t('reports.annualMd'), `/api/reports/annual${query({ year, format: 'md', lang })}`, `laporan-${year}.md`),
        ]
      : null,
    downloadButton('download-pdf', t('reports.summaryPdf'), `/api/reports/summary${query({ ...filterQuery, format: 'pdf' })}`, 'ringkasan.pdf'),
    downloadButton('download-xlsx', t('reports.summaryXlsx'), `/api/reports/summary${query({ ...filterQuery, format: 'xlsx' })}`, 'ringkasan.xlsx'),
    downloadButton('download-csv', t('reports.summaryCsv'), `/api/reports/summary${query({ ...filterQuery, format: 'csv' })}`, 'ringkasan.csv'),
  );

  // on paper the form is left out, so the period and the filters it holds are said in a line
  const printedFilters = h('p', { class: 'print-only', id: 'report-printed-filters' }, describeFilters(f, indexSelect, typeSelect));
  const paragraphs = h('div', { id: 'report-paragraphs' }, wholeYear(f) ? loading() : h('p', { class: 'muted' }, t('reports.paragraphsWholeYear')));
  const figures = h('div', { id: 'report-figures' }, loading());
  const charts = h('div', { id: 'report-charts', class: 'report-charts' }, loading());

  // append() leaves out the import card for roles without it (the DOM's own append would write "null")
  append(view.main, [
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t('reports.title')), h('p', { class: 'muted' }, t('reports.intro')), printedFilters),
    section(t('reports.period'), [form, formProblems], { id: 'report-period' }),
    section(t('reports.downloads'), [downloads, status], { id: 'report-files' }),
    section(wholeYear(f) ? t('reports.annual', { year }) : t('reports.annualPeriod', { from: longDay(f.from), to: longDay(f.to) }), [paragraphs], { id: 'report-annual' }),
    section(t('reports.figures'), [figures], { id: 'report-figures-card' }),
    section(t('reports.charts'), [charts], { id: 'report-charts-card' }),
    // what was imported counts at once: the sentences, figures and charts are read again
    ['admin', 'drafter'].includes(session.get()?.user?.role) ? importSection(view, { onImported: () => load({ announce: false }) }) : null,
  ]);

  const indices = api('/api/indices').then((res) => {
    for (const i of res.items) indexOption(i, f, indexSelect);
    printedFilters.textContent = describeFilters(f, indexSelect, typeSelect);
  });
  // a shared address with the dates the wrong way round: said at the dates, not with the API's field names
  if (!checkPeriod(f.from, f.to, toInput, formProblems)) {
    for (const el of [downloads, paragraphs, figures, charts]) clear(el);
    await indices.catch(() => {});
    return;
  }
  await load({ announce: true, indices });

  async function load({ announce, indices: first = null }) {
    const annual = wholeYear(f) ? api(`/api/reports/annual.json${query({ year, lang })}`) : null;
    // a whole year without filters: its figures come with the sentences (one pass over the history)
    const period = annual && !f.index && !f.type && !f.leadUnit ? annual.then((a) => a.figures) : api(`/api/reports/figures${query(filterQuery)}`);
    try {
      const [, text, data] = await Promise.all([first, annual, period]);
      if (!view.isCurrent()) return;
      if (text) {
        append(clear(paragraphs), [
          // the annual account is the directorate's whole year, whatever the filters
          f.index || f.type || f.leadUnit ? h('p', { class: 'alert alert-info', id: 'report-annual-unfiltered' }, t('reports.annualUnfiltered', { year })) : null,
          h('p', { class: 'muted' }, text.intro),
          text.sections.length
            ? text.sections.map((s) => h('section', { class: 'report-section' }, h('h3', null, s.heading), h('ul', { class: 'report-bullets' }, s.bullets.map((b) => h('li', null, runs(b))))))
            : h('p', { class: 'empty' }, t('reports.nothing')),
        ]);
      }
      append(clear(figures), [
        table({
          caption: data.title,
          hideCaption: false,
          head: [t('reports.item'), t('reports.number'), t('reports.agreements')],
          rows: data.figures.map((row) =>
            h('tr', null, h('th', { scope: 'row' }, row.label), h('td', { class: 'num', dataset: { label: t('reports.number') } }, String(row.value)), h('td', { dataset: { label: t('reports.agreements') } }, agreementLinks(row.agreements))),
          ),
          className: 'stack-on-phone',
        }),
      ]);
      append(clear(charts), data.charts.map(chartCard));
      if (announce) view.announce(t('reports.ready'));
    } catch (err) {
      if (!view.isCurrent()) return;
      for (const el of [paragraphs, figures, charts]) clear(el);
      figures.append(errorBox(err));
    }
  }
}
