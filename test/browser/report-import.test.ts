import fs from 'node:fs';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { CHROMIUM, LAPTOP, PHONE, startBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, type TestUser } from '../support/users.js';

/** The import section of the reports page, as a drafter sees it while a register is checked. */
describe('web interface: the import of a register on the reports page', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let drafter: TestUser;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      console.warn(`\n    Browser tests skipped: no Chromium at ${CHROMIUM}\n`);
      this.skip();
    }
    b = await startBrowserHarness('web_report_import');
    drafter = await createUser(b.t, { role: 'drafter', name: 'Rina Perancang' });
  });

  after(async () => b?.close());

  beforeEach(() => b.startTest());

  afterEach(async function () {
    await b.endTest(this.currentTest);
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
});
