import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { chromium, type Browser, type Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser, type TestUser } from '../support/users.js';
import { loadDemo } from '../support/demo.js';
import { pageTexts } from '../support/pdf-text.js';

/**
 * The reports page with the demo data, in Debian's Chromium: a new user picks 2022, reads the
 * seed's paragraph written by the tracker, and downloads the PDF and the XLSX. Set
 * SCREENSHOT_DIR to keep screenshots (desktop and phone, both languages).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const squash = (s: string) => s.replace(/\s+/g, '');

describe('reports page in a browser', function () {
  this.timeout(90_000);
  let t: TestApp | undefined;
  let server: Server | undefined;
  let browser: Browser | undefined;
  let baseUrl: string;
  let diplomat: TestUser;
  let pageErrors: string[] = [];

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      console.warn(`\n    Browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)\n`);
      this.skip();
    }
    t = await createTestApp({ label: 'web_reports' });
    await loadDemo(t);
    diplomat = await createUser(t, { role: 'diplomat', name: 'Dimas Diplomat' });
    server = t.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });

  after(async () => {
    await browser?.close();
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    await t?.close();
  });

  async function openReports(width: number, lang: 'id' | 'en'): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
    });
    await page.goto(`${baseUrl}/`);
    if (lang === 'en') await page.click('#lang-en');
    await page.fill('#login-email', diplomat.email);
    await page.fill('#login-password', diplomat.password);
    await page.click('#login-submit');
    await page.waitForSelector('#user-role', { state: 'attached' });
    if (width > 600) await page.click('#nav-reports');
    else await page.goto(`${baseUrl}/#/reports`);
    await page.selectOption('#report-year', '2022');
    await page.waitForSelector('#report-paragraphs .report-bullets');
    await page.waitForSelector('#chart-stages img', { state: 'attached' });
    return page;
  }

  it('when a diplomat opens the reports and picks 2022, then the seed’s paragraph is on the page, every figure links its agreements, and the files download', async () => {
    pageErrors = [];
    const page = await openReports(1366, 'id');
    const text = squash(await page.locator('#report-paragraphs').innerText());
    expect(text).to.contain(squash('Keberhasilan penandatanganan 2 (dua) buah perjanjian bilateral, yaitu 1) Nota Kesepahaman tentang Penempatan dan Pelindungan Pekerja Migran Indonesia Sektor Domestik di Malaysia telah ditandatangani oleh Menteri Ketenagakerjaan Republik Indonesia dan Menteri Sumber Manusia Malaysia pada tanggal 1 April 2022 di Bogor'));
    expect(text).to.contain(squash('Keduanya masuk dalam tahap proses penandatanganan oleh Menteri Luar Negeri.'));
    const signedRow = page.locator('#report-figures tr', { hasText: 'Perjanjian ditandatangani' }).first();
    expect(await signedRow.locator('td.num').innerText()).to.equal('3');
    expect(await signedRow.locator('a').allTextContents()).to.deep.equal(['MOU-MY-2022-01', 'TA-SA-2022-01', 'PKS-ID-2022-01']);
    expect(await page.locator('#report-charts figure').count()).to.equal(4);
    expect(await page.locator('#chart-stages table tbody tr').count()).to.be.greaterThan(3);
    // a diplomat has no import card, and nothing stands in its place (the page once wrote "null" there)
    expect(await page.locator('#report-import').count()).to.equal(0);
    expect(await page.evaluate(() => [...document.querySelector('main')!.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim()).map((n) => n.textContent))).to.deep.equal([]);
    if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'reports-2022-id.png'), fullPage: true });

    const [pdf] = await Promise.all([page.waitForEvent('download'), page.click('#download-annual-pdf')]);
    expect(pdf.suggestedFilename()).to.equal('laporan-perjanjian-2022.pdf');
    const pdfText = squash((await pageTexts(fs.readFileSync((await pdf.path())!))).join('\n'));
    expect(pdfText).to.contain(squash('pada tanggal 1 April 2022 di Bogor'));
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('#download-xlsx')]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await xlsx.path())!);
    expect(book.getWorksheet('Angka')!.getCell('B2').value).to.equal(3);

    await page.locator('#report-figures a', { hasText: 'MOU-MY-2022-01' }).first().click();
    await page.waitForSelector('#history');
    expect(page.url()).to.match(/#\/agreements\/[0-9a-f]{24}$/);
    expect(pageErrors).to.deep.equal([]);
  });

  it('when a diplomat applies a year or a range, then the year, the heading and the charts say which period the report is for, and the chart tables fit their boxes', async () => {
    pageErrors = [];
    const page = await openReports(1280, 'id');
    await page.waitForSelector('#chart-durations table');
    // Applying draws the page anew: wait for the new charts, not the ones already there.
    await page.locator('#report-charts').evaluate((el) => el.setAttribute('data-stale', ''));
    await page.click('#report-apply');
    await page.waitForFunction(() => location.hash.includes('from=2022-01-01'));
    await page.waitForSelector('#report-charts:not([data-stale]) #chart-durations table');
    expect(await page.locator('#report-year').inputValue()).to.equal('2022');
    expect(await page.locator('#report-annual h2').innerText()).to.equal('Capaian perjanjian tahun 2022');

    // no stay of a PKS in negotiation (it has none): a dash, as the figures table writes it
    const negotiation = page.locator('#chart-durations tbody tr', { hasText: 'Perundingan' });
    const header = await page.locator('#chart-durations thead th').allInnerTexts();
    const cells = await negotiation.locator('th, td').allInnerTexts();
    expect(cells[header.findIndex((h) => /perjanjian kerja sama/i.test(h))]).to.equal('–');
    // the table of a chart of four series shows every column without scrolling
    const fit = await page.locator('#chart-durations .table-wrap').evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(fit).to.be.at.most(0);
    // every filter's input sits on one line, whatever its label's length
    const tops = await page.locator('#report-filters .field :is(input, select)').evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top)));
    expect(new Set(tops).size, `input tops ${tops.join(', ')}`).to.equal(1);

    await page.fill('#report-from', '2023-01-01');
    await page.fill('#report-to', '2023-06-30');
    await page.click('#report-apply');
    await page.waitForFunction(() => location.hash.includes('to=2023-06-30'));
    await page.waitForSelector('#chart-on_time.report-chart-empty');
    expect(await page.locator('#report-year').inputValue()).to.equal('');
    expect(await page.locator('#report-annual h2').innerText()).to.equal('Capaian perjanjian 1 Januari 2023 – 30 Juni 2023');
    for (const key of ['durations', 'on_time']) {
      expect(await page.locator(`#chart-${key}`).innerText()).to.contain('Tidak ada data untuk periode ini.');
      expect(await page.locator(`#chart-${key} table`).count()).to.equal(0);
    }
    if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'reports-2023h1-id.png'), fullPage: true });
    expect(pageErrors).to.deep.equal([]);
  });

  it('when a diplomat opens a whole year without filters, then the page asks for the year once (its figures come with its sentences); with a filter, the figures are asked for apart', async () => {
    pageErrors = [];
    const page = await openReports(1280, 'id');
    const asked: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/reports/')) asked.push(path);
    });
    await page.locator('#report-charts').evaluate((el) => el.setAttribute('data-stale', ''));
    await page.click('#report-apply');
    await page.waitForSelector('#report-charts:not([data-stale]) #chart-stages');
    await page.waitForSelector('#report-paragraphs .report-bullets');
    expect(asked).to.deep.equal(['/api/reports/annual.json']);
    const signedRow = page.locator('#report-figures tr', { hasText: 'Perjanjian ditandatangani' }).first();
    expect(await signedRow.locator('td.num').innerText()).to.equal('3');

    asked.length = 0;
    await page.selectOption('#report-type', 'guideline');
    await page.locator('#report-charts').evaluate((el) => el.setAttribute('data-stale', ''));
    await page.click('#report-apply');
    await page.waitForSelector('#report-charts:not([data-stale]) #chart-stages');
    await page.waitForSelector('#report-paragraphs .report-bullets');
    expect([...asked].sort()).to.deep.equal(['/api/reports/annual.json', '/api/reports/figures']);
    expect(await page.locator('#report-figures caption').innerText()).to.contain('Jenis: Pedoman');
    expect(pageErrors).to.deep.equal([]);
  });

  it('when a diplomat filters the report by type and prints it, then the page says the annual account covers every agreement, and the paper carries the period and the filters in a line instead of the form and the downloads', async () => {
    pageErrors = [];
    const page = await openReports(1280, 'id');
    expect(await page.locator('#report-annual-unfiltered').count()).to.equal(0);
    await page.selectOption('#report-type', 'guideline');
    await page.locator('#report-charts').evaluate((el) => el.setAttribute('data-stale', ''));
    await page.click('#report-apply');
    await page.waitForFunction(() => location.hash.includes('type=guideline'));
    await page.waitForSelector('#report-charts:not([data-stale]) #chart-stages');
    await page.waitForSelector('#report-paragraphs .report-bullets');
    expect(await page.locator('#report-annual-unfiltered').innerText()).to.equal('Uraian ini mencakup semua perjanjian tahun 2022; saringan hanya berlaku untuk tabel angka dan grafik.');
    // on screen the form says the period and filters; the printed line is not shown twice
    expect(await page.locator('#report-printed-filters').isVisible()).to.equal(false);

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#report-printed-filters').innerText()).to.equal('Periode 1 Januari 2022 – 31 Desember 2022 · Jenis: Pedoman');
    for (const tool of ['#report-period', '#report-files']) expect(await page.locator(tool).isVisible(), tool).to.equal(false);
    for (const content of ['#report-paragraphs', '#report-figures', '#report-charts']) expect(await page.locator(content).isVisible(), content).to.equal(true);
    if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'reports-2022-guidelines-print-id.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    expect(pageErrors).to.deep.equal([]);
  });

  it('when the reports are read on a phone, then the charts’ text is drawn near its own size and every table reads as cards, nothing cut at the card’s edge', async () => {
    pageErrors = [];
    const page = await openReports(390, 'id');
    for (const key of ['stages', 'durations', 'on_time']) {
      const chart = page.locator(`#chart-${key} .report-chart-phone`);
      expect(await chart.isVisible(), `chart ${key} has a phone drawing`).to.equal(true);
      expect(await page.locator(`#chart-${key} .report-chart-img`).isVisible()).to.equal(false);
      const heights = await chart.locator('text').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height));
      expect(heights.length, `chart ${key} draws its text`).to.be.greaterThan(0);
      expect(Math.min(...heights), `the smallest text of chart ${key}`).to.be.at.least(11);
      const box = await chart.boundingBox();
      expect(box!.x + box!.width).to.be.at.most(390);
    }
    expect(await page.locator('#chart-stages .report-chart-phone').getAttribute('aria-label')).to.equal('Perjanjian per tahap dari waktu ke waktu, hingga 31 Desember 2022');
    // the figures and every chart's table read as cards: nothing is cut at the card's edge
    const tables = page.locator('.table-wrap');
    expect(await tables.count()).to.be.greaterThan(4);
    const cut = await tables.evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.getAttribute('aria-label')));
    expect(cut).to.deep.equal([]);
    const signed = page.locator('.stack-on-phone tbody tr').first();
    const cells = await signed.locator('th, td').evaluateAll((els) => els.map((el) => ({ label: (el as HTMLElement).dataset.label ?? null, text: el.textContent, top: el.getBoundingClientRect().top, bottom: el.getBoundingClientRect().bottom })));
    expect(cells.map((c) => [c.label, c.text])).to.deep.equal([
      [null, 'Perjanjian ditandatangani'],
      ['Jumlah', '3'],
      ['Perjanjian', 'MOU-MY-2022-01, TA-SA-2022-01, PKS-ID-2022-01'],
    ]);
    // one under the other, each value under its label
    expect(cells[1].top).to.be.at.least(cells[0].bottom - 1);
    expect(cells[2].top).to.be.at.least(cells[1].bottom - 1);
    // a code read in two halves ("TA-SA-" above "2022-01") is easily taken for two: each stays on one line
    const split = await page.locator('#report-figures a').evaluateAll((els) => els.filter((el) => el.getClientRects().length > 1).map((el) => el.textContent));
    expect(split).to.deep.equal([]);
    if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'reports-2022-id-phone.png'), fullPage: true });
    expect(pageErrors).to.deep.equal([]);
  });

  it('when a drafter checks a register with a bad row and imports the fixed one, then the problem is shown by row and column and the progress ends in the count', async () => {
    pageErrors = [];
    const drafter = await createUser(t!, { role: 'drafter', name: 'Rina Perancang' });
    const context = await browser!.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
    await page.goto(`${baseUrl}/`);
    await page.fill('#login-email', drafter.email);
    await page.fill('#login-password', drafter.password);
    await page.click('#login-submit');
    await page.waitForSelector('#user-role', { state: 'attached' });
    await page.goto(`${baseUrl}/#/reports?year=2022`);
    await page.waitForSelector('#report-import');
    const header = 'code,type,title_id,title_en,lead_unit,stage,stage_since,parties';
    const good = 'IMP-0001,mou,Nota Kesepahaman Impor,Imported MoU,PWNI,negotiation,2021-05-03,"Republik Indonesia [state, ID]; Malaysia [state, MY]"';
    const bad = 'IMP-0002,treaty,Perjanjian Impor,Imported Treaty,PWNI,drafting,2021-05-03,"Republik Indonesia [state, ID]"';
    await page.setInputFiles('#import-file', { name: 'register.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\n${good}\n${bad}\n`) });
    await page.click('#import-check');
    await page.waitForSelector('#import-result table');
    expect(await page.locator('#import-result tbody tr').allInnerTexts()).to.deep.equal(["3\ttype\t'treaty' bukan jenis yang dikenal (mou, agreement, technical_arrangement, cooperation_agreement, guideline)"]);
    if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'reports-import-check-id.png'), fullPage: true });
    await page.setInputFiles('#import-file', { name: 'register.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\n${good}\n${bad.replace('treaty', 'agreement')}\n`) });
    await page.click('#import-run');
    await page.waitForFunction(() => /telah diimpor/.test(document.getElementById('import-status')?.textContent ?? ''));
    expect(await page.locator('#import-status').innerText()).to.equal('2 perjanjian telah diimpor.');
    expect(await page.locator('#import-progress').getAttribute('value')).to.equal('100');
    await context.close();
    expect(pageErrors).to.deep.equal([]);
  });

  it('when the page is read in English on a phone, then the paragraph is in English and the filters fit', async () => {
    pageErrors = [];
    const page = await openReports(390, 'en');
    expect(squash(await page.locator('#report-paragraphs').innerText())).to.contain(squash('The signing of two (2) bilateral agreements, namely'));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).to.be.at.most(0);
    if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'reports-2022-en-phone.png'), fullPage: true });
    expect(pageErrors).to.deep.equal([]);
  });
});
