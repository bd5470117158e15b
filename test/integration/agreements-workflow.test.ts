import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia, moveVia } from '../support/agreements.js';
import { uploadFinalTexts } from '../support/documents.js';

describe('agreements API: stage transitions', () => {
  let t: TestApp;
  let drafter: string;
  let diplomat: string;

  before(async () => {
    t = await createTestApp({ label: 'agr_flow' });
    drafter = (await loginAs(t, 'drafter')).token;
    diplomat = (await loginAs(t, 'diplomat')).token;
  });
  after(async () => t.close());

  const post = (id: string, body: Record<string, unknown>, token = drafter) =>
    request(t.app).post(`/api/agreements/${id}/transitions`).set(bearer(token)).send(body);

  it('when a drafter moves drafting → interagency_consultation with a note, then it answers 200 with the new stage and history records who, role, from, to and why', async () => {
    const a = await createAgreementVia(t, drafter);
    const res = await post(a.id, { to: 'interagency_consultation', note: 'Kirim ke K/L terkait' });
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ stage: 'interagency_consultation', version: 2 });
    // Service-level days are working days (17:00 Jakarta), the same instant as the stage's deadline.
    const deadlines = await request(t.app).get(`/api/agreements/${a.id}/deadlines`).set(bearer(drafter));
    const stageDeadline = deadlines.body.items.find((d: any) => d.kind === 'stage_due' && d.stage === 'interagency_consultation');
    expect(res.body.stageDueAt).to.equal(stageDeadline.dueAt);
    expect(new Date(res.body.stageDueAt).getTime() - new Date(res.body.stageEnteredAt).getTime()).to.be.greaterThan(40 * 86400000);
    const history = await request(t.app).get(`/api/agreements/${a.id}/history`).set(bearer(drafter));
    const last = history.body.items.at(-1);
    expect(last).to.deep.include({ action: 'transition', role: 'drafter' });
    expect(last.changes).to.deep.include({ from: 'drafting', to: 'interagency_consultation', note: 'Kirim ke K/L terkait' });
    expect(last.actor.email).to.match(/^drafter\./);
  });

  it('when a stage changes, then the same move closes the deadline of the stage left and opens the one of the stage entered', async () => {
    const a = await createAgreementVia(t, drafter);
    const moved = await moveVia(t, drafter, a.id, 'negotiation');
    const deadlines = (await request(t.app).get(`/api/agreements/${a.id}/deadlines`).set(bearer(drafter))).body.items;
    expect(deadlines.map((d: any) => [d.stage, d.status])).to.have.deep.members([
      ['drafting', 'met'],
      ['negotiation', 'open'],
    ]);
    expect(deadlines.find((d: any) => d.stage === 'negotiation').dueAt).to.equal(moved.stageDueAt);
  });

  it('when the move is not in the table, then it answers 409 invalid_state and the stage stays', async () => {
    const a = await createAgreementVia(t, drafter);
    const res = await post(a.id, { to: 'in_force' });
    expect(res.status).to.equal(409);
    expect(res.body.error.code).to.equal('invalid_state');
    expect((await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter))).body.stage).to.equal('drafting');
  });

  it('when a drafter asks for signed by hand, then it answers 409: only signatures reach it', async () => {
    const a = await createAgreementVia(t, drafter);
    await moveVia(t, drafter, a.id, 'negotiation');
    await moveVia(t, drafter, a.id, 'legal_review');
    await uploadFinalTexts(t, drafter, a.id, ['id', 'en']);
    await moveVia(t, drafter, a.id, 'text_agreed');
    await moveVia(t, drafter, a.id, 'awaiting_signature');
    const res = await post(a.id, { to: 'signed' });
    expect(res.status).to.equal(409);
    expect(res.body.error.details.reason).to.equal('automatic_only');
  });

  it('when a diplomat tries to transition, then it answers 403 and nothing moves', async () => {
    const a = await createAgreementVia(t, drafter);
    const res = await post(a.id, { to: 'interagency_consultation' }, diplomat);
    expect(res.status).to.equal(403);
    expect((await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(diplomat))).body.version).to.equal(1);
  });

  it('when leaving legal_review without a final text for every authentic language, then it answers 422 listing the missing languages', async () => {
    const a = await createAgreementVia(t, drafter, { authenticLanguages: ['id', 'en', 'ms'] });
    await moveVia(t, drafter, a.id, 'negotiation');
    await moveVia(t, drafter, a.id, 'legal_review');
    await uploadFinalTexts(t, drafter, a.id, ['id']);
    const res = await post(a.id, { to: 'text_agreed' });
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('unprocessable');
    const [unmet] = res.body.error.details.unmet;
    expect(unmet.guard).to.equal('final_texts');
    expect(unmet.details.missingLanguages).to.deep.equal(['en', 'ms']);
    expect(unmet.message).to.have.keys('id', 'en');
  });

  it('when a party has no signatory, then awaiting_signature answers 422 naming the party', async () => {
    const a = await createAgreementVia(t, drafter, { parties: [{ name: 'LPSK', kind: 'agency', country: 'ID' }, { name: 'Malaysia', kind: 'state', country: 'MY', signatory: { name: 'Minister' } }] });
    await moveVia(t, drafter, a.id, 'negotiation');
    await moveVia(t, drafter, a.id, 'legal_review');
    await uploadFinalTexts(t, drafter, a.id, ['id', 'en']);
    await moveVia(t, drafter, a.id, 'text_agreed');
    const res = await post(a.id, { to: 'awaiting_signature' });
    expect(res.status).to.equal(422);
    expect(res.body.error.details.unmet[0]).to.deep.include({ guard: 'signatories', details: { parties: ['LPSK'] } });
  });

  it('when GET /transitions is asked at legal_review, then it lists each next step with what the caller may do and what is missing', async () => {
    const a = await createAgreementVia(t, drafter);
    await moveVia(t, drafter, a.id, 'negotiation');
    await moveVia(t, drafter, a.id, 'legal_review');
    const forDrafter = await request(t.app).get(`/api/agreements/${a.id}/transitions`).set(bearer(drafter));
    expect(forDrafter.status).to.equal(200);
    expect(forDrafter.body.stage).to.equal('legal_review');
    const toText = forDrafter.body.steps.find((s: any) => s.to === 'text_agreed');
    expect(toText).to.deep.include({ allowed: false, roleAllowed: true });
    expect(toText.unmet.map((u: any) => u.guard)).to.deep.equal(['final_texts']);
    const forDiplomat = await request(t.app).get(`/api/agreements/${a.id}/transitions`).set(bearer(diplomat));
    expect(forDiplomat.body.steps.every((s: any) => s.allowed === false)).to.equal(true);
  });

  it('when two transitions race from the same stage and version, then exactly one wins and the other gets 409', async () => {
    const a = await createAgreementVia(t, drafter);
    await moveVia(t, drafter, a.id, 'negotiation');
    const [r1, r2] = await Promise.all([post(a.id, { to: 'legal_review' }), post(a.id, { to: 'drafting' })]);
    const statuses = [r1.status, r2.status].sort();
    expect(statuses).to.deep.equal([200, 409]);
    const winner = r1.status === 200 ? r1.body : r2.body;
    const now = await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter));
    expect(now.body).to.include({ stage: winner.stage, version: 3 });
    const history = await request(t.app).get(`/api/agreements/${a.id}/history`).set(bearer(drafter));
    expect(history.body.items.filter((e: any) => e.action === 'transition')).to.have.length(2);
  });

  it('when many identical transitions race, then exactly one succeeds', async () => {
    const a = await createAgreementVia(t, drafter);
    const results = await Promise.all(Array.from({ length: 6 }, () => post(a.id, { to: 'negotiation' })));
    expect(results.filter((r) => r.status === 200)).to.have.length(1);
    expect(results.filter((r) => r.status === 409)).to.have.length(5);
    const now = await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter));
    expect(now.body).to.include({ stage: 'negotiation', version: a.version + 1 });
    const history = await request(t.app).get(`/api/agreements/${a.id}/history`).set(bearer(drafter));
    const moves = history.body.items.filter((e: any) => e.action === 'transition');
    expect(moves).to.have.length(1);
    expect(moves[0].changes).to.deep.include({ from: 'drafting', to: 'negotiation' });
  });

  it('when the version sent with a transition is stale, then it answers 409 with the current version', async () => {
    const a = await createAgreementVia(t, drafter);
    await moveVia(t, drafter, a.id, 'negotiation');
    const res = await post(a.id, { to: 'legal_review', version: 1 });
    expect(res.status).to.equal(409);
    expect(res.body.error).to.deep.include({ code: 'version_conflict' });
    expect(res.body.error.details.currentVersion).to.equal(2);
  });

  it('when an agreement goes on hold and resumes, then it returns to the stage it left and cannot resume elsewhere', async () => {
    const a = await createAgreementVia(t, drafter);
    await moveVia(t, drafter, a.id, 'negotiation');
    const held = await moveVia(t, drafter, a.id, 'on_hold', { note: 'Menunggu jawaban' });
    expect(held).to.include({ stage: 'on_hold', previousStage: 'negotiation', stageDueAt: null });
    const elsewhere = await post(a.id, { to: 'legal_review' });
    expect(elsewhere.status).to.equal(409);
    expect(elsewhere.body.error.code).to.equal('invalid_state');
    expect(elsewhere.body.error.details).to.deep.include({ currentStage: 'on_hold' });
    const resumed = await moveVia(t, drafter, a.id, 'negotiation');
    expect(resumed).to.include({ stage: 'negotiation', previousStage: null });
  });

  it('when abandoned before signing, then it is terminal: no move leaves it', async () => {
    const a = await createAgreementVia(t, drafter);
    await moveVia(t, drafter, a.id, 'abandoned', { note: 'Tidak dilanjutkan' });
    const steps = await request(t.app).get(`/api/agreements/${a.id}/transitions`).set(bearer(drafter));
    expect(steps.body.steps).to.deep.equal([]);
    const refused = await post(a.id, { to: 'drafting' });
    expect(refused.status).to.equal(409);
    expect(refused.body.error.code).to.equal('invalid_state');
    expect(refused.body.error.details).to.deep.include({ currentStage: 'abandoned' });
  });

  it('when the body names an unknown stage or extra fields, then it answers 422 naming them', async () => {
    const a = await createAgreementVia(t, drafter);
    const res = await post(a.id, { to: 'ratified', by: 'me' });
    expect(res.status).to.equal(422);
    expect(res.body.error.details.map((d: any) => d.field)).to.include.members(['to', 'by']);
  });

  it('when no token is sent, then transitions answer 401', async () => {
    const a = await createAgreementVia(t, drafter);
    const res = await request(t.app).post(`/api/agreements/${a.id}/transitions`).send({ to: 'negotiation' });
    expect(res.status).to.equal(401);
    expect(res.body.error.code).to.equal('unauthenticated');
  });
});
