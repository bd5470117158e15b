import fs from 'node:fs';
import { expect } from 'chai';
import request from 'supertest';
import { PDFDocument } from '@cantoo/pdf-lib';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations, PHONE, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia, toAwaitingSignature } from '../support/agreements.js';
import { textPdf } from '../support/pdf-fixtures.js';

/**
 * What the other browser paths leave out: the signing packet downloaded as a PDF, a signatory
 * declining with a reason, a treaty that needs ratification taken from drafting to in force
 * with the law that ratified it entered on the page, and the time zone a user chooses, kept on
 * their account so a new browser shows it too.
 */
describe('web interface: signing packet, declining, ratification, and each user’s time zone', function () {
  this.timeout(180_000);

  let b: BrowserHarness;
  let drafter: TestUser;
  let menteri: TestUser;
  let minister: TestUser;
  let diplomat: TestUser;
  let drafterToken: string;
  let treaty: Record<string, any>;
  let mou: Record<string, any>;
  let context: BrowserContext | undefined;

  useBrowserHarness('web_ratify', async (harness) => {
    b = harness;
    drafter = await createUser(b.t, { role: 'drafter', name: 'Rina Perancang' });
    menteri = await createUser(b.t, { role: 'signatory', name: 'Menteri Luar Negeri', email: 'menlu@ratify.test' });
    minister = await createUser(b.t, { role: 'signatory', name: 'Foreign Minister of Malaysia', email: 'fm.my@ratify.test' });
    diplomat = await createUser(b.t, { role: 'diplomat', name: 'Dimas Diplomat' });
    drafterToken = (await loginAs(b.t, 'drafter', { user: drafter })).token;
    const parties = [
      { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Menteri Luar Negeri', email: menteri.email } },
      { name: 'Malaysia', kind: 'state', country: 'MY', signatory: { name: 'Foreign Minister of Malaysia', email: minister.email } },
    ];
    treaty = await createAgreementVia(b.t, drafterToken, {
      type: 'agreement',
      title: { id: 'Persetujuan tentang Bantuan Hukum Timbal Balik bagi Pekerja Migran', en: 'Agreement on Mutual Legal Assistance for Migrant Workers' },
      parties,
    });
    mou = await createAgreementVia(b.t, drafterToken, { title: { id: 'Nota Kesepahaman Penolakan Uji', en: 'Declined Test Memorandum' }, parties });
    await toAwaitingSignature(b.t, drafterToken, mou.id);
  });

  const detailReady = (page: Page) => page.waitForSelector('#next-steps h2');
  const open = async (page: Page, id: string) => {
    await page.goto(`${b.baseUrl}/#/agreements/${id}`);
    await detailReady(page);
  };
  async function moveTo(page: Page, stage: string, flash: string) {
    await page.click(`button.move[data-to="${stage}"]`);
    // every move is confirmed in a dialog first
    await page.click('#confirm-dialog-ok');
    await page.waitForFunction((text) => document.querySelector('#detail-flash')?.textContent === text, flash);
  }
  async function uploadFromStep(page: Page, to: string, kind: string, language: string, name: string) {
    const offer = page.locator(`.next-step[data-to="${to}"] .step-upload[data-kind="${kind}"][data-language="${language}"]`);
    await offer.locator('summary').click();
    await offer.locator('input[type="file"]').setInputFiles({ name, mimeType: 'application/pdf', buffer: await textPdf(2, { title: name }) });
    await offer.locator('button[type="submit"]').click();
    await page.waitForFunction((n) => document.querySelector('#detail-flash')?.textContent?.includes(n), name);
  }
  async function signOwn(user: TestUser, row: number, place: string) {
    const ctx = await b.newContext();
    try {
      const page = await b.signIn(ctx, user);
      await open(page, treaty.id);
      await page.locator('#parties tbody tr').nth(row).locator('button.sign-party').click();
      await page.waitForSelector('#sign-dialog');
      await page.fill('#place', place);
      await page.click('#sign-dialog-ok');
      await page.waitForSelector('#detail-flash');
    } finally {
      await ctx.close();
    }
  }
  const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());

  it('when the drafter builds the signing packet, then a PDF downloads with the cover sheet, the final texts and the signature page the API builds', async () => {
    context = await b.newContext();
    const page = await b.signIn(context, drafter);
    await open(page, mou.id);
    await page.click('#packet-panel summary');
    await page.fill('#packet-place', 'Kuala Lumpur');
    const date = today();
    await page.fill('#packet-date', date);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#packet-build')]);
    // named in the page's language (Indonesian here)
    expect(download.suggestedFilename()).to.equal(`${mou.code} paket penandatanganan.pdf`);
    const bytes = fs.readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
    const pdf = await PDFDocument.load(bytes);
    const fromApi = await request(b.t.app)
      .get(`/api/agreements/${mou.id}/signing-packet`)
      .query({ place: 'Kuala Lumpur', date })
      .set(bearer(drafterToken))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    const expected = await PDFDocument.load(fromApi.body as Buffer);
    // the final texts in both languages (textPdf: two pages each), a cover sheet and a signature page at least
    expect(pdf.getPageCount()).to.equal(expected.getPageCount()).and.to.be.at.least(6);
    await page.waitForSelector('#packet-result p');
    expect(await page.locator('#packet-result').textContent()).to.contain(`${mou.code} paket penandatanganan.pdf`);
  });

  it('when a signatory declines without a reason, then the dialog asks for one; with a reason, the party shows as declined with it and the agreement is back in negotiation', async () => {
    context = await b.newContext({ lang: 'en' });
    const page = await b.signIn(context, minister);
    await open(page, mou.id);
    const row = page.locator('#parties tbody tr').nth(1);
    await row.locator('button.decline-party').click();
    await page.waitForSelector('#decline-dialog');
    expect(await page.locator('#decline-dialog h2').textContent()).to.equal('Does Malaysia decline to sign?');
    await page.click('#decline-dialog-ok');
    await page.waitForSelector('#decline-dialog .dialog-error .alert');
    expect(await page.locator('#reason').getAttribute('aria-invalid')).to.equal('true');
    expect(await page.locator('#decline-dialog .dialog-error').textContent()).to.equal('Give the reason.');
    await page.fill('#reason', 'Article 7 on consular access is not yet agreed');
    expect(await axeViolations(page)).to.deep.equal([]);
    await b.shot(page, 'decline-dialog-en', { fullPage: false });
    await page.click('#decline-dialog-ok');
    await page.waitForSelector('#detail-flash');
    const stored = (await request(b.t.app).get(`/api/agreements/${mou.id}`).set(bearer(drafterToken))).body;
    expect(stored.parties[1]).to.include({ status: 'declined', declineReason: 'Article 7 on consular access is not yet agreed' });
    expect(await page.locator('#detail-flash').textContent()).to.equal('Refusal by Malaysia recorded. Stage now: Negotiation.');
    expect(await page.locator('#agreement-stage .badge.stage').textContent()).to.equal('Negotiation');
    expect(stored.stage).to.equal('negotiation');
    const declined = page.locator('#parties tbody tr').nth(1);
    expect(await declined.getAttribute('data-status')).to.equal('declined');
    expect(await declined.textContent()).to.contain('Article 7 on consular access is not yet agreed');
    // nobody is offered a signature any more, and the history keeps the reason
    expect(await page.locator('button.sign-party').count()).to.equal(0);
    expect(await page.locator('#history tr[data-action="party_declined"]').textContent()).to.contain('Article 7 on consular access');
    await b.shot(page, 'detail-declined-en');
  });

  it('when a treaty that needs ratification goes from drafting to in force in the browser, then leaving pending ratification asks for the law, and the page shows it', async () => {
    context = await b.newContext();
    let page = await b.signIn(context, drafter);
    await open(page, treaty.id);
    await moveTo(page, 'negotiation', 'Tahap diubah menjadi: Perundingan');
    await moveTo(page, 'legal_review', 'Tahap diubah menjadi: Telaah hukum');
    await uploadFromStep(page, 'text_agreed', 'final', 'id', 'persetujuan-final-id.pdf');
    await uploadFromStep(page, 'text_agreed', 'final', 'en', 'agreement-final-en.pdf');
    await moveTo(page, 'text_agreed', 'Tahap diubah menjadi: Naskah disepakati');
    await moveTo(page, 'awaiting_signature', 'Tahap diubah menjadi: Menunggu penandatanganan');
    // no ratification fields before it is due
    expect(await page.locator('#ratification-fields').count()).to.equal(0);
    await context.close();

    await signOwn(menteri, 0, 'Jakarta');
    await signOwn(minister, 1, 'Putrajaya');

    context = await b.newContext();
    page = await b.signIn(context, drafter);
    await open(page, treaty.id);
    expect(await page.locator('#agreement-stage .badge.stage').textContent()).to.equal('Ditandatangani');
    await uploadFromStep(page, 'in_force', 'signed', 'id', 'persetujuan-bertanda-tangan.pdf');
    await moveTo(page, 'pending_ratification', 'Tahap diubah menjadi: Menunggu pengesahan');

    const step = page.locator('.next-step[data-to="in_force"]');
    expect(await step.locator('li[data-guard="ratification_instrument"] .unmet-text').textContent()).to.equal(
      'Instrumen pengesahan (jenis undang-undang atau peraturan presiden, nomor dan tanggal) harus dicatat',
    );
    expect(await step.locator('button.move').isDisabled()).to.equal(false);
    expect(await page.locator('#ratification-fields legend').textContent()).to.equal('Instrumen pengesahan (wajib untuk keluar dari “Menunggu pengesahan”)');
    await page.fill('#eif-date', today());
    await page.selectOption('#eif-basis', 'ratification_law');
    // each missing part is named before anything is sent
    await page.click('button.move[data-to="in_force"]');
    await page.waitForSelector('#move-error .alert');
    expect(await page.locator('#move-error .alert').textContent()).to.equal('Pilih jenis instrumen pengesahan (undang-undang atau peraturan presiden), lalu pindahkan lagi.');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('rat-kind');
    await page.selectOption('#rat-kind', 'law');
    await page.click('button.move[data-to="in_force"]');
    await page.waitForFunction(() => document.querySelector('#move-error .alert')?.textContent?.startsWith('Isi nomor'));
    expect(await page.getAttribute('#rat-number', 'aria-invalid')).to.equal('true');
    await page.fill('#rat-number', '5 Tahun 2026');
    await page.fill('#rat-date', today());
    expect(await axeViolations(page)).to.deep.equal([]);
    await b.shot(page, 'detail-ratification-form-id');
    await page.click('#lang-en');
    await page.waitForFunction(() => document.querySelector('#ratification-fields legend')?.textContent === 'Instrument of ratification (required to leave “Pending ratification”)');
    // what was typed stays through the language switch
    expect(await page.inputValue('#rat-number')).to.equal('5 Tahun 2026');
    await b.shot(page, 'detail-ratification-form-en');
    await page.click('#lang-id');
    await page.waitForFunction(() => document.querySelector('#next-steps h2')?.textContent === 'Langkah berikutnya');
    const stillPending = (await request(b.t.app).get(`/api/agreements/${treaty.id}`).set(bearer(drafterToken))).body;
    expect(stillPending.stage).to.equal('pending_ratification');

    await moveTo(page, 'in_force', 'Tahap diubah menjadi: Berlaku');
    const stored = (await request(b.t.app).get(`/api/agreements/${treaty.id}`).set(bearer(drafterToken))).body;
    expect(stored.stage).to.equal('in_force');
    expect(stored.ratification).to.deep.include({ kind: 'law', number: '5 Tahun 2026' });
    const shownDate = new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Asia/Jakarta' }).format(new Date(stored.ratification.date));
    const fact = (label: string) => page.locator(`#summary dl.facts > div:has(dt:text-is("${label}")) dd`);
    expect(await fact('Pengesahan').textContent()).to.equal(`Undang-Undang Nomor 5 Tahun 2026, ${shownDate}`);
    expect(await page.locator('#ratification-fields').count()).to.equal(0);
    await b.shot(page, 'detail-ratified-in-force-id');
    await page.click('#lang-en');
    await page.waitForFunction(() => document.querySelector('#next-steps h2')?.textContent === 'Next steps');
    expect(await fact('Ratified by').textContent()).to.match(/^Law No\. 5 Tahun 2026, /);
    // the timeline went through every stage of the international path, ratification included
    expect(await page.locator('.stepper .step-skipped').count()).to.equal(1); // interagency consultation, not needed here
    expect(await page.locator('.stepper .stage-pending_ratification').getAttribute('class')).to.contain('step-done');
    await context.close();

    context = await b.newContext({ viewport: PHONE });
    page = await b.signIn(context, drafter);
    await open(page, treaty.id);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(PHONE.width);
    await b.shot(page, 'detail-ratified-in-force-id-phone');
  });

  it('when a user chooses Tokyo time, then the agreement page and the calendar show the stage deadline in it, and so does a new browser after signing in again', async () => {
    const agreement = await createAgreementVia(b.t, drafterToken, { title: { id: 'Nota Kesepahaman Zona Waktu', en: 'Time Zone Memorandum' } });
    const deadlines = (await request(b.t.app).get(`/api/agreements/${agreement.id}/deadlines`).set(bearer(drafterToken))).body.items;
    const due = deadlines.find((d: any) => d.kind === 'stage_due' && d.status === 'open');
    expect(due, 'the stage deadline').to.not.equal(undefined);
    // Indonesian writes 19.00, English 19:00
    const hhmm = (zone: string, sep = '.') => {
      const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(due.dueAt));
      return `${parts.find((p) => p.type === 'hour')!.value}${sep}${parts.find((p) => p.type === 'minute')!.value}`;
    };
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit' }).format(new Date(due.dueAt)).slice(0, 7);
    expect(hhmm('Asia/Tokyo')).to.not.equal(hhmm('Asia/Jakarta'));

    context = await b.newContext();
    let page = await b.signIn(context, diplomat);
    expect(await page.locator('#nav-settings').textContent()).to.equal('Waktu Jakarta');
    await open(page, agreement.id);
    const dueOn = (p: Page) => p.locator(`#summary time[datetime="${new Date(due.dueAt).toISOString()}"]`);
    const dueOnPage = dueOn(page);
    expect(await dueOnPage.textContent()).to.contain(hhmm('Asia/Jakarta'));

    await page.click('#nav-settings');
    await page.waitForSelector('#settings-zone');
    expect(await page.inputValue('#settings-zone')).to.equal('Asia/Jakarta');
    await page.selectOption('#settings-zone', 'Asia/Tokyo');
    expect(await page.locator('#settings-zone-now').textContent()).to.contain('Asia/Tokyo');
    expect(await axeViolations(page)).to.deep.equal([]);
    await page.click('#settings-save');
    await page.waitForSelector('#settings-flash');
    expect(await page.locator('#settings-flash').textContent()).to.equal('Zona waktu disimpan: Tokyo (Asia/Tokyo).');
    expect(await page.locator('#nav-settings').textContent()).to.equal('Waktu Tokyo');
    await b.shot(page, 'settings-id');

    await open(page, agreement.id);
    expect(await dueOnPage.textContent()).to.contain(hhmm('Asia/Tokyo'));
    await page.goto(`${b.baseUrl}/#/calendar?month=${month}&view=list`);
    const item = page.locator(`#cal-list li[data-id="${due.id}"]`);
    await item.waitFor();
    expect(await item.locator('.cal-time').textContent()).to.contain(hhmm('Asia/Tokyo'));
    // the deadline was set in Jakarta: its own time is said as well
    // said by its city, as the agreement page says a mission's time, not by the zone's identifier
    const local = await item.locator('.cal-local').textContent();
    expect(local).to.contain(`pukul ${hhmm('Asia/Jakarta')} waktu Jakarta`);
    expect(local).to.not.contain('Asia/');
    await b.shot(page, 'calendar-list-tokyo-id');
    await context.close();

    // another browser, nothing stored in it: the zone comes with the account
    context = await b.newContext({ viewport: PHONE, lang: 'en' });
    page = await b.signIn(context, diplomat);
    expect(await page.locator('#nav-settings').textContent()).to.equal('Tokyo time');
    await open(page, agreement.id);
    expect(await dueOn(page).textContent()).to.contain(hhmm('Asia/Tokyo', ':'));
    // on a phone the navigation is behind the menu button
    await page.click('#menu-toggle');
    await page.click('#nav-settings');
    await page.waitForSelector('#settings-zone');
    expect(await page.inputValue('#settings-zone')).to.equal('Asia/Tokyo');
    expect(await page.locator('main').textContent()).to.not.contain('null');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(PHONE.width);
    await b.shot(page, 'settings-en-phone');
    const me = (await request(b.t.app).get('/api/me').set(bearer((await loginAs(b.t, 'diplomat', { user: diplomat })).token))).body;
    expect(me.timezone).to.equal('Asia/Tokyo');
  });
  it('when a three-party MoU awaits signature, then the calendar names the party each signing deadline waits for, in both languages', async () => {
    const three = await createAgreementVia(b.t, drafterToken, {
      title: { id: 'Nota Kesepahaman Tiga Pihak', en: 'Three-Party Memorandum' },
      parties: [
        { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Menteri Luar Negeri', email: menteri.email } },
        { name: 'Malaysia', kind: 'state', country: 'MY', signatory: { name: 'Foreign Minister of Malaysia', email: minister.email } },
        { name: 'Brunei Darussalam', kind: 'state', country: 'BN', signatory: { name: 'Foreign Minister of Brunei', email: 'fm.bn@ratify.test' } },
      ],
    });
    await toAwaitingSignature(b.t, drafterToken, three.id);
    const listed = await request(b.t.app).get(`/api/deadlines?agreementId=${three.id}&kind=signing_due&limit=50`).set(bearer(drafterToken));
    expect(listed.status).to.equal(200);
    const signing = listed.body.items as any[];
    expect(signing.map((d) => d.partyName).sort()).to.deep.equal(['Brunei Darussalam', 'Malaysia', 'Republik Indonesia']);
    const ofParty = Object.fromEntries(three.parties.map((p: any) => [p.id, p.name]));
    for (const d of signing) expect(d.partyName, 'the name of the party the deadline belongs to').to.equal(ofParty[d.partyId]);

    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit' }).format(new Date(signing[0].dueAt)).slice(0, 7);
    const whatIsDue = async (p: Page) => {
      const out: Record<string, string> = {};
      for (const d of signing) {
        const item = p.locator(`#cal-list li[data-id="${d.id}"]`);
        await item.waitFor();
        out[d.partyName] = ((await item.locator('.cal-what').textContent()) ?? '').trim();
      }
      return out;
    };
    context = await b.newContext();
    let page = await b.signIn(context, diplomat);
    await page.goto(`${b.baseUrl}/#/calendar?month=${month}&view=list`);
    expect(await whatIsDue(page)).to.deep.equal({
      'Republik Indonesia': 'Penandatanganan oleh Republik Indonesia',
      Malaysia: 'Penandatanganan oleh Malaysia',
      'Brunei Darussalam': 'Penandatanganan oleh Brunei Darussalam',
    });
    await b.shot(page, 'calendar-signing-parties-id');
    await context.close();

    context = await b.newContext({ viewport: PHONE, lang: 'en' });
    page = await b.signIn(context, diplomat);
    await page.goto(`${b.baseUrl}/#/calendar?month=${month}&view=list`);
    expect(await whatIsDue(page)).to.deep.equal({
      'Republik Indonesia': 'Signature by Republik Indonesia',
      Malaysia: 'Signature by Malaysia',
      'Brunei Darussalam': 'Signature by Brunei Darussalam',
    });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(PHONE.width);
    await b.shot(page, 'calendar-signing-parties-en-phone');
    await context.close();
    context = undefined;
  });
});
