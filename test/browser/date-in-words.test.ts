import { expect } from 'chai';
import { useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, type TestUser } from '../support/users.js';

/**
 * A date box shows the browser's format, not the page's: Chromium in American English shows
 * 04/01/2022 for 1 April on the Indonesian page too, which a desk officer in Jakarta reads as
 * 4 January. Every date box says the day it holds in words, in the page's language.
 */
describe('web interface: the day a date box holds, in words', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let admin: TestUser;

  useBrowserHarness('web_date_words', async (harness) => {
    b = harness;
    admin = await createUser(b.t, { role: 'admin', name: 'Ayu Administrator' });
  });

  it('when an admin types a holiday’s date on the Indonesian page, then the day is written out under the box and tied to it for screen readers', async () => {
    const page = await b.signIn(await b.newContext({ lang: 'id' }), admin);
    await page.goto(`${b.baseUrl}/#/admin?tab=holidays&year=2022`);
    await page.waitForSelector('#holiday-date');
    expect(await page.locator('#holiday-date-day').innerText()).to.equal('');
    await page.fill('#holiday-date', '2022-04-01');
    expect(await page.locator('#holiday-date-day').innerText()).to.equal('Jumat, 1 April 2022');
    expect((await page.getAttribute('#holiday-date', 'aria-describedby'))?.split(' ')).to.include('holiday-date-day');
    await page.fill('#holiday-date', '2022-01-04');
    expect(await page.locator('#holiday-date-day').innerText()).to.equal('Selasa, 4 Januari 2022');
    await b.shot(page, 'date-words-holiday-id', { fullPage: false });
  });

  it('when a reader picks a report’s period on the English page, then both days are written out in English, and a cleared box says nothing', async () => {
    const page = await b.signIn(await b.newContext({ lang: 'en' }), admin);
    await page.goto(`${b.baseUrl}/#/reports?from=2022-01-01&to=2022-12-31`);
    await page.waitForSelector('#report-from');
    expect(await page.locator('#report-from-day').innerText()).to.equal('Saturday, 1 January 2022');
    expect(await page.locator('#report-to-day').innerText()).to.equal('Saturday, 31 December 2022');
    await page.fill('#report-from', '2022-08-11');
    expect(await page.locator('#report-from-day').innerText()).to.equal('Thursday, 11 August 2022');
    await page.fill('#report-from', '');
    expect(await page.locator('#report-from-day').innerText()).to.equal('');
  });
});
