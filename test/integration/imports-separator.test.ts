import { expect } from 'chai';
import request from 'supertest';
import { stringify } from 'csv-stringify/sync';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer } from '../support/agreements.js';
import { expectError } from '../support/errors.js';
import { ensureShippedIndices } from '../../domain/indices/shipped-indices.js';
import { REGISTER_COLUMNS } from '../../domain/imports/register-columns.js';

/**
 * A register saved as CSV by Excel with Indonesian (or other European) regional settings: ';'
 * between the columns, since ',' is the decimal mark there. The header tells the separator.
 */
describe('imports: a CSV register with semicolons between its columns', function () {
  let t: TestApp;
  let token: string;

  /** Two rows as a register keeper writes them; the parties and signatories hold semicolons of their own. */
  const rows = ['SC-01', 'SC-02'].map((code, i) => ({
    code,
    type: 'mou',
    title_id: `Nota Kesepahaman Lama ${i + 1}`,
    title_en: `Old Memorandum ${i + 1}`,
    lead_unit: 'PWNI',
    stage: 'in_force',
    stage_since: '2019-11-25',
    parties: 'Republik Indonesia [state, ID]; Malaysia [state, MY]',
    signatories: 'Ida Fauziyah, Menteri Ketenagakerjaan; M. Kulasegaran, Menteri Sumber Manusia',
    signed_on: '2019-11-20',
    signed_at_place: 'Kuala Lumpur',
    in_force_on: '2020-01-15',
    in_force_basis: 'exchange_of_notes',
    expires_on: '2029-11-19',
    notice_days: '90',
    indices: 'protection_diplomacy',
    confidentiality: 'internal',
    subjects: 'pekerja-migran',
    languages: 'id; en',
  }));
  const columns = REGISTER_COLUMNS.map((c) => c.key);
  // as Excel writes "CSV UTF-8": a byte-order mark, CRLF, quotes only where a value needs them
  const csvWith = (delimiter: string, data: Array<Record<string, string>> = rows) => Buffer.from('\uFEFF' + stringify(data, { header: true, columns, delimiter, record_delimiter: 'windows' }));
  const dryRun = (file: Buffer, name: string) => request(t.app).post('/api/imports').set(bearer(token)).attach('file', file, name);

  before(async () => {
    t = await createTestApp({ label: 'imports_separator' });
    await ensureShippedIndices(t.ctx);
    token = (await loginAs(t, 'drafter')).token;
  });
  after(async () => t.close());

  it('when a register is saved with ";" between its columns, then it is read as the same register saved with ","', async () => {
    const semicolons = csvWith(';');
    expect(semicolons.toString('utf8').split('\r\n')[0]).to.equal(`\uFEFF${columns.join(';')}`);
    const withCommas = await dryRun(csvWith(','), 'register.csv');
    expect(withCommas.status, JSON.stringify(withCommas.body).slice(0, 600)).to.equal(200);
    const withSemicolons = await dryRun(semicolons, 'register.csv');
    expect(withSemicolons.status, JSON.stringify(withSemicolons.body).slice(0, 600)).to.equal(200);
    expect(withSemicolons.body.problems).to.deep.equal([]);
    expect(withSemicolons.body.valid).to.equal(2);
    expect(withSemicolons.body.rows).to.equal(withCommas.body.rows);

    const imported = await request(t.app).post('/api/imports?dryRun=false').set(bearer(token)).attach('file', semicolons, 'register-excel.csv');
    expect(imported.status, JSON.stringify(imported.body).slice(0, 600)).to.equal(201);
    const one = await t.ctx.models.Agreement.findOne({ code: 'SC-01' }).lean();
    // the semicolons inside a quoted value still separate parties, not columns
    expect(one!.parties.map((p) => [p.name, p.country, p.signatory?.name, p.signatory?.title])).to.deep.equal([
      ['Republik Indonesia', 'ID', 'Ida Fauziyah', 'Menteri Ketenagakerjaan'],
      ['Malaysia', 'MY', 'M. Kulasegaran', 'Menteri Sumber Manusia'],
    ]);
    expect(one!.authenticLanguages).to.deep.equal(['id', 'en']);
  });

  it('when a semicolon register holds no quotes at all, then its header is read column by column, not as one unknown column', async () => {
    const plain = rows.map((r) => ({ ...r, code: `${r.code}-P`, parties: 'Republik Indonesia [state, ID]', signatories: 'Ida Fauziyah, Menteri Ketenagakerjaan', languages: 'id' }));
    const file = Buffer.from(`${columns.join(';')}\n${plain.map((r) => columns.map((c) => r[c as keyof typeof r]).join(';')).join('\n')}\n`);
    expect(file.toString('utf8')).not.to.contain('"');
    const res = await dryRun(file, 'register.csv');
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).to.equal(200);
    expect(res.body.valid).to.equal(2);
    // a semicolon header with a misspelt column names that column alone
    const misspelt = Buffer.from(`${columns.join(';').replace('confidentiality', 'confidentialty')}\n`);
    const refused = await dryRun(misspelt, 'register.csv');
    expectError(refused, 422, 'validation_failed');
    expect(refused.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['confidentialty']);
  });

  it('when a data row breaks the quoting, then the answer says in both languages where and what is wrong, never the parser’s own text', async () => {
    // a quote in the middle of a value (a title quoting a name) without quotes round the value
    const broken = Buffer.from(`${columns.slice(0, 8).join(';')}\r\nSC-09;mou;Nota "Lama";Old;PWNI;drafting;2022-05-02;Republik Indonesia [state, ID]\r\n`);
    const res = await dryRun(broken, 'register.csv');
    expectError(res, 422, 'unprocessable');
    const [en, id] = res.body.error.message.split(' / ');
    expect(en).to.equal('Row 2, column C (title_id): a value holds a quote mark (") but does not begin with one; put the whole value in quotes and write each quote mark inside it twice ("")');
    expect(id).to.equal('Baris 2, kolom C (title_id): nilai berisi tanda kutip (") tetapi tidak diawali tanda kutip; apit seluruh nilainya dengan tanda kutip dan tulis setiap tanda kutip di dalamnya dua kali ("")');
    expect(res.body.error.details).to.deep.equal({ reason: 'csv_unreadable', row: 2 });

    const unclosed = Buffer.from(`${columns.slice(0, 8).join(',')}\nSC-10,mou,"Nota Lama,Old,PWNI,drafting,2022-05-02,Republik Indonesia [state, ID]\n`);
    const open = await dryRun(unclosed, 'register.csv');
    expectError(open, 422, 'unprocessable');
    expect(open.body.error.message).to.equal(
      'Row 2, column C (title_id): a quote mark opens the value but none closes it, so the rest of the file would be read as this one value; close the quote, or write each quote mark inside the value twice ("") / Baris 2, kolom C (title_id): tanda kutip membuka nilai ini tetapi tidak ada yang menutupnya, sehingga sisa berkas akan terbaca sebagai satu nilai ini; tutup tanda kutipnya, atau tulis setiap tanda kutip di dalam nilai dua kali ("")',
    );

    const afterQuote = Buffer.from(`${columns.slice(0, 8).join(',')}\nSC-11,mou,"Nota" Lama,Old,PWNI,drafting,2022-05-02,Republik Indonesia [state, ID]\n`);
    const stray = await dryRun(afterQuote, 'register.csv');
    expectError(stray, 422, 'unprocessable');
    expect(stray.body.error.message).to.equal(
      'Row 2, column C (title_id): a quoted value goes on after its closing quote mark; put the whole value in quotes and write each quote mark inside it twice ("") / Baris 2, kolom C (title_id): nilai bertanda kutip berlanjut sesudah tanda kutip penutupnya; apit seluruh nilainya dengan tanda kutip dan tulis setiap tanda kutip di dalamnya dua kali ("")',
    );
    for (const r of [res, open, stray]) expect(r.body.error.message).not.to.match(/Invalid|Quote Not Closed|field \d|at line/);
  });
});
