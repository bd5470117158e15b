import { expect } from 'chai';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { type BrowserHarness, LAPTOP, PHONE, useBrowserHarness } from '../support/browser.js';
import { createUser, type TestUser } from '../support/users.js';

/**
 * What the import on the reports page shows once a check or an import has ended: a refused file
 * (no empty progress bar left behind), the problems on a phone, a semicolon register, the next
 * step after an import, and the templates named in the reader's language.
 */
describe('web interface: the outcome of an import of a register', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let drafter: TestUser;

  useBrowserHarness('web_report_import_outcomes', async (harness) => {
    b = harness;
    drafter = await createUser(b.t, { role: 'drafter', name: 'Rina Perancang' });
  });

  const columns = ['code', 'type', 'title_id', 'title_en', 'lead_unit', 'stage', 'stage_since', 'parties'];

  async function openImport(lang: 'id' | 'en', viewport = PHONE): Promise<Page> {
    const context = await b.newContext({ viewport, lang });
    const page = await b.signIn(context, drafter);
    await page.goto(`${b.baseUrl}/#/reports`);
    await page.waitForSelector('#report-import');
    return page;
  }

  async function choose(page: Page, text: string, name = 'register.csv'): Promise<void> {
    await page.setInputFiles('#import-file', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  }

  /** The status line once it says something other than the words of a run under way. */
  async function settledStatus(page: Page): Promise<string> {
    await page.waitForFunction(() => {
      const text = document.getElementById('import-status')?.textContent ?? '';
      const bar = document.getElementById('import-progress') as HTMLProgressElement;
      return text !== '' && !/…$/.test(text) && (bar.hidden || bar.value === 100);
    });
    return (await page.locator('#import-status').textContent()) ?? '';
  }

  const barShown = (page: Page) => page.locator('#import-progress').isVisible();

  for (const [lang, words] of [
    ['id', { checkFailed: 'Berkas tidak dapat diperiksa.', failed: 'Tidak ada yang diimpor.', quote: /^Baris 2, kolom C \(title_id\): nilai berisi tanda kutip/, checked: /^2 dari 2 baris siap diimpor/, notRegister: /^Berkas ini adalah gambar SVG, bukan register dalam format CSV atau XLSX\. Kirim register sebagai buku kerja XLSX atau berkas CSV/ }],
    ['en', { checkFailed: 'The file could not be checked.', failed: 'Nothing was imported.', quote: /^Row 2, column C \(title_id\): a value holds a quote mark/, checked: /^2 of 2 rows are ready to import/, notRegister: /^This file is an SVG image, not a register in CSV or XLSX\. Send the register as an XLSX workbook or a CSV file/ }],
  ] as const) {
    it(`when ${lang === 'id' ? 'an Indonesian' : 'an English'} reader's file is refused, then the bar goes, the status says nothing was done, the reason is in their language; a semicolon register is checked`, async () => {
      const page = await openImport(lang);
      // Excel with Indonesian settings: ';' between columns; this row quotes a word without quoting the value
      await choose(page, `${columns.join(';')}\r\nQ-${lang};mou;Nota "Lama";Old;PWNI;drafting;2022-05-02;Republik Indonesia [state, ID]\r\n`);
      for (const [button, said] of [
        ['#import-check', words.checkFailed],
        ['#import-run', words.failed],
      ]) {
        await page.click(button);
        await page.waitForSelector('#import-result .alert-error');
        expect(await settledStatus(page), button).to.equal(said);
        expect(await barShown(page), `the progress bar after ${button}`).to.equal(false);
        const message = (await page.locator('#import-result .alert-error').textContent()) ?? '';
        expect(message).to.match(words.quote);
        expect(message).not.to.match(/Invalid|Opening Quote|field 0|[“"]?\/ (Baris|Row)/);
      }
      await page.locator('#report-import').scrollIntoViewIfNeeded();
      await b.shot(page, `report-import-refused-${lang}-phone`, { fullPage: false });

      const rows = [1, 2].map((n) => `S${n}-${lang};mou;Nota Kesepahaman ${n};Memorandum ${n};PWNI;drafting;2022-05-02;"Republik Indonesia [state, ID]; Malaysia [state, MY]"`);
      await choose(page, `\uFEFF${columns.join(';')}\r\n${rows.join('\r\n')}\r\n`);
      await page.click('#import-check');
      expect(await settledStatus(page)).to.match(words.checked);
      expect(await page.locator('#import-result .alert-error').count()).to.equal(0);
    });

    it(`when ${lang === 'id' ? 'an Indonesian' : 'an English'} reader drops an SVG image instead of a register, then they are told in their language that it is not a CSV or XLSX register and what to send`, async () => {
      const page = await openImport(lang);
      const svg = fs.readFileSync(new URL('../../web/favicon.svg', import.meta.url));
      await page.evaluate(
        (text) => {
          const data = new DataTransfer();
          data.items.add(new File([text], 'logo-pwni.svg', { type: 'image/svg+xml' }));
          document.querySelector('#import-drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
        },
        svg.toString('utf8'),
      );
      await page.click('#import-check');
      await page.waitForSelector('#import-result .alert-error');
      expect(await settledStatus(page)).to.equal(words.checkFailed);
      expect(await barShown(page), 'the progress bar after a refused file').to.equal(false);
      const message = (await page.locator('#import-result .alert-error').textContent()) ?? '';
      expect(message).to.match(words.notRegister);
      expect(message).not.to.match(/quote|kutip|[“"]?\/ (Berkas|This)/i);
      await page.locator('#report-import').scrollIntoViewIfNeeded();
      await b.shot(page, `report-import-svg-${lang}-phone`, { fullPage: false });
    });

    it(`when problems are listed on a phone in ${lang === 'id' ? 'Indonesian' : 'English'}, then each is a card inside the section, the longest message too`, async () => {
      const page = await openImport(lang);
      const rows = [
        `P1-${lang},mou,Nota Kesepahaman,Memorandum,PWNI,ratified,2022-05-02,"Republik Indonesia [state, ID]; Malaysia [state, MY]"`,
        `P2-${lang},treaty,Nota Kesepahaman,Memorandum,PWNI,drafting,2022-05-02,"Republik Indonesia [state, ID]; Malaysia [state, MY]"`,
        `P3-${lang},mou,Nota Kesepahaman,Memorandum,PWNI,drafting,2022-13-40,"Republik Indonesia [state, ID]; Malaysia [state, MY]"`,
      ];
      await choose(page, `${columns.join(',')}\n${rows.join('\n')}\n`);
      await page.click('#import-check');
      await page.waitForSelector('#import-result table');
      await settledStatus(page);
      const layout = await page.evaluate(() => {
        const wrap = document.querySelector('#import-result .table-wrap') as HTMLElement;
        const table = wrap.querySelector('table')!;
        const cells = [...table.querySelectorAll('tbody td')] as HTMLElement[];
        return {
          stacked: table.classList.contains('stack-on-phone'),
          table: table.getBoundingClientRect().width,
          wrap: wrap.clientWidth,
          scrolls: wrap.scrollWidth > wrap.clientWidth,
          labelled: cells.every((td) => td.dataset.label),
          widest: Math.max(...cells.map((td) => td.getBoundingClientRect().right)),
          right: wrap.getBoundingClientRect().right,
          head: getComputedStyle(table.querySelector('thead')!).position,
        };
      });
      expect(layout.stacked, 'the problems table stacks on a phone').to.equal(true);
      expect(layout.labelled, 'every cell says what it is').to.equal(true);
      expect(layout.head, 'the column heads give way to the labels').to.equal('absolute');
      expect(layout.scrolls, `table ${layout.table}px in a wrap of ${layout.wrap}px`).to.equal(false);
      // clientWidth is rounded to whole pixels, the table's box is not
    expect(layout.table).to.be.at.most(layout.wrap + 1);
      expect(layout.widest).to.be.at.most(layout.right + 0.5);
      const firstCard = await page.locator('#import-result tbody tr').first().evaluate((tr) => [...tr.querySelectorAll('td')].map((td) => [td.dataset.label, td.textContent]));
      expect(firstCard.map(([label]) => label)).to.deep.equal(lang === 'id' ? ['Baris', 'Kolom', 'Masalah'] : ['Row', 'Column', 'Problem']);
      expect(firstCard[2][1]).to.match(lang === 'id' ? /^'ratified' bukan tahap/ : /^'ratified' is not a stage/);
      await page.evaluate(() => document.getElementById('import-status')!.scrollIntoView({ block: 'start' }));
      await b.shot(page, `report-import-problems-${lang}-phone`, { fullPage: false });
    });

    it(`when a register is imported in ${lang === 'id' ? 'Indonesian' : 'English'}, then the page counts them in its figures at once and offers the way to the board, where the agreements are`, async () => {
      const page = await openImport(lang, LAPTOP);
      const row = `B-${lang},mou,Nota Kesepahaman Impor ${lang},Imported Memorandum ${lang},PWNI,drafting,2022-05-02,"Republik Indonesia [state, ID]; Malaysia [state, MY]"`;
      await choose(page, `${columns.join(',')}\n${row}\n`);
      await page.waitForSelector('#report-figures table');
      expect(await page.locator('#report-figures').textContent()).not.to.contain(`B-${lang}`);
      await page.click('#import-run');
      expect(await settledStatus(page)).to.equal(lang === 'id' ? '1 perjanjian telah diimpor.' : '1 agreement has been imported.');
      // the figures above were read before the import: they are read again and count it (in drafting at the period's end)
      await page.waitForSelector(`#report-figures >> text=B-${lang}`);
      expect(await page.locator('#import-status').textContent(), 'the result of the import stays').to.contain(lang === 'id' ? 'telah diimpor' : 'has been imported');
      const link = page.locator('#import-to-board');
      expect(await link.textContent()).to.equal(lang === 'id' ? 'Buka daftar perjanjian' : 'Open the list of agreements');
      expect(await link.getAttribute('href')).to.equal('#/agreements');
      expect(await barShown(page), 'the full bar stays with the result').to.equal(true);
      await link.click();
      await page.waitForFunction(() => location.hash === '#/agreements');
      await page.waitForSelector(`text=B-${lang}`);
    });

    it(`when ${lang === 'id' ? 'an Indonesian' : 'an English'} reader downloads the templates, then their files are named in that language`, async () => {
      const page = await openImport(lang, LAPTOP);
      const names: string[] = [];
      for (const id of ['#import-template-xlsx', '#import-template-csv']) {
        const [file] = await Promise.all([page.waitForEvent('download'), page.click(id)]);
        names.push(file.suggestedFilename());
      }
      expect(names).to.deep.equal(lang === 'id' ? ['templat-impor-perjanjian.xlsx', 'templat-impor-perjanjian.csv'] : ['agreement-import-template.xlsx', 'agreement-import-template.csv']);
    });
  }
});
