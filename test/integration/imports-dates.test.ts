import { expect } from 'chai';
import { registerCsv } from '../support/register.js';
import request from 'supertest';
import ExcelJS from 'exceljs';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer } from '../support/agreements.js';
import { expectError } from '../support/errors.js';
import { binary } from '../support/documents.js';
import { ensureShippedIndices } from '../../domain/indices/shipped-indices.js';
import { REGISTER_COLUMNS } from '../../domain/imports/register-columns.js';
import { hqDay } from '../../workflows/business-days.js';

/** A register's dates as Indonesian offices write them as text: day first, or with the month's name. */
describe('imports: dates written as Indonesian registers write them', function () {
  let t: TestApp;
  let token: string;

  before(async () => {
    t = await createTestApp({ label: 'imports_dates' });
    await ensureShippedIndices(t.ctx);
    token = (await loginAs(t, 'drafter')).token;
  });
  after(async () => t.close());

  /** A signed MoU whose signing and stage began on `date`, written as given. */
  const signedRow = (code: string, date: string) => ({
    code,
    type: 'mou',
    title_id: `Nota Kesepahaman ${code}`,
    title_en: `Memorandum ${code}`,
    lead_unit: 'PWNI',
    stage: 'signed',
    stage_since: date,
    parties: 'Republik Indonesia [state, ID]; Malaysia [state, MY]',
    signatories: 'Ida Fauziyah, Menteri Ketenagakerjaan; M. Saravanan, Menteri Sumber Manusia',
    signed_on: date,
    signed_at_place: 'Bogor',
  });
  const where = (body: { problems: Array<{ row: number; column: string }> }) => body.problems.map((p) => `${p.row}:${p.column}`);

  const ACCEPTED: Array<[string, string]> = [
    ['2022-04-01', '2022-04-01'],
    ['01/04/2022', '2022-04-01'],
    ['1/4/2022', '2022-04-01'],
    ['1-4-2022', '2022-04-01'],
    ['1.4.2022', '2022-04-01'],
    ['1 April 2022', '2022-04-01'],
    ['13 September 2022', '2022-09-13'],
    ['11 Agustus 2022', '2022-08-11'],
    ['11 agt 2022', '2022-08-11'],
    ['1 Des 2022', '2022-12-01'],
    ['1 Apr 2022', '2022-04-01'],
    ['1-Apr-2022', '2022-04-01'],
    ['1 Okt. 2022', '2022-10-01'],
    ['11 August 2022', '2022-08-11'],
    ['1 Dec 2022', '2022-12-01'],
    ['April 1, 2022', '2022-04-01'],
    ['12/11/2022', '2022-11-12'],
  ];

  it('when dates are written day first or with the month’s name, in Indonesian or English, then the dry run takes them and the import stores the day meant', async () => {
    const rows = ACCEPTED.map(([written], i) => signedRow(`DATE-${String(i + 1).padStart(2, '0')}`, written));
    const checked = await request(t.app).post('/api/imports').set(bearer(token)).attach('file', registerCsv(rows), 'register.csv').expect(200);
    expect(checked.body.problems).to.deep.equal([]);
    expect(checked.body.valid).to.equal(ACCEPTED.length);

    const created = await request(t.app).post('/api/imports?dryRun=false').set(bearer(token)).attach('file', registerCsv(rows), 'register.csv').expect(201);
    expect(created.body.valid).to.equal(ACCEPTED.length);
    for (const [i, [written, day]] of ACCEPTED.entries()) {
      const { id } = created.body.agreements[i];
      const one = await request(t.app).get(`/api/agreements/${id}`).set(bearer(token)).expect(200);
      expect(one.body.code).to.equal(rows[i].code);
      expect(hqDay(one.body.signedAt), written).to.equal(day);
      expect(one.body.parties.map((p: { signature: { signedAt: string } }) => hqDay(p.signature.signedAt)), written).to.deep.equal([day, day]);
    }
  });

  it('when a day the month does not have or a form that could be read two ways is written, then it is refused with its row, column and the forms accepted, in both languages, and nothing is created', async () => {
    const rows = [
      signedRow('BAD-01', '31/02/2022'),
      signedRow('BAD-02', '01/04/22'),
      signedRow('BAD-03', '2022/04/01'),
      signedRow('BAD-04', '04/13/2022'),
      { ...signedRow('BAD-05', '1 April 2022'), signed_on: '1 Foo 2022' },
      { ...signedRow('BAD-06', '1 April 2022'), signed_on: 'April 2022' },
    ];
    const checked = await request(t.app).post('/api/imports').set(bearer(token)).attach('file', registerCsv(rows), 'register.csv').expect(200);
    expect(where(checked.body)).to.deep.equal(['2:stage_since', '2:signed_on', '3:stage_since', '3:signed_on', '4:stage_since', '4:signed_on', '5:stage_since', '5:signed_on', '6:signed_on', '7:signed_on']);
    const message = (row: number, column: string) => checked.body.problems.find((p: { row: number; column: string }) => p.row === row && p.column === column).message;
    expect(message(2, 'signed_on')).to.deep.equal({ en: "'31/02/2022' is not a date: February 2022 has 28 days", id: "'31/02/2022' bukan tanggal: Februari 2022 hanya 28 hari" });
    for (const row of [3, 4, 7]) {
      const { en, id } = message(row, 'signed_on');
      expect(en).to.contain('is not a date in a form the import reads').and.to.contain('2022-04-01, 01/04/2022 (day/month/year) or 1 April 2022');
      expect(id).to.contain('bukan tanggal dalam bentuk yang dibaca impor').and.to.contain('2022-04-01, 01/04/2022 (tanggal/bulan/tahun) atau 1 April 2022');
    }
    expect(message(5, 'signed_on').en).to.equal("'04/13/2022' is not a date: there is no month 13 (a date is read day/month/year)");
    expect(message(5, 'signed_on').id).to.equal("'04/13/2022' bukan tanggal: tidak ada bulan 13 (tanggal dibaca tanggal/bulan/tahun)");
    expect(message(6, 'signed_on').en).to.contain("'Foo' is not a month");
    expect(message(6, 'signed_on').id).to.contain("'Foo' bukan nama bulan");

    const refused = await request(t.app).post('/api/imports?dryRun=false').set(bearer(token)).attach('file', registerCsv(rows), 'register.csv');
    expectError(refused, 422, 'validation_failed');
    expect(refused.body.error.details.problems).to.deep.equal(checked.body.problems);
    expect(await t.ctx.models.Agreement.countDocuments({ code: /^BAD-/ })).to.equal(0);
  });

  it('when an XLSX holds real date cells beside dates typed as text, then both are read as the day they show', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Data');
    sheet.columns = REGISTER_COLUMNS.map((c) => ({ header: c.key, key: c.key }));
    sheet.addRow({ ...signedRow('CELL-01', '11 Agustus 2022'), signed_on: new Date(Date.UTC(2022, 7, 11)) });
    const file = Buffer.from(await book.xlsx.writeBuffer());
    const created = await request(t.app).post('/api/imports?dryRun=false').set(bearer(token)).attach('file', file, 'register.xlsx').expect(201);
    const one = await request(t.app).get(`/api/agreements/${created.body.agreements[0].id}`).set(bearer(token)).expect(200);
    expect(hqDay(one.body.signedAt)).to.equal('2022-08-11');
    expect(hqDay(one.body.stageEnteredAt)).to.equal('2022-08-11');
  });

  it('when the template is fetched, then the date columns’ help and the guide say in both languages which forms a date may take', async () => {
    const xlsx = await binary(request(t.app).get('/api/imports/template.xlsx').set(bearer(token))).expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body);
    const guide = book.getWorksheet('Petunjuk - Guide')!;
    const rows: string[][] = [];
    guide.eachRow((r) => rows.push([1, 2, 3, 4, 5].map((c) => String(r.getCell(c).value ?? ''))));
    const signedOn = rows.find((r) => r[0] === 'signed_on')!;
    expect(signedOn[2]).to.contain('01/04/2022').and.to.contain('1 April 2022').and.to.contain('tanggal dulu, lalu bulan');
    expect(signedOn[3]).to.contain('01/04/2022').and.to.contain('1 April 2022').and.to.contain('the day before the month');
    const heading = rows.findIndex((r) => r[0].startsWith('Tanggal (kolom stage_since, signed_on, in_force_on, expires_on) / Dates'));
    expect(heading).to.be.greaterThan(0);
    const forms = rows.slice(heading + 1, heading + 4);
    expect(forms.map((r) => r[4])).to.deep.equal(['2022-04-01', '01/04/2022, 1/4/2022, 1-4-2022, 1.4.2022', '1 April 2022, 11 Agustus 2022, 1 Des 2022, 1-Apr-2022, April 1, 2022']);
    expect(forms[1][2]).to.contain('01/04/2022 adalah 1 April, bukan 4 Januari');
    expect(forms[1][3]).to.contain('01/04/2022 is 1 April, not 4 January');
    expect(forms[2][2]).to.contain('bahasa Indonesia atau Inggris');
    expect(forms[2][3]).to.contain('Indonesian or English');
  });
});
