/**
 * GET /api/history: what happened across agreements in a period, for auditors and admins. Days are
 * Jakarta's, the order is time then sequence, and a reader sees of each agreement exactly what its
 * own history shows them. The story happens next year: the database's TTL index drops sessions
 * that expired by the real clock, so a past clock would sign everyone out.
 */
import { expect } from 'chai';
import request from 'supertest';
import { ManualClock } from '../../lib/clock.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia, moveVia } from '../support/agreements.js';
import { expectError } from '../support/errors.js';

/** next year, and the first leap year from then */
const Y = new Date().getUTCFullYear() + 1;
const LEAP = [0, 1, 2, 3].map((k) => Y + k).find((y) => new Date(Date.UTC(y, 1, 29)).getUTCMonth() === 1)!;

describe('history of a period (GET /api/history)', () => {
  const clock = new ManualClock(`${Y}-03-31T16:30:00Z`);
  let t: TestApp;
  let admin: string;
  let pwniAuditor: string;
  let hpiAuditor: string;
  let open: { id: string; code: string };
  let secret: { id: string; code: string };
  let linking: { id: string; code: string };

  before(async () => {
    t = await createTestApp({ label: 'history-period', clock });
    const adminUser = await loginAs(t, 'admin', { unit: 'PWNI' });
    const hpiUser = await loginAs(t, 'drafter', { unit: 'HPI' });
    let hpiDrafter = hpiUser.token;
    admin = adminUser.token;
    /** Moves the clock; signing in again there, as sessions last a month. */
    const at = async (instant: string) => {
      clock.set(instant);
      admin = (await loginAs(t, 'admin', { user: adminUser.user })).token;
      hpiDrafter = (await loginAs(t, 'drafter', { user: hpiUser.user })).token;
    };
    // 31 March 23:30 in Jakarta: the day before the period
    open = await createAgreementVia(t, admin, { title: { id: 'Nota Terbuka', en: 'Open Memorandum' } });
    // 1 April 00:30 in Jakarta (still 31 March in UTC): the period's first hour
    await at(`${Y}-03-31T17:30:00Z`);
    await moveVia(t, admin, open.id, 'interagency_consultation', { note: 'Mulai konsultasi' });
    await at(`${Y}-05-10T03:00:00Z`);
    secret = await createAgreementVia(t, hpiDrafter, { leadUnit: 'HPI', confidentiality: 'confidential', title: { id: 'Nota Rahasia HPI', en: 'HPI Secret Memorandum' } });
    await moveVia(t, hpiDrafter, secret.id, 'interagency_consultation');
    await at(`${Y}-05-11T03:00:00Z`);
    linking = await createAgreementVia(t, admin, { title: { id: 'Pengaturan Teknis', en: 'Technical Arrangement' } });
    await request(t.app).post(`/api/agreements/${linking.id}/links`).set(bearer(admin)).send({ type: 'implements', agreementId: secret.id }).expect(201);
    // 30 June 23:59:59 in Jakarta: the period's last second
    await at(`${Y}-06-30T16:59:59Z`);
    await request(t.app).post(`/api/agreements/${open.id}/comments`).set(bearer(admin)).send({ text: 'Akhir triwulan' }).expect(201);
    // 1 July 00:00 in Jakarta: after it
    await at(`${Y}-06-30T17:00:00Z`);
    await moveVia(t, admin, open.id, 'negotiation');
    pwniAuditor = (await loginAs(t, 'auditor', { unit: 'PWNI' })).token;
    hpiAuditor = (await loginAs(t, 'auditor', { unit: 'HPI' })).token;
  });
  after(async () => {
    await t?.close();
  });

  const period = (token: string, q: Record<string, string | number>) => request(t.app).get('/api/history').query(q).set(bearer(token));
  const Q2 = { from: `${Y}-04-01`, to: `${Y}-06-30` };
  const summary = (items: Array<{ agreement: { code: string }; action: string; seq: number }>) => items.map((e) => `${e.agreement.code} ${e.seq} ${e.action}`);

  it('when an admin asks for a quarter, then every event of those Jakarta days comes, by time then sequence, with its agreement and who did it', async () => {
    const res = await period(admin, Q2).expect(200);
    expect(summary(res.body.items)).to.deep.equal([
      `${open.code} 2 transition`,
      `${secret.code} 1 created`,
      `${secret.code} 2 transition`,
      `${linking.code} 1 created`,
      `${linking.code} 2 link_added`,
      `${open.code} 3 comment`,
    ]);
    expect(res.body).to.include({ total: 6, limit: 50, offset: 0 });
    const [first] = res.body.items;
    expect(first).to.include({ at: `${Y}-03-31T17:30:00.000Z`, role: 'admin', action: 'transition', seq: 2 });
    expect(first.actor.name).to.be.a('string').with.length.greaterThan(0);
    expect(first.changes).to.include({ from: 'drafting', to: 'interagency_consultation', note: 'Mulai konsultasi' });
    expect(first.agreement).to.deep.equal({ id: open.id, code: open.code, title: { id: 'Nota Terbuka', en: 'Open Memorandum' } });
    expect(first.hash).to.match(/^[0-9a-f]{64}$/);
  });

  it('when an action is asked for, then only its events come, and a unit may be named in any case', async () => {
    const res = await period(admin, { ...Q2, action: 'transition' }).expect(200);
    expect(summary(res.body.items)).to.deep.equal([`${open.code} 2 transition`, `${secret.code} 2 transition`]);
    expect(res.body.total).to.equal(2);
    const hpi = await period(admin, { ...Q2, action: 'transition', leadUnit: 'hpi' }).expect(200);
    expect(summary(hpi.body.items)).to.deep.equal([`${secret.code} 2 transition`]);
  });

  it('when an auditor of another unit asks, then the confidential agreement is left out and a link to it is shown as its own history shows it', async () => {
    const res = await period(pwniAuditor, Q2).expect(200);
    expect(summary(res.body.items)).to.deep.equal([`${open.code} 2 transition`, `${linking.code} 1 created`, `${linking.code} 2 link_added`, `${open.code} 3 comment`]);
    expect(res.body.total).to.equal(4);
    expect(res.text).not.to.contain(secret.id);
    expect(res.text).not.to.contain(secret.code);
    // each event exactly as the agreement's own history gives it to this reader
    for (const e of res.body.items) {
      const own = await request(t.app).get(`/api/agreements/${e.agreement.id}/history`).set(bearer(pwniAuditor)).expect(200);
      const { agreement: _agreement, ...event } = e;
      expect(own.body.items.find((x: { seq: number }) => x.seq === e.seq)).to.deep.equal(event);
    }
    expect(res.body.items.find((e: { action: string }) => e.action === 'link_added').changes).to.deep.equal({ type: 'implements', restricted: true });
    const none = await period(pwniAuditor, { ...Q2, leadUnit: 'HPI' }).expect(200);
    expect(none.body).to.deep.include({ items: [], total: 0 });

    const own = await period(hpiAuditor, { ...Q2, leadUnit: 'HPI' }).expect(200);
    expect(summary(own.body.items)).to.deep.equal([`${secret.code} 1 created`, `${secret.code} 2 transition`]);
  });

  it('when the result is paged, then the pages follow each other in order and each carries the same total', async () => {
    const all = (await period(admin, Q2).expect(200)).body.items;
    const pages = [];
    for (const offset of [0, 4]) pages.push((await period(admin, { ...Q2, limit: 4, offset }).expect(200)).body);
    expect(pages.map((p) => p.total)).to.deep.equal([6, 6]);
    expect(pages.map((p) => p.items.length)).to.deep.equal([4, 2]);
    expect([...pages[0].items, ...pages[1].items]).to.deep.equal(all);
  });

  it('when the action is unknown, then 422 names the allowed ones in both languages and nothing else is answered', async () => {
    const res = await period(admin, { ...Q2, action: 'moved' });
    expectError(res, 422, 'validation_failed');
    const detail = res.body.error.details.find((d: { field: string }) => d.field === 'action');
    expect(detail.message).to.contain('must be one of').and.contain('harus salah satu dari').and.contain('transition').and.contain('document_uploaded');
  });

  it('when the period is missing, reversed, not a real day or longer than a year, then 422 says so in both languages', async () => {
    const refused = async (q: Record<string, string>, field: string, english: RegExp, indonesian: RegExp) => {
      const res = await period(pwniAuditor, q);
      expectError(res, 422, 'validation_failed');
      const detail = res.body.error.details.find((d: { field: string }) => d.field === field);
      expect(detail, JSON.stringify(res.body)).to.be.an('object');
      expect(detail.message).to.match(english).and.match(indonesian);
    };
    await refused({ from: `${Y}-04-01` }, 'to', /is required/, /wajib/);
    await refused({ from: `${Y}-06-30`, to: `${Y}-04-01` }, 'to', /must not be before 'from'/, /tidak boleh lebih awal/);
    await refused({ from: `${Y}-02-30`, to: `${Y}-04-01` }, 'from', /real calendar date/, /tanggal yang ada/);
    await refused({ from: `${Y}-01-01`, to: `${Y + 1}-01-02` }, 'to', new RegExp(`at most 366 days.*${Y + 1}-01-01 at the latest`), new RegExp(`paling lama 366 hari.*paling lambat ${Y + 1}-01-01`));
    // a leap year is a period too
    await period(pwniAuditor, { from: `${LEAP}-01-01`, to: `${LEAP}-12-31` }).expect(200);
  });

  it('when someone who may not audit the registry asks, then 403 in both languages', async () => {
    const diplomat = (await loginAs(t, 'diplomat', { unit: 'PWNI' })).token;
    const res = await period(diplomat, Q2);
    expectError(res, 403, 'forbidden');
    expect(res.body.error.message).to.contain(' / ');
  });
});
