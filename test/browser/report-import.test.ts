import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { LAPTOP, PHONE, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, type TestUser } from '../support/users.js';
import { importRegister } from '../../domain/imports/import-register.js';

/** The import section of the reports page, as a drafter sees it while a register is checked. */
describe('web interface: the import of a register on the reports page', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let drafter: TestUser;

  useBrowserHarness('web_report_import', async (harness) => {
    b = harness;
    drafter = await createUser(b.t, { role: 'drafter', name: 'Rina Perancang' });
  });

  /** The progress bar's width and the width its section gives its content, once a check has run. */
  async function widths(page: Page): Promise<{ bar: number; section: number }> {
    await page.goto(`${b.baseUrl}/#/reports`);
    await page.waitForSelector('#report-import');
    const header = 'code,type,title_id,title_en,lead_unit,stage,stage_since,parties';
    const row = 'W-0001,mou,Nota Kesepahaman,Memorandum,PWNI,Penyusunan draf,2022-05-02,"Republik Indonesia [state, ID]; Malaysia [state, MY]"';
    await page.setInputFiles('#import-file', { name: 'register.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\n${row}\n`) });
    await page.click('#import-check');
    await page.waitForFunction(() => /siap diimpor/.test(document.getElementById('import-status')?.textContent ?? ''));
    return page.evaluate(() => {
      const bar = document.getElementById('import-progress')!;
      const section = document.getElementById('report-import')!;
      const style = getComputedStyle(section);
      return {
        bar: bar.getBoundingClientRect().width,
        section: section.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
      };
    });
  }

  for (const [lang, words] of [
    ['id', { drop: 'Tarik berkas CSV atau XLSX ke sini, atau', browse: 'pilih berkas', choose: 'Pilih berkas', none: 'Belum ada berkas dipilih.', checked: /siap diimpor/ }],
    ['en', { drop: 'Drag a CSV or XLSX file here, or', browse: 'choose a file', choose: 'Choose a file', none: 'No file chosen yet.', checked: /ready to import/ }],
  ] as const) {
    it(`when the import is shown in ${lang === 'id' ? 'Indonesian' : 'English'} on a laptop, then it offers to drag a file or choose one`, async () => {
      const page = await b.signIn(await b.newContext({ viewport: LAPTOP, lang }), drafter);
      await page.goto(`${b.baseUrl}/#/reports`);
      await page.waitForSelector('#import-drop');
      expect(await page.locator('#import-drop .drop-text').textContent()).to.equal(words.drop);
      expect(await page.locator('#import-drop .drop-browse').textContent()).to.equal(words.browse);
    });

    it(`when the import is shown in ${lang === 'id' ? 'Indonesian' : 'English'} on a phone, then its file picker speaks that language (not the browser's), does not ask to drag a file where there is nothing to drag with, and a register dropped on it all the same is named and checked`, async () => {
      const context = await b.newContext({ viewport: PHONE, lang });
      const page = await b.signIn(context, drafter);
      await page.goto(`${b.baseUrl}/#/reports`);
      await page.waitForSelector('#import-drop');
      // the browser's own input (which says "Choose File" in the browser's language) is out of sight
      const hidden = await page.$eval('#import-file', (el) => {
        const r = el.getBoundingClientRect();
        return r.width <= 1 && r.height <= 1 && getComputedStyle(el).opacity === '0';
      });
      expect(hidden, 'the native file input is out of sight').to.equal(true);
      expect(await page.locator('#import-drop .drop-text').count(), 'a touch screen has nothing to drag a file with').to.equal(0);
      expect(await page.locator('#import-drop .drop-browse').textContent()).to.equal(words.choose);
      expect(await page.locator('#import-chosen').textContent()).to.equal(words.none);
      await page.click('#import-check');
      expect(await page.locator('#import-status').textContent(), 'asked for a file first').to.not.equal('');
      const header = 'code,type,title_id,title_en,lead_unit,stage,stage_since,parties';
      const row = `D-${lang},mou,Nota Kesepahaman,Memorandum,PWNI,drafting,2022-05-02,"Republik Indonesia [state, ID]; Malaysia [state, MY]"`;
      await page.evaluate(
        (text) => {
          const data = new DataTransfer();
          data.items.add(new File([text], 'register-lama.csv', { type: 'text/csv' }));
          document.querySelector('#import-drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
        },
        `${header}\n${row}\n`,
      );
      expect(await page.locator('#import-chosen').textContent()).to.match(/^register-lama\.csv \(\d+ B\)$/);
      expect(await page.locator('#import-status').textContent(), 'the request for a file is gone once one is chosen').to.equal('');
      await page.locator('#report-import').scrollIntoViewIfNeeded();
      await b.shot(page, `report-import-picker-${lang}-phone`, { fullPage: false });
      await page.click('#import-check');
      await page.waitForFunction((re) => new RegExp(re).test(document.getElementById('import-status')?.textContent ?? ''), words.checked.source);
    });
  }

  for (const [name, viewport] of [
    ['a laptop', LAPTOP],
    ['a phone', PHONE],
  ] as const) {
    it(`when a register is checked on ${name}, then the progress bar spans the whole width of its section`, async () => {
      const context = await b.newContext({ viewport });
      const page = await b.signIn(context, drafter);
      const { bar, section } = await widths(page);
      expect(section).to.be.greaterThan(200);
      expect(Math.abs(bar - section), `bar ${bar}px in a section of ${section}px`).to.be.lessThan(2);
    });
  }

  for (const [lang, creating] of [
    ['id', /^Membuat perjanjian: (\d+) dari 300…$/],
    ['en', /^Creating the agreements: (\d+) of 300…$/],
  ] as const) {
    it(`when a register is imported (in ${lang === 'id' ? 'Indonesian' : 'English'}), then while the agreements are created the bar shows the share written so far, full only once they are imported`, async () => {
      const header = 'code,type,title_id,title_en,lead_unit,stage,stage_since,parties';
      const registerOf = (prefix: string) =>
        Buffer.from(`${header}\n${Array.from({ length: 300 }, (_, i) => `${prefix}-${String(i).padStart(3, '0')},mou,Nota Kesepahaman ${i},Memorandum ${i},PWNI,drafting,2022-05-02,"Republik Indonesia [state, ID]; Malaysia [state, MY]"`).join('\n')}\n`);
      // What a job records while a register like this one is created: the import's own reports.
      // The page polls every half second, and creating 300 agreements may take less, so it is
      // shown these reports one a poll instead of whatever moment its polls happen to catch.
      const reports: Array<{ phase: string; processed: number; total: number }> = [];
      await importRegister(b.t.ctx, drafter, { file: { buffer: registerOf(`REC-${lang}`), name: 'rekam.csv' }, dryRun: false }, (phase, processed, total) => {
        if (phase === 'creating') reports.push({ phase, processed, total });
      });
      expect(reports.length).to.be.at.least(10);

      const context = await b.newContext({ viewport: LAPTOP, lang });
      const page = await b.signIn(context, drafter);
      let replayed = 0;
      await context.route('**/api/imports/jobs/*', async (route) => {
        const response = await route.fetch();
        const job = await response.json();
        const report = reports[replayed++];
        await route.fulfill({ response, json: report ? { ...job, status: 'running', result: null, ...report } : job });
      });
      await page.goto(`${b.baseUrl}/#/reports`);
      await page.waitForSelector('#report-import');
      // every value the bar and the status line take, as the page sets them
      await page.evaluate(() => {
        const w = window as unknown as { __shown: Array<{ value: number; status: string }> };
        w.__shown = [];
        const bar = document.getElementById('import-progress') as HTMLProgressElement;
        const status = document.getElementById('import-status')!;
        new MutationObserver(() => w.__shown.push({ value: bar.value, status: status.textContent ?? '' })).observe(status, { childList: true, characterData: true, subtree: true });
      });
      await page.setInputFiles('#import-file', { name: 'register-300.csv', mimeType: 'text/csv', buffer: registerOf(`WEB-${lang}`) });
      await page.click('#import-run');
      await page.waitForFunction((text) => document.getElementById('import-status')?.textContent === text, lang === 'id' ? '300 perjanjian telah diimpor.' : '300 agreements have been imported.');
      const shown = await page.evaluate(() => (window as unknown as { __shown: Array<{ value: number; status: string }> }).__shown);
      const whileCreating = shown.filter((s) => creating.test(s.status));
      expect(whileCreating.map((s) => Number(creating.exec(s.status)![1])), 'the counts the status line gave').to.deep.equal(reports.map((r) => r.processed));
      for (const s of whileCreating) {
        const processed = Number(creating.exec(s.status)![1]);
        expect(s.value, s.status).to.equal(Math.round((100 * processed) / 300));
      }
      expect(Math.max(...whileCreating.map((s) => s.value)), 'never full while creating').to.be.below(100);
      expect(await page.locator('#import-progress').evaluate((bar: HTMLProgressElement) => bar.value), 'full once imported').to.equal(100);
      expect(await b.t.ctx.models.Agreement.countDocuments({ code: new RegExp(`^WEB-${lang.toUpperCase()}-`) })).to.equal(300);
    });
  }

  for (const [lang, words] of [
    ['id', { failed: 'Berkas tidak dapat diperiksa.', missing: 'code: kolom tidak ada', unknown: /^Kode: kolom tidak dikenal; kolom yang ada: code, type,/ }],
    ['en', { failed: 'The file could not be checked.', missing: 'code: missing column', unknown: /^Kode: unknown column; the columns are: code, type,/ }],
  ] as const) {
    it(`when a register's header says "Kode" instead of "code" (in ${lang === 'id' ? 'Indonesian' : 'English'}), then the refusal names the column to write as the template writes it, not as the page labels it`, async () => {
      const context = await b.newContext({ viewport: PHONE, lang });
      const page = await b.signIn(context, drafter);
      await page.goto(`${b.baseUrl}/#/reports`);
      await page.waitForSelector('#import-drop');
      const header = 'Kode,type,title_id,title_en,lead_unit,stage,stage_since,parties';
      const row = 'K-0001,mou,Nota Kesepahaman,Memorandum,PWNI,drafting,2022-05-02,"Republik Indonesia [state, ID]; Malaysia [state, MY]"';
      await page.setInputFiles('#import-file', { name: 'register-kode.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\n${row}\n`) });
      await page.click('#import-check');
      await page.waitForFunction((text) => document.getElementById('import-status')?.textContent === text, words.failed);
      const items = await page.locator('#import-result .error-details li').allTextContents();
      // the header must say "code": a list saying "Kode: missing column" sends the user to add the very column that was refused
      expect(items).to.include(words.missing);
      expect(items.some((i) => words.unknown.test(i)), items.join(' | ')).to.equal(true);
      await page.locator('#report-import').scrollIntoViewIfNeeded();
      await b.shot(page, `report-import-header-${lang}-phone`, { fullPage: false });
    });
  }
});
