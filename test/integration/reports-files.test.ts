import { expect } from 'chai';
import request from 'supertest';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer } from '../support/agreements.js';
import { stringify } from 'csv-stringify/sync';
import { REGISTER_COLUMNS } from '../../domain/imports/register-columns.js';
import { loadDemo } from '../support/demo.js';
import { pageTexts } from '../support/pdf-text.js';
import { binary } from '../support/documents.js';
import { STAGES } from '../../workflows/index.js';
import { STAGE_LABELS } from '../../domain/deadlines/labels.js';

/**
 * What the report files look like to the person who opens them: charts inside the page and above
 * their tables, no made-up zeros, numbers a spreadsheet can add up, and words in the reader's
 * language.
 */
const squash = (s: string) => s.replace(/\s+/g, '');

/** A text item as pdf.js places it: its string, its size, and the box it covers on the page (PDF units, y upwards). */
interface Placed {
  page: number;
  str: string;
  /** the font size when the text runs upright, else null (rotated axis labels) */
  uprightSize: number | null;
  left: number;
  right: number;
  bottom: number;
  top: number;
}

/** Every text item of the PDF in content-stream order, with its box (rotated labels: the box around the rotated text). */
async function placedTexts(bytes: Uint8Array): Promise<{ pageWidth: number; items: Placed[] }> {
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  try {
    const items: Placed[] = [];
    let pageWidth = 0;
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      pageWidth = page.view[2];
      for (const item of (await page.getTextContent()).items) {
        if (!('str' in item) || !item.str.trim()) continue;
        const [a, b, c, d, e, f] = item.transform as number[];
        const size = Math.hypot(c, d);
        const along = [a / Math.hypot(a, b), b / Math.hypot(a, b)];
        const up = [c / size, d / size];
        // capitals reach about 0.7 of the size above the baseline, descenders a fifth below it
        const corner = (w: number, h: number) => [e + along[0] * w + up[0] * size * h, f + along[1] * w + up[1] * size * h];
        const corners = [corner(0, -0.2), corner(item.width, -0.2), corner(0, 0.7), corner(item.width, 0.7)];
        const xs = corners.map((p) => p[0]);
        const ys = corners.map((p) => p[1]);
        items.push({ page: n, str: item.str, uprightSize: b === 0 && c === 0 ? d : null, left: Math.min(...xs), right: Math.max(...xs), bottom: Math.min(...ys), top: Math.max(...ys) });
      }
    }
    return { pageWidth, items };
  } finally {
    await doc.destroy();
  }
}

/** The paragraphs of a DOCX body as Word shows them, each with its style (table cells are paragraphs too). */
function docxParagraphs(xml: string): Array<{ style: string | null; text: string }> {
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return [...xml.matchAll(/<w:p>([\s\S]*?)<\/w:p>/g)].map(([, p]) => ({
    style: /<w:pStyle w:val="([^"]+)"/.exec(p)?.[1] ?? null,
    text: unescape([...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('')),
  }));
}

const MARGIN = 50;
/** the size pdf.ts sets its tables in: a chart's table runs from its header while the text keeps this size */
const TABLE_SIZE = 9;

/**
 * Walks the charts part in drawing order (each chart's SVG, then its table) and checks that every
 * piece of a chart's text lies inside the margins and above the header of the chart's table.
 */
function expectChartsInsideAndAboveTables(placed: Awaited<ReturnType<typeof placedTexts>>, heading: string, tableHeader: string, charts: number): void {
  const { pageWidth, items } = placed;
  let k = items.findIndex((i) => i.str === heading) + 1;
  expect(k, 'the charts part has its heading').to.be.greaterThan(0);
  for (let chart = 1; chart <= charts; chart++) {
    const header = items.findIndex((i, j) => j >= k && i.str === tableHeader);
    expect(header, `chart ${chart} has its table`).to.be.greaterThan(k);
    const drawn = items.slice(k, header);
    expect(drawn.length, `chart ${chart} has text of its own`).to.be.greaterThan(3);
    for (const item of drawn) {
      expect(item.left, `"${item.str}" of chart ${chart} starts inside the left margin`).to.be.at.least(MARGIN - 1);
      expect(item.right, `"${item.str}" of chart ${chart} ends inside the right margin`).to.be.at.most(pageWidth - MARGIN + 1);
      if (item.page === items[header].page) expect(item.bottom, `"${item.str}" of chart ${chart} lies above its table`).to.be.greaterThan(items[header].top);
    }
    k = header + 1;
    while (k < items.length && items[k].uprightSize === TABLE_SIZE) k++;
  }
}

describe('reports: the files as a reader sees them', function () {
  this.timeout(120_000);
  let t: TestApp;
  let token: string;

  before(async () => {
    t = await createTestApp({ label: 'rep_files' });
    await loadDemo(t);
    token = (await loginAs(t, 'admin')).token;
  });
  after(async () => t.close());

  const get = (url: string) => binary(request(t.app).get(url).set(bearer(token)));

  it('when the 2022 annual report is printed in Indonesian, then every chart fits inside the margins and its table starts below it', async () => {
    const res = await get('/api/reports/annual?year=2022&format=pdf').expect(200);
    const placed = await placedTexts(res.body);
    expectChartsInsideAndAboveTables(placed, 'Grafik', 'Kategori', 4);
  });

  it('when the 2022 summary is printed in English, then every chart fits inside the margins and its table starts below it', async () => {
    const res = await get('/api/reports/summary?from=2022-01-01&to=2022-12-31&format=pdf&lang=en').expect(200);
    const placed = await placedTexts(res.body);
    expectChartsInsideAndAboveTables(placed, 'Charts', 'Category', 4);
  });

  it('when a type has no stay at a stage, then the median-days chart carries no value there, and its tables show a dash, not 0', async () => {
    const res = await request(t.app).get('/api/reports/figures?from=2022-01-01&to=2022-12-31').set(bearer(token)).expect(200);
    const chart = (res.body.charts as Array<{ key: string; categories: string[]; series: Array<{ name: string; values: Array<number | null> }>; svg: string }>).find((c) => c.key === 'durations')!;
    const pks = chart.series.find((s) => s.name === 'Perjanjian Kerja Sama (PKS)')!;
    // PKS has no negotiation with a foreign state: no value, rather than a median of 0 days
    expect(pks.values[chart.categories.indexOf('Perundingan')]).to.equal(null);
    expect(pks.values[chart.categories.indexOf('Konsultasi antarinstansi')]).to.equal(32);

    const pdf = await get('/api/reports/annual?year=2022&format=pdf').expect(200);
    const pages = (await pageTexts(pdf.body)).join('\n');
    const table = pages.slice(pages.indexOf('Median hari kerja per tahap'));
    expect(squash(table)).to.contain(squash('Perundingan – – 170'));

    const xlsx = await get('/api/reports/summary?from=2022-01-01&to=2022-12-31&format=xlsx').expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body);
    const sheet = book.getWorksheet('Grafik 3')!;
    const header = (sheet.getRow(2).values as unknown[]).slice(1);
    const negotiation = (sheet.getSheetValues() as unknown[][]).find((r) => r?.[1] === 'Perundingan')!.slice(1);
    expect(negotiation[header.indexOf('Perjanjian Kerja Sama (PKS)')]).to.equal(undefined);
    expect(negotiation[header.indexOf('Nota Kesepahaman (MoU)')]).to.equal(170);
  });

  it('when the sentences of a year are asked for, then its figures and charts come with them, the same as the figures of that year without filters', async () => {
    // a reader who may see no other unit's confidential agreement (an administrator's annual report leaves those out: reports-annual)
    const diplomat = (await loginAs(t, 'diplomat')).token;
    const annual = await request(t.app).get('/api/reports/annual.json?year=2022&lang=id').set(bearer(diplomat)).expect(200);
    const figures = await request(t.app).get('/api/reports/figures?from=2022-01-01&to=2022-12-31&lang=id').set(bearer(diplomat)).expect(200);
    expect(annual.body.sections.length).to.be.greaterThan(0);
    expect(annual.body.figures.title).to.equal('Ringkasan Perjanjian 1 Januari 2022 – 31 Desember 2022');
    // each drawing names its clip paths afresh, so the charts are compared by their data and drawn both times
    const data = (body: { charts: Array<{ svg: string }> }) => ({ ...body, charts: body.charts.map(({ svg, ...chart }) => ({ ...chart, drawn: svg.startsWith('<svg') })) });
    expect(data(annual.body.figures)).to.deep.equal(data(figures.body));
  });

  it('when a bar of the on-time chart reaches 100%, then its value label stays below the chart’s title', async () => {
    const res = await request(t.app).get('/api/reports/figures?from=2022-01-01&to=2022-12-31').set(bearer(token)).expect(200);
    const chart = (res.body.charts as Array<{ key: string; svg: string }>).find((c) => c.key === 'on_time')!;
    // ECharts writes each text centred on its point: translate(x y) plus its own y offset, at its font size
    const texts = [...chart.svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map(([, attrs, str]) => {
      const size = Number(/font-size:(\d+)px/.exec(attrs)![1]);
      const centre = Number(/translate\([\d.]+ ([\d.]+)\)/.exec(attrs)?.[1] ?? NaN) + Number(/ y="(-?[\d.]+)"/.exec(attrs)?.[1] ?? 0);
      return { str, top: centre - size / 2, bottom: centre + size / 2, bold: attrs.includes('font-weight:bold') };
    });
    const title = texts.find((x) => x.bold && x.str === 'Tenggat tahap yang dipenuhi tepat waktu')!;
    const labels = texts.filter((x) => /^\d+%$/.test(x.str) && !Number.isNaN(x.top) && x.top < 100);
    expect(labels.map((l) => l.str)).to.include('100%');
    for (const label of labels) expect(label.top, `"${label.str}" starts below the title`).to.be.greaterThan(title.bottom);
  });

  it('when the summary is exported as XLSX, then chart data are numbers and types and indices read as labels in the reader’s language', async () => {
    for (const [lang, labels] of [
      ['id', { sheet: 'Ditandatangani', chart: 'Grafik', mou: 'Nota Kesepahaman (MoU)', ta: 'Pengaturan Teknis', index: 'Indeks Diplomasi Pelindungan WNI di Luar Negeri', durations: 'Durasi tahap' }],
      ['en', { sheet: 'Signed', chart: 'Chart', mou: 'Memorandum of Understanding (MoU)', ta: 'Technical Arrangement', index: 'Index of Diplomacy for the Protection of Indonesian Citizens Abroad', durations: 'Stage durations' }],
    ] as const) {
      const res = await get(`/api/reports/summary?from=2022-01-01&to=2022-12-31&format=xlsx&lang=${lang}`).expect(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.body);
      const stages = book.getWorksheet(`${labels.chart} 1`)!;
      const counts = (stages.getSheetValues() as unknown[][]).slice(3).map((r) => r[2]);
      expect(counts.length).to.be.greaterThan(3);
      for (const n of counts) expect(n, `chart 1 counts are numbers`).to.be.a('number');
      const onTime = book.getWorksheet(`${labels.chart} 4`)!;
      expect(onTime.getCell('B3').value).to.be.a('number').within(0, 1);
      expect(onTime.getCell('B3').numFmt).to.equal('0%');

      const signed = book.getWorksheet(labels.sheet)!;
      const rows = (signed.getSheetValues() as unknown[][]).slice(2);
      expect(rows.map((r) => r[3])).to.deep.equal([labels.mou, labels.ta, lang === 'id' ? 'Perjanjian Kerja Sama (PKS)' : 'Cooperation Agreement (PKS)']);
      expect(rows[0][7]).to.equal(labels.index);
      const durations = (book.getWorksheet(labels.durations)!.getSheetValues() as unknown[][]).slice(2).map((r) => r[1]);
      expect(durations).to.include(labels.mou).and.not.include('mou');
    }
  });

  it('when a figure lists more codes than its column holds on a line, then the PDF breaks the list between codes, never inside a code at its hyphen', async () => {
    for (const url of ['/api/reports/summary?from=2022-01-01&to=2022-12-31&format=pdf&lang=en', '/api/reports/annual?year=2022&format=pdf']) {
      const lines = (await pageTexts((await get(url).expect(200)).body)).join('\n').split('\n');
      // "PKS-" at a line's end, "ID-2022-01" on the next: a reader takes them for two codes
      const broken = lines.filter((line) => /\b[A-Z]{2,3}(?:-[A-Z]{2})?-$/.test(line.trim()));
      expect(broken, url).to.deep.equal([]);
      const signed = lines.find((line) => /^(Agreements signed|Perjanjian ditandatangani)\b/.test(line));
      expect(signed, url).to.match(/MOU-MY-2022-01, TA-SA-2022-01,$/);
      expect(lines[lines.indexOf(signed!) + 1].trim(), url).to.equal('PKS-ID-2022-01');
    }
  });

  it('when the summary is printed in Indonesian, then its signed table speaks Indonesian only and writes dates as the rest of the document does', async () => {
    for (const [lang, header, date] of [
      ['id', 'KodeJudulTanggal', '1 April 2022'],
      ['en', 'CodeTitleDate', '1 April 2022'],
    ] as const) {
      const res = await get(`/api/reports/summary?from=2022-01-01&to=2022-12-31&format=pdf&lang=${lang}`).expect(200);
      const text = squash((await pageTexts(res.body)).join('\n'));
      expect(text).to.contain(squash(header));
      expect(text).to.contain(squash(`MOU-MY-2022-01`));
      expect(text).to.contain(squash(date));
      expect(text).not.to.contain('Kode/Code');
      expect(text).not.to.match(/2022-04-01/);
    }
  });

  it('when a chart names a long stage or index under its bar, then the whole name is there, over more lines if need be, never cut off with an ellipsis', async () => {
    // 'Ditandatangani sebag...' next to 'Ditandatangani' left the reader to guess which bar was which
    for (const lang of ['id', 'en'] as const) {
      const md = (await request(t.app).get(`/api/reports/annual?year=2022&format=md&lang=${lang}`).set(bearer(token)).expect(200)).text;
      const svgs = [...md.matchAll(/data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/g)].map((m) => Buffer.from(m[1], 'base64').toString('utf8'));
      const figures = await request(t.app).get(`/api/reports/figures?from=2022-01-01&to=2022-12-31&lang=${lang}`).set(bearer(token)).expect(200);
      const charts = figures.body.charts as Array<{ title: string; categories: string[] }>;
      expect(svgs.length).to.equal(charts.length);
      charts.forEach((chart, i) => {
        // the lines of one axis label share its position (the transform); each line is a <text> of its own
        const labels = new Map<string, string>();
        for (const [, transform, str] of svgs[i].matchAll(/<text [^>]*transform="([^"]*)"[^>]*>([^<]*)<\/text>/g)) labels.set(transform, (labels.get(transform) ?? '') + str);
        const drawn = [...labels.values()].map(squash);
        for (const category of chart.categories) expect(drawn, `${chart.title}: "${category}"`).to.include(squash(category));
        expect(drawn.filter((d) => d.endsWith('...') || d.endsWith('…')), chart.title).to.deep.equal([]);
      });
    }
  });

  it('when a table of the printed report runs onto another page, then that page repeats its header row before the rows it carries on with', async () => {
    for (const lang of ['id', 'en'] as const) {
      const annual = await request(t.app).get(`/api/reports/annual.json?year=2022&lang=${lang}`).set(bearer(token)).expect(200);
      type Chart = { unit: string; categories: string[]; series: Array<{ values: Array<number | null> }> };
      const { figures, charts } = annual.body.figures as { figures: Array<{ label: string; value: number }>; charts: Chart[] };
      const cell = (c: Chart, v: number | null) => (v === null ? '–' : c.unit === 'share' ? `${Math.round(v * 100)}%` : String(v));
      // how each row of each table begins in the extracted text: its label, then its first number
      const rowStarts = [
        ...figures.map((f) => squash(`${f.label}${f.value}`)),
        ...charts.flatMap((c) => c.categories.map((category, k) => squash(`${category}${cell(c, c.series[0].values[k])}`))),
      ];
      for (const url of [`/api/reports/annual?year=2022&format=pdf&lang=${lang}`, `/api/reports/summary?from=2022-01-01&to=2022-12-31&format=pdf&lang=${lang}`]) {
        const pages = (await pageTexts((await get(url).expect(200)).body)).map(squash);
        expect(pages.length, url).to.be.greaterThan(1);
        pages.forEach((page, i) => {
          const orphan = rowStarts.find((start) => page.startsWith(start));
          expect(orphan, `${url}: page ${i + 1} begins with a row and no header (${page.slice(0, 60)}…)`).to.equal(undefined);
        });
      }
    }
  });

  it('when the table of figures ends with room left on its page, then the charts begin on that page instead of leaving it empty', async () => {
    for (const [lang, heading] of [['id', 'Grafik'], ['en', 'Charts']] as const) {
      for (const url of [`/api/reports/annual?year=2022&format=pdf&lang=${lang}`, `/api/reports/summary?from=2022-01-01&to=2022-12-31&format=pdf&lang=${lang}`]) {
        const { pageWidth, items } = await placedTexts((await get(url).expect(200)).body);
        const at = items.findIndex((i) => i.str === heading);
        expect(at, url).to.be.greaterThan(0);
        const last = items[at - 1];
        // the first chart needs its drawing (the text width at 560:300), its table's header and a first row, and the heading
        const firstChart = ((pageWidth - 2 * MARGIN) * 300) / 560 + 60 + 30;
        const roomLeft = last.bottom - MARGIN;
        if (roomLeft > firstChart) expect(items[at].page, `${url}: "${heading}" follows the last row on page ${last.page}, where ${Math.round(roomLeft)} pt were left`).to.equal(last.page);
        else expect(items[at].page, url).to.equal(last.page + 1);
      }
    }
  });

  it('when the annual report is read as PDF, DOCX and Markdown, then the table of figures has the same heading in each and a figure that lists no agreement shows a dash in each', async () => {
    // the Markdown left the cell empty where the PDF and the DOCX said "–"; the heading is the reports page's too (test/integration/web.test.ts)
    for (const [lang, heading, row] of [['id', 'Tabel angka', 'Perjanjian diakhiri'], ['en', 'Figures', 'Agreements terminated']] as const) {
      const md = (await request(t.app).get(`/api/reports/annual?year=2022&format=md&lang=${lang}`).set(bearer(token)).expect(200)).text.split('\n');
      expect(md, `${lang}: Markdown`).to.include(`## ${heading}`);
      expect(md, `${lang}: Markdown`).to.include(`| ${row} | 0 | – |`);

      const paragraphs = docxParagraphs(await (await JSZip.loadAsync((await get(`/api/reports/annual?year=2022&format=docx&lang=${lang}`).expect(200)).body)).file('word/document.xml')!.async('string'));
      expect(paragraphs, `${lang}: DOCX`).to.deep.include({ style: 'Heading1', text: heading });
      const at = paragraphs.findIndex((p) => p.text === row);
      expect(paragraphs.slice(at, at + 3).map((p) => p.text), `${lang}: DOCX`).to.deep.equal([row, '0', '–']);

      const pdf = (await pageTexts((await get(`/api/reports/annual?year=2022&format=pdf&lang=${lang}`).expect(200)).body)).join('\n');
      expect(pdf.split('\n'), `${lang}: PDF`).to.include(heading);
      expect(squash(pdf), `${lang}: PDF`).to.contain(squash(`${row} 0 –`));
    }
  });

  it('when a figure counts the instruments ending within 180 days, then it says from when: after the period’s last day, in both languages', async () => {
    for (const [lang, label] of [
      ['id', 'Berakhir atau tenggat pemberitahuan pembaruan dalam 180 hari setelah 31 Desember 2022'],
      ['en', 'Term ends or renewal notice falls within 180 days after 31 December 2022'],
    ] as const) {
      const annual = await request(t.app).get(`/api/reports/annual.json?year=2022&lang=${lang}`).set(bearer(token)).expect(200);
      expect((annual.body.figures.figures as Array<{ label: string }>).map((f) => f.label), lang).to.include(label);
      const pdf = squash((await pageTexts((await get(`/api/reports/annual?year=2022&format=pdf&lang=${lang}`).expect(200)).body)).join('\n'));
      expect(pdf, lang).to.contain(squash(label));
    }
  });

  it('when the annual report is read as DOCX or Markdown, then each chart’s title is printed once, in its drawing, as the PDF and the reports page print it', async () => {
    // the DOCX and the Markdown put a heading with the title over a drawing that carries the same title
    for (const lang of ['id', 'en'] as const) {
      const annual = await request(t.app).get(`/api/reports/annual.json?year=2022&lang=${lang}`).set(bearer(token)).expect(200);
      const titles = (annual.body.figures.charts as Array<{ title: string }>).map((c) => c.title);
      expect(titles.length, lang).to.equal(4);
      const drawnTitles = (svgs: string[], title: string) => svgs.join('').split(`>${title}</text>`).length - 1;

      const zip = await JSZip.loadAsync((await get(`/api/reports/annual?year=2022&format=docx&lang=${lang}`).expect(200)).body);
      const paragraphs = docxParagraphs(await zip.file('word/document.xml')!.async('string'));
      const docxSvgs = await Promise.all(Object.keys(zip.files).filter((f) => f.startsWith('word/media/') && f.endsWith('.svg')).map((f) => zip.file(f)!.async('string')));
      for (const title of titles) {
        expect(paragraphs.filter((p) => p.text.includes(title)).length + drawnTitles(docxSvgs, title), `${lang} DOCX: ${title}`).to.equal(1);
      }

      const md = (await request(t.app).get(`/api/reports/annual?year=2022&format=md&lang=${lang}`).set(bearer(token)).expect(200)).text;
      const mdSvgs = [...md.matchAll(/data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/g)].map((m) => Buffer.from(m[1], 'base64').toString('utf8'));
      // what a Markdown viewer shows as text: the lines without the images (whose alternative text is not printed)
      const shown = md.replace(/!\[[^\]]*\]\([^)]*\)/g, '').replace(/\\(.)/g, '$1');
      for (const title of titles) {
        expect(shown.split(title).length - 1 + drawnTitles(mdSvgs, title), `${lang} Markdown: ${title}`).to.equal(1);
      }
    }
  });

  it('when the XLSX lists how long each stage took, then its stages are the stages of the median-days chart: the work before entry into force, not the years in force', async () => {
    for (const [lang, sheetName, inForce] of [['id', 'Durasi tahap', 'Berlaku'], ['en', 'Stage durations', 'In force']] as const) {
      const annual = await request(t.app).get(`/api/reports/annual.json?year=2022&lang=${lang}`).set(bearer(token)).expect(200);
      const chart = (annual.body.figures.charts as Array<{ key: string; categories: string[] }>).find((c) => c.key === 'durations')!;
      expect(chart.categories, lang).not.to.include(inForce);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await get(`/api/reports/annual?year=2022&format=xlsx&lang=${lang}`).expect(200)).body);
      const stages = [...new Set((book.getWorksheet(sheetName)!.getSheetValues() as unknown[][]).slice(2).map((r) => String(r[2])))];
      expect(stages, lang).to.have.members(chart.categories);
    }
  });

  it('when the annual report is opened in Word, then its text is marked as Indonesian (or English), so the spelling check reads it in its own language', async () => {
    for (const [lang, tag] of [['id', 'id-ID'], ['en', 'en-GB']] as const) {
      const docx = await JSZip.loadAsync((await get(`/api/reports/annual?year=2022&format=docx&lang=${lang}`).expect(200)).body);
      const styles = await docx.file('word/styles.xml')!.async('string');
      const defaults = /<w:rPrDefault>([\s\S]*?)<\/w:rPrDefault>/.exec(styles)?.[1] ?? '';
      expect(defaults, `${lang}: the document's default run properties`).to.match(new RegExp(`<w:lang [^>]*w:val="${tag}"`));
      // nothing in the body or the styles says otherwise
      const xml = styles + (await docx.file('word/document.xml')!.async('string'));
      const others = [...xml.matchAll(/<w:lang [^>]*w:val="([^"]+)"/g)].map((m) => m[1]).filter((v) => v !== tag);
      expect(others, lang).to.deep.equal([]);
    }
  });

  it('when the summary is exported as XLSX, then the stage durations and stage deadlines list the stages in the order the work goes through them', async () => {
    for (const [lang, durationsSheet, deadlinesSheet] of [['id', 'Durasi tahap', 'Tenggat tahap'], ['en', 'Stage durations', 'Stage deadlines']] as const) {
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await get(`/api/reports/summary?from=2022-01-01&to=2022-12-31&format=xlsx&lang=${lang}`).expect(200)).body);
      const workflow = STAGES.map((stage) => STAGE_LABELS[stage][lang]);
      const rank = (label: unknown) => workflow.indexOf(String(label));
      const rows = (name: string) => (book.getWorksheet(name)!.getSheetValues() as unknown[][]).slice(2);

      const byType = new Map<string, number[]>();
      for (const r of rows(durationsSheet)) byType.set(String(r[1]), [...(byType.get(String(r[1])) ?? []), rank(r[2])]);
      expect(byType.size, durationsSheet).to.be.greaterThan(2);
      for (const [type, ranks] of byType) {
        expect(ranks, `${durationsSheet}: ${type}`).not.to.include(-1);
        expect(ranks, `${durationsSheet}: ${type}`).to.deep.equal([...ranks].sort((a, b) => a - b));
      }
      // the sheet lists the stages first, then the lead units
      const stageRanks = rows(deadlinesSheet).map((r) => rank(r[1])).filter((k) => k >= 0);
      expect(stageRanks.length, deadlinesSheet).to.be.greaterThan(3);
      expect(stageRanks, deadlinesSheet).to.deep.equal([...stageRanks].sort((a, b) => a - b));
    }
  });

  it('when a year has nothing to chart, then the Markdown, DOCX and PDF say so under each such chart instead of an empty drawing and a table without rows', async () => {
    // 1990: before every demo agreement, so no stage, stay or deadline to chart
    const figures = await request(t.app).get('/api/reports/figures?from=1990-01-01&to=1990-12-31&lang=en').set(bearer(token)).expect(200);
    const charts = figures.body.charts as Array<{ title: string; categories: string[]; series: Array<{ values: Array<number | null> }> }>;
    const empty = charts.filter((c) => !c.categories.length || c.series.every((s) => s.values.every((v) => v === null)));
    expect(empty.map((c) => c.title)).to.include('Agreements by stage over time, to 31 December 1990');

    const md = (await request(t.app).get('/api/reports/annual?year=1990&format=md&lang=en').set(bearer(token)).expect(200)).text;
    // each chart's part of the Markdown starts with its image (whose text is the title) or, without data, its title in bold
    const parts = md.slice(md.indexOf('## Charts')).split(/\n(?=!\[|\*\*)/).slice(1);
    expect(parts.length).to.equal(charts.length);
    for (const [k, c] of charts.entries()) {
      const part = parts[k];
      expect([`![${c.title}]`, `**${c.title}**`].some((start) => part.startsWith(start)), `${c.title}: ${part.slice(0, 80)}`).to.equal(true);
      if (empty.includes(c)) {
        expect(part, c.title).to.contain('No data for this period.');
        expect(part, c.title).not.to.contain('data:image/svg+xml');
      } else expect(part, c.title).to.contain('data:image/svg+xml');
    }

    const docx = await JSZip.loadAsync((await get('/api/reports/annual?year=1990&format=docx').expect(200)).body);
    const xml = await docx.file('word/document.xml')!.async('string');
    expect(xml.split('Tidak ada data untuk periode ini.').length - 1).to.equal(empty.length);
    expect(Object.keys(docx.files).filter((f) => f.startsWith('word/media/') && f.endsWith('.svg')).length).to.equal(charts.length - empty.length);

    const pdf = squash((await pageTexts((await get('/api/reports/annual?year=1990&format=pdf&lang=en').expect(200)).body)).join('\n'));
    expect(pdf.split(squash('No data for this period.')).length - 1).to.equal(empty.length);
    expect(pdf).not.to.contain(squash('Agreements by stage over time, to 31 December 1990Category'));
  });
});

describe('reports: the days of a spreadsheet', function () {
  this.timeout(120_000);
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ label: 'rep_days' });
  });
  after(async () => t?.close());

  it('when an agreement was signed before 07:00 in Jakarta, then the XLSX dates it by Jakarta’s calendar as the page does, and says why an agreement is listed as expiring in words', async () => {
    const token = (await loginAs(t, 'admin')).token;
    // an imported date is the day's midnight in Jakarta: 3 March 2026 is 2 March, 17:00, by UTC
    const row = {
      code: 'MOU-MY-2026-09', type: 'mou', title_id: 'MoU Uji Tanggal', title_en: 'Date Test MoU', lead_unit: 'PWNI', stage: 'in_force', stage_since: '2026-03-03',
      parties: 'Republik Indonesia [state, ID]; Malaysia [state, MY]', signatories: 'Sugiono, Menteri Luar Negeri; Mohamad Hasan, Menteri Luar Negeri',
      signed_on: '2026-03-03', signed_at_place: 'Jakarta', in_force_on: '2026-03-03', in_force_basis: 'on_signature', expires_on: '2027-04-30', notice_days: '30',
      indices: '', confidentiality: 'internal', subjects: '', languages: 'id; en',
    };
    const csv = Buffer.from('\uFEFF' + stringify([row], { header: true, columns: REGISTER_COLUMNS.map((c) => c.key) }));
    const imported = await request(t.app).post('/api/imports?dryRun=false').set(bearer(token)).attach('file', csv, 'register.csv');
    expect(imported.status, JSON.stringify(imported.body)).to.equal(201);
    const listed = (await request(t.app).get('/api/reports/summary?from=2026-01-01&to=2026-12-31').set(bearer(token))).body.signed.list.find((x: any) => x.code === row.code);
    expect(listed.date).to.equal('2026-03-02T17:00:00.000Z');
    for (const [lang, sheetName, expiringSheet, reason] of [
      ['id', 'Ditandatangani', 'Akan berakhir', 'Batas akhir pemberitahuan jatuh dalam 180 hari setelah 31 Desember 2026'],
      ['en', 'Signed', 'Expiring', 'Notice falls due within 180 days after 31 December 2026'],
    ] as const) {
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await binary(request(t.app).get(`/api/reports/summary?from=2026-01-01&to=2026-12-31&format=xlsx&lang=${lang}`).set(bearer(token))).expect(200)).body);
      const signed = book.getWorksheet(sheetName)!;
      const at = (signed.getSheetValues() as unknown[][]).findIndex((r) => r && (r[1] as any)?.text === row.code);
      expect(at, lang).to.be.greaterThan(1);
      const cell = signed.getCell(at, 4);
      expect((cell.value as Date).toISOString()).to.equal('2026-03-03T00:00:00.000Z');
      expect(cell.numFmt).to.equal('yyyy-mm-dd');
      const expiring = (book.getWorksheet(expiringSheet)!.getSheetValues() as unknown[][]).find((r) => r && (r[1] as any)?.text === row.code)!;
      expect((expiring[2] as Date).toISOString().slice(0, 10)).to.equal('2027-04-30');
      expect((expiring[3] as Date).toISOString().slice(0, 10)).to.equal('2027-03-31');
      expect(expiring[4]).to.equal(reason);
    }
  });
});
