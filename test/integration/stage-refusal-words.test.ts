import { expect } from 'chai';
import request from 'supertest';
import { Types } from 'mongoose';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia, moveVia, signVia, toAwaitingSignature } from '../support/agreements.js';
import { expectError } from '../support/errors.js';
import { writeIfUnchanged } from '../../domain/agreements/conditional-write.js';

/**
 * A refusal that names a stage names it as the pages do ("Perundingan" / "Negotiation"), quoted
 * “like this”: the API's messages reach people through the pages and through integrations, and
 * "stage 'in_force'" is a key, not a word anyone at the directorate uses.
 */
describe('refusals: a stage or a field is named in words, not by its key', () => {
  let t: TestApp;
  let drafter: string;

  before(async () => {
    t = await createTestApp({ label: 'stage-refusal-words' });
    drafter = (await loginAs(t, 'drafter')).token;
  });
  after(async () => t?.close());

  it('when a negotiation round is added to an agreement that is signed, then the refusal names its stage in both languages', async () => {
    const a = await createAgreementVia(t, drafter);
    await toAwaitingSignature(t, drafter, a.id);
    for (const p of a.parties) expect((await signVia(t, drafter, a.id, p.id)).status).to.equal(200);
    const res = await request(t.app).post(`/api/agreements/${a.id}/rounds`).set(bearer(drafter)).send({ date: '2026-01-10', outcome: 'Putaran tambahan' });
    expectError(res, 409, 'invalid_state');
    const stage = res.body.error.details.currentStage;
    expect(stage).to.be.oneOf(['signed', 'in_force']);
    const words = stage === 'signed' ? { en: 'Signed', id: 'Ditandatangani' } : { en: 'In force', id: 'Berlaku' };
    expect(res.body.error.message).to.equal(`No negotiation rounds can be recorded at the stage “${words.en}” / Putaran perundingan tidak dapat dicatat pada tahap “${words.id}”`);
  });

  it('when a signature is recorded while the agreement is still in negotiation, then the refusal names that stage in both languages', async () => {
    const a = await createAgreementVia(t, drafter);
    await moveVia(t, drafter, a.id, 'negotiation');
    const res = await signVia(t, drafter, a.id, a.parties[0].id);
    expectError(res, 409, 'invalid_state');
    expect(res.body.error.message).to.equal(
      'Signatures are recorded only while the agreement awaits signature; it is now in the stage “Negotiation” / Tanda tangan hanya dicatat saat perjanjian menunggu penandatanganan; kini perjanjian pada tahap “Perundingan”',
    );
  });

  it('when a signature is dated in the future, then its detail says what is wrong without the field’s key (the page puts the field’s label before it), in both languages', async () => {
    const a = await createAgreementVia(t, drafter);
    await toAwaitingSignature(t, drafter, a.id);
    const res = await signVia(t, drafter, a.id, a.parties[0].id, { signedAt: new Date(t.ctx.clock.now().getTime() + 3 * 86_400_000).toISOString() });
    expectError(res, 422, 'validation_failed');
    expect(res.body.error.details).to.deep.equal([
      { field: 'signedAt', message: 'must not lie in the future / tidak boleh di masa depan' },
    ]);
  });

  it('when a write finds the agreement moved on to another stage meanwhile, then the refusal names the stage it expected in words', async () => {
    const a = await createAgreementVia(t, drafter);
    const read = await t.ctx.models.Agreement.findById(a.id, { version: 1, stage: 1 }).lean();
    await moveVia(t, drafter, a.id, 'negotiation');
    const session = await t.ctx.connection.startSession();
    try {
      const refused = await writeIfUnchanged(t.ctx, { _id: new Types.ObjectId(a.id), version: read!.version, stage: read!.stage }, { $set: { updatedAt: new Date() } }, session, 'drafting').catch((e: unknown) => e);
      expect((refused as { code: string }).code).to.equal('invalid_state');
      expect((refused as Error).message).to.equal('The agreement is no longer at the stage “Drafting” / Perjanjian tidak lagi pada tahap “Penyusunan draf”');
    } finally {
      await session.endSession();
    }
  });
  it('when the parties change so that the path has no stage for where the agreement stands, then the refusal names that stage in words', async () => {
    const kemlu = { name: 'Kementerian Luar Negeri', kind: 'agency', country: 'ID', signatory: { name: 'Direktur PWNI', email: 'pwni@test.local' } };
    const lpsk = { name: 'Lembaga Perlindungan Saksi dan Korban', kind: 'agency', country: 'ID', signatory: { name: 'Ketua LPSK', email: 'lpsk@test.local' } };
    const malaysia = { name: 'Malaysia', kind: 'state', country: 'MY', signatory: { name: 'Minister', email: 'minister.my@test.local' } };
    const mou = await createAgreementVia(t, drafter, { type: 'mou', parties: [kemlu, malaysia] });
    const negotiating = await moveVia(t, drafter, mou.id, 'negotiation');
    const res = await request(t.app)
      .patch(`/api/agreements/${mou.id}`)
      .set(bearer(drafter))
      .send({ version: negotiating.version, parties: [{ id: negotiating.parties[0].id, ...kemlu }, lpsk] });
    expectError(res, 409, 'invalid_state');
    expect(res.body.error.message).to.equal(
      'With these parties the agreement follows the domestic path, which has no stage “Negotiation”: move it to another stage first / Dengan para pihak ini perjanjian mengikuti alur dalam negeri, yang tidak memiliki tahap “Perundingan”: pindahkan ke tahap lain terlebih dahulu',
    );
  });

  it('when a party declines to sign while the agreement is in drafting, then the refusal names that stage in words', async () => {
    const a = await createAgreementVia(t, drafter);
    const res = await request(t.app).post(`/api/agreements/${a.id}/parties/${a.parties[0].id}/decline`).set(bearer(drafter)).send({ reason: 'Belum waktunya' });
    expectError(res, 409, 'invalid_state');
    expect(res.body.error.message).to.equal('Nothing can be declined at the stage “Drafting” / Tidak ada yang dapat ditolak pada tahap “Penyusunan draf”');
  });

  it('when a role may not do something, then the refusal names the role as the pages do', async () => {
    const a = await createAgreementVia(t, drafter);
    const diplomat = (await loginAs(t, 'diplomat')).token;
    const res = await request(t.app).post(`/api/agreements/${a.id}/rounds`).set(bearer(diplomat)).send({ date: '2026-01-10', outcome: 'Putaran' });
    expectError(res, 403, 'forbidden');
    const [en, id] = String(res.body.error.message).split(' / ');
    expect(en).to.match(/^The role “Diplomat” may not \S/);
    expect(id).to.match(/^Peran “Diplomat” tidak berwenang \S/);
  });
});
