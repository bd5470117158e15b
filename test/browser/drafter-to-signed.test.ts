import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations, LAPTOP, PHONE, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia, toAwaitingSignature } from '../support/agreements.js';
import { textPdf } from '../support/pdf-fixtures.js';

/**
 * The whole path in the browser, as each role in turn: a drafter creates an agreement, uploads
 * its texts, moves it to awaiting signature; two signatories sign from their own list and it is
 * signed. Screenshots of each page, in both languages and at phone width, go to
 * test/browser/screenshots (or SCREENSHOT_DIR).
 */
describe('web interface: from drafting to signed in the browser', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let drafter: TestUser;
  let signatoryId: TestUser;
  let signatoryMy: TestUser;
  let context: BrowserContext | undefined;
  let agreementId: string;
  let code: string;
  let draftPdf: Buffer;

  useBrowserHarness('web_path', async (harness) => {
    b = harness;
    drafter = await createUser(b.t, { role: 'drafter', name: 'Rina Perancang' });
    signatoryId = await createUser(b.t, { role: 'signatory', name: 'Menteri Ketenagakerjaan', email: 'menaker@path.test' });
    signatoryMy = await createUser(b.t, { role: 'signatory', name: 'Minister of Human Resources', email: 'minister.hr@path.test' });
    draftPdf = await textPdf(2, { title: 'Rancangan MoU PMI' });
  });

  const detailReady = (page: Page) => page.waitForSelector('#next-steps h2');

  async function moveTo(page: Page, stage: string, flash: string) {
    await page.click(`button.move[data-to="${stage}"]`);
    // every move is confirmed in a dialog first
    await page.click('#confirm-dialog-ok');
    await page.waitForFunction((text) => document.querySelector('#detail-flash')?.textContent === text, flash);
  }

  it('when a drafter fills the form without titles, then the fields are named as people know them and nothing is created', async () => {
    context = await b.newContext();
    const page = await b.signIn(context, drafter);
    await page.click('#nav-new');
    await page.waitForSelector('#agreement-form');
    expect(await page.locator('h1').textContent()).to.equal('Perjanjian baru');
    await page.fill('#parties-1-name', 'Malaysia');
    await page.click('#form-submit');
    const error = page.locator('#form-error .alert');
    await error.waitFor();
    const text = await error.textContent();
    expect(text).to.contain('Judul dalam bahasa Indonesia: wajib diisi');
    expect(text).to.contain('Judul dalam bahasa Inggris: wajib diisi');
    expect(text).not.to.contain('title.id');
    expect(await page.getAttribute('#title-id', 'aria-invalid')).to.equal('true');
    const list = await request(b.t.app).get('/api/agreements').set(bearer((await loginAs(b.t, 'drafter', { user: drafter })).token));
    expect(list.body.total).to.equal(0);
  });

  it('when a drafter creates an MoU with two parties, then its page shows them with their signatories and no one signed yet', async () => {
    context = await b.newContext();
    const page = await b.signIn(context, drafter);
    await page.click('#nav-new');
    await page.waitForSelector('#agreement-form');
    await page.selectOption('#type', 'mou');
    // a drafter's agreement stays under their unit: only an administrator places one under another
    expect(await page.inputValue('#leadUnit')).to.equal(drafter.unit);
    expect(await page.locator('#leadUnit').getAttribute('readonly')).to.equal('');
    expect(await page.locator('#leadUnit-hint').innerText()).to.equal('Hanya administrator yang dapat memindahkan perjanjian ke unit lain.');
    await page.fill('#title-id', 'Nota Kesepahaman Penempatan dan Pelindungan PMI Sektor Domestik');
    await page.fill('#title-en', 'MoU on the Placement and Protection of Indonesian Domestic Workers');
    await page.fill('#subjects', 'pelindungan, pekerja migran');
    await page.fill('#parties-0-name', 'Republik Indonesia');
    await page.fill('#parties-0-signatory-name', 'Menteri Ketenagakerjaan');
    await page.fill('#parties-0-signatory-email', signatoryId.email);
    await page.fill('#parties-1-name', 'Malaysia');
    await page.fill('#parties-1-country', 'MY');
    await page.fill('#parties-1-signatory-name', 'Minister of Human Resources');
    await page.fill('#parties-1-signatory-email', signatoryMy.email);
    // a third party added and taken away again
    await page.click('#add-party');
    await page.fill('#parties-2-name', 'Pihak yang salah');
    await b.shot(page, 'form-new-id');
    await page.click('.party-form:nth-child(3) .remove-party');
    expect(await page.locator('.party-form').count()).to.equal(2);
    await page.click('#form-submit');
    await page.waitForSelector('#detail-flash');
    agreementId = decodeURIComponent(page.url().split('#/agreements/')[1]);
    code = (await page.locator('#agreement-code').textContent())!;
    expect(code).to.match(/^MOU-MY-\d{4}-\d{2}$/);
    expect(await page.locator('#detail-flash').textContent()).to.equal(`Perjanjian dibuat: ${code}. Langkah berikutnya: unggah rancangan.`);
    expect(await page.locator('#parties tbody tr').count()).to.equal(2);
    // before signing starts, the count would be noise
    expect(await page.locator('#parties-progress').textContent()).to.equal('');
    expect(await page.locator('#parties tbody tr').first().textContent()).to.contain('Menteri Ketenagakerjaan');
    expect(await page.locator('#agreement-stage .days').textContent()).to.equal('0 hari di tahap ini');
    await b.shot(page, 'detail-created-id');
  });

  it('when the drafter drops a draft PDF on the upload area, then it uploads with a progress bar and its SHA-256 is listed', async () => {
    context = await b.newContext();
    const page = await b.signIn(context, drafter);
    await page.goto(`${b.baseUrl}/#/agreements/${agreementId}`);
    await detailReady(page);
    expect(await page.locator('#upload-panel').getAttribute('open')).to.equal('');
    // a drop, as a file dragged from the desktop arrives
    await page.evaluate(
      ([bytes, name]) => {
        const file = new File([new Uint8Array(bytes as number[])], name as string, { type: 'application/pdf' });
        const data = new DataTransfer();
        data.items.add(file);
        document.querySelector('#upload-drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      },
      [[...draftPdf], 'rancangan-mou-pmi.pdf'],
    );
    expect(await page.locator('#upload-chosen').textContent()).to.match(/^rancangan-mou-pmi\.pdf \(/);
    await page.click('#upload-submit');
    await page.waitForSelector('#detail-flash');
    expect(await page.locator('#detail-flash').textContent()).to.equal('Berkas diunggah: rancangan-mou-pmi.pdf (versi 1).');
    const row = page.locator('#documents tbody tr').first();
    expect(await row.getAttribute('data-kind')).to.equal('draft');
    expect(await row.locator('code.sha256').textContent()).to.equal(crypto.createHash('sha256').update(draftPdf).digest('hex'));

    // the stored file checks out, and a copy held locally is recognised
    await row.locator('button.verify-doc').click();
    await row.locator('.verify-out .badge').waitFor();
    expect(await row.locator('.verify-out').textContent()).to.equal('Utuh: hash cocok');
    await page.click('#check-panel summary');
    await page.setInputFiles('#check-file', { name: 'salinan.pdf', mimeType: 'application/pdf', buffer: draftPdf });
    await page.waitForSelector('#check-result .check-match');
    expect(await page.locator('#check-result .check-match').textContent()).to.equal('Cocok dengan rancangan-mou-pmi.pdf, versi 1 (Rancangan).');
  });

  it('when a file that is not a PDF is uploaded, then the refusal is shown in the chosen language and nothing is stored', async () => {
    context = await b.newContext({ lang: 'en' });
    const page = await b.signIn(context, drafter);
    await page.goto(`${b.baseUrl}/#/agreements/${agreementId}`);
    await detailReady(page);
    await page.click('#upload-panel summary');
    await page.setInputFiles('#upload-file', { name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('this is plain text, not a PDF') });
    await page.click('#upload-submit');
    const error = page.locator('#upload-error .alert');
    await error.waitFor();
    expect(await error.textContent()).to.match(/PDF/);
    expect(await error.textContent()).not.to.contain(' / ');
    expect(await page.locator('#documents tbody tr').count()).to.equal(1);
  });

  it('when the drafter moves on to legal review, then the missing final texts are offered for upload in the next step itself', async () => {
    context = await b.newContext();
    const page = await b.signIn(context, drafter);
    await page.goto(`${b.baseUrl}/#/agreements/${agreementId}`);
    await detailReady(page);
    await moveTo(page, 'negotiation', 'Tahap diubah menjadi: Perundingan');
    await moveTo(page, 'legal_review', 'Tahap diubah menjadi: Telaah hukum');
    const step = page.locator('.next-step[data-to="text_agreed"]');
    expect(await step.locator('button.move').isDisabled()).to.equal(true);
    expect(await step.locator('.unmet li[data-guard="final_texts"] .unmet-text').textContent()).to.equal('Naskah final belum ada dalam bahasa Indonesia dan Inggris');
    await b.shot(page, 'detail-legal-review-id');

    for (const [language, name] of [
      ['id', 'naskah-final-id.pdf'],
      ['en', 'final-text-en.pdf'],
    ]) {
      const offer = page.locator(`.next-step[data-to="text_agreed"] .step-upload[data-language="${language}"]`);
      await offer.locator('summary').click();
      await offer.locator('input[type="file"]').setInputFiles({ name, mimeType: 'application/pdf', buffer: await textPdf(2, { title: `Final ${language}` }) });
      await offer.locator('button[type="submit"]').click();
      await page.waitForFunction((n) => document.querySelector('#detail-flash')?.textContent?.includes(n), name);
    }
    expect(await page.locator('.next-step[data-to="text_agreed"] .unmet').count()).to.equal(0);
    await moveTo(page, 'text_agreed', 'Tahap diubah menjadi: Naskah disepakati');
    await moveTo(page, 'awaiting_signature', 'Tahap diubah menjadi: Menunggu penandatanganan');
    expect(await page.locator('#agreement-stage .badge.stage').textContent()).to.equal('Menunggu penandatanganan');
    await b.shot(page, 'detail-awaiting-signature-id');

    await page.click('#lang-en');
    await page.waitForFunction(() => document.querySelector('#next-steps h2')?.textContent === 'Next steps');
    expect(await page.locator('#parties-progress').textContent()).to.equal('0 of 2 signed');
    await b.shot(page, 'detail-awaiting-signature-en');
  });

  it('when the first signatory opens their list on a phone, then the agreement waits there and their signature makes it partially signed', async () => {
    context = await b.newContext({ viewport: PHONE, lang: 'en' });
    const page = await b.signIn(context, signatoryMy);
    // on a phone the navigation is behind the menu button
    await page.click('#menu-toggle');
    await page.click('#nav-signatures');
    await page.waitForSelector('#mysig-list');
    expect(await page.locator('#mysig-count').textContent()).to.equal('1 agreement is waiting for your signature');
    const card = page.locator('.sig-card');
    expect(await card.textContent()).to.contain(code);
    expect(await card.locator('.sig-for').textContent()).to.equal('On behalf of: Malaysia');
    await b.shot(page, 'my-signatures-en-phone');
    await card.locator('a.button').click();
    await detailReady(page);
    // only their own party offers a signature to them
    const rows = page.locator('#parties tbody tr');
    expect(await rows.nth(0).locator('button.sign-party').count()).to.equal(0);
    await rows.nth(1).locator('button.sign-party').click();
    await page.waitForSelector('#sign-dialog');
    expect(await page.locator('#sign-dialog h2').textContent()).to.equal('Signature of Malaysia');
    await page.fill('#place', 'Putrajaya');
    await page.check('#method-electronic');
    expect(await page.locator('#sign-early-confirm').isVisible()).to.equal(false);
    // a date before the text was put up for signature is asked about, not taken
    const today = await page.inputValue('#signedAt');
    await page.fill('#signedAt', '2019-01-01');
    await page.click('#sign-dialog-ok');
    await page.waitForSelector('#sign-dialog .alert-error');
    expect(await page.locator('#sign-dialog .error-message').textContent()).to.match(/^The signature is dated before the text was put up for signature on \d{1,2} [A-Z][a-z]+ \d{4}: check the date, or confirm it if it is right$/);
    expect(await page.locator('#sign-dialog .error-details').textContent()).to.equal('Date of signature: earlier than when the text was put up for signature; tick the confirmation below if the date is right');
    expect(await page.locator('#sign-early-confirm').isVisible()).to.equal(true);
    expect(await page.locator('#sign-early-text').textContent()).to.match(/^This date is right: the signature was made before the text was put up for signature here \(.+\)\.$/);
    await b.shot(page, 'sign-dialog-early-en-phone', { fullPage: false });
    // a new date takes the question away again
    await page.fill('#signedAt', today);
    expect(await page.locator('#sign-early-confirm').isVisible()).to.equal(false);
    await b.shot(page, 'sign-dialog-en-phone', { fullPage: false });
    await page.click('#sign-dialog-ok');
    await page.waitForSelector('#detail-flash');
    expect(await page.locator('#detail-flash').textContent()).to.equal('Signature of Malaysia recorded. 1 of 2 signed.');
    expect(await page.locator('#agreement-stage .badge.stage').textContent()).to.equal('Partially signed');
    expect(await page.locator('#head-progress').textContent()).to.equal('1 of 2 signed');
    expect(await page.locator('#head-progress progress').getAttribute('value')).to.equal('1');
    // nothing scrolls sideways on a phone
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(PHONE.width);
    await b.shot(page, 'detail-partially-signed-en-phone');
  });

  it('when the second signatory signs, then the agreement is signed and the page says since when instead of days in stage', async () => {
    context = await b.newContext();
    const page = await b.signIn(context, signatoryId);
    await page.click('#nav-signatures');
    await page.waitForSelector('#mysig-list');
    await page.locator('.sig-card a.button').click();
    await detailReady(page);
    await page.locator('#parties tbody tr').nth(0).locator('button.sign-party').click();
    await page.waitForSelector('#sign-dialog');
    await page.fill('#place', 'Bogor');
    await b.shot(page, 'sign-dialog-id', { fullPage: false });
    await page.click('#sign-dialog-ok');
    await page.waitForSelector('#detail-flash');
    expect(await page.locator('#detail-flash').textContent()).to.equal('Tanda tangan Republik Indonesia dicatat. 2 dari 2 sudah menandatangani.');
    expect(await page.locator('#agreement-stage .badge.stage').textContent()).to.equal('Ditandatangani');
    expect(await page.locator('#agreement-stage .days').count()).to.equal(0);
    expect(await page.locator('#in-force').textContent()).to.match(/^Ditandatangani \d{1,2} \w+ \d{4}$/);
    expect(await page.locator('#parties tbody tr').nth(0).textContent()).to.contain('Bogor');
    expect(await page.locator('#parties tbody tr').nth(1).textContent()).to.contain('Putrajaya');
    await b.shot(page, 'detail-signed-id');

    await page.click('#nav-signatures');
    await page.waitForSelector('#mysig-empty');
    expect(await page.locator('#mysig-empty').textContent()).to.equal('Tidak ada perjanjian yang menunggu tanda tangan Anda.');

    const drafterToken = (await loginAs(b.t, 'drafter', { user: drafter })).token;
    const stored = await request(b.t.app).get(`/api/agreements/${agreementId}`).set(bearer(drafterToken));
    expect(stored.body.stage).to.equal('signed');
    expect(stored.body.parties.map((p: any) => [p.status, p.signature.place, p.signature.method])).to.deep.equal([
      ['signed', 'Bogor', 'wet_ink'],
      ['signed', 'Putrajaya', 'electronic'],
    ]);
  });

  it('when the drafter uploads the signed copy where the next step asks for it and gives the entry into force, then it is in force since that date', async () => {
    context = await b.newContext();
    const page = await b.signIn(context, drafter);
    await page.goto(`${b.baseUrl}/#/agreements/${agreementId}`);
    await detailReady(page);
    const step = page.locator('.next-step[data-to="in_force"]');
    expect(await step.locator('.unmet li[data-guard="signed_copy"]').count()).to.equal(1);
    const offer = step.locator('.step-upload[data-kind="signed"]');
    await offer.locator('summary').click();
    await offer.locator('input[type="file"]').setInputFiles({ name: 'mou-bertanda-tangan.pdf', mimeType: 'application/pdf', buffer: await textPdf(3, { title: 'Signed' }) });
    await offer.locator('button[type="submit"]').click();
    await page.waitForFunction(() => document.querySelector('#detail-flash')?.textContent?.includes('mou-bertanda-tangan.pdf'));
    expect(await page.locator('.next-step[data-to="in_force"] li[data-guard="signed_copy"]').count()).to.equal(0);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());
    await page.fill('#eif-date', today);
    await page.selectOption('#eif-basis', 'on_signature');
    await moveTo(page, 'in_force', 'Tahap diubah menjadi: Berlaku');
    const shown = new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Asia/Jakarta' }).format(new Date(`${today}T12:00:00+07:00`));
    expect(await page.locator('#in-force').textContent()).to.equal(`Berlaku sejak ${shown}`);
    await b.shot(page, 'detail-in-force-id');
  });

  it('when the signed agreement is seen on a phone in Indonesian, then nothing scrolls sideways and the history chain verifies', async () => {
    context = await b.newContext({ viewport: PHONE });
    const page = await b.signIn(context, drafter);
    await page.goto(`${b.baseUrl}/#/agreements/${agreementId}`);
    await detailReady(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(PHONE.width);
    await page.click('#verify-chain');
    await page.waitForSelector('#verify-result .verify-valid');
    await b.shot(page, 'detail-signed-id-phone');
    // on a phone the language switch is in the menu
    await page.click('#menu-toggle');
    await page.click('#lang-en');
    await page.waitForFunction(() => document.querySelector('#next-steps h2')?.textContent === 'Next steps');
    await b.shot(page, 'detail-signed-en-phone');
  });

  it('when the form, the agreement pages, the signature list and the signing dialog are checked in both languages on a laptop and a phone, then axe-core finds no serious or critical violation', async () => {
    const token = (await loginAs(b.t, 'drafter', { user: drafter })).token;
    const drafting = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Aksesibilitas', en: 'Accessibility Test MoU' } });
    const waiting = await createAgreementVia(b.t, token, {
      title: { id: 'MoU Uji Tanda Tangan', en: 'Signing Test MoU' },
      parties: [
        { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Menteri', email: signatoryId.email } },
        { name: 'Malaysia', kind: 'state', country: 'MY', signatory: { name: 'Minister', email: signatoryMy.email } },
      ],
    });
    await toAwaitingSignature(b.t, token, waiting.id);
    const pages = [
      { user: drafter, name: 'form-new', hash: '#/agreements/new', ready: '#agreement-form' },
      { user: drafter, name: 'form-edit', hash: `#/agreements/${drafting.id}/edit`, ready: '#agreement-form' },
      { user: drafter, name: 'detail-drafting', hash: `#/agreements/${drafting.id}`, ready: '#next-steps h2' },
      { user: drafter, name: 'detail-in-force', hash: `#/agreements/${agreementId}`, ready: '#next-steps h2' },
      { user: signatoryMy, name: 'my-signatures', hash: '#/signatures', ready: '#mysig-list' },
      { user: signatoryMy, name: 'detail-to-sign', hash: `#/agreements/${waiting.id}`, ready: 'button.sign-party' },
    ];
    for (const [label, viewport] of [['laptop', LAPTOP], ['phone', PHONE]] as const) {
      for (const lang of ['id', 'en'] as const) {
        const sessions = new Map<TestUser, Page>();
        for (const p of pages) {
          let page = sessions.get(p.user);
          if (!page) {
            context = await b.newContext({ viewport, lang });
            page = await b.signIn(context, p.user);
            sessions.set(p.user, page);
          }
          await page.goto(`${b.baseUrl}/${p.hash}`);
          await page.waitForSelector(p.ready);
          expect(await axeViolations(page), `axe on ${p.name} ${lang} ${label}`).to.deep.equal([]);
          await b.shot(page, `${p.name}-${lang}-${label}`);
        }
        const signer = sessions.get(signatoryMy)!;
        await signer.click('button.sign-party');
        await signer.waitForSelector('#sign-dialog');
        expect(await axeViolations(signer), `axe on the signing dialog ${lang} ${label}`).to.deep.equal([]);
        await b.shot(signer, `sign-dialog-${lang}-${label}`, { fullPage: false });
        await signer.click('#sign-dialog-cancel');
        for (const page of sessions.values()) await page.context().close();
        context = undefined;
      }
    }
  });
});
