/**
 * A bidirectional override (U+202D LRO, U+202E RLO) makes a text read differently from what is
 * stored and searched: "PKS \u202Efdp.exe" shows as "PKS exe.pdf". The register import refuses it
 * in a cell (domain/imports/import-register.ts); the API refuses it the same way in every text a
 * person types: a 422 naming the field, in both languages, and nothing stored.
 */
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, buildAgreement, createAgreementVia, signVia, toAwaitingSignature } from '../support/agreements.js';
import { uploadSignedCopy } from '../support/documents.js';
import { expectError } from '../support/errors.js';

const RLO = '\u202E';
const LRO = '\u202D';

describe('integrity: bidirectional overrides in text', function () {
  this.timeout(60_000);
  let t: TestApp;
  let drafter: string;

  before(async () => {
    t = await createTestApp({ label: 'integrity-bidi' });
    drafter = (await loginAs(t, 'drafter')).token;
  });
  after(async () => t?.close());

  /** The 422's details, each field with its message; every message in English and Indonesian. */
  function refusedFields(res: request.Response): string[] {
    expectError(res, 422, 'validation_failed');
    const details = res.body.error.details as Array<{ field: string; message: string }>;
    for (const d of details) {
      expect(d.message, d.field).to.contain('bidirectional override (U+202D or U+202E)');
      expect(d.message, d.field).to.contain('penimpa arah tulisan (U+202D atau U+202E)');
    }
    return details.map((d) => d.field);
  }

  it('when a new agreement’s title, party name or signatory holds an override, then 422 names each field in both languages and nothing is stored', async () => {
    const before = await t.ctx.models.Agreement.countDocuments();
    const body = buildAgreement({ title: { id: `PKS ${RLO}fdp.exe`, en: 'Cooperation Agreement' } });
    body.parties[1].name = `${LRO}Malaysia`;
    body.parties[0].signatory.name = `Menteri ${RLO}Luar Negeri`;
    body.parties[0].signatory.title = `Minister${RLO}`;
    const res = await request(t.app).post('/api/agreements').set(bearer(drafter)).send(body);
    expect(refusedFields(res)).to.have.members(['title.id', 'parties.1.name', 'parties.0.signatory.name', 'parties.0.signatory.title']);
    expect(await t.ctx.models.Agreement.countDocuments()).to.equal(before);
  });

  it('when an edit, a stage note, a comment or a deadline note holds an override, then each is refused and the agreement is unchanged', async () => {
    const a = await createAgreementVia(t, drafter);
    const patch = await request(t.app)
      .patch(`/api/agreements/${a.id}`)
      .set(bearer(drafter))
      .send({ version: a.version, subjects: [`konsuler${RLO}`], parties: a.parties.map((p: any, i: number) => ({ ...pick(p), officialName: i === 1 ? `${RLO}ماليزيا` : undefined })) });
    expect(refusedFields(patch)).to.have.members(['subjects.0', 'parties.1.officialName']);

    const move = await request(t.app).post(`/api/agreements/${a.id}/transitions`).set(bearer(drafter)).send({ to: 'negotiation', note: `Mulai ${RLO}dirunding` });
    expect(refusedFields(move)).to.deep.equal(['note']);

    const comment = await request(t.app).post(`/api/agreements/${a.id}/comments`).set(bearer(drafter)).send({ text: `Catatan\n${LRO}rahasia` });
    expect(refusedFields(comment)).to.deep.equal(['text']);

    const deadline = await request(t.app)
      .post(`/api/agreements/${a.id}/deadlines`)
      .set(bearer(drafter))
      .send({ kind: 'custom', dueAt: '2031-01-15T10:00:00Z', note: `Kirim ${RLO}nota` });
    expect(refusedFields(deadline)).to.deep.equal(['note']);

    const after = (await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter))).body;
    expect(after.version).to.equal(a.version);
    expect(after.stage).to.equal('drafting');
    expect(after.subjects).to.deep.equal(a.subjects);
    const history = (await request(t.app).get(`/api/agreements/${a.id}/history`).set(bearer(drafter))).body.items;
    expect(history.map((e: any) => e.action)).to.deep.equal(['created']);
    expect(await t.ctx.models.Deadline.countDocuments({ kind: 'custom' })).to.equal(0);
  });

  it('when a signature’s place holds an override, then 422 names the place and the party stays unsigned', async () => {
    const a = await createAgreementVia(t, drafter);
    const ready = await toAwaitingSignature(t, drafter, a.id);
    const party = ready.parties[0];
    const res = await request(t.app)
      .post(`/api/agreements/${a.id}/parties/${party.id}/signature`)
      .set(bearer(drafter))
      .send({ signedAt: t.ctx.clock.now().toISOString(), place: `${RLO}Jakarta`, method: 'wet_ink' });
    expect(refusedFields(res)).to.deep.equal(['place']);
    const after = (await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter))).body;
    expect(after.parties[0].status).to.not.equal('signed');
  });

  it('when Arabic text carries embedding or isolate marks (not overrides), then it is stored as typed', async () => {
    // RLE … PDF and RLI … PDI, as word processors write them around Arabic: no override, nothing hidden
    const officialName = '\u202Bحكومة ماليزيا\u202C \u2067(ماليزيا)\u2069';
    const body = buildAgreement();
    body.parties[1].officialName = officialName;
    const res = await request(t.app).post('/api/agreements').set(bearer(drafter)).send(body);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.parties[1].officialName).to.equal(officialName);
  });

  // (an uploaded file's name is not typed: its override is taken out, documents-upload.test.ts)
  it('when a ratification number holds an override, then it is refused and nothing is stored', async () => {
    const a = await createAgreementVia(t, drafter, { type: 'agreement' });
    const ready = await toAwaitingSignature(t, drafter, a.id);
    for (const p of ready.parties) expect((await signVia(t, drafter, a.id, p.id)).status).to.equal(200);
    await uploadSignedCopy(t, drafter, a.id);
    expect((await request(t.app).post(`/api/agreements/${a.id}/transitions`).set(bearer(drafter)).send({ to: 'pending_ratification' })).status).to.equal(200);
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const res = await request(t.app)
      .post(`/api/agreements/${a.id}/transitions`)
      .set(bearer(drafter))
      .send({ to: 'in_force', entryIntoForce: { date: today, basis: 'ratification_law' }, ratification: { kind: 'law', number: `12 ${RLO}2026`, date: today } });
    expect(refusedFields(res)).to.deep.equal(['ratification.number']);
    expect((await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter))).body).to.include({ stage: 'pending_ratification', ratification: null });
  });
});

/** A party as a PATCH takes it back (only the fields the form sends). */
function pick(p: any) {
  return { id: p.id, name: p.name, kind: p.kind, country: p.country, signatory: { name: p.signatory.name, title: p.signatory.title, email: p.signatory.email } };
}
