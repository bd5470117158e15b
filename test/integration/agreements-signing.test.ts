import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia, moveVia, signVia, toAwaitingSignature } from '../support/agreements.js';
import { uploadFinalTexts, uploadSignedCopy } from '../support/documents.js';
import { expectError } from '../support/errors.js';

const AGENCIES = ['Kemenkumham', 'KPPA', 'Kemsos', 'Kemnaker', 'Kejagung', 'Polri', 'BP2MI', 'LPSK'];

describe('agreements API: signatures, declines, rounds and links', () => {
  let t: TestApp;
  let drafter: string;
  let signatory: { token: string; user: { email: string } };

  before(async () => {
    t = await createTestApp({ label: 'agr_sign' });
    drafter = (await loginAs(t, 'drafter')).token;
    signatory = await loginAs(t, 'signatory', { email: 'menteri.id@test.local' });
  });
  after(async () => t.close());

  it('when eight parties sign one by one, then the first makes it partially_signed and the last signed, each party with its own facts', async () => {
    const parties = AGENCIES.map((name) => ({ name, kind: 'agency', country: 'ID', signatory: { name: `Kepala ${name}`, email: `${name.toLowerCase()}@test.local` } }));
    const a = await createAgreementVia(t, drafter, { type: 'cooperation_agreement', authenticLanguages: ['id'], parties });
    await moveVia(t, drafter, a.id, 'interagency_consultation');
    await moveVia(t, drafter, a.id, 'legal_review');
    await uploadFinalTexts(t, drafter, a.id, ['id']);
    await moveVia(t, drafter, a.id, 'text_agreed');
    const ready = await moveVia(t, drafter, a.id, 'awaiting_signature');
    let last: any;
    for (const [i, party] of ready.parties.entries()) {
      const res = await signVia(t, drafter, a.id, party.id, { signedAt: `2022-09-${String(10 + i).padStart(2, '0')}T03:00:00Z`, place: `Kota ${i}`, earlierThanSigningConfirmed: true });
      expect(res.status, party.name).to.equal(200);
      expect(res.body.stage).to.equal(i < 7 ? 'partially_signed' : 'signed');
      expect(res.body.parties[i]).to.deep.include({ status: 'signed' });
      expect(res.body.parties[i].signature).to.deep.include({ place: `Kota ${i}`, method: 'wet_ink' });
      last = res.body;
    }
    expect(last.signedAt).to.equal('2022-09-17T03:00:00.000Z');
    const history = await request(t.app).get(`/api/agreements/${a.id}/history`).set(bearer(drafter));
    const actions = history.body.items.map((e: any) => `${e.action}${e.changes.to ? `:${e.changes.to}` : ''}`);
    expect(actions.filter((x: string) => x === 'signature_recorded')).to.have.length(8);
    expect(actions).to.include.members(['transition:partially_signed', 'transition:signed']);
    const auto = history.body.items.find((e: any) => e.changes.to === 'signed');
    expect(auto.changes.trigger).to.equal('signature');
  });

  it('when a signatory records the signature of their own party, then it is accepted; for another party, then 403', async () => {
    const a = await createAgreementVia(t, drafter);
    const ready = await toAwaitingSignature(t, drafter, a.id);
    const [own, other] = ready.parties;
    const refused = await signVia(t, signatory.token, a.id, other.id);
    expect(refused.status).to.equal(403);
    expect(refused.body.error.code).to.equal('forbidden');
    const accepted = await signVia(t, signatory.token, a.id, own.id);
    expect(accepted.status).to.equal(200);
    expect(accepted.body.stage).to.equal('partially_signed');
    expect(accepted.body.parties[1].status).to.equal('pending');
  });

  it('when a signature is dated before the text was put up for signature, then 422 asks to check it, and it is recorded only once confirmed', async () => {
    const a = await createAgreementVia(t, drafter);
    const ready = await toAwaitingSignature(t, drafter, a.id);
    const [first, second] = ready.parties;
    const early = await signVia(t, drafter, a.id, first.id, { signedAt: '2019-01-01T03:00:00Z' });
    expect(early.status).to.equal(422);
    expect(early.body.error.details[0]).to.include({ field: 'signedAt', type: 'signedAt.beforeSigningOpened', signingOpenedAt: ready.stageEnteredAt });
    expect(early.body.error.message).to.match(/^The signature is dated before the text was put up for signature on \d{1,2} [A-Z][a-z]+ \d{4}: check the date, or confirm it if it is right \/ Tanggal tanda tangan lebih awal/);
    const unchanged = await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter)).expect(200);
    expect(unchanged.body).to.include({ stage: 'awaiting_signature', version: ready.version });
    // the first signature made partially signed: the second is held to when signing opened, read from the history
    expect((await signVia(t, drafter, a.id, first.id)).body.stage).to.equal('partially_signed');
    const earlySecond = await signVia(t, drafter, a.id, second.id, { signedAt: '2019-01-01T03:00:00Z' });
    expect(earlySecond.status).to.equal(422);
    expect(earlySecond.body.error.details[0].signingOpenedAt).to.equal(ready.stageEnteredAt);
    const confirmed = await signVia(t, drafter, a.id, second.id, { signedAt: '2019-01-01T03:00:00Z', earlierThanSigningConfirmed: true });
    expect(confirmed.status).to.equal(200);
    expect(confirmed.body.parties[1].signature.signedAt).to.equal('2019-01-01T03:00:00.000Z');
    // the history says the early date was confirmed, and only there
    const history = await request(t.app).get(`/api/agreements/${a.id}/history`).set(bearer(drafter)).expect(200);
    const signatures = history.body.items.filter((e: any) => e.action === 'signature_recorded').map((e: any) => e.changes.earlierDateConfirmed ?? false);
    expect(signatures).to.deep.equal([false, true]);
  });

  it('when a diplomat records a signature, then it answers 403', async () => {
    const diplomat = (await loginAs(t, 'diplomat')).token;
    const a = await createAgreementVia(t, drafter);
    const ready = await toAwaitingSignature(t, drafter, a.id);
    const refused = await signVia(t, diplomat, a.id, ready.parties[0].id);
    expect(refused.status).to.equal(403);
    expect(refused.body.error.code).to.equal('forbidden');
    const after = await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter));
    expect(after.body.parties[0].status).to.not.equal('signed');
    expect(after.body.stage).to.equal('awaiting_signature');
  });

  it('when a signature is recorded before awaiting_signature or twice, then it answers 409', async () => {
    const a = await createAgreementVia(t, drafter);
    const early = await signVia(t, drafter, a.id, a.parties[0].id);
    expect(early.status).to.equal(409);
    const ready = await toAwaitingSignature(t, drafter, a.id);
    expect((await signVia(t, drafter, a.id, ready.parties[0].id)).status).to.equal(200);
    const twice = await signVia(t, drafter, a.id, ready.parties[0].id);
    expect(twice.status).to.equal(409);
    expect(early.body.error.code).to.equal('invalid_state');
    expect(early.body.error.details).to.deep.include({ currentStage: 'drafting' });
    expect(twice.body.error.code).to.equal('invalid_state');
    const history = await request(t.app).get(`/api/agreements/${a.id}/history`).set(bearer(drafter));
    const events = history.body.items;
    const signatures = events.filter((e: any) => /signature/.test(e.action) && !/decline/.test(e.action));
    expect(signatures).to.have.length(1);
  });

  it('when the signature body is invalid or the party unknown, then 422 names the fields and 404 the party', async () => {
    const a = await createAgreementVia(t, drafter);
    const bad = await request(t.app).post(`/api/agreements/${a.id}/parties/${a.parties[0].id}/signature`).set(bearer(drafter)).send({ signedAt: 'yesterday', method: 'fax' });
    expect(bad.status).to.equal(422);
    expect(bad.body.error.details.map((d: any) => d.field)).to.include.members(['signedAt', 'method']);
    const unknown = await signVia(t, drafter, a.id, '0123456789abcdef01234567');
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error.code).to.equal('not_found');
    const after = await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter));
    expect(after.body.parties.map((p: any) => p.status)).to.not.include('signed');
    expect(after.body.version).to.equal(a.version);
  });

  it('when a signing is recorded with its witnesses, then the party’s signature and the history name them; too many, too long, repeated or empty names are refused in both languages with nothing recorded', async () => {
    const a = await createAgreementVia(t, drafter);
    const ready = await toAwaitingSignature(t, drafter, a.id);
    const [first, second] = ready.parties;
    const tooMany = Array.from({ length: 11 }, (_, i) => `Saksi ${i + 1}`);
    for (const [witnesses, field, type] of [
      [tooMany, 'witnesses', 'array.max'],
      [['Presiden RI', 'x'.repeat(201)], 'witnesses.1', 'string.max'],
      [['Presiden RI', 'Presiden RI'], 'witnesses.1', 'array.unique'],
      [['  '], 'witnesses.0', 'string.empty'],
    ] as const) {
      const refused = await signVia(t, drafter, a.id, first.id, { witnesses });
      expectError(refused, 422, 'validation_failed');
      const detail = refused.body.error.details.find((d: { field: string }) => d.field === field);
      expect(detail, JSON.stringify(refused.body.error.details)).to.deep.include({ type });
      const [en, id] = detail.message.split(' / ');
      expect(en, type).to.match(/witnesses/);
      expect(id, type).to.match(/witnesses/).and.not.to.equal(en);
    }
    const unchanged = await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter)).expect(200);
    expect(unchanged.body.version).to.equal(ready.version);
    expect(unchanged.body.parties.map((p: { status: string }) => p.status)).not.to.include('signed');

    const witnesses = ['Presiden RI / President of the Republic of Indonesia', 'Perdana Menteri Malaysia / Prime Minister of Malaysia'];
    const signed = await signVia(t, drafter, a.id, first.id, { witnesses: [` ${witnesses[0]} `, witnesses[1]] });
    expect(signed.status, JSON.stringify(signed.body)).to.equal(200);
    expect(signed.body.parties[0].signature).to.deep.include({ place: 'Bogor', witnesses });
    const plain = await signVia(t, drafter, a.id, second.id);
    expect(plain.body.parties[1].signature.witnesses).to.deep.equal([]);
    const history = await request(t.app).get(`/api/agreements/${a.id}/history`).set(bearer(drafter)).expect(200);
    const recorded = history.body.items.filter((e: { action: string }) => e.action === 'signature_recorded');
    expect(recorded.map((e: { changes: { witnesses?: string[] } }) => e.changes.witnesses ?? null)).to.deep.equal([witnesses, null]);
  });

  it('when a party declines, then it is declined with its reason and the agreement goes back to negotiation with signatures void', async () => {
    const a = await createAgreementVia(t, drafter);
    const ready = await toAwaitingSignature(t, drafter, a.id);
    await signVia(t, drafter, a.id, ready.parties[0].id);
    const res = await request(t.app)
      .post(`/api/agreements/${a.id}/parties/${ready.parties[1].id}/decline`)
      .set(bearer(drafter))
      .send({ reason: 'Pasal 5 belum dapat diterima' });
    expect(res.status).to.equal(200);
    expect(res.body.stage).to.equal('negotiation');
    expect(res.body.parties[1]).to.deep.include({ status: 'declined', declineReason: 'Pasal 5 belum dapat diterima' });
    expect(res.body.parties[0]).to.deep.include({ status: 'pending', signature: null });
  });

  it('when a partly signed agreement is moved back to negotiation, then the next steps say it reopens the text, a move without a reason is refused with nothing changed, and with one the signatures are void', async () => {
    const a = await createAgreementVia(t, drafter);
    const ready = await toAwaitingSignature(t, drafter, a.id);
    const signed = (await signVia(t, drafter, a.id, ready.parties[0].id)).body;
    expect(signed.stage).to.equal('partially_signed');
    const steps = await request(t.app).get(`/api/agreements/${a.id}/transitions`).set(bearer(drafter)).expect(200);
    const reopens = Object.fromEntries(steps.body.steps.map((s: { to: string; reopens: boolean }) => [s.to, s.reopens]));
    expect(reopens).to.include({ negotiation: true, on_hold: false });

    for (const note of [undefined, '   ']) {
      const refused = await request(t.app).post(`/api/agreements/${a.id}/transitions`).set(bearer(drafter)).send({ to: 'negotiation', ...(note === undefined ? {} : { note }) });
      expectError(refused, 422, 'validation_failed');
      expect(refused.body.error.details).to.deep.equal([
        { field: 'note', message: "'note' is required for a move that voids the agreed text / 'note' wajib diisi untuk perpindahan yang membatalkan naskah yang disepakati" },
      ]);
      expect(refused.body.error.message).to.include('Going back to Negotiation voids').and.include('Kembali ke tahap Perundingan membatalkan');
    }
    const unchanged = await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter)).expect(200);
    expect(unchanged.body).to.deep.include({ stage: 'partially_signed', version: signed.version });
    expect(unchanged.body.parties[0]).to.deep.include({ status: 'signed' });

    const moved = await request(t.app).post(`/api/agreements/${a.id}/transitions`).set(bearer(drafter)).send({ to: 'negotiation', note: 'Pasal 7 dirundingkan ulang' }).expect(200);
    expect(moved.body.stage).to.equal('negotiation');
    expect(moved.body.parties[0]).to.deep.include({ status: 'pending', signature: null });
    const history = await request(t.app).get(`/api/agreements/${a.id}/history`).set(bearer(drafter)).expect(200);
    const reopened = history.body.items.find((e: { action: string }) => e.action === 'reopened');
    expect(reopened.changes).to.deep.equal({ reason: 'Pasal 7 dirundingkan ulang' });
  });

  it('when a party declines with outcome on_hold, then it waits on hold and resumes to awaiting the signatures', async () => {
    const a = await createAgreementVia(t, drafter);
    const ready = await toAwaitingSignature(t, drafter, a.id);
    const res = await request(t.app).post(`/api/agreements/${a.id}/parties/${ready.parties[1].id}/decline`).set(bearer(drafter)).send({ reason: 'Menunggu pemilu', outcome: 'on_hold' });
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ stage: 'on_hold', previousStage: 'awaiting_signature' });
    const resumed = await moveVia(t, drafter, a.id, 'awaiting_signature');
    expect(resumed.stage).to.equal('awaiting_signature');
    expect((await signVia(t, drafter, a.id, ready.parties[1].id)).body.stage).to.equal('partially_signed');
  });

  it('when a signed agreement is moved to in_force without date, basis and signed copy, then 422 lists them; with all three, then 200', async () => {
    const a = await createAgreementVia(t, drafter);
    const ready = await toAwaitingSignature(t, drafter, a.id);
    // signed on 1 April 2022 (recorded now): it may enter into force that day, not before
    for (const p of ready.parties) await signVia(t, drafter, a.id, p.id, { signedAt: '2022-04-01T03:00:00Z', earlierThanSigningConfirmed: true });
    const steps = (await request(t.app).get(`/api/agreements/${a.id}/transitions`).set(bearer(drafter))).body.steps;
    expect(steps.find((s: any) => s.to === 'in_force').entryIntoForceBases).to.deep.equal(['on_signature', 'ratification_law', 'ratification_presidential_regulation', 'exchange_of_notes']);
    expect(steps.find((s: any) => s.to === 'pending_ratification')).to.not.have.property('entryIntoForceBases');
    const refused = await request(t.app).post(`/api/agreements/${a.id}/transitions`).set(bearer(drafter)).send({ to: 'in_force' });
    expect(refused.status).to.equal(422);
    expect(refused.body.error.details.unmet.map((u: any) => u.guard)).to.deep.equal(['entry_into_force', 'signed_copy']);
    const noCopy = await request(t.app)
      .post(`/api/agreements/${a.id}/transitions`)
      .set(bearer(drafter))
      .send({ to: 'in_force', entryIntoForce: { date: '2022-04-01', basis: 'on_signature' } });
    expect(noCopy.status).to.equal(422);
    expect(noCopy.body.error.details.unmet.map((u: any) => u.guard)).to.deep.equal(['signed_copy']);
    await uploadSignedCopy(t, drafter, a.id);
    const ok = await moveVia(t, drafter, a.id, 'in_force', { entryIntoForce: { date: '2022-04-01', basis: 'on_signature' } });
    expect(ok.stage).to.equal('in_force');
    expect(ok.entryIntoForce).to.deep.equal({ date: '2022-04-01T00:00:00.000Z', basis: 'on_signature' });
  });

  it('when the text is edited after signing, then it answers 409: amendments are new linked agreements', async () => {
    const a = await createAgreementVia(t, drafter);
    const ready = await toAwaitingSignature(t, drafter, a.id);
    let signed: any;
    for (const p of ready.parties) signed = (await signVia(t, drafter, a.id, p.id)).body;
    const res = await request(t.app).patch(`/api/agreements/${a.id}`).set(bearer(drafter)).send({ version: signed.version, title: { id: 'X', en: 'X' } });
    expect(res.status).to.equal(409);
    expect(res.body.error.message).to.match(/linked|ditautkan/);
  });

  it('when a guideline waits for the minister, then its next step asks only for the signature, not for an entry-into-force date', async () => {
    const g = await createAgreementVia(t, drafter, {
      type: 'guideline',
      authenticLanguages: ['id'],
      parties: [{ name: 'Kemlu', kind: 'agency', country: 'ID', signatory: { name: 'Menteri Luar Negeri', email: 'menlu.steps@test.local' } }],
    });
    await moveVia(t, drafter, g.id, 'legal_review');
    await uploadFinalTexts(t, drafter, g.id, ['id']);
    await moveVia(t, drafter, g.id, 'awaiting_signature');
    const res = await request(t.app).get(`/api/agreements/${g.id}/transitions`).set(bearer(drafter));
    expect(res.status).to.equal(200);
    const step = res.body.steps.find((s: any) => s.to === 'in_force');
    expect(step.trigger).to.equal('signature');
    expect(step.unmet.map((u: any) => u.guard)).to.deep.equal(['all_parties_signed']);
  });

  it('when a signatory asks what waits for their signature, then only unsigned parties of theirs in a signing stage are listed', async () => {
    const me = await loginAs(t, 'signatory', { email: 'kepala.list@test.local' });
    const mine = { name: 'LPSK', kind: 'agency', country: 'ID', signatory: { name: 'Ketua LPSK', email: 'Kepala.List@test.local' } };
    const other = { name: 'Kemlu', kind: 'agency', country: 'ID', signatory: { name: 'Menlu', email: 'menlu.list@test.local' } };
    const pks = (title: string) => ({ type: 'cooperation_agreement', authenticLanguages: ['id'], title: { id: title, en: title }, parties: [other, mine] });
    const toSigning = async (id: string) => {
      await moveVia(t, drafter, id, 'interagency_consultation');
      await moveVia(t, drafter, id, 'legal_review');
      await uploadFinalTexts(t, drafter, id, ['id']);
      await moveVia(t, drafter, id, 'text_agreed');
      return moveVia(t, drafter, id, 'awaiting_signature');
    };
    const waiting = await createAgreementVia(t, drafter, pks('Menunggu saya'));
    const ready = await toSigning(waiting.id);
    const signedByMe = await createAgreementVia(t, drafter, pks('Sudah saya tanda tangani'));
    const signedReady = await toSigning(signedByMe.id);
    expect((await signVia(t, me.token, signedByMe.id, signedReady.parties[1].id)).status).to.equal(200);
    await createAgreementVia(t, drafter, pks('Masih draf'));
    const notMine = { ...pks('Bukan untuk saya'), parties: [other, { ...mine, signatory: { name: 'Wakil LPSK', email: 'wakil.list@test.local' } }] };
    await createAgreementVia(t, drafter, notMine).then((a) => toSigning(a.id));

    const res = await request(t.app).get('/api/me/signatures').set(bearer(me.token));
    expect(res.status).to.equal(200);
    expect(res.body.items.map((a: any) => a.code)).to.deep.equal([waiting.code]);
    expect(res.body.items[0].myParties).to.deep.equal([{ id: ready.parties[1].id, name: 'LPSK' }]);
    expect(res.body.items[0].stage).to.equal('awaiting_signature');
    expect(res.body.total).to.equal(1);
    // the other party's signatory sees the other agreements, not this list
    const theirs = await loginAs(t, 'signatory', { email: 'menlu.list@test.local' });
    const list = await request(t.app).get('/api/me/signatures').set(bearer(theirs.token));
    expect(list.body.items.map((a: any) => a.code)).to.include.members([waiting.code, signedByMe.code]);
  });

  it('when a guideline is signed by the minister, then it enters into force on that date', async () => {
    const minister = await loginAs(t, 'signatory', { email: 'menlu@test.local' });
    const g = await createAgreementVia(t, drafter, {
      type: 'guideline',
      authenticLanguages: ['id'],
      parties: [{ name: 'Kemlu', kind: 'agency', country: 'ID', signatory: { name: 'Menteri Luar Negeri', email: 'menlu@test.local' } }],
    });
    await moveVia(t, drafter, g.id, 'legal_review');
    await uploadFinalTexts(t, drafter, g.id, ['id']);
    const waiting = await moveVia(t, drafter, g.id, 'awaiting_signature');
    const res = await signVia(t, minister.token, g.id, waiting.parties[0].id, { signedAt: '2022-12-01T03:00:00Z', place: 'Jakarta', earlierThanSigningConfirmed: true });
    expect(res.status).to.equal(200);
    expect(res.body.stage).to.equal('in_force');
    expect(res.body.entryIntoForce).to.deep.equal({ date: '2022-12-01T03:00:00.000Z', basis: 'on_signature' });
  });

  it('when a negotiation round is added, then it answers 201 with the round numbered and recorded in history', async () => {
    const a = await createAgreementVia(t, drafter);
    await moveVia(t, drafter, a.id, 'negotiation');
    const r1 = await request(t.app).post(`/api/agreements/${a.id}/rounds`).set(bearer(drafter)).send({ date: '2021-09-21', venue: 'Daring', outcome: 'Kesepakatan prinsip' });
    const r2 = await request(t.app).post(`/api/agreements/${a.id}/rounds`).set(bearer(drafter)).send({ date: '2021-12-08', venue: 'Jakarta' });
    expect(r1.status).to.equal(201);
    expect(r2.body.rounds.map((r: any) => [r.number, r.venue])).to.deep.equal([
      [1, 'Daring'],
      [2, 'Jakarta'],
    ]);
    const history = await request(t.app).get(`/api/agreements/${a.id}/history`).set(bearer(drafter));
    expect(history.body.items.filter((e: any) => e.action === 'round_added').map((e: any) => e.changes.number)).to.deep.equal([1, 2]);
  });

  it('when a renewal enters into force, then the in-force instrument it renews becomes superseded', async () => {
    const old = await createAgreementVia(t, drafter);
    const oldReady = await toAwaitingSignature(t, drafter, old.id);
    for (const p of oldReady.parties) await signVia(t, drafter, old.id, p.id, { signedAt: '2018-10-11T00:00:00Z', earlierThanSigningConfirmed: true });
    await uploadSignedCopy(t, drafter, old.id);
    await moveVia(t, drafter, old.id, 'in_force', { entryIntoForce: { date: '2018-10-11', basis: 'on_signature' } });

    const renewal = await createAgreementVia(t, drafter);
    const linked = await request(t.app).post(`/api/agreements/${renewal.id}/links`).set(bearer(drafter)).send({ type: 'renews', agreementId: old.id });
    expect(linked.status).to.equal(201);
    expect(linked.body.links).to.deep.equal([{ type: 'renews', agreementId: old.id, code: old.code, at: linked.body.links[0].at }]);
    const stillInForce = await request(t.app).get(`/api/agreements/${old.id}`).set(bearer(drafter));
    expect(stillInForce.body.stage).to.equal('in_force');

    const ready = await toAwaitingSignature(t, drafter, renewal.id);
    for (const p of ready.parties) await signVia(t, drafter, renewal.id, p.id, { signedAt: '2022-08-11T03:00:00Z', earlierThanSigningConfirmed: true });
    await uploadSignedCopy(t, drafter, renewal.id);
    await moveVia(t, drafter, renewal.id, 'in_force', { entryIntoForce: { date: '2022-08-11', basis: 'on_signature' } });
    const superseded = await request(t.app).get(`/api/agreements/${old.id}`).set(bearer(drafter));
    expect(superseded.body.stage).to.equal('superseded');
    const history = await request(t.app).get(`/api/agreements/${old.id}/history`).set(bearer(drafter));
    expect(history.body.items.at(-1).changes).to.deep.include({ to: 'superseded', trigger: 'link' });
  });

  it('when a link names a missing agreement, itself, or repeats, then 422, 422 and 409', async () => {
    const a = await createAgreementVia(t, drafter);
    const b = await createAgreementVia(t, drafter);
    const missing = await request(t.app).post(`/api/agreements/${a.id}/links`).set(bearer(drafter)).send({ type: 'amends', agreementId: '0123456789abcdef01234567' });
    expect(missing.status).to.equal(422);
    expect(missing.body.error.code).to.equal('validation_failed');
    expect(missing.body.error.details.map((d: any) => d.field)).to.deep.equal(['agreementId']);
    const self = await request(t.app).post(`/api/agreements/${a.id}/links`).set(bearer(drafter)).send({ type: 'amends', agreementId: a.id });
    expect(self.status).to.equal(422);
    expect(self.body.error.code).to.equal('validation_failed');
    expect(self.body.error.details.map((d: any) => d.field)).to.deep.equal(['agreementId']);
    expect((await request(t.app).post(`/api/agreements/${a.id}/links`).set(bearer(drafter)).send({ type: 'implements', agreementId: b.id })).status).to.equal(201);
    const again = await request(t.app).post(`/api/agreements/${a.id}/links`).set(bearer(drafter)).send({ type: 'implements', agreementId: b.id });
    expect(again.status).to.equal(409);
    expect(again.body.error.code).to.equal('duplicate');
    expect(again.body.error.details.fields).to.deep.equal(['type', 'agreementId']);
    const after = await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter));
    expect(after.body.links).to.have.length(1);
    expect(after.body.links[0]).to.deep.include({ type: 'implements', agreementId: b.id });
  });
});
