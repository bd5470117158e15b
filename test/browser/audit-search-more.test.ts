import { expect } from 'chai';
import { type BrowserHarness, LAPTOP, PHONE, useBrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { createAgreementVia } from '../support/agreements.js';

/**
 * The audit page's search shows the first ten matches. With more, it showed those ten and said
 * nothing: an auditor looking for one agreement among them took the list for all there was. It
 * now says how many matched and asks for a narrower search.
 */
describe('web interface: the audit search says when it shows only some matches', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let auditor: TestUser;

  useBrowserHarness('web_audit_search_more', async (harness) => {
    b = harness;
    const drafter = (await loginAs(b.t, 'drafter')).token;
    auditor = await createUser(b.t, { role: 'auditor', name: 'Sari Pemeriksa', unit: 'PWNI' });
    for (let i = 1; i <= 12; i++) {
      await createAgreementVia(b.t, drafter, { title: { id: `Nota Kesepahaman Pelabuhan ${i}`, en: `Harbour Memorandum ${i}` } });
    }
    await createAgreementVia(b.t, drafter, { title: { id: 'Nota Kesepahaman Bandara', en: 'Airport Memorandum' } });
  });

  const search = async (lang: 'id' | 'en', viewport: { width: number; height: number }, text: string) => {
    const page = await b.signIn(await b.newContext({ lang, viewport }), auditor);
    await page.goto(`${b.baseUrl}/#/audit`);
    await page.fill('#audit-q', text);
    await page.click('#audit-find');
    await page.waitForSelector('#audit-found .audit-item');
    return page;
  };

  for (const [lang, viewport, words] of [
    ['id', PHONE, '10 dari 12 perjanjian yang cocok ditampilkan. Persempit pencarian untuk menemukan yang lain.'],
    ['en', LAPTOP, 'Showing 10 of the 12 matching agreements. Narrow the search to find the others.'],
  ] as const) {
    it(`when more than ten agreements match (${lang}), then the page says how many and asks for a narrower search`, async () => {
      const page = await search(lang, viewport, 'pelabuhan');
      expect(await page.locator('#audit-found .audit-item').count()).to.equal(10);
      expect((await page.locator('#audit-found-more').textContent())?.trim()).to.equal(words);
      await b.shot(page, `audit-search-more-${lang}`);
    });
  }

  it('when every match is shown, then nothing more is said', async () => {
    const page = await search('en', LAPTOP, 'airport');
    expect(await page.locator('#audit-found .audit-item').count()).to.equal(1);
    expect(await page.locator('#audit-found-more').count()).to.equal(0);
  });
});
