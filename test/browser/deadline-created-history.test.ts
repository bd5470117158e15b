import { expect } from 'chai';
import request from 'supertest';
import { type BrowserHarness, PHONE, useBrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';

/**
 * A deadline added by hand is named in the history as the deadlines list names it, with its due
 * time in its own zone: an auditor reading "Tenggat dibuat" learns which deadline and for when,
 * not a bare day (the entry read "15 Jan 2027" and nothing else).
 */
describe('web interface: a new deadline in the history', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let auditor: TestUser;
  let agreementId: string;
  const year = new Date().getUTCFullYear() + 1;

  useBrowserHarness('web_deadline_created', async (harness) => {
    b = harness;
    const drafter = (await loginAs(b.t, 'drafter')).token;
    auditor = await createUser(b.t, { role: 'auditor', name: 'Aulia Auditor' });
    const a = await createAgreementVia(b.t, drafter, {
      title: { id: 'MoU Uji Tenggat', en: 'Deadline Test MoU' },
      parties: [
        { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Menteri', title: 'Menteri' } },
        { name: 'Brunei Darussalam', kind: 'state', country: 'BN', signatory: { name: 'Minister', title: 'Minister' } },
      ],
    });
    agreementId = a.id;
    const signing = await request(b.t.app)
      .post(`/api/agreements/${a.id}/deadlines`)
      .set(bearer(drafter))
      .send({ kind: 'signing_due', partyId: a.parties[1].id, dueAt: `${year}-01-15T02:00:00.000Z`, timezone: 'Asia/Kuala_Lumpur' });
    expect(signing.status).to.equal(201);
    const custom = await request(b.t.app)
      .post(`/api/agreements/${a.id}/deadlines`)
      .set(bearer(drafter))
      .send({ kind: 'custom', dueAt: `${year}-02-03T10:00:00.000Z`, note: 'Tanggapan Biro Hukum atas draf' });
    expect(custom.status).to.equal(201);
  });

  async function createdEntries(lang: 'id' | 'en', phone: boolean) {
    const context = await b.newContext({ lang, viewport: phone ? PHONE : undefined });
    const page = await b.signIn(context, auditor);
    await page.goto(`${b.baseUrl}/#/agreements/${agreementId}`);
    await page.waitForSelector('#history tr[data-action="deadline_created"]');
    const rows = page.locator('#history tr[data-action="deadline_created"]');
    const texts = await rows.evaluateAll((trs) => trs.map((tr) => (tr.querySelectorAll('td')[3] as HTMLElement).innerText.split('\n').map((s) => s.trim()).filter(Boolean)));
    await rows.first().scrollIntoViewIfNeeded();
    await b.shot(page, `deadline-created-history-${lang}-${phone ? 'phone' : 'laptop'}`, { fullPage: false });
    return texts;
  }

  it('when an auditor reads the history (id, laptop), then each new deadline is named and its due time given in its zone', async () => {
    expect(await createdEntries('id', false)).to.deep.equal([
      ['Tenggat dibuat', 'Penandatanganan oleh Brunei Darussalam', `Tenggat: 15 Jan ${year}, 10.00 GMT+8 (waktu Kuala Lumpur)`],
      ['Tenggat dibuat', 'Tanggapan Biro Hukum atas draf', `Tenggat: 3 Feb ${year}, 17.00 WIB`],
    ]);
  });

  it('when an auditor reads the history (en, phone), then each new deadline is named and its due time given in its zone', async () => {
    expect(await createdEntries('en', true)).to.deep.equal([
      ['Deadline created', 'Signature by Brunei Darussalam', `Due: 15 Jan ${year}, 10:00 GMT+8 (Kuala Lumpur time)`],
      ['Deadline created', 'Tanggapan Biro Hukum atas draf', `Due: 3 Feb ${year}, 17:00 WIB`],
    ]);
  });

  it('when the history is read through the API, then each deadline_created event keeps the party and the note that name its deadline', async () => {
    const auditorToken = (await loginAs(b.t, 'auditor', { user: auditor })).token;
    const a = (await request(b.t.app).get(`/api/agreements/${agreementId}`).set(bearer(auditorToken))).body;
    const history = await request(b.t.app).get(`/api/agreements/${agreementId}/history`).set(bearer(auditorToken));
    const created = history.body.items.filter((e: any) => e.action === 'deadline_created').map((e: any) => ({ kind: e.changes.kind, partyId: e.changes.partyId, note: e.changes.note }));
    expect(created).to.deep.equal([
      { kind: 'signing_due', partyId: a.parties[1].id, note: undefined },
      { kind: 'custom', partyId: undefined, note: 'Tanggapan Biro Hukum atas draf' },
    ]);
  });
});
