import { expect } from 'chai';
import request from 'supertest';
import type { Page } from 'playwright-core';
import { LAPTOP, PHONE, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer } from '../support/agreements.js';

/**
 * "Disable", beside "Reset password" in every user's row, took effect on the click: the person was
 * signed out of every session and their personal calendar link was revoked for good (enabling the
 * account again does not bring it back), and the page said only that the account was "updated".
 * It now asks first, saying what disabling does, and says afterwards what was done.
 */
describe('web interface: disabling a user asks first', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let admin: TestUser;

  useBrowserHarness('web_user_disable', async (harness) => {
    b = harness;
    admin = await createUser(b.t, { role: 'admin', name: 'Ayu Administrator' });
  });

  async function usersTab(lang: 'id' | 'en', viewport = LAPTOP): Promise<Page> {
    const page = await b.signIn(await b.newContext({ lang, viewport }), admin);
    await page.goto(`${b.baseUrl}/#/admin`);
    await page.waitForSelector('#users-list[aria-busy="false"]');
    return page;
  }

  const stillSignedIn = async (token: string) => (await request(b.t.app).get('/api/me').set(bearer(token))).status === 200;

  it('when an admin clicks Disable (id), then a dialog says what it does; Escape leaves the account active and signed in, and Yes disables it and says so', async () => {
    const { token, user: diplomat } = await loginAs(b.t, 'diplomat', { name: 'Dimas Diplomat' });
    const page = await usersTab('id');
    await page.click(`#toggle-${diplomat.id}`);
    await page.waitForSelector('#user-disable-dialog[open]');
    expect(await page.locator('#user-disable-dialog h2').textContent()).to.equal('Nonaktifkan akun Dimas Diplomat?');
    expect(await page.locator('#user-disable-dialog-text').innerText()).to.equal(
      'Dimas Diplomat langsung dikeluarkan dari semua sesinya dan tidak dapat masuk sampai akunnya diaktifkan kembali. Tautan kalender pribadinya juga dicabut: setelah diaktifkan kembali, ia perlu membuat tautan baru di halaman Kalender.',
    );
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('#user-disable-dialog'));
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal(`toggle-${diplomat.id}`);
    expect(await stillSignedIn(token), 'the session survives a cancelled disable').to.equal(true);

    await page.click(`#toggle-${diplomat.id}`);
    await page.click('#user-disable-dialog-ok');
    await page.waitForFunction((id) => document.querySelector(`#toggle-${id}`)?.textContent === 'Aktifkan', diplomat.id);
    expect(await page.locator('main .alert-success').first().innerText()).to.equal('Akun Dimas Diplomat dinonaktifkan.');
    expect(await page.locator(`tr[data-id="${diplomat.id}"] td[data-label="Status"]`).innerText()).to.equal('Dinonaktifkan');
    expect(await stillSignedIn(token)).to.equal(false);
  });

  it('when an admin enables a disabled account (en), then it happens at once and the page says it is enabled again; the dialog fits a phone', async () => {
    const { user: drafter } = await loginAs(b.t, 'drafter', { name: 'Rina Perancang' });
    const adminToken = (await loginAs(b.t, 'admin', { user: admin })).token;
    await request(b.t.app).patch(`/api/users/${drafter.id}`).set(bearer(adminToken)).send({ disabled: true }).expect(200);
    const page = await usersTab('en');
    await page.click(`#toggle-${drafter.id}`);
    await page.waitForFunction((id) => document.querySelector(`#toggle-${id}`)?.textContent === 'Disable', drafter.id);
    expect(await page.locator('#user-disable-dialog').count()).to.equal(0);
    expect(await page.locator('main .alert-success').first().innerText()).to.equal('Rina Perancang’s account has been enabled again.');

    const phone = await usersTab('en', PHONE);
    await phone.click(`#toggle-${drafter.id}`);
    await phone.waitForSelector('#user-disable-dialog[open]');
    expect(await phone.locator('#user-disable-dialog h2').textContent()).to.equal('Disable Rina Perancang’s account?');
    expect(await phone.locator('#user-disable-dialog-ok').textContent()).to.equal('Yes, disable the account');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(PHONE.width);
    await b.shot(phone, 'user-disable-dialog-en-phone', { fullPage: false });
  });
});
