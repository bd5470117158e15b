import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia, moveVia, patchVia } from '../support/agreements.js';

describe('agreements API: tamper-evident history and comments', () => {
  let t: TestApp;
  let drafter: string;
  let auditor: string;
  let diplomat: string;

  before(async () => {
    t = await createTestApp({ label: 'agr_hist' });
    drafter = (await loginAs(t, 'drafter')).token;
    auditor = (await loginAs(t, 'auditor')).token;
    diplomat = (await loginAs(t, 'diplomat')).token;
  });
  after(async () => t.close());

  async function withSomeHistory() {
    const a = await createAgreementVia(t, drafter);
    await moveVia(t, drafter, a.id, 'negotiation', { note: 'Mulai' });
    await patchVia(t, drafter, a.id, { subjects: ['tppo'] });
    await request(t.app).post(`/api/agreements/${a.id}/rounds`).set(bearer(drafter)).send({ date: '2022-05-01', venue: 'Jakarta' });
    return a;
  }

  it('when an auditor reads the history, then events come in order, each chained to the one before by SHA-256', async () => {
    const a = await withSomeHistory();
    const res = await request(t.app).get(`/api/agreements/${a.id}/history`).set(bearer(auditor));
    expect(res.status).to.equal(200);
    expect(res.body.items.map((e: any) => e.action)).to.deep.equal(['created', 'transition', 'updated', 'round_added']);
    expect(res.body.items.map((e: any) => e.seq)).to.deep.equal([1, 2, 3, 4]);
    expect(res.body.items[0].prevHash).to.equal('0'.repeat(64));
    for (let i = 1; i < res.body.items.length; i++) expect(res.body.items[i].prevHash).to.equal(res.body.items[i - 1].hash);
    expect(res.body.items[2].changes.subjects).to.deep.equal({ from: ['pelindungan'], to: ['tppo'] });
  });

  it('when nobody touched the chain, then verify answers valid with the head hash', async () => {
    const a = await withSomeHistory();
    const res = await request(t.app).get(`/api/agreements/${a.id}/history/verify`).set(bearer(auditor));
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ valid: true, events: 4 });
    expect(res.body.headHash).to.match(/^[0-9a-f]{64}$/);
  });

  it('when an event is edited directly in the database, then verify fails naming that event as the first broken link', async () => {
    const a = await withSomeHistory();
    await t.ctx.connection.collection('history_events').updateOne({ agreementId: new (await import('mongoose')).Types.ObjectId(a.id), seq: 2 }, { $set: { 'changes.note': 'Diubah diam-diam' } });
    const res = await request(t.app).get(`/api/agreements/${a.id}/history/verify`).set(bearer(auditor));
    expect(res.status).to.equal(200);
    expect(res.body.valid).to.equal(false);
    expect(res.body.firstBroken).to.include({ seq: 2, reason: 'hash_mismatch' });
  });

  it('when an event is deleted directly in the database, then verify names the gap', async () => {
    const a = await withSomeHistory();
    const { Types } = await import('mongoose');
    await t.ctx.connection.collection('history_events').deleteOne({ agreementId: new Types.ObjectId(a.id), seq: 3 });
    const res = await request(t.app).get(`/api/agreements/${a.id}/history/verify`).set(bearer(auditor));
    expect(res.body.valid).to.equal(false);
    expect(res.body.firstBroken).to.include({ seq: 4, reason: 'sequence_gap' });
  });

  it('when there is no route to edit or delete events, then PATCH and DELETE on history answer 404', async () => {
    const a = await withSomeHistory();
    expect((await request(t.app).delete(`/api/agreements/${a.id}/history`).set(bearer(drafter))).status).to.equal(404);
    expect((await request(t.app).patch(`/api/agreements/${a.id}/history`).set(bearer(drafter)).send({})).status).to.equal(404);
  });

  it('when a diplomat comments, then it answers 201 and the comment is in the history, chained', async () => {
    const a = await createAgreementVia(t, drafter);
    const res = await request(t.app).post(`/api/agreements/${a.id}/comments`).set(bearer(diplomat)).send({ text: 'KBRI Kuala Lumpur menanyakan status' });
    expect(res.status).to.equal(201);
    expect(res.body).to.deep.include({ action: 'comment', role: 'diplomat', seq: 2, changes: { text: 'KBRI Kuala Lumpur menanyakan status' } });
    const verify = await request(t.app).get(`/api/agreements/${a.id}/history/verify`).set(bearer(diplomat));
    expect(verify.body).to.include({ valid: true, events: 2 });
  });

  it('when an auditor comments or an empty comment is sent, then 403 and 422', async () => {
    const a = await createAgreementVia(t, drafter);
    expect((await request(t.app).post(`/api/agreements/${a.id}/comments`).set(bearer(auditor)).send({ text: 'x' })).status).to.equal(403);
    const empty = await request(t.app).post(`/api/agreements/${a.id}/comments`).set(bearer(diplomat)).send({ text: '' });
    expect(empty.status).to.equal(422);
    expect(empty.body.error.details[0].field).to.equal('text');
  });

  it('when comments race, then each gets its own sequence number and the chain stays valid', async () => {
    const a = await createAgreementVia(t, drafter);
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) => request(t.app).post(`/api/agreements/${a.id}/comments`).set(bearer(diplomat)).send({ text: `c${i}` })),
    );
    expect(results.map((r) => r.status)).to.deep.equal([201, 201, 201, 201]);
    const verify = await request(t.app).get(`/api/agreements/${a.id}/history/verify`).set(bearer(auditor));
    expect(verify.body).to.include({ valid: true, events: 5 });
  });
});
