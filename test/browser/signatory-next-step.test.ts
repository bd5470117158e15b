import { expect } from 'chai';
import request from 'supertest';
import type { Page } from 'playwright-core';
import { type BrowserHarness, PHONE, useBrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer, buildAgreement, createAgreementVia, toAwaitingSignature } from '../support/agreements.js';

/**
 * A signatory opening an agreement that waits for them read, under "Next steps", only the stages
 * a drafter may move it to and "not yet signed by" their own party: the way to sign was two
 * screens further down a phone, in the parties table. The next steps now say that their
 * signature is awaited, for which party, and offer to record it there.
 */
describe('web interface: a signatory’s own next step', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let signatory: TestUser;
  let drafter: TestUser;
  let drafterToken: string;

  useBrowserHarness('web_signatory_next_step', async (harness) => {
    b = harness;
    signatory = await createUser(b.t, { role: 'signatory', name: 'Sri Penanda Tangan' });
    drafter = await createUser(b.t, { role: 'drafter', name: 'Dewi Perancang' });
    drafterToken = (await loginAs(b.t, 'drafter', { user: drafter })).token;
  });

  /** An MoU awaiting signature whose Indonesian party `signatory` signs; Malaysia's signatory has no account here. */
  async function awaitingMySignature() {
    const [indonesia, malaysia] = buildAgreement().parties;
    const a = await createAgreementVia(b.t, drafterToken, { parties: [{ ...indonesia, signatory: { ...indonesia.signatory, email: signatory.email } }, malaysia] });
    await toAwaitingSignature(b.t, drafterToken, a.id);
    return a;
  }

  const open = async (page: Page, id: string) => {
    await page.goto(`${b.baseUrl}/#/agreements/${id}`);
    await page.waitForSelector('#next-steps h2');
  };

  it('when the signatory opens it on a phone (id), then the next steps say their signature is awaited for their party and record it from there', async () => {
    const a = await awaitingMySignature();
    const page = await b.signIn(await b.newContext({ lang: 'id', viewport: PHONE }), signatory);
    await open(page, a.id);
    const mine = page.locator('#next-steps #your-signature');
    expect(await mine.locator('p').first().textContent()).to.equal('Tanda tangan Anda ditunggu atas nama Republik Indonesia.');
    // above the fold of a phone, before the summary and the parties
    const box = await mine.boundingBox();
    expect(box, 'the signing step is drawn').to.not.equal(null);
    expect(box!.y + box!.height).to.be.at.most(PHONE.height);
    await b.shot(page, 'signatory-next-step-id-phone', { fullPage: false });

    await mine.locator('button.sign-own').click();
    await page.waitForSelector('#sign-dialog[open]');
    expect(await page.locator('#sign-dialog h2').textContent()).to.equal('Tanda tangan Republik Indonesia');
    // the date the box holds (today, in the browser's format) is written out in Indonesian under it
    const [y, m, d] = (await page.inputValue('#signedAt')).split('-').map(Number);
    const inWords = new Intl.DateTimeFormat('id-ID', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
    expect(await page.locator('#signedAt-day').innerText()).to.equal(inWords);
    await page.fill('#place', 'Jakarta');
    await page.click('#sign-dialog-ok');
    await page.waitForSelector('#detail-flash');
    // signed: nothing is awaited from them any more
    expect(await page.locator('#your-signature').count()).to.equal(0);
    const stored = (await request(b.t.app).get(`/api/agreements/${a.id}`).set(bearer(drafterToken))).body;
    expect(stored.parties[0].status).to.equal('signed');
    expect(stored.parties[0].signature.place).to.equal('Jakarta');
  });

  it('when the signatory opens it on a desktop (en), then the step names their party; a drafter, who may move the stage, is not told it is their signature', async () => {
    const a = await awaitingMySignature();
    const page = await b.signIn(await b.newContext({ lang: 'en' }), signatory);
    await open(page, a.id);
    expect(await page.locator('#your-signature p').first().textContent()).to.equal('Your signature is awaited on behalf of Republik Indonesia.');
    expect(await page.locator('#your-signature button.sign-own').textContent()).to.equal('Record my signature');
    await b.shot(page, 'signatory-next-step-en-laptop', { fullPage: false });

    const drafterPage = await b.signIn(await b.newContext({ lang: 'en' }), drafter);
    await open(drafterPage, a.id);
    expect(await drafterPage.locator('#your-signature').count()).to.equal(0);
  });
});
