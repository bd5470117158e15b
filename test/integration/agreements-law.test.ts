/**
 * The record as UU 24/2000 keeps it: the stage path follows whether a foreign party is bound,
 * full powers are on file before a signature that needs them, and ratification names its instrument.
 */
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia, moveVia, signVia, toAwaitingSignature } from '../support/agreements.js';
import { uploadFinalTexts, uploadSignedCopy } from '../support/documents.js';
import { expectError } from '../support/errors.js';
import { textPdf } from '../support/pdf-fixtures.js';

const KEMLU = { name: 'Kementerian Luar Negeri', kind: 'agency', country: 'ID', signatory: { name: 'Direktur PWNI', email: 'pwni@test.local' } };
const LPSK = { name: 'Lembaga Perlindungan Saksi dan Korban', kind: 'agency', country: 'ID', signatory: { name: 'Ketua LPSK', email: 'lpsk@test.local' } };
const MALAYSIA = { name: 'Malaysia', kind: 'state', country: 'MY', signatory: { name: 'Minister', email: 'minister.my@test.local' } };

describe('agreements API: the law decides the path, full powers and ratification', () => {
  let t: TestApp;
  let drafter: string;

  before(async () => {
    t = await createTestApp({ label: 'agr_law' });
    drafter = (await loginAs(t, 'drafter')).token;
  });
  after(async () => t.close());

  const nextStages = async (id: string) => (await request(t.app).get(`/api/agreements/${id}/transitions`).set(bearer(drafter))).body.steps.map((s: any) => s.to);
  const steps = async (id: string) => (await request(t.app).get(`/api/agreements/${id}/transitions`).set(bearer(drafter))).body.steps;

  describe('stage path', () => {
    it('when an MoU binds only Indonesian institutions (Kemlu and LPSK), then it follows the domestic path: no foreign negotiation, no ratification', async () => {
      const mou = await createAgreementVia(t, drafter, { type: 'mou', authenticLanguages: ['id'], parties: [KEMLU, LPSK] });
      expect(mou.workflow).to.equal('domestic');
      expect(await nextStages(mou.id)).to.not.include('negotiation');
      expectError(await request(t.app).post(`/api/agreements/${mou.id}/transitions`).set(bearer(drafter)).send({ to: 'negotiation' }), 409, 'invalid_state');
      await moveVia(t, drafter, mou.id, 'interagency_consultation');
      await moveVia(t, drafter, mou.id, 'legal_review');
      await uploadFinalTexts(t, drafter, mou.id, ['id']);
      await moveVia(t, drafter, mou.id, 'text_agreed');
      const ready = await moveVia(t, drafter, mou.id, 'awaiting_signature');
      for (const p of ready.parties) expect((await signVia(t, drafter, mou.id, p.id, { place: 'Jakarta' })).status).to.equal(200);
      expect(await nextStages(mou.id)).to.not.include('pending_ratification');
      const list = await request(t.app).get('/api/agreements').query({ type: 'mou', limit: 100 }).set(bearer(drafter));
      expect(list.body.items.find((a: any) => a.id === mou.id).workflow).to.equal('domestic');
    });

    it('when an instrument binds a foreign party, then it follows the international path whatever its type', async () => {
      const mou = await createAgreementVia(t, drafter, { type: 'mou', parties: [KEMLU, MALAYSIA] });
      expect(mou.workflow).to.equal('international');
      expect(await nextStages(mou.id)).to.include('negotiation');
      const pks = await createAgreementVia(t, drafter, { type: 'cooperation_agreement', authenticLanguages: ['id'], parties: [KEMLU, { name: 'IOM', kind: 'organisation' }] });
      expect(pks.workflow).to.equal('international');
      expect(await nextStages(pks.id)).to.include('negotiation');
    });

    it('when the parties change so that the path has no stage for where the agreement stands, then the change is refused and nothing changes', async () => {
      const mou = await createAgreementVia(t, drafter, { type: 'mou', parties: [KEMLU, MALAYSIA] });
      const negotiating = await moveVia(t, drafter, mou.id, 'negotiation');
      const res = await request(t.app)
        .patch(`/api/agreements/${mou.id}`)
        .set(bearer(drafter))
        .send({ version: negotiating.version, parties: [{ id: negotiating.parties[0].id, ...KEMLU }, LPSK] });
      expectError(res, 409, 'invalid_state');
      expect(res.body.error.message).to.include('domestic').and.include('dalam negeri');
      const after = (await request(t.app).get(`/api/agreements/${mou.id}`).set(bearer(drafter))).body;
      expect([after.version, after.workflow, after.parties.map((p: any) => p.name)]).to.deep.equal([negotiating.version, 'international', [KEMLU.name, MALAYSIA.name]]);
    });
  });

  describe('full powers (Surat Kuasa)', () => {
    it('when a signatory needs full powers, then the signature is refused until the letter is on file, and the next steps say so', async () => {
      const indonesia = { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Menteri Ketenagakerjaan', email: 'menaker@test.local', fullPowersRequired: true } };
      const mou = await createAgreementVia(t, drafter, { type: 'mou', parties: [indonesia, MALAYSIA] });
      const ready = await toAwaitingSignature(t, drafter, mou.id);
      const [ri, my] = ready.parties;

      const signedStep = (await steps(mou.id)).find((s: any) => s.to === 'signed');
      const unmet = signedStep.unmet.find((u: any) => u.guard === 'full_powers');
      expect(unmet.details.parties).to.deep.equal(['Republik Indonesia']);
      expect(unmet.message.id).to.include('Surat Kuasa');
      expect(unmet.message.en).to.include('full-powers letter');

      const refused = await signVia(t, drafter, mou.id, ri.id);
      expectError(refused, 422, 'unprocessable');
      expect(refused.body.error.message).to.include('Surat Kuasa').and.include('full-powers letter');
      expect(refused.body.error.details.unmet.map((u: any) => u.guard)).to.deep.equal(['full_powers']);
      const unchanged = (await request(t.app).get(`/api/agreements/${mou.id}`).set(bearer(drafter))).body;
      expect([unchanged.stage, unchanged.parties[0].status, unchanged.version]).to.deep.equal(['awaiting_signature', ready.parties[0].status, ready.version]);

      // A party that needs none signs as before.
      expect((await signVia(t, drafter, mou.id, my.id)).body.stage).to.equal('partially_signed');

      // The letter is a document of its own kind, with the party, its issuer and its date.
      const pdf = await textPdf(1);
      const incomplete = await request(t.app)
        .post(`/api/agreements/${mou.id}/documents`)
        .set(bearer(drafter))
        .field('kind', 'full_powers')
        .field('language', 'id')
        .field('partyId', ri.id)
        .attach('file', pdf, { filename: 'surat-kuasa.pdf', contentType: 'application/pdf' });
      expectError(incomplete, 422, 'validation_failed');
      expect(incomplete.body.error.details.map((d: any) => d.field).sort()).to.deep.equal(['issuedAt', 'issuedBy']);
      const letter = await request(t.app)
        .post(`/api/agreements/${mou.id}/documents`)
        .set(bearer(drafter))
        .field('kind', 'full_powers')
        .field('language', 'id')
        .field('partyId', ri.id)
        .field('issuedBy', 'Menteri Luar Negeri Republik Indonesia')
        .field('issuedAt', '2022-03-28')
        .attach('file', pdf, { filename: 'surat-kuasa.pdf', contentType: 'application/pdf' });
      expect(letter.status, JSON.stringify(letter.body)).to.equal(201);
      expect(letter.body.fullPowers).to.deep.equal({ partyId: ri.id, issuedBy: 'Menteri Luar Negeri Republik Indonesia', issuedAt: '2022-03-28T00:00:00.000Z' });

      expect((await steps(mou.id)).find((s: any) => s.to === 'signed').unmet.map((u: any) => u.guard)).to.not.include('full_powers');
      const signed = await signVia(t, drafter, mou.id, ri.id);
      expect(signed.status, JSON.stringify(signed.body)).to.equal(200);
      expect(signed.body.stage).to.equal('signed');
    });

    it('when a full-powers letter names no party of the agreement, or another kind carries its facts, then the upload is refused', async () => {
      const mou = await createAgreementVia(t, drafter, { type: 'mou', parties: [KEMLU, MALAYSIA] });
      const pdf = await textPdf(1);
      const stranger = await request(t.app)
        .post(`/api/agreements/${mou.id}/documents`)
        .set(bearer(drafter))
        .field('kind', 'full_powers')
        .field('language', 'id')
        .field('partyId', '0123456789abcdef01234567')
        .field('issuedBy', 'Menlu')
        .field('issuedAt', '2022-03-28')
        .attach('file', pdf, { filename: 'sk.pdf', contentType: 'application/pdf' });
      expectError(stranger, 422, 'validation_failed');
      expect(stranger.body.error.details.map((d: any) => d.field)).to.deep.equal(['partyId']);
      const draft = await request(t.app)
        .post(`/api/agreements/${mou.id}/documents`)
        .set(bearer(drafter))
        .field('kind', 'draft')
        .field('language', 'id')
        .field('issuedBy', 'Menlu')
        .attach('file', pdf, { filename: 'draf.pdf', contentType: 'application/pdf' });
      expectError(draft, 422, 'validation_failed');
      const docs = (await request(t.app).get(`/api/agreements/${mou.id}/documents`).set(bearer(drafter))).body.items;
      expect(docs).to.deep.equal([]);
    });
  });

  describe('ratification', () => {
    async function pendingRatification() {
      const agreement = await createAgreementVia(t, drafter, { type: 'agreement', parties: [KEMLU, MALAYSIA] });
      const ready = await toAwaitingSignature(t, drafter, agreement.id);
      // signed in January 2023, ratified in May, in force from June
      for (const p of ready.parties) await signVia(t, drafter, agreement.id, p.id, { signedAt: '2023-01-10T03:00:00Z', earlierThanSigningConfirmed: true });
      await uploadSignedCopy(t, drafter, agreement.id);
      return moveVia(t, drafter, agreement.id, 'pending_ratification');
    }
    const intoForce = { to: 'in_force', entryIntoForce: { date: '2023-06-01', basis: 'ratification_presidential_regulation' } };

    it('when an agreement leaves pending_ratification without its instrument, then the move is refused and says what is missing', async () => {
      const a = await pendingRatification();
      const step = (await steps(a.id)).find((s: any) => s.to === 'in_force');
      expect(step.unmet.map((u: any) => u.guard)).to.include('ratification_instrument');
      const res = await request(t.app).post(`/api/agreements/${a.id}/transitions`).set(bearer(drafter)).send(intoForce);
      expectError(res, 422, 'unprocessable');
      expect(res.body.error.details.unmet.map((u: any) => [u.guard, u.details.missing])).to.deep.equal([['ratification_instrument', ['kind', 'number', 'date']]]);
      expect(res.body.error.details.unmet[0].message.id).to.include('peraturan presiden');
      const bad = await request(t.app).post(`/api/agreements/${a.id}/transitions`).set(bearer(drafter)).send({ ...intoForce, ratification: { kind: 'decree', number: '1', date: '2023-05-01' } });
      expectError(bad, 422, 'validation_failed');
      expect((await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter))).body).to.include({ stage: 'pending_ratification', ratification: null });
    });

    it('when the presidential regulation that ratified it is given, then it enters into force and the instrument is recorded, shown and in the history', async () => {
      const a = await pendingRatification();
      const ratification = { kind: 'presidential_regulation', number: '12 Tahun 2023', date: '2023-05-20' };
      const res = await request(t.app).post(`/api/agreements/${a.id}/transitions`).set(bearer(drafter)).send({ ...intoForce, ratification });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.stage).to.equal('in_force');
      const shown = (await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter))).body;
      expect(shown.ratification).to.deep.equal({ ...ratification, date: '2023-05-20T00:00:00.000Z' });
      const history = (await request(t.app).get(`/api/agreements/${a.id}/history`).set(bearer(drafter))).body.items;
      const move = history.find((e: any) => e.action === 'transition' && e.changes.to === 'in_force');
      expect(JSON.stringify(move.changes)).to.include('12 Tahun 2023');
    });

    it('when a ratification is sent with a move other than into force, then it is refused', async () => {
      const a = await createAgreementVia(t, drafter, { type: 'mou', parties: [KEMLU, MALAYSIA] });
      const res = await request(t.app)
        .post(`/api/agreements/${a.id}/transitions`)
        .set(bearer(drafter))
        .send({ to: 'negotiation', ratification: { kind: 'law', number: '1 Tahun 2023', date: '2023-01-01' } });
      expectError(res, 422, 'validation_failed');
    });
  });
});
