import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia, signVia } from '../support/agreements.js';
import { loadDemoData } from '../../domain/demo/load-demo-data.js';
import { verifyHistory } from '../../domain/history/verify-history.js';
import { runStartupTasks } from '../../server/startup.js';
import { sweepReminders } from '../../domain/reminders/sweep-reminders.js';
import type { AgreementRecord } from '../../models/agreement.js';
import { DEMO_USERS } from '../../domain/accounts/create-demo-users.js';
import fs from 'node:fs';

const demoLogin = async (t: TestApp, email: string) => {
  const user = DEMO_USERS.find((u) => u.email === email)!;
  const res = await request(t.app).post('/api/auth/login').send({ email, password: user.password });
  expect(res.status, email).to.equal(200);
  return res.body.token as string;
};
const NUMBER_WORDS: Record<string, number> = { eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12 };

describe('demo data', () => {
  let t: TestApp;
  let agreements: AgreementRecord[];
  const byCode = (code: string) => agreements.find((a) => a.code === code)!;

  before(async function () {
    // every demo PDF goes through the PDF workers (checks and text extraction), like any upload
    this.timeout(180_000);
    t = await createTestApp({ label: 'agr_demo' });
    // The zero-config start, as server/index.ts runs it (tests otherwise run with DEMO_DATA=false on a given URI).
    const demoCtx = { ...t.ctx, config: { ...t.ctx.config, demoData: true }, db: { ...t.ctx.db, backend: 'embedded' as const } };
    const handle = await runStartupTasks(demoCtx);
    await handle.stop();
    agreements = await t.ctx.models.Agreement.find({}).lean<AgreementRecord[]>();
  });
  after(async () => t.close());

  it('when the service starts on the embedded default with an empty database, then the instruments of the 2022 report are loaded', () => {
    expect(agreements.map((a) => a.code).sort()).to.deep.equal(
      ['MOU-MY-2022-01', 'TA-SA-2018-01', 'TA-SA-2022-01', 'PKS-ID-2022-01', 'PKS-ID-2022-02', 'PKS-ID-2022-03', 'PKS-ID-2022-04', 'MOU-ID-2022-01', 'PED-ID-2022-01', 'PED-ID-2022-02'].sort(),
    );
  });

  it('when the README tells how many demo agreements load, then it says the true number', () => {
    const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const prose = /loads the (\w+) demo agreements/.exec(readme)?.[1] ?? '';
    expect(NUMBER_WORDS[prose] ?? Number(prose), `README: "loads the ${prose} demo agreements"`).to.equal(agreements.length);
    expect(Number(/Loaded (\d+) demo agreements/.exec(readme)?.[1])).to.equal(agreements.length);
  });

  it('when the Malaysia MoU and the 2022 Saudi arrangement are read, then they run five years from signature and the MoU’s renewal notice is due before it lapses on 1 April 2027', async () => {
    const token = await demoLogin(t, 'diplomat@demo.pwni.local');
    const mou = (await request(t.app).get(`/api/agreements/${byCode('MOU-MY-2022-01')._id}`).set(bearer(token))).body;
    expect(mou.term).to.deep.equal({ durationMonths: 60, expiresAt: '2027-04-01T00:00:00.000Z', noticePeriodDays: 182 });
    const ta = (await request(t.app).get(`/api/agreements/${byCode('TA-SA-2022-01')._id}`).set(bearer(token))).body;
    expect(ta.term.expiresAt).to.equal('2027-08-11T00:00:00.000Z');
    const deadlines = (await request(t.app).get(`/api/agreements/${mou.id}/deadlines`).set(bearer(token))).body.items;
    const open = Object.fromEntries(deadlines.filter((d: any) => d.status === 'open').map((d: any) => [d.kind, d.dueAt]));
    // at the close of office hours in Jakarta on the day (17:00 WIB), as stage deadlines fall
    expect(open.expiry).to.equal('2027-04-01T10:00:00.000Z');
    // Six months' notice (Article 6): the decision to renew or let it lapse falls due on 1 October 2026.
    expect(open.renewal_notice).to.equal('2026-10-01T10:00:00.000Z');
  });

  it('when either Saudi arrangement is read, then the renewal shows from both ends', async () => {
    const token = await demoLogin(t, 'diplomat@demo.pwni.local');
    const renewal = byCode('TA-SA-2022-01');
    const lapsed = byCode('TA-SA-2018-01');
    const older = (await request(t.app).get(`/api/agreements/${lapsed._id}`).set(bearer(token))).body;
    expect(older.linkedFrom.map((l: any) => [l.type, l.agreementId, l.code, l.stage])).to.deep.equal([['renews', String(renewal._id), 'TA-SA-2022-01', 'in_force']]);
    expect(older.linkedFrom[0].title.en).to.match(/SPSK Pilot/);
    const newer = (await request(t.app).get(`/api/agreements/${renewal._id}`).set(bearer(token))).body;
    expect(newer.links.map((l: any) => [l.type, l.agreementId, l.code])).to.deep.equal([['renews', String(lapsed._id), 'TA-SA-2018-01']]);
    expect(newer.linkedFrom).to.deep.equal([]);
  });

  it('when the confidential PKS of Ditjen Protkons is looked for, then only that unit’s demo drafter and the admin see it', async () => {
    const pks = byCode('PKS-ID-2022-04');
    expect(pks).to.include({ confidentiality: 'confidential', leadUnit: 'PROTKONS' });
    const seen = async (email: string) => {
      const token = await demoLogin(t, email);
      const list = await request(t.app).get('/api/agreements').query({ limit: 100 }).set(bearer(token));
      const one = await request(t.app).get(`/api/agreements/${pks._id}`).set(bearer(token));
      expect(list.body.items.some((a: any) => a.code === 'PKS-ID-2022-04'), email).to.equal(one.status === 200);
      return one.status;
    };
    expect(await seen('protkons@demo.pwni.local')).to.equal(200);
    expect(await seen('admin@demo.pwni.local')).to.equal(200);
    for (const email of ['drafter@demo.pwni.local', 'diplomat@demo.pwni.local', 'auditor@demo.pwni.local']) expect(await seen(email), email).to.equal(404);
    const history = await t.ctx.models.HistoryEvent.find({ agreementId: pks._id }).sort({ seq: 1 }).lean();
    expect(history.every((e: any) => e.actor.email === 'protkons@demo.pwni.local')).to.equal(true);
  });

  it('when loading is asked again, then nothing is loaded twice', async () => {
    expect(await loadDemoData(t.ctx)).to.deep.equal({ loaded: false, reason: 'already_loaded' });
    expect(await t.ctx.models.Agreement.countDocuments({})).to.equal(agreements.length);
  });

  it('when a database already holds a user’s agreement, then the demo never loads over it', async () => {
    const other = await createTestApp({ label: 'agr_demo_user' });
    try {
      const { token } = await loginAs(other, 'drafter');
      await createAgreementVia(other, token);
      expect(await loadDemoData(other.ctx)).to.deep.equal({ loaded: false, reason: 'not_empty' });
      expect(await other.ctx.models.Agreement.countDocuments({})).to.equal(1);
    } finally {
      await other.close();
    }
  });

  it('when each demo history is verified, then every chain is valid and its events are backdated', async () => {
    for (const a of agreements) {
      const result = await verifyHistory(t.ctx, a._id);
      expect(result.valid, a.code).to.equal(true);
      expect(result.events, a.code).to.be.greaterThan(1);
    }
    const first = await t.ctx.models.HistoryEvent.findOne({ agreementId: byCode('MOU-MY-2022-01')._id, seq: 1 }).lean();
    expect(first!.at.getUTCFullYear()).to.equal(2016);
  });

  it('when the Malaysia MoU is read, then its negotiation stalled for years on hold, resumed, and it was signed in Bogor on 1 April 2022', async () => {
    const mou = byCode('MOU-MY-2022-01');
    expect(mou.stage).to.equal('in_force');
    expect(mou.parties.every((p) => p.status === 'signed' && p.signature?.place === 'Bogor')).to.equal(true);
    expect(mou.signedAt!.toISOString().slice(0, 10)).to.equal('2022-04-01');
    const moves = (await t.ctx.models.HistoryEvent.find({ agreementId: mou._id, action: 'transition' }).sort({ seq: 1 }).lean()).map((e) => e as any);
    const hold = moves.find((e) => e.changes.to === 'on_hold');
    const resume = moves.find((e) => e.changes.from === 'on_hold');
    expect(resume.changes.to).to.equal('negotiation');
    expect(resume.at.getUTCFullYear() - hold.at.getUTCFullYear()).to.be.greaterThanOrEqual(3);
    expect(mou.rounds).to.have.length(3);
  });

  it('when the Saudi arrangement is read, then it renews the earlier one, which lapsed', () => {
    const renewal = byCode('TA-SA-2022-01');
    const lapsed = byCode('TA-SA-2018-01');
    expect(renewal.links.map((l) => [l.type, String(l.agreementId)])).to.deep.equal([['renews', String(lapsed._id)]]);
    expect(lapsed.stage).to.equal('expired');
    // one end date: its term ends on the day it is recorded as expired
    expect(lapsed.term!.expiresAt!.toISOString().slice(0, 10)).to.equal('2022-02-01');
    expect(lapsed.stageEnteredAt.toISOString().slice(0, 10)).to.equal('2022-02-01');
    expect(renewal.signedAt!.toISOString().slice(0, 10)).to.equal('2022-08-11');
  });

  it('when the demo documents are listed, then every agreement past legal review has a final text per authentic language, and every signed one a signed copy', async () => {
    const { token } = await loginAs(t, 'drafter', { unit: 'PWNI' });
    const pastReview = ['text_agreed', 'awaiting_signature', 'partially_signed', 'signed', 'in_force', 'expired'];
    for (const a of agreements.filter((x) => pastReview.includes(x.stage))) {
      const res = await request(t.app).get(`/api/agreements/${a._id}/documents`).set(bearer(token));
      const finals = res.body.items.filter((d: any) => d.kind === 'final');
      expect(finals.map((d: any) => d.language).sort(), a.code).to.deep.equal([...a.authenticLanguages].sort());
      expect(finals.every((d: any) => d.pages >= 1 && d.stageAtUpload === 'legal_review'), a.code).to.equal(true);
      const signed = res.body.items.filter((d: any) => d.kind === 'signed');
      expect(signed, a.code).to.have.length(a.parties.every((p) => p.status === 'signed') ? 1 : 0);
    }
    const mou = byCode('MOU-MY-2022-01');
    const docs = (await request(t.app).get(`/api/agreements/${mou._id}/documents`).set(bearer(token))).body.items;
    const malay = docs.find((d: any) => d.kind === 'final' && d.language === 'ms');
    const verified = await request(t.app).get(`/api/documents/${malay.id}/verify`).set(bearer(token));
    expect(verified.body).to.deep.include({ intact: true });
    const history = await t.ctx.models.HistoryEvent.find({ agreementId: mou._id, action: 'document_uploaded' }).sort({ seq: 1 }).lean();
    expect(history.map((e: any) => `${e.changes.kind}:${e.changes.language}`)).to.deep.equal(['final:id', 'final:ms', 'final:en', 'signed:id']);
    expect(history[0].at.toISOString()).to.equal('2022-01-24T03:00:00.000Z');
  });

  it('when the demo diplomat searches a phrase of the Malaysia MoU’s text, then it is found with its final text and an excerpt, in English and in Indonesian', async () => {
    const token = await demoLogin(t, 'diplomat@demo.pwni.local');
    for (const [q, words] of [
      ['recruitment and placement of Indonesian domestic workers', 'recruitment and placement of Indonesian domestic workers'],
      ['perekrutan dan penempatan pekerja rumah tangga', 'perekrutan dan penempatan pekerja rumah tangga Indonesia'],
    ]) {
      const res = await request(t.app).get('/api/agreements').query({ q }).set(bearer(token));
      expect(res.status).to.equal(200);
      expect(res.body.items.map((a: any) => a.code), q).to.deep.equal(['MOU-MY-2022-01']);
      const { match } = res.body.items[0];
      expect(match.in).to.equal('document');
      expect(match.document.fileName).to.match(/^MOU-MY-2022-01 /);
      expect(match.excerpt).to.include(words);
    }
    const docs = await request(t.app).get(`/api/agreements/${byCode('MOU-MY-2022-01')._id}/documents`).set(bearer(token));
    expect(docs.body.items.map((d: any) => d.textLayer), 'every demo PDF has its text extracted').to.satisfy((v: unknown[]) => v.length > 0 && v.every((x) => x === true));
  });

  it('when the trafficking PKS is read, then it has Kemlu and eight agencies, each at its own status', () => {
    const pks = byCode('PKS-ID-2022-03');
    expect(pks.parties).to.have.length(9);
    expect(new Set(pks.parties.map((p) => p.status))).to.deep.equal(new Set(['cleared', 'invited', 'pending']));
  });

  it('when the demo is loaded, then every party yet to sign an agreement awaiting signature has a signing deadline addressed to its signatory', async () => {
    const waiting = agreements.filter((a) => ['awaiting_signature', 'partially_signed'].includes(a.stage));
    expect(waiting.map((a) => a.code)).to.include.members(['PED-ID-2022-01', 'PED-ID-2022-02']);
    for (const a of waiting) {
      const open = await t.ctx.models.Deadline.find({ agreementId: a._id, kind: 'signing_due', status: 'open' }).lean();
      const unsigned = a.parties.filter((p) => p.status !== 'signed');
      expect(open.map((d) => [String(d.partyId), d.recipients.map((r) => r.email)]), a.code).to.have.deep.members(
        unsigned.map((p) => [String(p._id), [p.signatory!.email]]),
      );
      expect(open.every((d) => d.dueAt.getTime() === new Date(a.stageDueAt!).getTime()), a.code).to.equal(true);
    }
  });

  it('when a sweep runs over the demo, then the demo signatory finds the overdue signing reminders of both guidelines in the in-app inbox', async () => {
    await sweepReminders(t.ctx);
    const minister = await demoLogin(t, 'signatory@demo.pwni.local');
    const inbox = await request(t.app).get('/api/me/notifications').set(bearer(minister));
    const subjects = inbox.body.items.map((n: any) => n.subject).sort();
    expect(subjects).to.have.length(2);
    for (const [i, code] of ['PED-ID-2022-01', 'PED-ID-2022-02'].entries()) {
      expect(subjects[i]).to.match(new RegExp(`^\\[Terlambat\\] ${code}: Penandatanganan oleh Kementerian Luar Negeri sudah lewat tenggat sejak \\d+ \\w+ 2022 / \\[Overdue\\] `));
    }
    // what the minister is asked to do, as a ministry writes to a minister ("tandatangani" is
    // misspelt, a compound with a suffix only is written apart; "kabari" is how one talks to a colleague)
    for (const n of inbox.body.items) {
      expect(n.text).to.contain('\n\nMohon segera menandatangani perjanjian ini atau memberi tahu perancang apabila penandatanganan perlu dijadwalkan ulang.\n\n');
      expect(n.text).to.contain('\n\nPlease sign the agreement as soon as possible, or let the drafter know if the signing has to be rescheduled.\n\n');
    }
  });

  it('when the guidelines are read, then both await the minister’s signature, and the demo signatory can sign one into force', async () => {
    for (const code of ['PED-ID-2022-01', 'PED-ID-2022-02']) expect(byCode(code).stage, code).to.equal('awaiting_signature');
    expect(byCode('MOU-ID-2022-01').stage).to.equal('drafting');
    // The demo accounts were created by the same start-up; the guideline's signatory is the demo signatory.
    const minister = await loginAs(t, 'signatory', { user: { email: 'signatory@demo.pwni.local', password: 'pena-tinta-basah-2022' } as any });
    const g = byCode('PED-ID-2022-01');
    const res = await signVia(t, minister.token, String(g._id), String(g.parties[0]._id), { signedAt: new Date().toISOString(), place: 'Jakarta' });
    expect(res.status).to.equal(200);
    expect(res.body.stage).to.equal('in_force');
    const list = await request(t.app).get('/api/agreements').query({ stage: 'awaiting_signature' }).set(bearer(minister.token));
    expect(list.body.items.map((a: any) => a.code)).to.deep.equal(['PED-ID-2022-02']);
  });
});
