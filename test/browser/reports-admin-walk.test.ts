import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { LAPTOP, PHONE, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, type TestUser } from '../support/users.js';
import { loadDemo } from '../support/demo.js';

/**
 * What a director's and an administrator's walk through the reports and administration pages
 * found, in Debian's Chromium with the demo data, in both languages and on a phone.
 */
describe('web interface: the reports and administration pages, as a director and an admin walked them', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let admin: TestUser;
  let diplomat: TestUser;

  useBrowserHarness('web_reports_admin_walk', async (harness) => {
    b = harness;
    await loadDemo(b.t);
    admin = await createUser(b.t, { role: 'admin', name: 'Ayu Administrator' });
    diplomat = await createUser(b.t, { role: 'diplomat', name: 'Dimas Diplomat' });
  });

  async function signIn(user: TestUser, { lang = 'id', viewport = LAPTOP }: { lang?: 'id' | 'en'; viewport?: { width: number; height: number } } = {}): Promise<Page> {
    const context = await b.newContext({ lang, viewport });
    return b.signIn(context, user);
  }

  const text = (page: Page, selector: string) => page.locator(selector).first().innerText();

  for (const [lang, viewport, words] of [
    ['id', LAPTOP, { summary: 'Periksa isian berikut:', item: 'Sampai tanggal: 1 Juni 2022 lebih awal daripada “Dari tanggal” (1 Desember 2022). Periksa kembali periode laporan.' }],
    ['en', PHONE, { summary: 'Please check what was entered:', item: 'To: 1 June 2022 is before the “From” date (1 December 2022). Check the period of the report.' }],
  ] as const) {
    // said as every form says what is wrong (showFieldProblems): the end date named by its label in the list, marked and focused
    const said = async (page: Page) => ({
      summary: await text(page, '#report-filters-result [role=alert] .error-message'),
      items: await page.locator('#report-filters-result [role=alert] .error-details li').allInnerTexts(),
    });
    it(`when a director applies a period that ends before it starts (${lang}, ${viewport.width} px), then the page says so with the dates and its own field names, and marks and focuses the end date`, async () => {
      const page = await signIn(diplomat, { lang, viewport });
      await page.goto(`${b.baseUrl}/#/reports?year=2022`);
      await page.waitForSelector('#report-figures table');
      await page.fill('#report-from', '2022-12-01');
      await page.fill('#report-to', '2022-06-01');
      await page.click('#report-apply');
      await page.waitForSelector('#report-filters-result [role=alert]');
      expect(await said(page)).to.deep.equal({ summary: words.summary, items: [words.item] });
      expect(await page.locator('#report-to').getAttribute('aria-invalid')).to.equal('true');
      expect(await page.locator('#report-from').getAttribute('aria-invalid'), 'the start date is not the one to change').to.equal(null);
      expect(await page.evaluate(() => document.activeElement?.id)).to.equal('report-to');
      // nothing was asked of the server: the report shown is still 2022's
      expect(page.url()).to.match(/#\/reports\?year=2022$/);

      // the same period from a shared address: the same words, never the API's 'to' and 'from'
      await page.goto(`${b.baseUrl}/#/reports?from=2022-12-01&to=2022-06-01`);
      await page.waitForSelector('#report-filters-result [role=alert]');
      expect(await said(page)).to.deep.equal({ summary: words.summary, items: [words.item] });
      expect(await page.locator('#report-to').getAttribute('aria-invalid')).to.equal('true');
      expect(await page.locator('main').innerText()).not.to.match(/'to'|'from'/);
      expect(await page.locator('#report-downloads button').count()).to.equal(0);
    });
  }
  it('when a director steps through the years with the arrow keys, then each year is shown and focus stays on the year, so the keyboard reaches 2022', async () => {
    const page = await signIn(diplomat);
    await page.goto(`${b.baseUrl}/#/reports`);
    await page.waitForSelector('#report-figures table');
    const start = Number(await page.locator('#report-year').inputValue());
    expect(start).to.be.greaterThan(2022);
    await page.focus('#report-year');
    for (let year = start - 1; year >= 2022; year--) {
      await page.keyboard.press('ArrowDown');
      await page.waitForFunction((y) => location.hash.endsWith(`year=${y}`), year, { timeout: 5000 });
      await page.waitForSelector(`#report-annual h2:text-is("Capaian perjanjian tahun ${year}")`);
      await page.waitForSelector('#report-figures table');
      expect(await page.evaluate(() => document.activeElement?.id), `focus after choosing ${year}`).to.equal('report-year');
    }
    expect(await page.locator('#report-year').inputValue()).to.equal('2022');
    expect(await text(page, '#report-paragraphs')).to.contain('Keberhasilan penandatanganan 2 (dua) buah perjanjian bilateral');
    // a link followed elsewhere still brings focus to the new page's heading
    await page.click('#nav-board');
    await page.waitForSelector('table.board-table');
    expect(await page.evaluate(() => document.activeElement?.tagName)).to.equal('H1');
  });
  for (const [lang, viewport, words] of [
    ['id', LAPTOP, { one: 'Alamat e-mail: “salah” bukan alamat e-mail yang valid. Pisahkan alamat dengan koma.', two: 'Alamat e-mail: “kepala@kemlu”, “wakil.kemlu.go.id” bukan alamat e-mail yang valid. Pisahkan alamat dengan koma.', saved: 'Alamat eskalasi unit PWNI disimpan.' }],
    ['en', PHONE, { one: 'E-mail addresses: “salah” is not a valid e-mail address. Separate the addresses with commas.', two: 'E-mail addresses: “kepala@kemlu”, “wakil.kemlu.go.id” are not valid e-mail addresses. Separate the addresses with commas.', saved: 'Escalation addresses of PWNI saved.' }],
  ] as const) {
    it(`when an admin types an escalation address that is not one (${lang}, ${viewport.width} px), then the page names it as typed and marks the field, not "emails › #2"`, async () => {
      const page = await signIn(admin, { lang, viewport });
      await page.goto(`${b.baseUrl}/#/admin?tab=escalation`);
      await page.waitForSelector('#escalation-list[aria-busy="false"]');
      await page.fill('#esc-unit', 'PWNI');
      await page.fill('#esc-emails', 'direktur@kemlu.go.id, salah');
      await page.click('#escalation-save');
      await page.waitForSelector('#escalation-result [role=alert]');
      const said = await text(page, '#escalation-result');
      expect(said).to.contain(words.one);
      expect(said).not.to.match(/emails|›|#2/);
      expect(await page.locator('#esc-emails').getAttribute('aria-invalid')).to.equal('true');
      expect(await page.evaluate(() => document.activeElement?.id)).to.equal('esc-emails');

      await page.fill('#esc-emails', 'kepala@kemlu; wakil.kemlu.go.id');
      await page.click('#escalation-save');
      await page.waitForFunction((w) => document.querySelector('#escalation-result')?.textContent?.includes(w), words.two.split(': ')[1]);
      // nothing was saved
      expect(await page.locator('#escalation-list tr[data-unit="PWNI"]').count()).to.equal(0);

      // the unit typed in lower case is saved for PWNI, the unit its agreements name (escalations match on it)
      await page.fill('#esc-unit', 'pwni');
      await page.fill('#esc-emails', 'direktur@kemlu.go.id');
      await page.click('#escalation-save');
      await page.waitForSelector('#escalation-list tr[data-unit="PWNI"]');
      expect(await text(page, '#escalation-list tr[data-unit="PWNI"] td')).to.equal('direktur@kemlu.go.id');
      expect(await text(page, '.alert-success')).to.equal(words.saved);
      expect(await page.locator('#escalation-list tbody tr').count()).to.equal(1);
      await page.fill('#esc-unit', 'PWNI');
      await page.fill('#esc-emails', '');
      await page.click('#escalation-save');
      await page.waitForSelector('#escalation-list tr[data-unit="PWNI"]', { state: 'detached' });
    });
  }
});
