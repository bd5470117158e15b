import { expect } from 'chai';
import request from 'supertest';
import type { Page } from 'playwright-core';
import { type BrowserHarness, PHONE, useBrowserHarness } from '../support/browser.js';
import { createUser, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia, toAwaitingSignature } from '../support/agreements.js';
import { loginAs } from '../support/users.js';

/**
 * Who witnessed a signing (the heads of government at the Bogor ceremony) is recorded in the
 * signing dialog, one a line, and the agreement page shows them with the signature and in the
 * history, in the reader's language.
 */
describe('web interface: the witnesses of a signing', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let drafter: TestUser;
  let drafterToken: string;

  useBrowserHarness('web_witnesses', async (harness) => {
    b = harness;
    drafter = await createUser(b.t, { role: 'drafter', name: 'Dewi Perancang' });
    drafterToken = (await loginAs(b.t, 'drafter', { user: drafter })).token;
  });

  const detailReady = (page: Page) => page.waitForSelector('#next-steps h2');

  it('when a drafter records a signature with two witnesses, then a witness too long is refused naming the field, and the parties table and the history show both witnesses, in Indonesian on a phone and in English on a desktop', async () => {
    const a = await createAgreementVia(b.t, drafterToken);
    await toAwaitingSignature(b.t, drafterToken, a.id);
    const phone = await b.newContext({ lang: 'id', viewport: PHONE });
    const page = await b.signIn(phone, drafter);
    await page.goto(`${b.baseUrl}/#/agreements/${a.id}`);
    await detailReady(page);
    await page.locator('#parties tbody tr').nth(0).locator('button.sign-party').click();
    await page.waitForSelector('#sign-dialog');
    expect(await page.locator('label[for="witnesses"]').textContent()).to.equal('Disaksikan oleh (jika ada)');
    await page.fill('#place', 'Bogor');
    await page.fill('#witnesses', `Presiden RI / President of the Republic of Indonesia\n${'x'.repeat(201)}`);
    await page.click('#sign-dialog-ok');
    await page.waitForSelector('#sign-dialog .alert-error');
    expect(await page.locator('#sign-dialog .error-details').textContent()).to.equal('Saksi › #2: terlalu panjang');
    await page.fill('#witnesses', 'Presiden RI / President of the Republic of Indonesia\n\n  Perdana Menteri Malaysia / Prime Minister of Malaysia  \n');
    await b.shot(page, 'sign-dialog-witnesses-id-phone', { fullPage: false });
    await page.click('#sign-dialog-ok');
    await page.waitForSelector('#detail-flash');
    const row = page.locator('#parties tbody tr').nth(0);
    expect(await row.locator('.witnesses').textContent()).to.equal('Disaksikan oleh Presiden RI dan Perdana Menteri Malaysia');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(PHONE.width);
    await row.scrollIntoViewIfNeeded();
    await b.shot(page, 'detail-witnesses-id-phone', { fullPage: false });

    const stored = (await request(b.t.app).get(`/api/agreements/${a.id}`).set(bearer(drafterToken))).body;
    expect(stored.parties[0].signature.witnesses).to.deep.equal(['Presiden RI / President of the Republic of Indonesia', 'Perdana Menteri Malaysia / Prime Minister of Malaysia']);

    const desktop = await b.newContext({ lang: 'en' });
    const english = await b.signIn(desktop, drafter);
    await english.goto(`${b.baseUrl}/#/agreements/${a.id}`);
    await detailReady(english);
    expect(await english.locator('#parties tbody tr').nth(0).locator('.witnesses').textContent()).to.equal('Witnessed by President of the Republic of Indonesia and Prime Minister of Malaysia');
    const event = english.locator('#history tr[data-action="signature_recorded"] .event-detail');
    await event.waitFor();
    expect(await event.textContent(), 'history').to.match(/^Republik Indonesia, \d{1,2} \w+ \d{4} in Bogor \(wet ink\), witnessed by President of the Republic of Indonesia and Prime Minister of Malaysia$/);
    await english.locator('#parties').scrollIntoViewIfNeeded();
    await b.shot(english, 'detail-witnesses-en', { fullPage: false });
    await english.locator('#parties tbody tr').nth(1).locator('button.sign-party').click();
    await english.waitForSelector('#sign-dialog');
    expect(await english.locator('#witnesses-hint').textContent()).to.contain('Presiden RI / President of the Republic of Indonesia');
    await b.shot(english, 'sign-dialog-witnesses-en', { fullPage: false });
  });
});
