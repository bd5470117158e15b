import { expect } from 'chai';
import request from 'supertest';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer } from '../support/agreements.js';
import { expectError } from '../support/errors.js';
import { ensureShippedIndices } from '../../domain/indices/shipped-indices.js';
import { REGISTER_COLUMNS } from '../../domain/imports/register-columns.js';
import { verifyHistory } from '../../domain/history/verify-history.js';

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** A register of `n` good rows (in force since 2019, in negotiation, awaiting signature), as a person would keep it. */
function register(n: number): Array<Record<string, string>> {
  return Array.from({ length: n }, (_, i) => {
    const kind = i % 3;
    return {
      code: `REG-${String(i + 1).padStart(4, '0')}`,
      type: kind === 2 ? 'cooperation_agreement' : 'mou',
      title_id: `Nota Kesepahaman Lama ${i + 1}`,
      title_en: `Old Memorandum ${i + 1}`,
      lead_unit: 'PWNI',
      stage: ['in_force', 'negotiation', 'awaiting_signature'][kind],
      stage_since: ['2019-11-25', '2021-03-01', '2022-10-03'][kind],
      parties: kind === 2 ? 'Kementerian Luar Negeri [agency, ID]; BP2MI [agency, ID]' : 'Republik Indonesia [state, ID]; Malaysia [state, MY]',
      signatories: 'Menteri Ketenagakerjaan, Menteri; Minister of Human Resources, Minister',
      signed_on: kind === 0 ? '2019-11-20' : '',
      signed_at_place: kind === 0 ? 'Kuala Lumpur' : '',
      in_force_on: kind === 0 ? '2019-11-20' : '',
      in_force_basis: kind === 0 ? 'on_signature' : '',
      expires_on: kind === 0 ? '2024-11-19' : '',
      notice_days: kind === 0 ? '90' : '',
      indices: 'protection_diplomacy',
      confidentiality: 'internal',
      subjects: 'pekerja-migran',
      languages: 'id; en',
    };
  });
}

const csvOf = (rows: Array<Record<string, string>>) => Buffer.from('\uFEFF' + stringify(rows, { header: true, columns: REGISTER_COLUMNS.map((c) => c.key) }));

describe('imports: an existing register', function () {
  let t: TestApp;
  let token: string;

  before(async () => {
    t = await createTestApp({ label: 'imports' });
    await ensureShippedIndices(t.ctx);
    token = (await loginAs(t, 'drafter')).token;
  });
  after(async () => t.close());

  it('when the templates are fetched, then they list every column with an example, and the XLSX explains each column in both languages', async () => {
    const csv = await request(t.app).get('/api/imports/template.csv').set(bearer(token)).expect(200);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0].split(',')).to.deep.equal(REGISTER_COLUMNS.map((c) => c.key));
    expect(lines).to.have.length(2);
    const xlsx = await request(t.app).get('/api/imports/template.xlsx').set(bearer(token)).buffer(true).parse(binary).expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body);
    expect(book.getWorksheet('Data')!.getCell('A2').value).to.equal('MOU-MY-2019-02');
    const guide = book.getWorksheet('Petunjuk - Guide')!;
    expect(guide.getCell('A2').value).to.equal('code');
    expect(String(guide.getCell('C2').value)).to.match(/Kode perjanjian/);
    expect(String(guide.getCell('D2').value)).to.match(/agreement code/);
  });

  it('when a register with a few bad rows is checked, then each problem names its row and column in both languages and nothing is created', async () => {
    const rows = register(300);
    rows[9].type = 'treaty';
    rows[19].stage_since = '2019-02-30';
    rows[29].parties = 'Republik Indonesia; Malaysia';
    rows[39].code = rows[0].code;
    rows[48].signed_on = '';
    const res = await request(t.app).post('/api/imports').set(bearer(token)).attach('file', csvOf(rows), 'register.csv').expect(200);
    expect(res.body.dryRun).to.equal(true);
    expect(res.body.rows).to.equal(300);
    expect(res.body.valid).to.equal(295);
    const where = res.body.problems.map((p: { row: number; column: string }) => `${p.row}:${p.column}`);
    expect(where).to.deep.equal(['11:type', '21:stage_since', '31:parties', '31:parties', '41:code', '50:signed_on']);
    expect(res.body.problems[0].message.en).to.contain("'treaty' is not a type");
    expect(res.body.problems[0].message.id).to.contain("'treaty' bukan jenis");
    expect(await t.ctx.models.Agreement.countDocuments({})).to.equal(0);

    const refused = await request(t.app).post('/api/imports?dryRun=false').set(bearer(token)).attach('file', csvOf(rows), 'register.csv');
    expectError(refused, 422, 'validation_failed');
    expect(refused.body.error.details.problems).to.have.length(6);
    expect(await t.ctx.models.Agreement.countDocuments({})).to.equal(0);
  });

  it('when the fixed register is imported as XLSX, then every agreement stands at its stage with its past dates and codes, with an imported history event naming the file', async () => {
    const rows = register(300);
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Data');
    sheet.columns = REGISTER_COLUMNS.map((c) => ({ header: c.key, key: c.key }));
    for (const r of rows) sheet.addRow(r);
    const file = Buffer.from(await book.xlsx.writeBuffer());
    const res = await request(t.app).post('/api/imports?dryRun=false').set(bearer(token)).attach('file', file, 'register.xlsx');
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).to.equal(201);
    expect(res.body.valid).to.equal(300);
    expect(res.body.problems).to.deep.equal([]);
    expect(res.body.file.sha256).to.match(/^[0-9a-f]{64}$/);
    const inForce = await request(t.app).get('/api/agreements?stage=in_force&limit=50').set(bearer(token)).expect(200);
    expect(inForce.body.total).to.equal(100);
    const one = await t.ctx.models.Agreement.findOne({ code: 'REG-0001' }).lean();
    expect(one!.stage).to.equal('in_force');
    expect(one!.signedAt!.toISOString()).to.equal('2019-11-19T17:00:00.000Z');
    expect(one!.parties.map((p) => p.signature?.place)).to.deep.equal(['Kuala Lumpur', 'Kuala Lumpur']);
    const history = await request(t.app).get(`/api/agreements/${String(one!._id)}/history`).set(bearer(token)).expect(200);
    const events = history.body.items ?? history.body;
    expect(events[0].action).to.equal('imported');
    expect(events[0].changes.file).to.deep.equal({ name: 'register.xlsx', sha256: res.body.file.sha256 });
    expect((await verifyHistory(t.ctx, one!._id)).valid).to.equal(true);

    // The reports are right from the first day: the 2020 summary counts what was in force then.
    const admin = (await loginAs(t, 'admin')).token;
    const summary = await request(t.app).get('/api/reports/summary?from=2020-01-01&to=2020-12-31').set(bearer(admin)).expect(200);
    expect(summary.body.byStage).to.deep.equal([{ stage: 'in_force', count: 100, agreements: summary.body.byStage[0].agreements }]);
    const signed2019 = await request(t.app).get('/api/reports/summary?from=2019-01-01&to=2019-12-31').set(bearer(admin)).expect(200);
    expect(signed2019.body.signed.total).to.equal(100);

    const again = await request(t.app).post('/api/imports?dryRun=false').set(bearer(token)).attach('file', file, 'register.xlsx');
    expectError(again, 422, 'validation_failed');
    expect(again.body.error.details.problems[0].message.en).to.contain('already in the tracker');
  });

  it('when a long import runs as a job, then polling shows its progress and then its result, only to the person who started it', async () => {
    const rows = register(30).map((r) => ({ ...r, code: r.code.replace('REG', 'JOB') }));
    const started = await request(t.app).post('/api/imports?async=true&dryRun=false').set(bearer(token)).attach('file', csvOf(rows), 'job.csv').expect(202);
    expect(started.headers.location).to.equal(`/api/imports/jobs/${started.body.jobId}`);
    let job = (await request(t.app).get(started.body.poll).set(bearer(token)).expect(200)).body;
    for (let i = 0; i < 200 && job.status === 'running'; i++) {
      expect(['reading', 'checking', 'creating']).to.include(job.phase);
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = (await request(t.app).get(started.body.poll).set(bearer(token)).expect(200)).body;
    }
    expect(job).to.include({ status: 'done', phase: 'finished', processed: 30, total: 30 });
    expect(job.result.valid).to.equal(30);
    expect(await t.ctx.models.Agreement.countDocuments({ code: /^JOB-/ })).to.equal(30);
    const other = (await loginAs(t, 'drafter')).token;
    expectError(await request(t.app).get(started.body.poll).set(bearer(other)), 404, 'not_found');
  });

  it('when the file is not a register, then 422 says so; without a file, 422 names the field; a diplomat may not import', async () => {
    expectError(await request(t.app).post('/api/imports').set(bearer(token)).attach('file', Buffer.from('a,b\n1,2\n'), 'x.csv'), 422, 'validation_failed');
    expectError(await request(t.app).post('/api/imports').set(bearer(token)).field('dryRun', 'true'), 422, 'validation_failed');
    const diplomat = (await loginAs(t, 'diplomat')).token;
    expectError(await request(t.app).post('/api/imports').set(bearer(diplomat)).attach('file', csvOf(register(1)), 'r.csv'), 403, 'forbidden');
  });
});
