import { expect } from 'chai';
import { isUtf8 } from 'node:buffer';
import request from 'supertest';
import { stringify } from 'csv-stringify/sync';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer } from '../support/agreements.js';
import { expectError } from '../support/errors.js';
import { ensureShippedIndices } from '../../domain/indices/shipped-indices.js';
import { REGISTER_COLUMNS } from '../../domain/imports/register-columns.js';

/**
 * A binary file named register.csv is not a register in a legacy encoding: it gets the
 * not_a_register answer (what it is, what to send instead), not "save the CSV as CSV UTF-8".
 * A real CSV saved in Windows-1252 keeps the encoding answer, which tells its sender the fix.
 */
describe('imports: a binary file named .csv is not a register, a Windows-1252 CSV is one in the wrong encoding', function () {
  let t: TestApp;
  let token: string;

  const SEND_INSTEAD_EN = 'Send the register as an XLSX workbook or a CSV file (UTF-8), one agreement a row, as the import template lays it out.';
  const SEND_INSTEAD_ID = 'Kirim register sebagai buku kerja XLSX atau berkas CSV (UTF-8), satu perjanjian per baris, seperti susunan templat impor.';

  /** Bytes that look random, the same on every run (a linear congruential generator). */
  function noise(length: number, seed = 7): Buffer {
    const out = Buffer.alloc(length);
    let x = seed;
    for (let i = 0; i < length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      out[i] = x >>> 24;
    }
    return out;
  }

  const importFile = (file: Buffer, name: string) => request(t.app).post('/api/imports?dryRun=false').set(bearer(token)).attach('file', file, name);

  async function expectNothingStored(): Promise<void> {
    expect(await t.ctx.models.Agreement.countDocuments({})).to.equal(0);
    expect(await t.ctx.models.ImportJob.countDocuments({})).to.equal(0);
  }

  before(async () => {
    t = await createTestApp({ label: 'imports_binary' });
    await ensureShippedIndices(t.ctx);
    token = (await loginAs(t, 'drafter')).token;
  });
  after(async () => t?.close());

  it('when random bytes are sent as register.csv, then 422 not_a_register says in both languages that it is not a spreadsheet or CSV and what to send, and nothing is stored', async () => {
    const bytes = noise(2048);
    expect(isUtf8(bytes), 'the fixture is not UTF-8 text').to.equal(false);
    const res = await importFile(bytes, 'register.csv');
    expectError(res, 422, 'unprocessable');
    expect(res.body.error.details).to.deep.equal({ reason: 'not_a_register', kind: 'binary' });
    expect(res.body.error.message).to.equal(
      `This file is not a spreadsheet or a CSV file: it holds binary data, not text. ${SEND_INSTEAD_EN} / Berkas ini bukan lembar kerja maupun berkas CSV: isinya data biner, bukan teks. ${SEND_INSTEAD_ID}`,
    );
    await expectNothingStored();
  });

  it('when an image of a kind people photograph or paste (BMP, ICO, HEIC, AVIF, GIF, JPEG) is sent as register.csv, then 422 not_a_register names the kind, and nothing is stored', async () => {
    const images: Array<[string, Buffer, string, string]> = [
      ['bmp', Buffer.concat([Buffer.from('BM'), Buffer.from([0x36, 0x10, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0]), noise(1000, 1)]), 'a BMP image', 'gambar BMP'],
      ['ico', Buffer.concat([Buffer.from([0, 0, 1, 0, 1, 0, 16, 16]), noise(1000, 2)]), 'an icon image (ICO)', 'gambar ikon (ICO)'],
      ['heic', Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.from([0, 0, 0, 0]), Buffer.from('mif1heic'), noise(1000, 3)]), 'a HEIC photo', 'foto HEIC'],
      ['avif', Buffer.concat([Buffer.from([0, 0, 0, 0x1c]), Buffer.from('ftypavif'), Buffer.from([0, 0, 0, 0]), Buffer.from('avifmif1miaf'), noise(1000, 4)]), 'an AVIF image', 'gambar AVIF'],
      ['gif', Buffer.concat([Buffer.from('GIF89a'), noise(1000, 5)]), 'a GIF image', 'gambar GIF'],
      ['jpeg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), Buffer.from('JFIF'), noise(1000, 6)]), 'a JPEG image', 'gambar JPEG'],
    ];
    for (const [kind, bytes, en, id] of images) {
      const res = await importFile(bytes, 'register.csv');
      expectError(res, 422, 'unprocessable');
      expect(res.body.error.details, kind).to.deep.equal({ reason: 'not_a_register', kind });
      expect(res.body.error.message, kind).to.equal(
        `This file is ${en}, not a register in CSV or XLSX. ${SEND_INSTEAD_EN} / Berkas ini adalah ${id}, bukan register dalam format CSV atau XLSX. ${SEND_INSTEAD_ID}`,
      );
    }
    await expectNothingStored();
  });

  it('when a real register is saved as a Windows-1252 CSV (é as the byte 0xE9), then it keeps the encoding answer that says to save it as CSV UTF-8, and nothing is stored', async () => {
    const row = {
      ...Object.fromEntries(REGISTER_COLUMNS.map((c) => [c.key, ''])),
      code: 'WIN-01',
      type: 'mou',
      title_id: 'Nota Kesepahaman tentang Kerja Sama Indonésia–Malaysia',
      title_en: 'Memorandum on Co-operation',
      lead_unit: 'PWNI',
      stage: 'drafting',
      stage_since: '2022-05-02',
      parties: 'Republik Indonesia [state, ID]; Malaysia [state, MY]',
      confidentiality: 'internal',
    };
    const text = stringify([row], { header: true, columns: REGISTER_COLUMNS.map((c) => c.key), record_delimiter: 'windows' });
    // Windows-1252: é is 0xE9 and the en dash 0x96 (latin1 would not write the dash)
    const bytes = Buffer.from(text.replace('–', '\u0096'), 'latin1');
    expect(bytes.includes(0xe9)).to.equal(true);
    const res = await importFile(bytes, 'register.csv');
    expectError(res, 422, 'unprocessable');
    expect(res.body.error.details).to.deep.equal({ reason: 'not_utf8' });
    expect(res.body.error.message).to.equal(
      'The file is not UTF-8 text: save the CSV as "CSV UTF-8" (or export XLSX) / Berkas bukan teks UTF-8: simpan CSV sebagai "CSV UTF-8" (atau ekspor XLSX)',
    );
    await expectNothingStored();
  });

  it('when a register is saved as UTF-16 without its byte-order mark, then it too keeps the encoding answer (its NUL bytes do not make it binary)', async () => {
    const text = stringify([{ code: 'U16-01', title_id: 'Kerja Sama Indonésia' }], { header: true, columns: ['code', 'title_id'] });
    const res = await importFile(Buffer.from(text, 'utf16le'), 'register.csv');
    expectError(res, 422, 'unprocessable');
    expect(res.body.error.details).to.deep.equal({ reason: 'not_utf8' });
    await expectNothingStored();
  });
});
