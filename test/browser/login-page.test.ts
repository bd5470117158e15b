import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { type BrowserHarness, LAPTOP, PHONE, useBrowserHarness } from '../support/browser.js';
import { createUser, type TestUser } from '../support/users.js';

/**
 * The sign-in page as a new user meets it, in both languages, on a phone and on a desk: what it
 * says when something goes wrong, and that it can be read at all.
 */
describe('web interface: the sign-in page', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let diplomat: TestUser;

  useBrowserHarness('web_login_page', async (harness) => {
    b = harness;
    diplomat = await createUser(b.t, { role: 'diplomat', name: 'Dimas Diplomat' });
  });

  async function openLogin(viewport: { width: number; height: number }, lang: 'id' | 'en'): Promise<Page> {
    const page = await b.newPage(await b.newContext({ viewport, lang }));
    await page.goto(`${b.baseUrl}/`);
    await page.waitForSelector('#login-form');
    return page;
  }

  it('when a phone opens the sign-in page (id, en), then the name of the application is shown whole, beside or above the language switch and never under it', async () => {
    for (const lang of ['id', 'en'] as const) {
      const page = await openLogin(PHONE, lang);
      const title = await page.locator('#brand-title').boundingBox();
      const sw = await page.locator('#lang-switch').boundingBox();
      expect(Boolean(title && sw), lang).to.equal(true);
      const overlaps = title!.x < sw!.x + sw!.width && sw!.x < title!.x + title!.width && title!.y < sw!.y + sw!.height && sw!.y < title!.y + title!.height;
      expect(overlaps, `${lang}: the title runs under the language switch`).to.equal(false);
      // every word of the title fits its box (a word wider than the box spills out of it)
      expect(await page.locator('#brand-title').evaluate((el) => el.scrollWidth <= el.clientWidth), `${lang}: a word of the title spills out`).to.equal(true);
      await b.shot(page, `login-header-${lang}-phone`, { fullPage: false });
    }
    // on a desk the switch stays on the title's line
    const page = await openLogin(LAPTOP, 'id');
    const title = (await page.locator('#brand-title').boundingBox())!;
    const sw = (await page.locator('#lang-switch').boundingBox())!;
    expect(sw.y).to.be.below(title.y + title.height);
  });

  /** Signs in with a wrong password until the page says something other than "wrong password"; answers that. */
  async function failUntilHeldBack(page: Page, email: string, wrong: string): Promise<string> {
    for (let i = 0; i < 10; i++) {
      await page.fill('#login-email', email);
      await page.fill('#login-password', `${wrong}-${i}`);
      await page.click('#login-submit');
      await page.waitForFunction(() => !(document.querySelector('#login-submit') as HTMLButtonElement).disabled && document.querySelector('#login-error .alert-error'));
      const text = (await page.locator('#login-error').textContent()) ?? '';
      if (!/salah|Invalid/.test(text)) return text;
    }
    throw new Error('never held back');
  }

  it('when someone keeps typing a wrong password (id, then en), then the page says how long to wait before trying again, not only “later”', async () => {
    const id = await failUntilHeldBack(await openLogin(PHONE, 'id'), diplomat.email, 'salah-terus');
    expect(id).to.match(/^Terlalu banyak percobaan masuk yang gagal\. Coba lagi dalam \d+ detik\.$/);
    const page = await openLogin(LAPTOP, 'en');
    const en = await failUntilHeldBack(page, diplomat.email, 'still-wrong');
    expect(en, en).to.match(/^Too many failed sign-ins\. Try again in (1 second|\d+ seconds)\.$/);
    await b.shot(page, 'login-held-back-en-desk', { fullPage: false });
  });

  it('when the e-mail address is incomplete (id on a phone, en on a desk), then the page says so at the e-mail field, keeps the password and puts the cursor in the address, instead of “see each field below” with nothing below', async () => {
    const expected = { id: 'Alamat e-mail ini belum lengkap. Bentuknya seperti nama@kemlu.go.id.', en: 'This is not a complete e-mail address. It should look like name@kemlu.go.id.' };
    for (const [lang, viewport] of [['id', PHONE], ['en', LAPTOP]] as const) {
      const page = await openLogin(viewport, lang);
      await page.fill('#login-email', 'dimas.kemlu.go.id');
      await page.fill('#login-password', diplomat.password);
      await page.click('#login-submit');
      await page.waitForSelector('#login-error .alert-error');
      expect(await page.locator('#login-error').textContent(), lang).to.equal(expected[lang]);
      expect(await page.evaluate(() => document.activeElement?.id), lang).to.equal('login-email');
      expect(await page.getAttribute('#login-email', 'aria-invalid'), lang).to.equal('true');
      expect(await page.getAttribute('#login-password', 'aria-invalid'), `${lang}: the password was not the fault`).to.equal(null);
      expect(await page.inputValue('#login-password'), `${lang}: the password is kept`).to.equal(diplomat.password);
      await b.shot(page, `login-bad-email-${lang}`, { fullPage: false });
    }
  });

  it('when a wrong password is refused and the reader switches language to read why (id to en on a phone, en to id on a desk), then the message stays, in the new language', async () => {
    const said = { id: 'E-mail atau kata sandi salah', en: 'Invalid e-mail or password' };
    for (const [from, to, viewport] of [['id', 'en', PHONE], ['en', 'id', LAPTOP]] as const) {
      const page = await openLogin(viewport, from);
      await page.fill('#login-email', 'nobody-here@example.org');
      await page.fill('#login-password', 'not the password at all');
      await page.click('#login-submit');
      await page.waitForSelector('#login-error .alert-error');
      expect(await page.locator('#login-error').textContent(), from).to.equal(said[from]);
      await page.click(`#lang-${to}`);
      await page.waitForFunction((title) => document.querySelector('#login-title')?.textContent === title, to === 'en' ? 'Sign in' : 'Masuk');
      expect(await page.locator('#login-error').isVisible(), `${from} → ${to}: the message went`).to.equal(true);
      expect(await page.locator('#login-error').textContent(), to).to.equal(said[to]);
      expect(await page.inputValue('#login-email'), to).to.equal('nobody-here@example.org');
      expect(await page.getAttribute('#login-password', 'aria-invalid'), `${to}: the fields it blamed stay marked`).to.equal('true');
      expect(await page.locator('#login-error .alert').count(), `${to}: said once`).to.equal(1);
      await b.shot(page, `login-error-after-switch-${to}`, { fullPage: false });
    }
  });
});
