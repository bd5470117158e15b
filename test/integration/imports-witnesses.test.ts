import { expect } from 'chai';
import { registerCsv } from '../support/register.js';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer } from '../support/agreements.js';
import { expectError } from '../support/errors.js';
import { ensureShippedIndices } from '../../domain/indices/shipped-indices.js';

/** A register names who witnessed a signing (signed_witnesses), which the imported signatures keep and the annual report names. */
describe('imports: the witnesses of a signing', function () {
  let t: TestApp;
  let token: string;

  before(async () => {
    t = await createTestApp({ label: 'imports_witnesses' });
    await ensureShippedIndices(t.ctx);
    token = (await loginAs(t, 'drafter')).token;
  });
  after(async () => t.close());

  const row = (code: string, overrides: Record<string, string> = {}) => ({
    code,
    type: 'mou',
    title_id: `Nota Kesepahaman ${code}`,
    title_en: `Memorandum ${code}`,
    lead_unit: 'PWNI',
    stage: 'signed',
    stage_since: '1 April 2022',
    parties: 'Republik Indonesia [state, ID]; Malaysia [state, MY]',
    signatories: 'Ida Fauziyah, Menteri Ketenagakerjaan / Minister of Manpower; M. Saravanan, Menteri Sumber Manusia / Minister of Human Resources',
    signed_on: '1 April 2022',
    signed_at_place: 'Bogor',
    indices: 'protection_diplomacy',
    ...overrides,
  });
  const post = (rows: Array<Record<string, string>>, query = '') => request(t.app).post(`/api/imports${query}`).set(bearer(token)).attach('file', registerCsv(rows), 'register.csv');

  it('when a row names witnesses that are too long, repeated or on an agreement nobody has signed, then each is a problem of its row in both languages and nothing is created', async () => {
    const checked = await post([
      row('W-LONG', { signed_witnesses: `Presiden RI; ${'x'.repeat(201)}` }),
      row('W-TWICE', { signed_witnesses: 'Presiden RI; Presiden RI' }),
      row('W-EARLY', { stage: 'awaiting_signature', signed_on: '', signed_at_place: '', signed_witnesses: 'Presiden RI' }),
    ]).expect(200);
    expect(checked.body.problems.map((p: { row: number; column: string; message: { en: string; id: string } }) => `${p.row}:${p.column}: ${p.message.en} | ${p.message.id}`)).to.deep.equal([
      '2:signed_witnesses: witness 2 has 201 characters; at most 200 | saksi 2 berisi 201 karakter; paling banyak 200',
      '3:signed_witnesses: a witness is written twice | ada saksi yang ditulis dua kali',
      '4:signed_witnesses: At the stage “Awaiting signature” no one has signed yet, so there is no signing to have witnessed; leave it empty, or write the stage the agreement has reached | Pada tahap “Menunggu penandatanganan” belum ada yang menandatangani, jadi belum ada penandatanganan yang disaksikan; kosongkan, atau tulis tahap yang sudah dicapai perjanjian ini',
    ]);
    expectError(await post([row('W-LONG', { signed_witnesses: 'Presiden RI; Presiden RI' })], '?dryRun=false'), 422, 'validation_failed');
    expect(await t.ctx.models.Agreement.countDocuments({})).to.equal(0);
  });

  it('when a row at a stage before any signing gives a date or place of signing, then each is a problem of its cell instead of being dropped, and nothing is created', async () => {
    const rows = [
      row('S-DATE', { stage: 'negotiation', stage_since: '2022-03-01', signed_on: '1 April 2022', signed_at_place: 'Bogor' }),
      // held during drafting: the stage it was held at decides
      row('S-HELD', { stage: 'on_hold', held_from: 'drafting', stage_since: '2022-03-01', signed_on: '', signed_at_place: 'Bogor' }),
    ];
    const checked = await post(rows).expect(200);
    const problems = checked.body.problems.map((p: { row: number; column: string; message: { en: string; id: string } }) => `${p.row}:${p.column}: ${p.message.en} | ${p.message.id}`);
    expect(problems).to.deep.equal([
      '2:signed_on: At the stage “Negotiation” no one has signed yet, so there is no date of signing; leave it empty, or write the stage the agreement has reached | Pada tahap “Perundingan” belum ada yang menandatangani, jadi belum ada tanggal penandatanganan; kosongkan, atau tulis tahap yang sudah dicapai perjanjian ini',
      '2:signed_at_place: At the stage “Negotiation” no one has signed yet, so there is no place of signing; leave it empty, or write the stage the agreement has reached | Pada tahap “Perundingan” belum ada yang menandatangani, jadi belum ada tempat penandatanganan; kosongkan, atau tulis tahap yang sudah dicapai perjanjian ini',
      '3:signed_at_place: At the stage “Drafting” no one has signed yet, so there is no place of signing; leave it empty, or write the stage the agreement has reached | Pada tahap “Penyusunan draf” belum ada yang menandatangani, jadi belum ada tempat penandatanganan; kosongkan, atau tulis tahap yang sudah dicapai perjanjian ini',
    ]);
    expectError(await post(rows, '?dryRun=false'), 422, 'validation_failed');
    expect(await t.ctx.models.Agreement.countDocuments({})).to.equal(0);
  });

  it('when a signed agreement is imported with its witnesses, then every party’s signature names them and the annual report says the signing was witnessed by them, in Indonesian and English', async () => {
    const created = await post([row('MOU-MY-2022-01', { signed_witnesses: 'Presiden RI / President of the Republic of Indonesia; Perdana Menteri Malaysia / Prime Minister of Malaysia' }), row('MOU-XX-2022-02')], '?dryRun=false').expect(201);
    const one = await request(t.app).get(`/api/agreements/${created.body.agreements[0].id}`).set(bearer(token)).expect(200);
    const witnesses = ['Presiden RI / President of the Republic of Indonesia', 'Perdana Menteri Malaysia / Prime Minister of Malaysia'];
    expect(one.body.parties.map((p: { signature: { witnesses: string[] } }) => p.signature.witnesses)).to.deep.equal([witnesses, witnesses]);
    const other = await request(t.app).get(`/api/agreements/${created.body.agreements[1].id}`).set(bearer(token)).expect(200);
    expect(other.body.parties.map((p: { signature: { witnesses: string[] } }) => p.signature.witnesses)).to.deep.equal([[], []]);

    const text = async (lang: string) => {
      const report = await request(t.app).get(`/api/reports/annual.json?year=2022&lang=${lang}`).set(bearer(token)).expect(200);
      return (report.body.sections as Array<{ bullets: Array<Array<{ text: string }>> }>).flatMap((s) => s.bullets.map((b) => b.map((r) => r.text).join(''))).join('\n');
    };
    const indonesian = await text('id');
    expect(indonesian).to.contain('Nota Kesepahaman MOU-MY-2022-01 telah ditandatangani oleh Menteri Ketenagakerjaan Republik Indonesia dan Menteri Sumber Manusia Malaysia pada tanggal 1 April 2022 di Bogor. Proses penandatanganan tersebut disaksikan oleh Presiden RI dan Perdana Menteri Malaysia; dan 2) Nota Kesepahaman MOU-XX-2022-02');
    expect(indonesian.match(/disaksikan/g)).to.have.length(1);
    expect(await text('en')).to.contain('in Bogor. The signing was witnessed by the President of the Republic of Indonesia and the Prime Minister of Malaysia; and 2) Memorandum MOU-XX-2022-02');
  });
});
