import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';
import { expectError } from '../support/errors.js';

/**
 * An auditor (or a signatory) who sends a deadline, new or changed, is refused for their role
 * first. They were answered 422 "'kind' is required" for an incomplete one, as if filling the
 * form in would let it through, and were refused for their role only once it was complete.
 */
describe('deadlines: a role that may not manage them is refused before its input is checked', () => {
  let t: TestApp;
  let drafter: string;
  let agreementId: string;
  let deadlineId: string;
  let version: number;

  before(async () => {
    t = await createTestApp({ label: 'deadline_refusals' });
    drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
    agreementId = (await createAgreementVia(t, drafter)).id;
    const created = await request(t.app)
      .post(`/api/agreements/${agreementId}/deadlines`)
      .set(bearer(drafter))
      .send({ kind: 'custom', dueAt: '2031-01-15T10:00:00Z', note: 'Kirim nota' });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    deadlineId = created.body.id;
    version = created.body.version;
  });
  after(async () => t?.close());

  for (const [role, id, en] of [
    ['auditor', 'Auditor', 'Auditor'],
    ['signatory', 'Penanda tangan', 'Signatory'],
  ] as const) {
    it(`when ${role === 'auditor' ? 'an auditor' : 'a signatory'} sends an incomplete or invalid deadline, then 403 for the role, in both languages, and nothing changes`, async () => {
      const token = (await loginAs(t, role, { unit: 'PWNI' })).token;
      const stored = await t.ctx.models.Deadline.find({}).sort({ _id: 1 }).lean();
      const words = `The role “${en}” may not manage deadlines / Peran “${id}” tidak berwenang mengelola tenggat`;

      const incomplete = await request(t.app).post(`/api/agreements/${agreementId}/deadlines`).set(bearer(token)).send({});
      expectError(incomplete, 403, 'forbidden');
      expect(incomplete.body.error.message).to.equal(words);

      const invalid = await request(t.app).patch(`/api/deadlines/${deadlineId}`).set(bearer(token)).send({ version, dueAt: 'next week' });
      expectError(invalid, 403, 'forbidden');
      expect(invalid.body.error.message).to.equal(words);

      expect(await t.ctx.models.Deadline.find({}).sort({ _id: 1 }).lean()).to.deep.equal(stored);
    });
  }

  it('when a drafter sends an incomplete deadline, then its fields are named as before (422)', async () => {
    const res = await request(t.app).post(`/api/agreements/${agreementId}/deadlines`).set(bearer(drafter)).send({});
    expectError(res, 422, 'validation_failed');
    expect(res.body.error.details.map((d: { field: string }) => d.field)).to.include.members(['kind', 'dueAt']);
  });
});
