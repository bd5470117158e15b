import { expect } from 'chai';
import request from 'supertest';
import type { Page } from 'playwright-core';
import { axeViolations, PHONE, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, loginAs } from '../support/users.js';
import { bearer } from '../support/agreements.js';

/**
 * Accounts are created by an administrator with a first password; the settings page is where a
 * person replaces it with their own: current password, new password, the new one again.
 */
describe('web interface: changing my own password on the settings page', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  const DESKTOP = { width: 1280, height: 900 };
  const NEW_PASSWORD = 'sambal matah di teras pejambon';

  useBrowserHarness('web_own_password', async (harness) => {
    b = harness;
  });

  async function openSettings(page: Page): Promise<void> {
    // the header's link (in the menu on a phone) leads here
    await page.goto(`${b.baseUrl}/#/settings`);
    await page.waitForSelector('#settings-password-form');
  }
  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
  const logIn = (email: string, password: string) => request(b.t.app).post('/api/auth/login').send({ email, password });

  it('when a person changes their password in English, then the page says so, empties the fields, ends their other session and keeps this one', async () => {
    const user = await createUser(b.t, { role: 'diplomat', name: 'Dewi Lestari' });
    const elsewhere = (await loginAs(b.t, 'diplomat', { user })).token;
    const feed = (await request(b.t.app).post('/api/me/calendar-token').set(bearer(elsewhere))).body.token;
    const page = await b.signIn(await b.newContext({ viewport: DESKTOP, lang: 'en' }), user);
    await openSettings(page);
    expect(await page.locator('#settings-password-section-heading').textContent()).to.equal('Change password');
    expect(await page.getAttribute('#settings-current-password', 'autocomplete')).to.equal('current-password');
    expect(await page.getAttribute('#settings-new-password', 'autocomplete')).to.equal('new-password');
    expect(await page.getAttribute('#settings-confirm-password', 'autocomplete')).to.equal('new-password');
    expect(await page.locator('label[for="settings-confirm-password"]').textContent()).to.equal('Confirm new password');

    await page.fill('#settings-current-password', user.password);
    await page.fill('#settings-new-password', NEW_PASSWORD);
    await page.fill('#settings-confirm-password', NEW_PASSWORD);
    await page.click('#settings-password-save');
    await page.waitForSelector('#settings-password-done');
    expect(await page.locator('#settings-password-done').textContent()).to.equal(
      'Your password has been changed. You have been signed out of 1 other session; on this device you stay signed in.' +
        'Your personal calendar link has been revoked too: calendar apps that use it no longer receive your deadlines. Create a new calendar link',
    );
    expect(await page.getAttribute('#settings-calendar-feed-revoked a', 'href')).to.equal('#/calendar');
    expect(await focusedId(page)).to.equal('settings-password-done');
    for (const id of ['settings-current-password', 'settings-new-password', 'settings-confirm-password']) expect(await page.inputValue(`#${id}`), id).to.equal('');
    await b.shot(page, 'own-password-changed-en-1280');
    await page.setViewportSize(PHONE);
    await b.shot(page, 'own-password-changed-en-390');

    expect((await request(b.t.app).get('/api/me').set(bearer(elsewhere))).status).to.equal(401);
    expect((await request(b.t.app).get(`/api/calendar/${feed}.ics`)).body.error.message).to.equal('Calendar not found / Kalender tidak ditemukan');
    expect((await logIn(user.email, user.password)).status).to.equal(401);
    expect((await logIn(user.email, NEW_PASSWORD)).status).to.equal(200);
    // this tab's session goes on: the page loads again without asking to sign in
    await page.reload();
    await page.waitForSelector('#settings-password-form');
    expect(await page.locator('#login-email').count()).to.equal(0);
  });

  it('when a person with a calendar link changes their password in Indonesian, then the page says the link was revoked and leads to the calendar page; without one it says nothing of it', async () => {
    const user = await createUser(b.t, { role: 'signatory', name: 'Sari Penanda' });
    const page = await b.signIn(await b.newContext({ viewport: PHONE, lang: 'id' }), user);
    const changeTo = async (from: string, to: string) => {
      await page.fill('#settings-current-password', from);
      await page.fill('#settings-new-password', to);
      await page.fill('#settings-confirm-password', to);
      await page.click('#settings-password-save');
      await page.waitForSelector('#settings-password-done');
    };
    await openSettings(page);
    await changeTo(user.password, NEW_PASSWORD);
    expect(await page.locator('#settings-password-done').textContent()).to.equal('Kata sandi Anda sudah diganti. Di perangkat ini Anda tetap masuk.');

    const { token } = await loginAs(b.t, 'signatory', { user: { ...user, password: NEW_PASSWORD } });
    const feed = (await request(b.t.app).post('/api/me/calendar-token').set(bearer(token))).body.token;
    const second = 'rendang padang di lantai tujuh';
    await changeTo(NEW_PASSWORD, second);
    expect(await page.locator('#settings-password-done').textContent()).to.equal(
      'Kata sandi Anda sudah diganti. Anda sudah dikeluarkan dari 1 sesi lain; di perangkat ini Anda tetap masuk.' +
        'Tautan kalender pribadi Anda juga dicabut: aplikasi kalender yang memakainya tidak lagi menerima tenggat Anda. Buat tautan kalender baru',
    );
    expect((await request(b.t.app).get(`/api/calendar/${feed}.ics`)).body.error.message).to.equal('Calendar not found / Kalender tidak ditemukan');
    expect(await axeViolations(page)).to.deep.equal([]);
    await b.shot(page, 'own-password-calendar-revoked-id-390');
    await page.setViewportSize(DESKTOP);
    await b.shot(page, 'own-password-calendar-revoked-id-1280');
    await page.click('#settings-calendar-feed-revoked a');
    await page.waitForSelector('#feed-create');
    expect(await page.locator('#feed-create').textContent()).to.equal('Buat tautan kalender');
  });

  it('when the new password is typed differently the second time, in Indonesian, then the page says so under that field and puts the focus there, and nothing is changed', async () => {
    const user = await createUser(b.t, { role: 'drafter', name: 'Rina Perancang' });
    const page = await b.signIn(await b.newContext({ viewport: PHONE, lang: 'id' }), user);
    await openSettings(page);
    expect(await page.locator('#settings-password-section-heading').textContent()).to.equal('Ganti kata sandi');

    await page.fill('#settings-current-password', user.password);
    await page.fill('#settings-new-password', NEW_PASSWORD);
    await page.fill('#settings-confirm-password', 'sambal matah di teras pejambom');
    await page.click('#settings-password-save');
    await page.waitForSelector('#settings-confirm-password-problem [role=alert]');
    expect(await page.locator('#settings-confirm-password-problem li').textContent()).to.equal('Ulangi kata sandi baru: tidak sama dengan kata sandi baru');
    expect(await focusedId(page)).to.equal('settings-confirm-password');
    expect(await page.getAttribute('#settings-confirm-password', 'aria-invalid')).to.equal('true');
    expect(await page.getAttribute('#settings-confirm-password', 'aria-describedby')).to.contain('settings-confirm-password-problem');
    expect(await page.locator('#settings-current-password-problem, #settings-new-password-problem').locator('li').count()).to.equal(0);
    expect(await axeViolations(page)).to.deep.equal([]);
    await b.shot(page, 'own-password-mismatch-id-390');
    await page.setViewportSize(DESKTOP);
    await b.shot(page, 'own-password-mismatch-id-1280');
    // nothing was sent: the first password still signs in
    expect((await logIn(user.email, user.password)).status).to.equal(200);

    // the server's refusal of a wrong current password is said under that field, in the page's words
    await page.fill('#settings-current-password', 'bukan kata sandi saya');
    await page.fill('#settings-confirm-password', NEW_PASSWORD);
    await page.click('#settings-password-save');
    await page.waitForSelector('#settings-current-password-problem [role=alert]');
    expect(await page.locator('#settings-current-password-problem li').textContent()).to.equal('Kata sandi saat ini: salah; ketik kata sandi yang Anda pakai untuk masuk sekarang');
    expect(await focusedId(page)).to.equal('settings-current-password');
    expect(await page.locator('#settings-confirm-password-problem li').count()).to.equal(0);
    expect(await page.getAttribute('#settings-confirm-password', 'aria-invalid')).to.equal(null);
    expect((await logIn(user.email, user.password)).status).to.equal(200);

    // the password rule's reasons read after the field's name, not as a second sentence about the password
    for (const [weak, said] of [
      ['short-1', 'Kata sandi baru: kurang dari 10 karakter'],
      ['Password123!', 'Kata sandi baru: termasuk daftar kata sandi yang umum dipakai atau pernah bocor'],
    ]) {
      await page.fill('#settings-current-password', user.password);
      await page.fill('#settings-new-password', weak);
      await page.fill('#settings-confirm-password', weak);
      await page.click('#settings-password-save');
      await page.waitForSelector('#settings-new-password-problem [role=alert]');
      expect(await page.locator('#settings-new-password-problem li').textContent()).to.equal(said);
      expect(await focusedId(page)).to.equal('settings-new-password');
    }
    expect((await logIn(user.email, user.password)).status).to.equal(200);
  });

  it('when the new password is refused by the password rule, in English, then the reason reads after the field name', async () => {
    const user = await createUser(b.t, { role: 'diplomat', name: 'Dewi Lestari' });
    const page = await b.signIn(await b.newContext({ viewport: DESKTOP, lang: 'en' }), user);
    await openSettings(page);
    await page.fill('#settings-current-password', user.password);
    await page.fill('#settings-new-password', 'short-1');
    await page.fill('#settings-confirm-password', 'short-1');
    await page.click('#settings-password-save');
    await page.waitForSelector('#settings-new-password-problem [role=alert]');
    expect(await page.locator('#settings-new-password-problem li').textContent()).to.equal('New password: has fewer than 10 characters');
  });
});
