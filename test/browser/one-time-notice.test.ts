import { expect } from 'chai';
import request from 'supertest';
import type { Page } from 'playwright-core';
import { LAPTOP, PHONE, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';

/**
 * A one-time notice (what was just saved, why the sign-in page is shown) is often the very thing a
 * reader switches language to read: the switch draws it again in the other language, and any other
 * way of leaving the page forgets it.
 */
describe('web interface: one-time notices and the language switch', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let drafter: TestUser;

  useBrowserHarness('web_one_time_notice', async (harness) => {
    b = harness;
    drafter = await createUser(b.t, { role: 'drafter', name: 'Sari Perancang' });
  });

  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id);
  const textOf = async (page: Page, selector: string) => ((await page.locator(selector).textContent()) ?? '').trim();
  /** Waits until the page has drawn itself in `lang` (the page heading is the last thing a switch changes). */
  const switchTo = async (page: Page, lang: 'id' | 'en') => {
    await page.click(`#lang-${lang}`);
    await page.waitForFunction((l) => document.documentElement.lang === l && document.querySelector('#lang-' + l)?.getAttribute('aria-pressed') === 'true', lang);
  };

  it('when the time zone is saved and the reader switches to English, then “saved” is still said, in English, and is gone once they leave the page and come back', async () => {
    const page = await b.signIn(await b.newContext({ viewport: PHONE, lang: 'id' }), drafter);
    await page.goto(`${b.baseUrl}/#/settings`);
    await page.waitForSelector('#settings-zone');
    await page.selectOption('#settings-zone', 'Asia/Riyadh');
    await page.click('#settings-save');
    await page.waitForSelector('#settings-flash');
    expect(await textOf(page, '#settings-flash')).to.equal('Zona waktu disimpan: Riyadh (Asia/Riyadh).');

    // on a phone the switch sits behind the menu button
    await page.click('#menu-toggle');
    await switchTo(page, 'en');
    await page.waitForFunction(() => document.querySelector('#settings-flash')?.textContent === 'Time zone saved: Riyadh (Asia/Riyadh).');
    expect(await focusedId(page), 'focus stays on the switch').to.equal('lang-en');
    await b.shot(page, 'one-time-notice-settings-en-390');
    await switchTo(page, 'id');
    await page.waitForFunction(() => document.querySelector('#settings-flash')?.textContent === 'Zona waktu disimpan: Riyadh (Asia/Riyadh).');

    await page.goto(`${b.baseUrl}/#/notifications`);
    await page.waitForSelector('#nav-notifications[aria-current="page"]', { state: 'attached' });
    await page.goto(`${b.baseUrl}/#/settings`);
    await page.waitForSelector('#settings-zone');
    expect(await page.locator('#settings-flash').count(), 'the notice is one-time').to.equal(0);
    // and a switch now brings back nothing
    await page.click('#menu-toggle');
    await switchTo(page, 'en');
    await page.waitForSelector('#settings-zone-section-heading:text-is("Time zone")');
    expect(await page.locator('#settings-flash').count()).to.equal(0);
  });

  it('when the session ends and the reader switches language on the sign-in page, then the page still says why, in that language', async () => {
    const page = await b.signIn(await b.newContext({ viewport: LAPTOP, lang: 'id' }), drafter);
    // the session ends elsewhere (signed out with the same token), then the page asks for something
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('pwni.session') ?? '{}').token);
    await request(b.t.app).post('/api/auth/logout').set(bearer(token)).expect(204);
    await page.goto(`${b.baseUrl}/#/notifications`);
    await page.waitForSelector('#login-form');
    await page.waitForFunction(() => document.querySelector('#main .alert')?.textContent === 'Sesi Anda telah berakhir. Silakan masuk kembali.');

    await switchTo(page, 'en');
    await page.waitForFunction(() => document.querySelector('#main .alert')?.textContent === 'Your session has ended. Please sign in again.');
    expect(await page.locator('#main .alert-warning').count()).to.equal(1);
    await b.shot(page, 'one-time-notice-login-en-1366');
  });

  it('when a stage is moved on the agreement page and the reader switches to English, then the notice names the new stage in English, and focus stays on the switch', async () => {
    const { token } = await loginAs(b.t, 'drafter', { user: drafter });
    const agreement = await createAgreementVia(b.t, token, { title: { id: 'Nota Kesepahaman Pemberitahuan', en: 'Notice MoU' } });
    const page = await b.signIn(await b.newContext({ viewport: LAPTOP, lang: 'id' }), drafter);
    await page.goto(`${b.baseUrl}/#/agreements/${agreement.id}`);
    await page.waitForSelector('#next-steps-list');
    await page.click('button.move[data-to="interagency_consultation"]');
    await page.fill('#confirm-note', 'Dikirim ke K/L terkait');
    await page.click('#confirm-dialog-ok');
    await page.waitForFunction(() => document.querySelector('#detail-flash')?.textContent === 'Tahap diubah menjadi: Konsultasi antarinstansi');

    await switchTo(page, 'en');
    await page.waitForFunction(() => document.querySelector('#detail-flash')?.textContent === 'Stage changed to: Inter-agency consultation');
    expect(await focusedId(page), 'focus stays on the switch').to.equal('lang-en');
    await b.shot(page, 'one-time-notice-detail-en-1366');

    await page.goto(`${b.baseUrl}/#/agreements`);
    await page.waitForSelector('table.board-table');
    await page.goto(`${b.baseUrl}/#/agreements/${agreement.id}`);
    await page.waitForSelector('#next-steps-list');
    expect(await page.locator('#detail-flash').count(), 'the notice is one-time').to.equal(0);
  });

  it('when the own password is changed and the reader switches to English, then “changed” is still said under the password form, in English', async () => {
    const user = await createUser(b.t, { role: 'diplomat', name: 'Dian Diplomat' });
    const page = await b.signIn(await b.newContext({ viewport: LAPTOP, lang: 'id' }), user);
    await page.goto(`${b.baseUrl}/#/settings`);
    await page.waitForSelector('#settings-password-form');
    const fresh = 'layang-layang di atas monas';
    await page.fill('#settings-current-password', user.password);
    await page.fill('#settings-new-password', fresh);
    await page.fill('#settings-confirm-password', fresh);
    await page.click('#settings-password-save');
    await page.waitForSelector('#settings-password-done');
    const idText = await textOf(page, '#settings-password-done');
    expect(idText).to.match(/^Kata sandi/);

    await switchTo(page, 'en');
    await page.waitForFunction(() => /^Your password/.test(document.querySelector('#settings-password-done')?.textContent ?? ''));
    expect(await page.locator('#settings-flash').count(), 'under its form, not on top').to.equal(0);
  });
});
