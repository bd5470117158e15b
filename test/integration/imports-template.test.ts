import { expect } from 'chai';
import request from 'supertest';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer } from '../support/agreements.js';
import { expectError } from '../support/errors.js';
import { binary } from '../support/documents.js';
import { ensureShippedIndices } from '../../domain/indices/shipped-indices.js';

/** The import template as its reader receives it: named in their language, its signatory column explained. */
describe('imports: the template in the reader’s language', function () {
  let t: TestApp;
  let token: string;

  before(async () => {
    t = await createTestApp({ label: 'imports_template' });
    await ensureShippedIndices(t.ctx);
    token = (await loginAs(t, 'drafter')).token;
  });
  after(async () => t.close());

  const fileName = (res: request.Response) => /filename="([^"]+)"/.exec(String(res.headers['content-disposition']))?.[1];

  it('when the template is fetched in English, then its file is named in English; in Indonesian (and by default) in Indonesian; another language is refused', async () => {
    for (const [query, csv, xlsx] of [
      ['?lang=en', 'agreement-import-template.csv', 'agreement-import-template.xlsx'],
      ['?lang=id', 'templat-impor-perjanjian.csv', 'templat-impor-perjanjian.xlsx'],
      ['', 'templat-impor-perjanjian.csv', 'templat-impor-perjanjian.xlsx'],
    ]) {
      expect(fileName(await request(t.app).get(`/api/imports/template.csv${query}`).set(bearer(token)).expect(200)), query).to.equal(csv);
      expect(fileName(await binary(request(t.app).get(`/api/imports/template.xlsx${query}`).set(bearer(token))).expect(200)), query).to.equal(xlsx);
    }
    expectError(await request(t.app).get('/api/imports/template.csv?lang=fr').set(bearer(token)), 422, 'validation_failed');
  });

  it('when the template is fetched, then the signatories help says an office may be written "Indonesian / English", in both languages, and the example row does so and imports as it is', async () => {
    const csv = await request(t.app).get('/api/imports/template.csv').set(bearer(token)).expect(200);
    const [example] = parse(csv.text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(example.signatories).to.equal('Ida Fauziyah, Menteri Ketenagakerjaan / Minister of Manpower; M. Kulasegaran, Menteri Sumber Manusia / Minister of Human Resources');
    const own = await request(t.app).post('/api/imports?dryRun=false').set(bearer(token)).attach('file', Buffer.from(csv.text), 'templat.csv').expect(201);
    expect(own.body.problems).to.deep.equal([]);
    const one = await t.ctx.models.Agreement.findOne({ code: example.code }).lean();
    expect(one!.parties.map((p) => p.signatory?.title)).to.deep.equal(['Menteri Ketenagakerjaan / Minister of Manpower', 'Menteri Sumber Manusia / Minister of Human Resources']);
    // the annual report names each office in its own language (the indices it reports on begin in 2022)
    const signed2022 = { ...example, code: 'MOU-MY-2022-01', stage_since: '2022-04-01', signed_on: '2022-04-01', in_force_on: '2022-04-01', expires_on: '2027-03-31' };
    const file = Buffer.from(stringify([signed2022], { header: true, columns: Object.keys(example) }));
    await request(t.app).post('/api/imports?dryRun=false').set(bearer(token)).attach('file', file, 'register.csv').expect(201);
    const year = 2022;
    const inEnglish = await request(t.app).get(`/api/reports/annual.json?year=${year}&lang=en`).set(bearer(token)).expect(200);
    expect(JSON.stringify(inEnglish.body.sections)).to.contain('the Minister of Manpower of the Republic of Indonesia and the Minister of Human Resources of Malaysia');
    const inIndonesian = await request(t.app).get(`/api/reports/annual.json?year=${year}&lang=id`).set(bearer(token)).expect(200);
    expect(JSON.stringify(inIndonesian.body.sections)).to.contain('Menteri Ketenagakerjaan Republik Indonesia dan Menteri Sumber Manusia Malaysia');

    const xlsx = await binary(request(t.app).get('/api/imports/template.xlsx?lang=en').set(bearer(token))).expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body);
    const guide = book.getWorksheet('Petunjuk - Guide')!;
    let help: string[] = [];
    guide.eachRow((r) => {
      if (r.getCell(1).value === 'signatories') help = [3, 4, 5].map((c) => String(r.getCell(c).value ?? ''));
    });
    expect(help[0]).to.contain('"jabatan bahasa Indonesia / jabatan bahasa Inggris"').and.to.contain('"Menteri Luar Negeri / Minister for Foreign Affairs"').and.to.contain('laporan tahunan berbahasa Inggris');
    expect(help[1]).to.contain('"Indonesian office / English office"').and.to.contain('"Menteri Luar Negeri / Minister for Foreign Affairs"').and.to.contain('English annual report');
    expect(help[2]).to.equal(example.signatories);
  });
});
