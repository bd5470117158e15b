import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';
import { expectError } from '../support/errors.js';

/**
 * What is wrong with a field is said in both languages, "English / Indonesian", as the pages
 * split it: some refusals the domain makes itself named the field in English only ("not a party of this
 * agreement", "no party …", "required"), which an Indonesian page then showed as it came.
 */
describe('refusals: each field says what is wrong in both languages', () => {
  let t: TestApp;
  let drafter: string;
  let agreement: Record<string, any>;

  before(async () => {
    t = await createTestApp({ label: 'bilingual-details' });
    drafter = (await loginAs(t, 'drafter')).token;
    agreement = await createAgreementVia(t, drafter);
  });
  after(async () => t?.close());

  /** The field's message, checked to hold an English and an Indonesian half; the Indonesian half returned. */
  function indonesianOf(res: request.Response, field: string): string {
    expectError(res, 422, 'validation_failed');
    const detail = res.body.error.details.find((d: { field: string }) => d.field === field);
    expect(detail, `a detail for ${field}: ${JSON.stringify(res.body.error.details)}`).to.not.equal(undefined);
    const halves = String(detail.message).split(' / ');
    expect(halves, detail.message).to.have.length(2);
    return halves[1];
  }

  it('when a deadline is set in a zone that is none, or for a party the agreement does not have, then the field says so in Indonesian too', async () => {
    const dueAt = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const zone = await request(t.app).post(`/api/agreements/${agreement.id}/deadlines`).set(bearer(drafter)).send({ kind: 'custom', dueAt, timezone: 'Mars/Olympus' });
    expect(indonesianOf(zone, 'timezone')).to.contain('zona waktu');
    const party = await request(t.app)
      .post(`/api/agreements/${agreement.id}/deadlines`)
      .set(bearer(drafter))
      .send({ kind: 'signing_due', dueAt, partyId: '64b7f0c2a1b2c3d4e5f60718' });
    expect(indonesianOf(party, 'partyId')).to.equal('Bukan pihak pada perjanjian ini');

    const created = await request(t.app).post(`/api/agreements/${agreement.id}/deadlines`).set(bearer(drafter)).send({ kind: 'custom', dueAt });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const moved = await request(t.app).patch(`/api/deadlines/${created.body.id}`).set(bearer(drafter)).send({ timezone: 'Mars/Olympus' });
    expect(indonesianOf(moved, 'timezone')).to.contain('zona waktu');
    expect((await request(t.app).get(`/api/agreements/${agreement.id}/deadlines`).set(bearer(drafter))).body.items.find((d: any) => d.id === created.body.id).timezone).to.equal('Asia/Jakarta');
  });

  it('when an edit names a party the agreement does not have, then the field says which, in Indonesian too, and nothing changes', async () => {
    const current = (await request(t.app).get(`/api/agreements/${agreement.id}`).set(bearer(drafter))).body;
    const parties = current.parties.map((p: any) => ({ id: p.id, name: p.name, kind: p.kind, country: p.country, signatory: p.signatory }));
    parties[1].id = '64b7f0c2a1b2c3d4e5f60718';
    const res = await request(t.app).patch(`/api/agreements/${agreement.id}`).set(bearer(drafter)).send({ version: current.version, parties });
    expect(indonesianOf(res, 'parties.id')).to.equal('Perjanjian ini tidak memiliki pihak 64b7f0c2a1b2c3d4e5f60718');
    expect((await request(t.app).get(`/api/agreements/${agreement.id}`).set(bearer(drafter))).body.version).to.equal(current.version);
  });

  it('when a register is sent without its file, then the field asks for one, in Indonesian too', async () => {
    const res = await request(t.app).post('/api/imports').set(bearer(drafter)).field('dryRun', 'true');
    expect(indonesianOf(res, 'file')).to.equal('Pilih berkas CSV atau XLSX');
  });
});
