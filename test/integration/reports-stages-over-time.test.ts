import { expect } from 'chai';
import request from 'supertest';
import { stringify } from 'csv-stringify/sync';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, buildAgreement, createAgreementVia, moveVia } from '../support/agreements.js';
import { ensureShippedIndices } from '../../domain/indices/shipped-indices.js';
import { REGISTER_COLUMNS } from '../../domain/imports/register-columns.js';
import { DemoScript } from '../../domain/demo/demo-script.js';
import type { CreateAgreementInput } from '../../domain/agreements/create-agreement.js';
import type { Summary } from '../../domain/reports/summarize-period.js';

/** A register row as a person keeps it: a memorandum with Malaysia at `stage` since `since`. */
const row = (code: string, stage: string, since: string, signed = '') => ({
  code,
  type: 'mou',
  title_id: `Nota Kesepahaman ${code}`,
  title_en: `Memorandum ${code}`,
  lead_unit: 'PWNI',
  stage,
  stage_since: since,
  parties: 'Republik Indonesia [state, ID]; Malaysia [state, MY]',
  signatories: 'Ida Fauziyah, Menteri Ketenagakerjaan; M. Kulasegaran, Menteri Sumber Manusia',
  signed_on: signed,
  signed_at_place: signed ? 'Kuala Lumpur' : '',
  in_force_on: signed,
  in_force_basis: signed ? 'on_signature' : '',
  expires_on: '',
  notice_days: '',
  indices: 'protection_diplomacy',
  confidentiality: 'internal',
  subjects: 'pekerja-migran',
  languages: 'id; en',
});

const counts = (points: Summary['stagesOverTime']) => points.map((p) => [p.at, Object.fromEntries(p.byStage.map((s) => [s.stage, s.count]))]);

describe('reports: stages over time from stage changes made in the year, after it, and by an import years later', function () {
  this.timeout(60_000);
  let t: TestApp;

  before(async () => {
    t = await createTestApp({ label: 'rep_over_time' });
    await ensureShippedIndices(t.ctx);
    // worked on in the tracker (through the use cases on a clock set back, as the demo is):
    // X through 2022, Y created in August and moved only in 2023
    const past = new DemoScript(t.ctx);
    const x = await past.at('2021-11-01T03:00:00Z').create(buildAgreement({ title: { id: 'Nota Kesepahaman X', en: 'Memorandum X' } }) as CreateAgreementInput);
    await past.at('2022-02-14T03:00:00Z').move(x, 'negotiation');
    await past.at('2022-05-02T03:00:00Z').move(x, 'legal_review');
    const y = await past.at('2022-08-15T03:00:00Z').create(buildAgreement({ title: { id: 'Nota Kesepahaman Y', en: 'Memorandum Y' } }) as CreateAgreementInput);
    await past.at('2023-03-01T03:00:00Z').move(y, 'negotiation');
    // today the old register is imported: its stage dates fall before, within and after 2022
    const drafter = (await loginAs(t, 'drafter')).token;
    const rows = [row('REG-A', 'in_force', '2019-11-25', '2019-11-20'), row('REG-B', 'negotiation', '2022-05-10'), row('REG-C', 'awaiting_signature', '2022-10-03'), row('REG-D', 'drafting', '2023-02-01')];
    const file = Buffer.from('\uFEFF' + stringify(rows, { header: true, columns: REGISTER_COLUMNS.map((c) => c.key) }));
    const imported = await request(t.app).post('/api/imports?dryRun=false').set(bearer(drafter)).attach('file', file, 'register.csv');
    expect(imported.status, JSON.stringify(imported.body)).to.equal(201);
    const b = imported.body.agreements.find((a: { code: string }) => a.code === 'REG-B');
    await moveVia(t, drafter, b.id, 'legal_review');
    await createAgreementVia(t, drafter, { title: { id: 'Nota Kesepahaman Z', en: 'Memorandum Z' } });
  });
  after(async () => t.close());

  it('when the 2022 summary is asked years later, then each quarter counts what stood where that day, whenever the change or the import was recorded', async () => {
    const admin = (await loginAs(t, 'admin')).token;
    const year = (await request(t.app).get('/api/reports/summary?from=2022-01-01&to=2022-12-31').set(bearer(admin)).expect(200)).body as Summary;
    expect(counts(year.stagesOverTime)).to.deep.equal([
      ['2022-03-31', { negotiation: 1, in_force: 1 }],
      ['2022-06-30', { negotiation: 1, legal_review: 1, in_force: 1 }],
      ['2022-09-30', { drafting: 1, negotiation: 1, legal_review: 1, in_force: 1 }],
      ['2022-12-31', { drafting: 1, negotiation: 1, legal_review: 1, awaiting_signature: 1, in_force: 1 }],
    ]);
    // each quarter's count is what a summary ending that day says stood where
    for (const point of year.stagesOverTime) {
      const then = (await request(t.app).get(`/api/reports/summary?from=2022-01-01&to=${point.at}`).set(bearer(admin)).expect(200)).body as Summary;
      expect(point.byStage, point.at).to.deep.equal(then.byStage.map((s) => ({ stage: s.stage, count: s.count })));
    }
  });
});
