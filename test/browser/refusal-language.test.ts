import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { LAPTOP, PHONE, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { createAgreementVia, signVia, toAwaitingSignature } from '../support/agreements.js';
import { uploadSignedCopy, uploadVia } from '../support/documents.js';
import { drafterWithTwoReminders } from '../support/notifications.js';

/**
 * A refusal shown in a form (the server's, or the page's own check) is often what a reader switches
 * language to read: the switch draws it again in the other language, with what was typed and the
 * fields it blamed, and leaving the page forgets it.
 */
describe('web interface: a refusal in a form and the language switch', function () {
  this.timeout(180_000);

  let b: BrowserHarness;
  let drafter: TestUser;
  let admin: TestUser;
  let reader: TestUser;

  useBrowserHarness('web_refusal_language', async (harness) => {
    b = harness;
    drafter = await createUser(b.t, { role: 'drafter', name: 'Sari Perancang' });
    admin = await createUser(b.t, { role: 'admin', name: 'Adi Admin' });
    reader = await drafterWithTwoReminders(b.t, { id: 'Nota Kesepahaman Pengingat Terputus', en: 'Dropped Reminder MoU' });
  });

  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id);
  const textOf = async (page: Page, selector: string) => ((await page.locator(selector).textContent()) ?? '').trim();
  /** Switches through the header (behind the menu button on a phone) and waits until the page is drawn in `lang`. */
  const switchTo = async (page: Page, lang: 'id' | 'en') => {
    if (await page.locator('#menu-toggle').isVisible()) await page.click('#menu-toggle');
    await page.click(`#lang-${lang}`);
    await page.waitForFunction((l) => document.documentElement.lang === l && document.querySelector('#lang-' + l)?.getAttribute('aria-pressed') === 'true', lang);
  };
  /** Another page, then back by the same address: a fresh page, with no refusal left over. */
  const awayAndBack = async (page: Page, back: string, ready: string) => {
    await page.goto(`${b.baseUrl}/#/notifications`);
    await page.waitForSelector('#nav-notifications[aria-current="page"]', { state: 'attached' });
    await page.goto(`${b.baseUrl}/${back}`);
    await page.waitForSelector(ready);
  };

  it('when a new agreement is refused for a missing Indonesian title on a phone and the reader switches to English, then the refusal is said in English at the same field, what was typed stays, and it is gone once they come back later', async () => {
    const page = await b.signIn(await b.newContext({ viewport: PHONE, lang: 'id' }), drafter);
    await page.goto(`${b.baseUrl}/#/agreements/new`);
    await page.waitForSelector('#agreement-form');
    await page.fill('#title-en', 'Memorandum on Shelters');
    await page.click('#form-submit');
    await page.waitForSelector('#form-error .alert-error');
    const said = await textOf(page, '#form-error');
    expect(said).to.contain('Ada isian yang tidak valid').and.to.contain('Judul dalam bahasa Indonesia');
    expect(await page.getAttribute('#title-id', 'aria-invalid')).to.equal('true');
    await b.shot(page, 'refusal-form-id-390', { fullPage: false });

    await switchTo(page, 'en');
    await page.waitForFunction(() => /see each field below/.test(document.querySelector('#form-error')?.textContent ?? ''));
    const english = await textOf(page, '#form-error');
    expect(english).to.contain('Title in Indonesian').and.not.to.contain('Judul');
    expect(await page.locator('#form-error .alert-error').count(), 'said once').to.equal(1);
    expect(await page.getAttribute('#title-id', 'aria-invalid'), 'the field it blames is still marked').to.equal('true');
    expect(await page.inputValue('#title-en'), 'what was typed stays').to.equal('Memorandum on Shelters');
    expect(await focusedId(page), 'focus stays on the switch').to.equal('lang-en');
    await page.click('#menu-toggle');
    await page.locator('#form-error').scrollIntoViewIfNeeded();
    await b.shot(page, 'refusal-form-en-390', { fullPage: false });

    await awayAndBack(page, '#/agreements/new', '#agreement-form');
    expect(await page.locator('#form-error .alert').count(), 'the refusal is not said again').to.equal(0);
    expect(await page.getAttribute('#title-id', 'aria-invalid')).to.equal(null);
  });

  it('when moving an agreement into force is refused for a date before its signing on a laptop and the reader switches to Indonesian, then the page says why in Indonesian under the next steps, with the date kept', async () => {
    const { token } = await loginAs(b.t, 'drafter', { user: drafter });
    const mou = await createAgreementVia(b.t, token, { title: { id: 'Nota Kesepahaman Penolakan Bahasa', en: 'Refusal Language MoU' } });
    await toAwaitingSignature(b.t, token, mou.id);
    for (const party of mou.parties) expect((await signVia(b.t, token, mou.id, party.id)).status).to.equal(200);
    await uploadSignedCopy(b.t, token, mou.id);

    const page = await b.signIn(await b.newContext({ viewport: LAPTOP, lang: 'en' }), drafter);
    await page.goto(`${b.baseUrl}/#/agreements/${mou.id}`);
    await page.waitForSelector('#eif-date');
    await page.fill('#eif-date', '2020-01-02');
    await page.selectOption('#eif-basis', { index: 1 });
    await page.click('button.move[data-to="in_force"]');
    await page.click('#confirm-dialog-ok');
    await page.waitForSelector('#move-error .alert-error');
    expect(await textOf(page, '#move-error')).to.contain('cannot come before the signing');
    await page.locator('#next-steps').scrollIntoViewIfNeeded();
    await b.shot(page, 'refusal-move-en-1366', { fullPage: false });

    await switchTo(page, 'id');
    await page.waitForFunction(() => /tidak boleh sebelum tanggal penandatanganan/.test(document.querySelector('#move-error')?.textContent ?? ''));
    expect(await textOf(page, '#move-error')).not.to.contain('cannot come before');
    expect(await page.inputValue('#eif-date'), 'the date typed stays').to.equal('2020-01-02');
    expect(await focusedId(page), 'focus stays on the switch').to.equal('lang-id');
    await page.locator('#next-steps').scrollIntoViewIfNeeded();
    await b.shot(page, 'refusal-move-id-1366', { fullPage: false });

    await awayAndBack(page, `#/agreements/${mou.id}`, '#eif-date');
    expect(await page.locator('#move-error .alert').count(), 'the refusal is not said again').to.equal(0);
  });

  it('when a new user is refused for a short password on a phone and the administrator switches to English, then the form says so in English at the password, with the name kept', async () => {
    const page = await b.signIn(await b.newContext({ viewport: PHONE, lang: 'id' }), admin);
    await page.goto(`${b.baseUrl}/#/admin`);
    await page.waitForSelector('#user-create');
    await page.fill('#new-name', 'Wulan Pengguna');
    await page.fill('#new-email', 'wulan@refusal.test');
    await page.fill('#new-password', 'pendek');
    await page.click('#user-create-submit');
    await page.waitForSelector('#user-form-result .alert-error');
    expect(await textOf(page, '#user-form-result')).to.equal('Periksa isian berikut:Kata sandi awal: minimal 10 karakter');

    await switchTo(page, 'en');
    await page.waitForFunction(() => document.querySelector('#user-form-result')?.textContent === 'Please check what was entered:Initial password: needs at least 10 characters');
    expect(await page.getAttribute('#new-password', 'aria-invalid')).to.equal('true');
    expect(await page.inputValue('#new-name')).to.equal('Wulan Pengguna');
    await page.click('#menu-toggle');
    await page.locator('#user-new').scrollIntoViewIfNeeded();
    await b.shot(page, 'refusal-admin-en-390', { fullPage: false });

    await awayAndBack(page, '#/admin', '#user-create');
    await page.waitForSelector('#users-list[aria-busy="false"]');
    expect(await page.locator('#user-form-result .alert').count(), 'the refusal is not said again').to.equal(0);
  });

  it('when a register is checked and found wanting on a laptop and the reader switches to English, then its problems are listed in English, row by row', async () => {
    const page = await b.signIn(await b.newContext({ viewport: LAPTOP, lang: 'id' }), drafter);
    await page.goto(`${b.baseUrl}/#/reports`);
    await page.waitForSelector('#import-file', { state: 'attached' });
    const header = 'code,type,title_id,title_en,lead_unit,stage,stage_since,parties';
    const row = 'R-0001,mou,Nota Kesepahaman,Memorandum,PWNI,bukan-tahap,2022-05-02,"Republik Indonesia [state, ID]; Malaysia [state, MY]"';
    await page.setInputFiles('#import-file', { name: 'register.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\n${row}\n`) });
    await page.click('#import-check');
    await page.waitForSelector('#import-result table');
    expect(await textOf(page, '#import-result caption')).to.equal('1 masalah');
    const idWhy = await textOf(page, '#import-result tbody td:last-child');
    const idStatus = await textOf(page, '#import-status');

    await switchTo(page, 'en');
    await page.waitForFunction(() => document.querySelector('#import-result caption')?.textContent === '1 problem');
    expect(await page.locator('#import-result thead th').allTextContents()).to.deep.equal(['Row', 'Column', 'Problem']);
    const enWhy = await textOf(page, '#import-result tbody td:last-child');
    expect(enWhy, 'the problem in the other language').to.not.equal(idWhy).and.not.equal('');
    const enStatus = await textOf(page, '#import-status');
    expect(enStatus).to.match(/ready to import/);
    expect(enStatus).to.not.equal(idStatus);
    await page.locator('#report-import').scrollIntoViewIfNeeded();
    await b.shot(page, 'refusal-import-en-1366', { fullPage: false });

    await awayAndBack(page, '#/reports', '#report-import');
    expect(await page.locator('#import-result table').count(), 'the report is not shown again').to.equal(0);
    expect(await textOf(page, '#import-status')).to.equal('');
  });

  // A refusal beside a button, not in a form: the same, in a place the page names by what it is about.
  const NETWORK = { id: 'Server tidak dapat dihubungi. Periksa sambungan Anda.', en: 'The server cannot be reached. Check your connection.' };
  /** The link drops for requests to `pattern` (by `method`), as it does on a mission's poor line; the console's note of it is expected. */
  const dropLink = async (page: Page, pattern: string, method: string) => {
    await page.context().route(pattern, (route) => (route.request().method() === method ? route.abort('internetdisconnected') : route.continue()));
  };
  const forgetDroppedLink = () => {
    for (let i = b.pageErrors.length - 1; i >= 0; i--) if (/ERR_INTERNET_DISCONNECTED/.test(b.pageErrors[i])) b.pageErrors.splice(i, 1);
  };

  it('when downloading a version fails on a phone and the reader switches to English, then its row says why in English, once, and a check of the file that fails says so in its own place too (laptop, back to Indonesian)', async () => {
    const { token } = await loginAs(b.t, 'drafter', { user: drafter });
    const mou = await createAgreementVia(b.t, token, { title: { id: 'Nota Kesepahaman Unduhan Terputus', en: 'Dropped Download MoU' } });
    const uploaded = await uploadVia(b.t, token, mou.id, { kind: 'draft', language: 'id' });
    expect(uploaded.status).to.equal(201);
    const docId: string = uploaded.body.id;
    const row = `tr[data-document="${docId}"]`;

    const page = await b.signIn(await b.newContext({ viewport: PHONE, lang: 'id' }), drafter);
    await dropLink(page, `**/api/documents/${docId}/file`, 'GET');
    await page.goto(`${b.baseUrl}/#/agreements/${mou.id}`);
    await page.waitForSelector(`tr[data-document="${docId}"] button.download`);
    // twice: the second failure replaces the first, it does not pile up under it
    for (let i = 0; i < 2; i++) {
      await page.click(`${row} button.download`);
      await page.waitForSelector(`${row} .alert-error`);
      await page.waitForFunction((sel) => !(document.querySelector(`${sel} button.download`) as HTMLButtonElement).disabled, row);
    }
    expect(await page.locator(`${row} .alert`).allTextContents(), 'said once').to.deep.equal([NETWORK.id]);

    await switchTo(page, 'en');
    await page.waitForFunction(([sel, text]) => document.querySelector(`${sel} .alert-error`)?.textContent === text, [row, NETWORK.en]);
    expect(await page.locator(`${row} .alert`).allTextContents(), 'said once').to.deep.equal([NETWORK.en]);
    await page.click('#menu-toggle');
    await page.locator(row).scrollIntoViewIfNeeded();
    await b.shot(page, 'refusal-download-en-390', { fullPage: false });

    const laptop = await b.signIn(await b.newContext({ viewport: LAPTOP, lang: 'en' }), drafter);
    await dropLink(laptop, `**/api/documents/${docId}/verify`, 'GET');
    await laptop.goto(`${b.baseUrl}/#/agreements/${mou.id}`);
    await laptop.click(`${row} button.verify-doc`);
    await laptop.waitForSelector(`${row} .verify-out .alert-error`);
    expect(await textOf(laptop, `${row} .verify-out`)).to.equal(NETWORK.en);
    await switchTo(laptop, 'id');
    await laptop.waitForFunction(([sel, text]) => document.querySelector(`${sel} .verify-out`)?.textContent === text, [row, NETWORK.id]);
    await laptop.locator(row).scrollIntoViewIfNeeded();
    await b.shot(laptop, 'refusal-verify-id-1366', { fullPage: false });
    forgetDroppedLink();
  });

  it('when the board’s CSV export fails on a laptop and the reader switches to Indonesian, then the board says why in Indonesian, once, and not again after leaving', async () => {
    const page = await b.signIn(await b.newContext({ viewport: LAPTOP, lang: 'en' }), drafter);
    await dropLink(page, '**/api/agreements?*format=csv*', 'GET');
    for (let i = 0; i < 2; i++) {
      await page.click('#export-csv');
      await page.waitForSelector('main .alert-error');
      await page.waitForFunction(() => !(document.querySelector('#export-csv') as HTMLButtonElement).disabled);
    }
    expect(await page.locator('main .alert-error').allTextContents(), 'said once').to.deep.equal([NETWORK.en]);
    await b.shot(page, 'refusal-export-en-1366', { fullPage: false });

    await switchTo(page, 'id');
    await page.waitForFunction((text) => document.querySelector('main .alert-error')?.textContent === text, NETWORK.id);
    expect(await page.locator('main .alert-error').allTextContents(), 'said once').to.deep.equal([NETWORK.id]);
    expect(await focusedId(page), 'focus stays on the switch').to.equal('lang-id');
    await b.shot(page, 'refusal-export-id-1366', { fullPage: false });

    await awayAndBack(page, '#/agreements', '#board-results[aria-busy="false"]');
    expect(await page.locator('main .alert-error').count(), 'the refusal is not said again').to.equal(0);
    forgetDroppedLink();
  });

  it('when the list of indices cannot be had for an agreement on a phone and the reader switches to English, then beside the button it is said in English, once, and a second failure does not say it twice', async () => {
    const { token } = await loginAs(b.t, 'drafter', { user: drafter });
    const mou = await createAgreementVia(b.t, token, { title: { id: 'Nota Kesepahaman Indeks Terputus', en: 'Dropped Indices MoU' } });
    const page = await b.signIn(await b.newContext({ viewport: PHONE, lang: 'id' }), drafter);
    await page.goto(`${b.baseUrl}/#/agreements/${mou.id}`);
    await page.waitForSelector('#summary #indices-edit');
    await dropLink(page, '**/api/indices', 'GET');
    for (let i = 0; i < 2; i++) {
      await page.click('#indices-edit');
      await page.waitForSelector('#summary .alert-error');
      await page.waitForFunction(() => !(document.querySelector('#indices-edit') as HTMLElement).dataset.busy);
    }
    expect(await page.locator('#summary .alert-error').allTextContents(), 'said once').to.deep.equal([NETWORK.id]);
    expect(await page.locator('#indices-edit + * .alert-error, #indices-edit + .alert-error').count(), 'beside the button').to.equal(1);
    await page.locator('#indices-edit').scrollIntoViewIfNeeded();
    await b.shot(page, 'refusal-indices-id-390', { fullPage: false });

    await switchTo(page, 'en');
    await page.waitForFunction((text) => document.querySelector('#summary .alert-error')?.textContent === text, NETWORK.en);
    expect(await page.locator('#summary .alert-error').allTextContents(), 'said once, in English').to.deep.equal([NETWORK.en]);
    expect(await page.locator('#indices-edit + * .alert-error, #indices-edit + .alert-error').count(), 'still beside the button').to.equal(1);
    await page.click('#menu-toggle');
    await page.locator('#indices-edit').scrollIntoViewIfNeeded();
    await b.shot(page, 'refusal-indices-en-390', { fullPage: false });
    forgetDroppedLink();
  });

  it('when marking a reminder read fails on a phone and the reader switches to English, then that reminder says why in English', async () => {
    const page = await b.signIn(await b.newContext({ viewport: PHONE, lang: 'id' }), reader);
    await dropLink(page, '**/api/me/notifications/*/read', 'POST');
    await page.goto(`${b.baseUrl}/#/notifications`);
    await page.waitForSelector('#notifications[aria-busy="false"] .notif');
    const id = await page.locator('.notif').first().getAttribute('data-id');
    const said = `.notif[data-id="${id}"]`;
    await page.locator('.notif').first().locator('.notif-actions button').click();
    await page.waitForSelector(`${said} .alert-error`);
    expect(await textOf(page, `${said} .alert-error`)).to.equal(NETWORK.id);
    await b.shot(page, 'refusal-notification-id-390', { fullPage: false });

    await switchTo(page, 'en');
    await page.waitForFunction(([sel, text]) => document.querySelector(`${sel} .alert-error`)?.textContent === text, [said, NETWORK.en]);
    expect(await page.locator('main .alert-error').count(), 'said once, at that reminder').to.equal(1);
    await page.click('#menu-toggle');
    await page.locator(said).scrollIntoViewIfNeeded();
    await b.shot(page, 'refusal-notification-en-390', { fullPage: false });
    forgetDroppedLink();
  });
});
