import { expect } from 'chai';
import { Types } from 'mongoose';
import { axeViolations, type BrowserHarness, PHONE, useBrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { createAgreementVia, moveVia, signVia, toAwaitingSignature } from '../support/agreements.js';
import { uploadSignedCopy } from '../support/documents.js';

/**
 * The term of an agreement (how long it runs, when it ends, by when notice of renewal or
 * termination is due) could be given only through the API: nobody working in the browser could
 * record it, so no expiry or notice deadline ever reminded anyone of an agreement made there.
 */
describe('web interface: recording the term of an agreement', function () {
  this.timeout(180_000);

  let b: BrowserHarness;
  let drafter: TestUser;
  let token: string;

  useBrowserHarness('web_term', async (harness) => {
    b = harness;
    drafter = await createUser(b.t, { role: 'drafter', name: 'Rina Perancang' });
    token = (await loginAs(b.t, 'drafter', { user: drafter })).token;
  });

  /** An MoU in force since 2 March 2026, with no term recorded. */
  async function inForce(title: { id: string; en: string }): Promise<string> {
    const a = await createAgreementVia(b.t, token, { title });
    const ready = await toAwaitingSignature(b.t, token, a.id);
    // signed on 2 March 2026 (recorded later), in force that day: not before its signing
    for (const p of ready.parties) await signVia(b.t, token, a.id, p.id, { signedAt: '2026-03-02T03:00:00Z', earlierThanSigningConfirmed: true });
    await uploadSignedCopy(b.t, token, a.id);
    await moveVia(b.t, token, a.id, 'in_force', { entryIntoForce: { date: '2026-03-02', basis: 'on_signature' } });
    return a.id;
  }
  const termDeadlines = async (id: string) =>
    (await b.t.ctx.models.Deadline.collection.find({ agreementId: new Types.ObjectId(id), kind: { $in: ['expiry', 'renewal_notice'] } }).toArray())
      .map((d) => [d.kind, (d.dueAt as Date).toISOString().slice(0, 10), d.status])
      .sort((x, y) => `${x[0]}${x[1]}`.localeCompare(`${y[0]}${y[1]}`));

  it('when a drafter records the term of an agreement in force at phone width, then the end date is counted from its entry into force, the summary states the term, and the expiry and notice deadlines open, in both languages', async () => {
    const expected = {
      id: {
        none: 'Belum dicatat.',
        add: 'Catat masa berlaku',
        saved: 'Masa berlaku disimpan. Tenggat berakhir dan tenggat pemberitahuan sudah disesuaikan.',
        term: '5 tahun · berakhir 2 Mar 2031 · pemberitahuan perpanjangan atau pengakhiran paling lambat 1 Sep 2030 (182 hari sebelum berakhir)',
        noticeDeadline: 'Batas akhir pemberitahuan perpanjangan atau pengakhiran',
        endDay: 'Minggu, 2 Maret 2031',
      },
      en: {
        none: 'Not recorded.',
        add: 'Record the term',
        saved: 'The term has been saved, and the expiry and notice deadlines moved with it.',
        term: '5 years · ends 2 Mar 2031 · notice of renewal or termination by 1 Sept 2030 (182 days before it ends)',
        noticeDeadline: 'Last day to give notice of renewal or termination',
        endDay: 'Sunday, 2 March 2031',
      },
    };
    for (const lang of ['id', 'en'] as const) {
      const id = await inForce({ id: `MoU Uji Masa Berlaku ${lang}`, en: `Term Test MoU ${lang}` });
      const page = await b.signIn(await b.newContext({ viewport: PHONE, lang }), drafter);
      await page.goto(`${b.baseUrl}/#/agreements/${id}`);
      await page.waitForSelector('#agreement-term');
      expect(await page.locator('#agreement-term').textContent(), lang).to.equal(expected[lang].none);
      const open = page.locator('#term-edit');
      expect(await open.textContent()).to.equal(expected[lang].add);
      await open.click();
      await page.waitForSelector('#term-dialog[open]');
      // counting without a duration says what is missing, on the field
      await page.click('#term-compute');
      expect(await page.locator('#term-compute-error').isVisible()).to.equal(true);
      expect(await page.getAttribute('#term-durationMonths', 'aria-invalid')).to.equal('true');
      await page.fill('#term-durationMonths', '60');
      await page.click('#term-compute');
      expect(await page.inputValue('#term-expiresAt')).to.equal('2031-03-02');
      // the day counted is written out under the box, as a day typed there is
      expect(await page.locator('#term-expiresAt-day').innerText()).to.equal(expected[lang].endDay);
      expect(await page.locator('#term-compute-error').isVisible()).to.equal(false);
      await page.fill('#term-noticePeriodDays', '182');
      expect(await axeViolations(page)).to.deep.equal([]);
      await b.shot(page, `term-dialog-${lang}-phone`, { fullPage: false });
      await page.click('#term-dialog-ok');
      await page.waitForSelector('#detail-flash');
      expect((await page.locator('#detail-flash').textContent())?.trim()).to.equal(expected[lang].saved);
      expect(await page.locator('#agreement-term').textContent()).to.equal(expected[lang].term);
      expect(await page.locator('#deadlines').textContent()).to.contain(expected[lang].noticeDeadline);
      await page.locator('#agreement-term').scrollIntoViewIfNeeded();
      await b.shot(page, `term-saved-${lang}-phone`, { fullPage: false });
      expect(await termDeadlines(id)).to.deep.equal([
        ['expiry', '2031-03-02', 'open'],
        ['renewal_notice', '2030-09-01', 'open'],
      ]);
    }
  });

  it('when the end date is set before the entry into force, then the dialog keeps what was typed and says why on the field; a later change moves the deadlines; a diplomat reads the term but cannot change it', async () => {
    const id = await inForce({ id: 'MoU Uji Perpanjangan', en: 'Extension Test MoU' });
    const page = await b.signIn(await b.newContext({ lang: 'en' }), drafter);
    await page.goto(`${b.baseUrl}/#/agreements/${id}`);
    await page.click('#term-edit');
    await page.waitForSelector('#term-dialog[open]');
    await page.fill('#term-expiresAt', '2026-03-01');
    await page.click('#term-dialog-ok');
    await page.waitForSelector('#term-dialog .dialog-error .alert');
    expect(await page.locator('#term-dialog .dialog-error').textContent()).to.contain('The term must end after the day the agreement entered into force (2 March 2026)');
    expect(await page.getAttribute('#term-expiresAt', 'aria-invalid')).to.equal('true');
    expect(await page.inputValue('#term-expiresAt')).to.equal('2026-03-01');
    expect(await termDeadlines(id)).to.deep.equal([]);

    await page.fill('#term-durationMonths', '72');
    await page.click('#term-compute');
    await page.fill('#term-noticePeriodDays', '182');
    await page.click('#term-dialog-ok');
    await page.waitForSelector('#detail-flash');
    expect(await page.locator('#agreement-term').textContent()).to.equal('6 years · ends 2 Mar 2032 · notice of renewal or termination by 2 Sept 2031 (182 days before it ends)');
    expect(await page.locator('#term-edit').textContent()).to.equal('Change the term');

    await page.click('#term-edit');
    await page.waitForSelector('#term-dialog[open]');
    expect(await page.inputValue('#term-durationMonths')).to.equal('72');
    await page.fill('#term-durationMonths', '');
    await page.fill('#term-expiresAt', '2030-12-31');
    await page.fill('#term-noticePeriodDays', '');
    await page.click('#term-dialog-ok');
    // the page is drawn again with the term as saved (the flash of the last save is still there until then)
    await page.waitForFunction(() => document.querySelector('#agreement-term')?.textContent === 'ends 31 Dec 2030');
    expect(await termDeadlines(id)).to.deep.equal([
      ['expiry', '2030-12-31', 'open'],
      ['expiry', '2032-03-02', 'cancelled'],
      ['renewal_notice', '2031-09-02', 'cancelled'],
    ]);

    const diplomat = await createUser(b.t, { role: 'diplomat', name: 'Dimas Diplomat' });
    const read = await b.signIn(await b.newContext({ lang: 'id' }), diplomat);
    await read.goto(`${b.baseUrl}/#/agreements/${id}`);
    await read.waitForSelector('#agreement-term');
    expect(await read.locator('#agreement-term').textContent()).to.equal('berakhir 31 Des 2030');
    expect(await read.locator('#term-edit').count()).to.equal(0);
  });
});
