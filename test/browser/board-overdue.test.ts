import { expect } from 'chai';
import { type BrowserHarness, PHONE, useBrowserHarness } from '../support/browser.js';
import { createUser, type TestUser } from '../support/users.js';
import { loadDemo } from '../support/demo.js';

/**
 * The overdue filter and the rows it lists agree: every agreement listed as overdue carries the
 * overdue marker, also one already signed whose stage deadline (to enter into force) has passed,
 * as the demo's AHU data-integration PKS, signed on 13 September 2022 and still in stage "signed".
 */
describe('web interface: overdue on the board', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let diplomat: TestUser;

  useBrowserHarness('web_board_overdue', async (harness) => {
    b = harness;
    await loadDemo(b.t);
    diplomat = await createUser(b.t, { role: 'diplomat', name: 'Dimas Diplomat' });
  });

  for (const lang of ['id', 'en'] as const) {
    it(`when a diplomat filters the overdue agreements (${lang}, phone), then every row listed says it is overdue, the signed PKS among them`, async () => {
      const context = await b.newContext({ lang, viewport: PHONE });
      const page = await b.signIn(context, diplomat);
      const listed = page.waitForResponse((r) => r.url().includes('/api/agreements?') && r.url().includes('overdue=true'));
      await page.goto(`${b.baseUrl}/#/agreements?due=overdue`);
      const total = ((await (await listed).json()) as { total: number }).total;
      await page.waitForFunction((n) => document.querySelectorAll('table.board-table tbody tr .code-link').length === n, total);
      const rows = await page.locator('table.board-table tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({ code: tr.querySelector('.code-link')?.textContent ?? '', overdue: tr.querySelector('.overdue-flag')?.textContent?.trim() ?? null })),
      );
      expect(rows.map((r) => r.code)).to.include('PKS-ID-2022-01');
      const flag = lang === 'id' ? '! Terlambat' : '! Overdue';
      expect(rows.filter((r) => r.overdue !== flag), JSON.stringify(rows)).to.deep.equal([]);
      await b.shot(page, `board-overdue-${lang}-phone`, { fullPage: false });
    });
  }
  for (const lang of ['id', 'en'] as const) {
    it(`when a diplomat reads the board on a phone (${lang}), then a card says what its count of days is: the days at its current stage`, async () => {
      const context = await b.newContext({ lang, viewport: PHONE });
      const page = await b.signIn(context, diplomat);
      await page.goto(`${b.baseUrl}/#/agreements`);
      const card = page.locator('li.agreement-card', { has: page.locator('.code-link', { hasText: 'PED-ID-2022-02' }) });
      await card.waitFor();
      // the table's column head says "Lama di tahap"; a card has no head, so its line must say it
      const days = (await card.locator('.in-stage .days').textContent())?.trim() ?? '';
      expect(days).to.match(lang === 'id' ? /^\d+ hari di tahap ini$/ : /^\d+ days at this stage$/);
      expect(await card.locator('.in-stage .days').isVisible()).to.equal(true);
      await b.shot(page, `board-card-days-${lang}-phone`, { fullPage: false });
    });
  }
  for (const lang of ['id', 'en'] as const) {
    it(`when a diplomat reads the board on a phone (${lang}), then a card names the parties as the table's row does, the first three and how many more`, async () => {
      const context = await b.newContext({ lang, viewport: PHONE });
      const page = await b.signIn(context, diplomat);
      await page.goto(`${b.baseUrl}/#/agreements`);
      const card = (code: string) => page.locator('li.agreement-card', { has: page.locator('.code-link', { hasText: code }) });
      await card('PKS-ID-2022-01').waitFor();
      // the partner is what a desk officer looks for, and a PKS's title does not name it
      expect(await card('PKS-ID-2022-01').locator('.card-parties').textContent()).to.equal('Ditjen Protokol dan Konsuler Kemlu, Ditjen AHU Kemenkumham');
      expect(await card('PKS-ID-2022-01').locator('.card-parties').isVisible()).to.equal(true);
      const nine = await card('PKS-ID-2022-03').locator('.card-parties').textContent();
      expect(nine).to.match(/^Kementerian Luar Negeri \(Direktorat PWNI\), Kementerian Hukum dan HAM, Kementerian Pemberdayaan Perempuan dan Perlindungan Anak \(KPPA\) /);
      expect(nine).to.match(lang === 'id' ? / \+6 lainnya$/ : / \+6 more$/);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(PHONE.width);
      await b.shot(page, `board-card-parties-${lang}-phone`, { fullPage: false });
    });
  }
});
