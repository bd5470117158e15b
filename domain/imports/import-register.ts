import crypto from 'node:crypto';
import { Types } from 'mongoose';
import mongoose from 'mongoose';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { CONFIDENTIALITY, ENTRY_INTO_FORCE_BASES, PARTY_KINDS, type AgreementRecord, type Party } from '../../models/agreement.js';
import type { HistoryEventRecord } from '../../models/history-event.js';
import { INSTRUMENT_TYPES, STAGES, type InstrumentType, type Stage } from '../../workflows/index.js';
import { tableFor } from '../../workflows/engine.js';
import { HQ_TIMEZONE, fromLocal, parseDate } from '../../workflows/business-days.js';
import { derivedFields } from '../agreements/derived-fields.js';
import { GENESIS_HASH, hashEvent, toPlainJson } from '../history/hash-chain.js';
import { inTransaction } from '../../lib/transaction.js';
import { REGISTER_COLUMNS } from './register-columns.js';

/**
 * Imports an existing register (CSV or XLSX, one agreement a row, columns in register-columns.ts).
 * Every row is checked first; any bad row means nothing is created, and the answer names each
 * bad row, column and reason in both languages. Otherwise all agreements are created in one
 * transaction at the stage and with the past dates the register gives, codes kept, each with an
 * `imported` history event naming the file and its SHA-256, so the board and the reports are right
 * from the first day.
 */
export interface ImportProblem {
  /** the row as the spreadsheet numbers it (the header is row 1) */
  row: number;
  column: string;
  message: { id: string; en: string };
}

export interface ImportResult {
  dryRun: boolean;
  file: { name: string; sha256: string };
  rows: number;
  valid: number;
  problems: ImportProblem[];
  /** what was created (or would be, in a dry run) */
  agreements: Array<{ row: number; code: string; type: string; stage: string; id?: string }>;
}

/** The stages after which a signing date is a fact the register must give. */
const SIGNED_STAGES: readonly Stage[] = ['signed', 'pending_ratification', 'in_force', 'expired', 'terminated', 'superseded'];
const MAX_ROWS = 20_000;
const PROGRESS_EVERY = 500;

/** Told how far an import has come (a job records it for the page's progress bar). */
export type Progress = (phase: 'checking' | 'creating', processed: number, total: number) => Promise<void> | void;

type Row = Record<string, string>;

export async function readRegister(file: { buffer: Buffer; name: string }): Promise<Row[]> {
  const isXlsx = /\.xlsx$/i.test(file.name) || file.buffer.subarray(0, 2).toString('latin1') === 'PK';
  if (isXlsx) {
    const book = new ExcelJS.Workbook();
    try {
      await book.xlsx.load(file.buffer as unknown as ArrayBuffer);
    } catch {
      throw new AppError('unprocessable', 'The file is not a readable XLSX workbook / Berkas bukan buku kerja XLSX yang dapat dibaca');
    }
    const sheet = book.getWorksheet('Data') ?? book.worksheets[0];
    if (!sheet) throw new AppError('unprocessable', 'The workbook has no sheet / Buku kerja tidak memiliki lembar');
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map((v) => String(v ?? '').trim());
    const rows: Row[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, number) => {
      if (number === 1) return;
      const out: Row = { __row: String(number) };
      header.forEach((key, i) => {
        const v = row.getCell(i + 1).value as unknown;
        out[key] = v instanceof Date ? v.toISOString().slice(0, 10) : v && typeof v === 'object' && 'text' in v ? String((v as { text: unknown }).text) : v == null ? '' : String(v);
      });
      rows.push(out);
    });
    return rows;
  }
  try {
    const records = parse(file.buffer, { bom: true, columns: (h: string[]) => h.map((c) => c.trim()), skip_empty_lines: true, relax_column_count: true, trim: true }) as Row[];
    return records.map((r, i) => ({ ...r, __row: String(i + 2) }));
  } catch (err) {
    throw new AppError('unprocessable', `The file is not readable CSV: ${(err as Error).message} / Berkas bukan CSV yang dapat dibaca`);
  }
}

const problem = (row: number, column: string, en: string, id: string): ImportProblem => ({ row, column, message: { id, en } });
const list = (v: string | undefined) => (v ?? '').split(';').map((s) => s.trim()).filter(Boolean);

/** A YYYY-MM-DD date as the start of that day in Jakarta, or a problem. */
function dateOf(row: number, column: string, value: string, today: Date, problems: ImportProblem[]): Date | undefined {
  if (!value) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || !new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)) {
    problems.push(problem(row, column, `'${value}' is not a date YYYY-MM-DD`, `'${value}' bukan tanggal YYYY-MM-DD`));
    return undefined;
  }
  const { year, month, day } = parseDate(value);
  const at = fromLocal({ year, month, day, hour: 0, minute: 0 }, HQ_TIMEZONE);
  if (column !== 'expires_on' && at > today) problems.push(problem(row, column, `${value} is in the future`, `${value} berada di masa depan`));
  return at;
}

interface Checked {
  row: number;
  record: AgreementRecord;
  indices: string[];
}

/** Checks every row; answers the agreements to create and every problem found. */
async function checkRows(ctx: DomainContext, actor: Actor, rows: Row[], progress: Progress): Promise<{ checked: Checked[]; problems: ImportProblem[] }> {
  const problems: ImportProblem[] = [];
  const checked: Checked[] = [];
  const now = ctx.clock.now();
  const codes = rows.map((r) => (r.code ?? '').trim()).filter(Boolean);
  const taken = new Set(
    (await ctx.models.Agreement.find({ code: mongoose.trusted({ $in: codes }) }, { code: 1 }).lean<Array<{ code: string }>>()).map((a) => a.code),
  );
  const knownIndices = new Set((await ctx.models.PerformanceIndex.find({}, { _id: 1 }).lean<Array<{ _id: string }>>()).map((i) => i._id));
  const seen = new Map<string, number>();
  for (const [n, r] of rows.entries()) {
    if (n % PROGRESS_EVERY === 0) await progress('checking', n, rows.length);
    const row = Number(r.__row);
    const before = problems.length;
    for (const c of REGISTER_COLUMNS) {
      if (c.required && !(r[c.key] ?? '').trim()) problems.push(problem(row, c.key, `${c.key} is required`, `${c.key} wajib diisi`));
    }
    const code = (r.code ?? '').trim();
    if (code && taken.has(code)) problems.push(problem(row, 'code', `${code} is already in the tracker`, `${code} sudah ada di pelacak`));
    if (code && seen.has(code)) problems.push(problem(row, 'code', `${code} is also on row ${seen.get(code)}`, `${code} juga ada di baris ${seen.get(code)}`));
    if (code) seen.set(code, row);
    const type = r.type as InstrumentType;
    if (r.type && !INSTRUMENT_TYPES.includes(type)) problems.push(problem(row, 'type', `'${r.type}' is not a type (${INSTRUMENT_TYPES.join(', ')})`, `'${r.type}' bukan jenis yang dikenal (${INSTRUMENT_TYPES.join(', ')})`));
    const stage = r.stage as Stage;
    if (r.stage && !STAGES.includes(stage)) problems.push(problem(row, 'stage', `'${r.stage}' is not a stage`, `'${r.stage}' bukan tahap yang dikenal`));
    else if (r.stage && INSTRUMENT_TYPES.includes(type) && ![...tableFor({ type }).stages, 'on_hold', 'abandoned'].includes(stage)) {
      problems.push(problem(row, 'stage', `a ${type} has no stage '${stage}'`, `jenis ${type} tidak memiliki tahap '${stage}'`));
    }
    const stageSince = dateOf(row, 'stage_since', r.stage_since ?? '', now, problems);
    const signedOn = dateOf(row, 'signed_on', r.signed_on ?? '', now, problems);
    const inForceOn = dateOf(row, 'in_force_on', r.in_force_on ?? '', now, problems);
    const expiresOn = dateOf(row, 'expires_on', r.expires_on ?? '', now, problems);
    if (SIGNED_STAGES.includes(stage) && !r.signed_on) problems.push(problem(row, 'signed_on', `a ${stage} agreement needs its signing date`, `perjanjian pada tahap ${stage} memerlukan tanggal penandatanganan`));
    if (stage === 'in_force' && !r.in_force_on) problems.push(problem(row, 'in_force_on', 'an agreement in force needs its date of entry into force', 'perjanjian yang berlaku memerlukan tanggal mulai berlaku'));
    if (signedOn && stageSince && SIGNED_STAGES.includes(stage) && stageSince < signedOn) problems.push(problem(row, 'stage_since', 'the stage cannot begin before the signing', 'tahap tidak dapat dimulai sebelum penandatanganan'));
    if (r.in_force_basis && !(ENTRY_INTO_FORCE_BASES as readonly string[]).includes(r.in_force_basis)) problems.push(problem(row, 'in_force_basis', `'${r.in_force_basis}' is not a basis`, `'${r.in_force_basis}' bukan dasar berlaku yang dikenal`));
    if (r.confidentiality && !(CONFIDENTIALITY as readonly string[]).includes(r.confidentiality)) problems.push(problem(row, 'confidentiality', `'${r.confidentiality}' is not public, internal or confidential`, `'${r.confidentiality}' bukan public, internal atau confidential`));
    const notice = r.notice_days ? Number(r.notice_days) : undefined;
    if (notice !== undefined && (!Number.isInteger(notice) || notice < 0 || notice > 3650)) problems.push(problem(row, 'notice_days', 'must be a whole number of days from 0 to 3650', 'harus bilangan bulat hari dari 0 sampai 3650'));
    const indices = list(r.indices);
    for (const i of indices) if (!knownIndices.has(i)) problems.push(problem(row, 'indices', `'${i}' is not a performance index`, `'${i}' bukan indeks kinerja yang dikenal`));
    const parties: Party[] = [];
    const signatories = list(r.signatories);
    list(r.parties).forEach((text, i) => {
      const m = /^(.+?)\s*\[\s*(\w+)\s*(?:,\s*([A-Za-z]{2}))?\s*\]$/.exec(text);
      if (!m || !(PARTY_KINDS as readonly string[]).includes(m[2])) {
        problems.push(problem(row, 'parties', `'${text}' is not "Name [kind, country]" with kind state, agency or organisation`, `'${text}' tidak berbentuk "Nama [jenis, negara]" dengan jenis state, agency atau organisation`));
        return;
      }
      const [sigName, ...sigTitle] = (signatories[i] ?? '').split(',').map((s) => s.trim());
      const signed = SIGNED_STAGES.includes(stage) && signedOn;
      parties.push({
        _id: new Types.ObjectId(),
        name: m[1].trim(),
        kind: m[2] as Party['kind'],
        ...(m[3] ? { country: m[3].toUpperCase() } : {}),
        ...(sigName ? { signatory: { name: sigName, ...(sigTitle.length ? { title: sigTitle.join(', ') } : {}), fullPowersRequired: false } } : {}),
        status: signed ? 'signed' : 'pending',
        statusAt: signedOn ?? stageSince ?? now,
        ...(signed ? { signature: { signedAt: signedOn, ...(r.signed_at_place ? { place: r.signed_at_place } : {}), method: 'wet_ink' as const, recordedBy: actor.id, onBehalf: true } } : {}),
      });
    });
    if (r.parties && parties.length === 0 && problems.length === before) problems.push(problem(row, 'parties', 'at least one party is needed', 'diperlukan sekurang-kurangnya satu pihak'));
    if (problems.length > before) continue;
    const base = {
      _id: new Types.ObjectId(),
      code,
      type,
      title: { id: r.title_id.trim(), en: r.title_en.trim() },
      subjects: list(r.subjects),
      leadUnit: r.lead_unit.trim(),
      confidentiality: (r.confidentiality || 'internal') as AgreementRecord['confidentiality'],
      authenticLanguages: list(r.languages).length ? list(r.languages) : ['id'],
      parties,
      stage,
      stageEnteredAt: stageSince!,
      previousStage: null,
      rounds: [],
      ...(SIGNED_STAGES.includes(stage) ? { signedAt: signedOn } : {}),
      ...(inForceOn ? { entryIntoForce: { date: inForceOn, basis: r.in_force_basis || 'on_signature' } } : {}),
      ...(expiresOn || notice !== undefined ? { term: { ...(expiresOn ? { expiresAt: expiresOn } : {}), ...(notice !== undefined ? { noticePeriodDays: notice } : {}) } } : {}),
      links: [],
      indices,
      remindersPaused: false,
      version: 1,
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
    };
    checked.push({ row, record: { ...base, ...derivedFields(base) } as AgreementRecord, indices });
  }
  return { checked, problems };
}

export async function importRegister(
  ctx: DomainContext,
  actor: Actor,
  input: { file: { buffer: Buffer; name: string }; dryRun: boolean },
  progress: Progress = () => {},
): Promise<ImportResult> {
  const sha256 = crypto.createHash('sha256').update(input.file.buffer).digest('hex');
  const rows = await readRegister(input.file);
  if (rows.length === 0) throw new AppError('unprocessable', 'The file has no rows below its header / Berkas tidak memiliki baris di bawah judul kolom');
  if (rows.length > MAX_ROWS) throw new AppError('payload_too_large', `At most ${MAX_ROWS} rows per import / Paling banyak ${MAX_ROWS} baris per impor`);
  const missing = REGISTER_COLUMNS.filter((c) => c.required && !(c.key in rows[0]));
  if (missing.length) {
    throw new AppError('validation_failed', `Missing columns: ${missing.map((c) => c.key).join(', ')} / Kolom tidak ada: ${missing.map((c) => c.key).join(', ')}`, missing.map((c) => ({ field: c.key, message: 'missing column' })));
  }
  const { checked, problems } = await checkRows(ctx, actor, rows, progress);
  const file = { name: input.file.name, sha256 };
  const result: ImportResult = {
    dryRun: input.dryRun,
    file,
    rows: rows.length,
    valid: checked.length,
    problems,
    agreements: checked.map((c) => ({ row: c.row, code: c.record.code, type: c.record.type, stage: c.record.stage })),
  };
  if (input.dryRun) return result;
  if (problems.length) {
    throw new AppError('validation_failed', `${problems.length} problems in the file; nothing was imported / ${problems.length} masalah dalam berkas; tidak ada yang diimpor`, { problems });
  }
  await progress('creating', rows.length, rows.length);
  const now = ctx.clock.now();
  const events: HistoryEventRecord[] = checked.map(({ row, record }) => {
    const fields = {
      agreementId: record._id.toHexString(),
      seq: 1,
      at: now,
      actor: { id: actor.id, email: actor.email, name: actor.name },
      role: actor.role,
      action: 'imported',
      changes: toPlainJson({ file, row, code: record.code, type: record.type, stage: record.stage, stageEnteredAt: record.stageEnteredAt, signedAt: record.signedAt ?? null, indices: record.indices }),
      prevHash: GENESIS_HASH,
    };
    return { _id: new Types.ObjectId(), ...fields, agreementId: record._id, hash: hashEvent(fields), leadUnit: record.leadUnit };
  });
  // One transaction: every agreement and its first history event, or none of them.
  await inTransaction(ctx, async (session) => {
    await ctx.models.Agreement.collection.insertMany(checked.map((c) => c.record), { session, ordered: true });
    await ctx.models.HistoryEvent.collection.insertMany(events, { session, ordered: true });
  });
  result.agreements = checked.map((c) => ({ row: c.row, code: c.record.code, type: c.record.type, stage: c.record.stage, id: c.record._id.toHexString() }));
  return result;
}
