import { expect } from 'chai';
import { type BrowserHarness, LAPTOP, PHONE, useBrowserHarness } from '../support/browser.js';
import { createUser, type TestUser } from '../support/users.js';
import { loadDemo } from '../support/demo.js';

const HINT = {
  id: 'Kode, judul, atau nama pihak; singkatan seperti TPPO juga dikenali',
  en: 'Code, title or party name; abbreviations such as TPPO work too',
};

/**
 * The board's search box says that abbreviations are understood, and they are: the demo's draft
 * PKS on trafficking victims says "TPPO" in its Indonesian title, and a diplomat typing
 * "perdagangan orang" finds it.
 */
describe('web interface: abbreviations in the board’s search', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let diplomat: TestUser;

  useBrowserHarness('web_board_aliases', async (harness) => {
    b = harness;
    await loadDemo(b.t);
    diplomat = await createUser(b.t, { role: 'diplomat', name: 'Dimas Diplomat' });
  });

  for (const lang of ['id', 'en'] as const) {
    for (const [device, viewport] of [['laptop', LAPTOP], ['phone', PHONE]] as const) {
      it(`when a diplomat searches the spelled-out form of an abbreviation (${lang}, ${device}), then the hint says abbreviations are understood and the agreement saying "TPPO" is listed`, async () => {
        const context = await b.newContext({ lang, viewport });
        const page = await b.signIn(context, diplomat);
        if (device === 'phone') await page.tap('#filters-toggle');
        expect(await page.locator('#filter-q-hint').textContent()).to.equal(HINT[lang]);
        expect(await page.locator('#filter-q-hint').isVisible()).to.equal(true);
        await b.shot(page, `board-search-hint-${lang}-${device}`, { fullPage: false });
        await page.fill('#filter-q', 'perdagangan orang');
        await page.press('#filter-q', 'Enter');
        await page.waitForFunction(() => location.hash.includes('q=perdagangan'));
        const code = page.locator(device === 'phone' ? '.board-cards .code-link' : 'table.board-table .code-link', { hasText: 'PKS-ID-2022-03' });
        await code.waitFor();
        expect(await code.isVisible()).to.equal(true);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(viewport.width);
        await b.shot(page, `board-search-aliases-${lang}-${device}`, { fullPage: false });
      });
    }
  }
});
