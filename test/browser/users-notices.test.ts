import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { LAPTOP, PHONE, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, type TestUser } from '../support/users.js';

/**
 * The Users tab answers each thing the administrator does in that thing's place (a row, the new
 * user's form), and once put a success on top when the language changed. An earlier answer stayed
 * beside a later one: "password changed" above "cannot be given another role" read as if both had
 * just happened. The newest answer is the one shown.
 */
describe('web interface: the admin tabs say one thing at a time', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let admin: TestUser;
  let diplomat: TestUser;

  useBrowserHarness('web_users_notices', async (harness) => {
    b = harness;
    // the only admin: giving them another role is refused
    admin = await createUser(b.t, { role: 'admin', name: 'Ayu Administrator' });
    diplomat = await createUser(b.t, { role: 'diplomat', name: 'Dimas Diplomat' });
  });

  async function usersTab(lang: 'id' | 'en', viewport: { width: number; height: number }): Promise<Page> {
    const page = await b.signIn(await b.newContext({ lang, viewport }), admin);
    await page.goto(`${b.baseUrl}/#/admin`);
    await page.waitForSelector('#users-list[aria-busy="false"]');
    return page;
  }
  const said = (page: Page) => page.locator('main .alert').allInnerTexts();
  const resetPassword = async (page: Page, user: TestUser, password: string) => {
    await page.click(`#reset-${user.id}`);
    await page.fill(`#pw-${user.id}`, password);
    await page.press(`#pw-${user.id}`, 'Enter');
  };
  const switchTo = async (page: Page, lang: 'id' | 'en') => {
    if (await page.locator('#menu-toggle').isVisible()) await page.click('#menu-toggle');
    await page.click(`#lang-${lang}`);
    await page.waitForFunction((l) => document.documentElement.lang === l && document.querySelector('#users-list')?.getAttribute('aria-busy') === 'false', lang);
    if (await page.locator('#menu-toggle').isVisible()) await page.click('#menu-toggle');
  };

  it('when a password is reset and then a role change in another row is refused (id, phone), then only the refusal shows, and the language switch brings back the refusal, not the old success', async () => {
    const page = await usersTab('id', PHONE);
    await resetPassword(page, diplomat, 'gerbang-pejambon-baru-2026');
    await page.waitForSelector(`tr[data-id="${diplomat.id}"] .alert-success`);
    expect(await said(page)).to.deep.equal(['Kata sandi Dimas Diplomat telah diganti; sesi lamanya diakhiri.']);

    await page.selectOption(`#role-${admin.id}`, 'diplomat');
    await page.click(`#role-save-${admin.id}`);
    await page.waitForSelector(`tr[data-id="${admin.id}"] .alert-error`);
    const refusal = 'Peran admin aktif terakhir tidak dapat diubah: aktifkan atau tambahkan admin lain terlebih dahulu';
    expect(await said(page), 'the newest answer only').to.deep.equal([refusal]);
    await page.locator(`tr[data-id="${admin.id}"] .alert-error`).scrollIntoViewIfNeeded();
    await b.shot(page, 'users-newest-notice-id-390', { fullPage: false });

    await switchTo(page, 'en');
    await page.waitForSelector(`tr[data-id="${admin.id}"] .alert-error`);
    expect(await said(page), 'the refusal, in English, and no success above it').to.deep.equal([
      'The last active admin cannot be given another role: enable or add another admin first',
    ]);
  });

  it('when the new user form is refused and then a password is reset (en, laptop), then only the success shows and the form no longer blames its field', async () => {
    const page = await usersTab('en', LAPTOP);
    await page.fill('#new-name', 'Wulan Pengguna');
    await page.fill('#new-email', 'wulan@notices.test');
    await page.fill('#new-password', 'short');
    await page.click('#user-create-submit');
    await page.waitForSelector('#user-form-result .alert-error');
    expect(await page.getAttribute('#new-password', 'aria-invalid')).to.equal('true');

    await resetPassword(page, diplomat, 'gerbang-pejambon-lagi-2026');
    await page.waitForSelector(`tr[data-id="${diplomat.id}"] .alert-success`);
    expect(await said(page), 'the newest answer only').to.deep.equal(['Dimas Diplomat’s password has been changed; their old sessions are ended.']);
    expect(await page.getAttribute('#new-password', 'aria-invalid'), 'what was refused before is not marked wrong any more').to.equal(null);
    expect(await page.inputValue('#new-name'), 'what was typed stays').to.equal('Wulan Pengguna');
    await b.shot(page, 'users-newest-notice-en-1366', { fullPage: false });
  });

  /** The notice is in `row`'s place, read out and focused, on screen, and the words typed in the new-user form kept. */
  async function saidInRow(page: Page, { row, notice, typed, label }: { row: string; notice: string; typed: string; label: string }) {
    await page.waitForFunction((n) => document.querySelector('#users-said')?.textContent === n, notice);
    expect(await page.locator('#users-said').evaluate((el, r) => el.closest('tr') === document.querySelector(r), row), `said in the row (${label})`).to.equal(true);
    expect(await page.locator('#users-said').getAttribute('role')).to.equal('status');
    expect(await page.evaluate(() => document.activeElement?.id), `notice focused (${label})`).to.equal('users-said');
    const onScreen = await page.locator('#users-said').evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
    });
    expect(onScreen, `notice on screen (${label})`).to.equal(true);
    expect(await page.locator('main .alert').count(), `the newest notice only (${label})`).to.equal(1);
    expect(await page.inputValue('#new-name'), `typed name kept (${label})`).to.equal(typed);
  }

  it('when a user far down a long list is disabled, given another role or deleted (id, phone; en, laptop), then it is said in that row or where it stood, focused and on screen, and what was typed in the new-user form stays', async () => {
    const many: TestUser[] = [];
    for (let i = 0; i < 12; i++) many.push(await createUser(b.t, { role: 'drafter', name: `Pengguna Daftar ${String(i).padStart(2, '0')}` }));
    let page = await usersTab('id', PHONE);
    await page.fill('#new-name', 'Wulan Belum Selesai');
    const last = await page.locator('#users-list tbody tr').last().getAttribute('data-id');
    const lastName = await page.locator(`tr[data-id="${last}"] th`).textContent();
    await page.locator(`#toggle-${last}`).scrollIntoViewIfNeeded();
    await page.click(`#toggle-${last}`);
    await page.click('#user-disable-dialog-ok');
    await saidInRow(page, { row: `tr[data-id="${last}"]`, notice: `Akun ${lastName} dinonaktifkan.`, typed: 'Wulan Belum Selesai', label: 'disabled' });
    expect(await page.locator(`tr[data-id="${last}"] .badge`).textContent()).to.equal('Dinonaktifkan');
    await b.shot(page, 'users-disabled-in-row-id-390', { fullPage: false });

    const other = many[10];
    await page.selectOption(`#role-${other.id}`, 'auditor');
    await page.click(`#role-save-${other.id}`);
    await saidInRow(page, { row: `tr[data-id="${other.id}"]`, notice: `Akun ${other.name} diperbarui.`, typed: 'Wulan Belum Selesai', label: 'role' });
    expect(await page.inputValue(`#role-${other.id}`)).to.equal('auditor');
    await page.context().close();

    page = await usersTab('en', { width: 1280, height: 800 });
    await page.fill('#new-name', 'Wulan Not Yet');
    const gone = many[5];
    const before = await page.locator(`tr[data-id="${gone.id}"]`).evaluate((el) => (el.previousElementSibling as HTMLElement).dataset.id);
    await page.click(`#delete-${gone.id}`);
    await page.fill('#delete-reason', 'Moved to another directorate');
    await page.click('#delete-confirm');
    await saidInRow(page, { row: 'tr.user-gone', notice: `${gone.name}’s account has been deleted.`, typed: 'Wulan Not Yet', label: 'deleted' });
    expect(await page.locator(`tr[data-id="${gone.id}"]`).count()).to.equal(0);
    expect(await page.locator('tr.user-gone').evaluate((el) => (el.previousElementSibling as HTMLElement).dataset.id), 'where the row stood').to.equal(before);
    await b.shot(page, 'users-deleted-in-place-en-1280', { fullPage: false });

    // the one being typed is created: said in their new row, the form emptied for the next person
    await page.fill('#new-email', 'wulan.notyet@notices.test');
    await page.fill('#new-password', 'gerbang-pejambon-2026');
    await page.click('#user-create-submit');
    await page.waitForFunction(() => document.querySelector('#users-said')?.textContent === 'User Wulan Not Yet created.');
    expect(await page.locator('#users-said').evaluate((el) => el.closest('tr')?.dataset.email)).to.equal('wulan.notyet@notices.test');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('users-said');
    expect(await page.inputValue('#new-name')).to.equal('');
    await page.context().close();
  });

  /** What the tab says in answer, apart from what it states of its own (the e-mail channel's note). */
  const answers = (page: Page) => page.locator('#admin-body .alert:not(#reminder-channels > .alert)').allInnerTexts();
  async function adminTab(tab: string, lang: 'id' | 'en', viewport: { width: number; height: number }, ready: string): Promise<Page> {
    const page = await b.signIn(await b.newContext({ lang, viewport }), admin);
    await page.goto(`${b.baseUrl}/#/admin?tab=${tab}`);
    await page.waitForSelector(ready);
    return page;
  }

  it('when escalation addresses are saved and then a second save is refused (id, phone), then only the refusal shows', async () => {
    const page = await adminTab('escalation', 'id', PHONE, '#escalation-list[aria-busy="false"]');
    await page.fill('#esc-unit', 'PWNI');
    await page.fill('#esc-emails', 'piket.pwni@kemlu.go.id');
    await page.click('#escalation-save');
    await page.waitForFunction(() => document.querySelectorAll('#admin-body .alert-success').length === 1);
    await page.fill('#esc-unit', 'PWNI');
    await page.fill('#esc-emails', 'piket.pwni@kemlu');
    await page.click('#escalation-save');
    await page.waitForSelector('#escalation-result .alert-error');
    const said = await answers(page);
    expect(said, 'the newest answer only').to.have.length(1);
    expect(said[0]).to.contain('piket.pwni@kemlu');
    await page.locator('#escalation-result').scrollIntoViewIfNeeded();
    await b.shot(page, 'admin-escalation-newest-notice-id-390', { fullPage: false });
  });

  it('when a holiday is added and then a second one is refused (id, phone), then only the refusal shows', async () => {
    const page = await adminTab('holidays&year=2031', 'id', PHONE, '#holidays-list[aria-busy="false"]');
    await page.fill('#holiday-date', '2031-08-17');
    await page.fill('#holiday-name-id', 'Hari Kemerdekaan');
    await page.fill('#holiday-name-en', 'Independence Day');
    await page.click('#holiday-add-submit');
    await page.waitForFunction(() => document.querySelectorAll('#admin-body .alert-success').length === 1);
    await page.fill('#holiday-date', '2031-08-18');
    await page.click('#holiday-add-submit');
    await page.waitForSelector('#holiday-form-result .alert-error');
    expect(await answers(page), 'the newest answer only').to.have.length(1);
  });

  it('when the reminder schedule is saved and then a second save is refused (en, laptop), then only the refusal shows and the e-mail channel is still stated', async () => {
    const page = await adminTab('reminders', 'en', { width: 1280, height: 800 }, '#reminder-schedule-save');
    await page.waitForSelector('#deliveries-recent[aria-busy="false"]');
    const channel = await page.locator('#reminder-channels').innerText();
    expect(channel, 'the tab states the e-mail channel').to.not.equal('');
    await page.fill('#rs-sendAtLocalTime', '09.30');
    await page.click('#reminder-schedule-save');
    await page.waitForFunction(() => document.querySelectorAll('#admin-body .alert-success').length === 1);
    await page.waitForSelector('#reminder-schedule-save');
    await page.fill('#rs-sendAtLocalTime', '25.00');
    await page.click('#reminder-schedule-save');
    await page.waitForSelector('#reminder-schedule-result .alert-error');
    const said = await answers(page);
    expect(said, 'the newest answer only').to.have.length(1);
    expect(await page.locator('#reminder-schedule-result .alert-error').count()).to.equal(1);
    expect(await page.locator('#reminder-channels').innerText(), 'what the tab states stays').to.equal(channel);
    await page.locator('#reminder-schedule-result').scrollIntoViewIfNeeded();
    await b.shot(page, 'admin-reminders-newest-notice-en-1280', { fullPage: false });
  });

  it('when an index is added and then a second one is refused (en, laptop), then only the refusal shows', async () => {
    const page = await adminTab('indices', 'en', { width: 1280, height: 800 }, '#indices-list[aria-busy="false"]');
    const add = async (code: string) => {
      await page.fill('#index-code', code);
      await page.fill('#index-name-id', 'Indeks Pelayanan Kekonsuleran');
      await page.fill('#index-name-en', 'Consular Services Index');
      await page.click('#index-add-submit');
    };
    await add('consular_services');
    await page.click('#index-add-dialog-ok');
    await page.waitForSelector('#indices-status .alert-success');
    await add('Consular Services');
    await page.waitForSelector('#index-form-result .alert-error');
    expect(await answers(page), 'the newest answer only').to.have.length(1);
    await page.locator('#index-form-result').scrollIntoViewIfNeeded();
    await b.shot(page, 'admin-indices-newest-notice-en-1280', { fullPage: false });
  });
});
