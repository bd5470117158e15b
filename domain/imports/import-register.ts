import crypto from 'node:crypto';
import mongoose, { Types, type ClientSession } from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { AGREEMENT_LIMITS as LIMITS, CODE_PATTERN, CONFIDENTIALITY, ENTRY_INTO_FORCE_BASES, PARTY_KINDS, UNIT_PATTERN, type AgreementRecord, type Party } from '../../models/agreement.js';
import type { HistoryEventRecord } from '../../models/history-event.js';
import { INSTRUMENT_TYPES, STAGES, tableFor, workflowOf, type GuardId, type InstrumentType, type Stage } from '../../workflows/index.js';
import { HQ_TIMEZONE, fromLocal, localDate, parseDate, type BusinessCalendar } from '../../workflows/business-days.js';
import { COUNTRY_RULE, countryCode } from '../agreements/country-codes.js';
import { derivedFields, stageDueAt } from '../agreements/derived-fields.js';
import { loadBusinessCalendar } from '../deadlines/business-calendar.js';
import { leadUnitDraftersLookup, type Drafter } from '../deadlines/stage-recipients.js';
import { syncSigningDeadlines } from '../deadlines/sync-signing-deadlines.js';
import { syncStageDeadlines } from '../deadlines/sync-stage-deadlines.js';
import { loadReminderPolicy } from '../deadlines/schedule.js';
import type { DeadlineRecord } from '../../models/deadline.js';
import { TYPE_LABELS } from '../deadlines/labels.js';
import { GENESIS_HASH, hashEvent, toPlainJson } from '../history/hash-chain.js';
import { inTransaction } from '../../lib/transaction.js';
import { REGISTER_COLUMNS } from './register-columns.js';
import { readRegisterDate } from './register-dates.js';
import type { Register } from './read-register.js';
import { DATE_WINDOW } from '../date-window.js';
import { BIDI_OVERRIDE, CONTROL_IN_LINE, LONE_SURROGATE } from '../text-rules.js';
import { unmetAtImportedStage } from './import-guards.js';
import { mayLeadIn } from '../agreements/lead-unit-rules.js';
import { isInstrumentType, quotedStage, stageFromRegister, stageList, stagesOfPath } from './register-stages.js';

/**
 * Imports an existing register (CSV or XLSX, one agreement a row, columns in register-columns.ts).
 * Every row is checked first; any bad row means nothing is created, and the answer names each
 * bad row, column and reason in both languages. A row is held to what the workflow would have
 * required on the way to its stage (import-guards.ts). Otherwise all agreements are created in one
 * transaction at the stage and with the past dates the register gives, codes kept, each with an
 * `imported` history event naming the file and its SHA-256 and with the deadlines a move into its
 * stage opens (counted from stage_since), so the board and the reports are right from the first day.
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
/**
 * How often the check and the creating report their progress: every 500 rows at most, and at
 * least twenty times a register (a register of a few hundred rows would otherwise say "row 0 of
 * 300" until it is done).
 */
const PROGRESS_EVERY = 500;
const PROGRESS_STEPS = 20;

/** The uploaded file, and, when the route has read it already (to refuse a bad file before answering), what it read. */
export interface ImportInput {
  file: { buffer: Buffer; name: string };
  dryRun: boolean;
  register?: Register;
}

/**
 * Told how far an import has come (a job records it for the page's progress bar): rows checked,
 * then agreements written, each phase counting from 0 towards its total.
 */
export type Progress = (phase: 'checking' | 'creating', processed: number, total: number) => Promise<void> | void;

const problem = (row: number, column: string, en: string, id: string): ImportProblem => ({ row, column, message: { id, en } });
const list = (v: string | undefined) => (v ?? '').split(';').map((s) => s.trim()).filter(Boolean);

/** A date as a register writes it (register-dates.ts) as the start of that day in Jakarta, or a problem. */
function dateOf(row: number, column: string, value: string, today: Date, problems: ImportProblem[]): Date | undefined {
  if (!value) return undefined;
  const read = readRegisterDate(value);
  if ('problem' in read) {
    problems.push(problem(row, column, read.problem.en, read.problem.id));
    return undefined;
  }
  const { day } = read;
  const shown = day === value ? day : `${value} (${day})`;
  if (day < DATE_WINDOW.from || day > DATE_WINDOW.to) {
    problems.push(problem(row, column, `${shown} lies outside ${DATE_WINDOW.from}..${DATE_WINDOW.to}`, `${shown} berada di luar ${DATE_WINDOW.from}..${DATE_WINDOW.to}`));
    return undefined;
  }
  const at = fromLocal({ ...parseDate(day), hour: 0, minute: 0 }, HQ_TIMEZONE);
  if (column !== 'expires_on' && at > today) problems.push(problem(row, column, `${shown} is in the future`, `${shown} berada di masa depan`));
  return at;
}

interface Checked {
  row: number;
  record: AgreementRecord;
  indices: string[];
}

/**
 * A language code as the agreement API takes it (two or three letters) that names a language:
 * 'xx' does not. A three-letter or outdated code with a two-letter ISO 639-1 form ('ind', 'in')
 * is refused with that form, since the uploads of final texts name their language by it.
 */
const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
function languageProblem(code: string): { en: string; id: string } | undefined {
  const known = /^[a-z]{2,3}$/.test(code) && LANGUAGE_NAMES.of(code) !== undefined;
  if (!known) {
    return {
      en: `'${code}' is not a language code: write ISO 639-1 codes such as id, en, ms or ar, separated by semicolons`,
      id: `'${code}' bukan kode bahasa: tulis kode ISO 639-1 seperti id, en, ms atau ar, dipisah titik koma`,
    };
  }
  const canonical = Intl.getCanonicalLocales(code)[0];
  if (canonical !== code && canonical.length === 2) return { en: `write '${canonical}' for '${code}' (ISO 639-1)`, id: `tulis '${canonical}' untuk '${code}' (ISO 639-1)` };
  return undefined;
}

/** Where a register keeper mends what a guard finds missing. */
const GUARD_COLUMN: Partial<Record<GuardId, string>> = { signatories: 'signatories', entry_into_force: 'in_force_on' };

/**
 * The text rules of the API's edge (domain/text-rules.ts), cell by cell: every register column is a
 * one-line field. Answers the problem, or undefined and the text in NFC.
 */
function cellProblem(value: string): { en: string; id: string } | undefined {
  if (LONE_SURROGATE.test(value)) return { en: 'the text is not well-formed Unicode', id: 'teks bukan Unicode yang sah' };
  if (CONTROL_IN_LINE.test(value)) return { en: 'the text holds a control character (such as NUL or an escape)', id: 'teks berisi karakter kendali (seperti NUL atau escape)' };
  if (BIDI_OVERRIDE.test(value)) return { en: 'the text holds a bidirectional override (U+202D or U+202E), which shows it differently from what is stored', id: 'teks berisi penimpa arah tulisan (U+202D atau U+202E), yang menampilkannya berbeda dari yang tersimpan' };
  return undefined;
}

/** A problem when a text is longer than the API allows for that field. */
function tooLong(row: number, column: string, text: string, max: number, problems: ImportProblem[], what = { en: 'the text', id: 'teks' }): void {
  if (text.length > max) problems.push(problem(row, column, `${what.en} has ${text.length} characters; at most ${max}`, `${what.id} berisi ${text.length} karakter; paling banyak ${max}`));
}

/** Checks every row; answers the agreements to create and every problem found. */
async function checkRows(ctx: DomainContext, actor: Actor, register: Register, calendar: BusinessCalendar, progress: Progress): Promise<{ checked: Checked[]; problems: ImportProblem[] }> {
  const { rows } = register;
  const readingProblems = new Map<number, ImportProblem[]>();
  for (const p of register.problems) readingProblems.set(p.row, [...(readingProblems.get(p.row) ?? []), p]);
  const problems: ImportProblem[] = [];
  const checked: Checked[] = [];
  const now = ctx.clock.now();
  const today = fromLocal({ ...parseDate(localDate(now, HQ_TIMEZONE)), hour: 0, minute: 0 }, HQ_TIMEZONE);
  // Codes are compared in upper case, as the API stores them; one stored in another case before
  // this rule (an older import) still counts as taken.
  const codes = rows.map((r) => (r.code ?? '').trim().toUpperCase()).filter(Boolean);
  const taken = new Set(
    (
      await ctx.models.Agreement.find({ $or: [{ code: mongoose.trusted({ $in: codes }) }, { code: mongoose.trusted({ $regex: '[a-z]' }) }] }, { code: 1 }).lean<Array<{ code: string }>>()
    ).map((a) => a.code.toUpperCase()),
  );
  const knownIndices = new Set((await ctx.models.PerformanceIndex.find({}, { _id: 1 }).lean<Array<{ _id: string }>>()).map((i) => i._id));
  const seen = new Map<string, number>();
  const every = Math.max(1, Math.min(PROGRESS_EVERY, Math.ceil(rows.length / PROGRESS_STEPS)));
  for (const [n, r] of rows.entries()) {
    if (n % every === 0) await progress('checking', n, rows.length);
    const row = Number(r.__row);
    const before = problems.length;
    const unreadable = readingProblems.get(row) ?? [];
    problems.push(...unreadable);
    for (const c of REGISTER_COLUMNS) {
      const value = r[c.key] ?? '';
      const wrong = cellProblem(value);
      if (wrong) problems.push(problem(row, c.key, wrong.en, wrong.id));
      else r[c.key] = value.normalize('NFC');
    }
    for (const c of REGISTER_COLUMNS) {
      // a cell that could not be read (a formula) has its problem already: it is not also "required"
      if (c.required && !(r[c.key] ?? '').trim() && !unreadable.some((p) => p.column === c.key)) problems.push(problem(row, c.key, `${c.key} is required`, `${c.key} wajib diisi`));
    }
    const code = (r.code ?? '').trim().toUpperCase();
    if (code && !CODE_PATTERN.test(code)) {
      problems.push(problem(row, 'code', `'${r.code}' is not a code: 3 to 41 letters, digits and hyphens, beginning with a letter or digit (e.g. MOU-MY-2019-02)`, `'${r.code}' bukan kode: 3 sampai 41 huruf, angka dan tanda hubung, diawali huruf atau angka (mis. MOU-MY-2019-02)`));
    }
    if (code && taken.has(code)) problems.push(problem(row, 'code', `${code} is already in the tracker`, `${code} sudah ada di pelacak`));
    if (code && seen.has(code)) problems.push(problem(row, 'code', `${code} is also on row ${seen.get(code)}`, `${code} juga ada di baris ${seen.get(code)}`));
    if (code) seen.set(code, row);
    const type = r.type as InstrumentType;
    const typeKnown = isInstrumentType(r.type ?? '');
    if (r.type && !typeKnown) problems.push(problem(row, 'type', `'${r.type}' is not a type (${INSTRUMENT_TYPES.join(', ')})`, `'${r.type}' bukan jenis yang dikenal (${INSTRUMENT_TYPES.join(', ')})`));
    // A stage may be written as its code or as the interface shows it ("Penyusunan draf", "In force").
    const stage = stageFromRegister(r.stage ?? '') as Stage;
    const stageSince = dateOf(row, 'stage_since', r.stage_since ?? '', now, problems);
    const signedOn = dateOf(row, 'signed_on', r.signed_on ?? '', now, problems);
    const inForceOn = dateOf(row, 'in_force_on', r.in_force_on ?? '', now, problems);
    const expiresOn = dateOf(row, 'expires_on', r.expires_on ?? '', now, problems);
    if (stage && SIGNED_STAGES.includes(stage) && !r.signed_on) {
      const q = quotedStage(stage);
      problems.push(problem(row, 'signed_on', `At the stage ${q.en} an agreement needs its date of signing`, `Perjanjian pada tahap ${q.id} memerlukan tanggal penandatanganan`));
    }
    if (signedOn && stageSince && (SIGNED_STAGES.includes(stage) || stage === 'partially_signed') && stageSince < signedOn) problems.push(problem(row, 'stage_since', 'the stage cannot begin before the signing', 'tahap tidak dapat dimulai sebelum penandatanganan'));
    if (signedOn && inForceOn && inForceOn < signedOn) {
      problems.push(problem(row, 'in_force_on', `The entry into force (${r.in_force_on}) cannot come before the signing (${r.signed_on})`, `Tanggal mulai berlaku (${r.in_force_on}) tidak boleh sebelum tanggal penandatanganan (${r.signed_on})`));
    }
    const start = inForceOn ? { at: inForceOn, text: r.in_force_on, en: 'the entry into force', id: 'tanggal mulai berlaku' } : signedOn ? { at: signedOn, text: r.signed_on, en: 'the signing', id: 'tanggal penandatanganan' } : undefined;
    if (expiresOn && start && expiresOn <= start.at) {
      problems.push(problem(row, 'expires_on', `The term cannot end (${r.expires_on}) on or before ${start.en} (${start.text})`, `Masa berlaku tidak dapat berakhir (${r.expires_on}) pada atau sebelum ${start.id} (${start.text})`));
    } else if (expiresOn && stage === 'in_force' && expiresOn < today) {
      // A register keeper whose list still says "in force" for a term that has run out has either
      // not recorded the expiry or not recorded an extension: only they know which, so ask.
      const q = quotedStage('expired');
      problems.push(
        problem(
          row,
          'expires_on',
          `The term ended on ${r.expires_on}, so the agreement is no longer in force: write the stage as expired (${q.en}), or, if the term was extended, give the new end date in expires_on`,
          `Masa berlaku berakhir pada ${r.expires_on}, jadi perjanjian tidak lagi berlaku: tulis tahapnya expired (${q.id}), atau, jika masa berlakunya diperpanjang, isi expires_on dengan tanggal berakhir yang baru`,
        ),
      );
    }
    tooLong(row, 'title_id', (r.title_id ?? '').trim(), LIMITS.title, problems);
    tooLong(row, 'title_en', (r.title_en ?? '').trim(), LIMITS.title, problems);
    tooLong(row, 'signed_at_place', (r.signed_at_place ?? '').trim(), LIMITS.place, problems);
    const witnesses = list(r.signed_witnesses);
    for (const [i, text] of witnesses.entries()) tooLong(row, 'signed_witnesses', text, LIMITS.witness, problems, { en: `witness ${i + 1}`, id: `saksi ${i + 1}` });
    if (witnesses.length > LIMITS.witnesses) problems.push(problem(row, 'signed_witnesses', `${witnesses.length} witnesses; at most ${LIMITS.witnesses}`, `${witnesses.length} saksi; paling banyak ${LIMITS.witnesses}`));
    if (new Set(witnesses).size < witnesses.length) problems.push(problem(row, 'signed_witnesses', 'a witness is written twice', 'ada saksi yang ditulis dua kali'));
    // A column is never silently dropped: the date, place and witnesses of a signing belong to a
    // signature the row records, and a row at a stage before any signing records none.
    const reached = (stage === 'on_hold' ? stageFromRegister(r.held_from ?? '') : stage) as Stage | undefined;
    if (reached && !SIGNED_STAGES.includes(reached) && reached !== 'partially_signed') {
      const q = quotedStage(reached);
      for (const column of UNSIGNED_COLUMNS) {
        // an unreadable date is already a problem of its cell
        if (!(r[column.key] ?? '').trim() || problems.some((p) => p.row === row && p.column === column.key)) continue;
        problems.push(problem(row, column.key, `At the stage ${q.en} no one has signed yet, so there is no ${column.en}; leave it empty, or write the stage the agreement has reached`, `Pada tahap ${q.id} belum ada yang menandatangani, jadi belum ada ${column.id}; kosongkan, atau tulis tahap yang sudah dicapai perjanjian ini`));
      }
    }
    const leadUnit = (r.lead_unit ?? '').trim();
    if (leadUnit && !UNIT_PATTERN.test(leadUnit)) {
      problems.push(problem(row, 'lead_unit', `'${leadUnit}' is not a unit: up to 40 letters, digits, spaces, dots, hyphens or underscores, beginning with a letter or digit (e.g. PWNI)`, `'${leadUnit}' bukan unit: paling banyak 40 huruf, angka, spasi, titik, tanda hubung atau garis bawah, diawali huruf atau angka (mis. PWNI)`));
    } else if (leadUnit && !mayLeadIn(actor, leadUnit)) {
      // as for a new agreement: placing one under another unit is an administrator's act
      problems.push(problem(row, 'lead_unit', `Only an administrator may import agreements led by another unit (${leadUnit}); you belong to ${actor.unit}`, `Hanya administrator yang dapat mengimpor perjanjian dengan unit penanggung jawab lain (${leadUnit}); Anda anggota unit ${actor.unit}`));
    }
    if (r.in_force_basis && !(ENTRY_INTO_FORCE_BASES as readonly string[]).includes(r.in_force_basis)) problems.push(problem(row, 'in_force_basis', `'${r.in_force_basis}' is not a basis`, `'${r.in_force_basis}' bukan dasar berlaku yang dikenal`));
    r.confidentiality = (r.confidentiality ?? '').trim().toLowerCase();
    if (r.confidentiality && !(CONFIDENTIALITY as readonly string[]).includes(r.confidentiality)) problems.push(problem(row, 'confidentiality', `'${r.confidentiality}' is not public, internal or confidential`, `'${r.confidentiality}' bukan public, internal atau confidential`));
    const notice = r.notice_days ? Number(r.notice_days) : undefined;
    if (notice !== undefined && (!Number.isInteger(notice) || notice < 0 || notice > LIMITS.noticeDays)) problems.push(problem(row, 'notice_days', `must be a whole number of days from 0 to ${LIMITS.noticeDays}`, `harus bilangan bulat hari dari 0 sampai ${LIMITS.noticeDays}`));
    const indices = list(r.indices);
    for (const i of indices) if (!knownIndices.has(i)) problems.push(problem(row, 'indices', `'${i}' is not a performance index`, `'${i}' bukan indeks kinerja yang dikenal`));
    const subjects = list(r.subjects);
    for (const text of subjects) tooLong(row, 'subjects', text, LIMITS.subject, problems, { en: `the subject '${text.slice(0, 40)}…'`, id: `pokok bahasan '${text.slice(0, 40)}…'` });
    if (subjects.length > LIMITS.subjects) problems.push(problem(row, 'subjects', `${subjects.length} subjects; at most ${LIMITS.subjects}`, `${subjects.length} pokok bahasan; paling banyak ${LIMITS.subjects}`));
    if (new Set(subjects).size < subjects.length) problems.push(problem(row, 'subjects', 'a subject is written twice', 'ada pokok bahasan yang ditulis dua kali'));
    const languages = list(r.languages).map((l) => l.toLowerCase());
    if (languages.length > LIMITS.languages) problems.push(problem(row, 'languages', `${languages.length} languages; at most ${LIMITS.languages}`, `${languages.length} bahasa; paling banyak ${LIMITS.languages}`));
    if (new Set(languages).size < languages.length) problems.push(problem(row, 'languages', 'a language is written twice', 'ada bahasa yang ditulis dua kali'));
    for (const l of languages) {
      const wrong = languageProblem(l);
      if (wrong) problems.push(problem(row, 'languages', wrong.en, wrong.id));
    }
    const parties: Party[] = [];
    const signatories = list(r.signatories);
    let partiesRead = true;
    const partyTexts = list(r.parties);
    if (partyTexts.length > LIMITS.parties) {
      partiesRead = false;
      problems.push(problem(row, 'parties', `${partyTexts.length} parties; at most ${LIMITS.parties}`, `${partyTexts.length} pihak; paling banyak ${LIMITS.parties}`));
    }
    // A signatory beyond the last party would be dropped without a word: it is a shifted list.
    if (signatories.length > partyTexts.length) {
      problems.push(problem(row, 'signatories', `${signatories.length} signatories for ${partyTexts.length} parties: give one per party, in the order of the parties`, `${signatories.length} penanda tangan untuk ${partyTexts.length} pihak: tulis satu untuk tiap pihak, sesuai urutan pihak`));
    }
    partyTexts.slice(0, LIMITS.parties).forEach((text, i) => {
      const m = /^(.+?)\s*\[\s*(\w+)\s*(?:,\s*([A-Za-z]{2,3}))?\s*\]$/.exec(text);
      if (!m || !(PARTY_KINDS as readonly string[]).includes(m[2])) {
        partiesRead = false;
        problems.push(problem(row, 'parties', `'${text}' is not "Name [kind, country]" with kind state, agency or organisation`, `'${text}' tidak berbentuk "Nama [jenis, negara]" dengan jenis state, agency atau organisation`));
        return;
      }
      const country = m[3] ? countryCode(m[3]) : undefined;
      if (m[3] && !country) {
        problems.push(problem(row, 'parties', `'${m[3]}' in '${text}' ${COUNTRY_RULE.en}`, `'${m[3]}' pada '${text}' ${COUNTRY_RULE.id}`));
      }
      const [sigName, ...sigTitle] = (signatories[i] ?? '').split(',').map((s) => s.trim());
      tooLong(row, 'parties', m[1].trim(), LIMITS.partyName, problems, { en: `the name of party ${i + 1}`, id: `nama pihak ${i + 1}` });
      tooLong(row, 'signatories', sigName ?? '', LIMITS.signatoryName, problems, { en: `the name of signatory ${i + 1}`, id: `nama penanda tangan ${i + 1}` });
      tooLong(row, 'signatories', sigTitle.join(', '), LIMITS.signatoryTitle, problems, { en: `the title of signatory ${i + 1}`, id: `jabatan penanda tangan ${i + 1}` });
      const signed = SIGNED_STAGES.includes(stage) && signedOn;
      parties.push({
        _id: new Types.ObjectId(),
        name: m[1].trim(),
        kind: m[2] as Party['kind'],
        ...(country ? { country } : {}),
        ...(sigName ? { signatory: { name: sigName, ...(sigTitle.length ? { title: sigTitle.join(', ') } : {}), fullPowersRequired: false } } : {}),
        status: signed ? 'signed' : 'pending',
        statusAt: signedOn ?? stageSince ?? now,
        ...(signed ? { signature: importedSignature(r, signedOn, actor) } : {}),
      });
    });
    // on hold, the signatures are those of the stage it was held at (resuming returns it there)
    const signingStage = stage === 'on_hold' ? (stageFromRegister(r.held_from ?? '') ?? stage) : stage;
    markSignedBy(row, r, signingStage, partiesRead ? parties : undefined, signedOn, actor, problems);
    if (r.parties && parties.length === 0 && problems.length === before) problems.push(problem(row, 'parties', 'at least one party is needed', 'diperlukan sekurang-kurangnya satu pihak'));
    // The parties decide the path (an MoU between Indonesian institutions follows the domestic
    // one); while they cannot be read, the type's usual path is the best guess.
    const subject = typeKnown ? { type, ...(partiesRead && parties.length ? { parties } : {}) } : undefined;
    const allowed = subject ? stagesOfPath(subject) : [...STAGES];
    const typeName = typeKnown ? TYPE_LABELS[type] : undefined;
    if (r.stage && !stage) {
      problems.push(
        problem(
          row,
          'stage',
          `'${r.stage}' is not a stage. Write a code or its name; ${typeName ? `the stages for the type ${typeName.en} are` : 'the stages are'}: ${stageList(allowed, 'en')}`,
          `'${r.stage}' bukan tahap yang dikenal. Tulis kode atau nama tahapnya; ${typeName ? `tahap untuk jenis ${typeName.id}` : 'tahap yang ada'}: ${stageList(allowed, 'id')}`,
        ),
      );
    } else if (stage && typeName && !allowed.includes(stage)) {
      const q = quotedStage(stage);
      const domestic = subject?.parties && workflowOf(subject) === 'domestic' && type !== 'cooperation_agreement';
      problems.push(
        problem(
          row,
          'stage',
          `The type ${typeName.en} has no stage ${q.en}${domestic ? ' when all its parties are Indonesian' : ''}. Its stages are: ${stageList(allowed, 'en')}`,
          `Jenis ${typeName.id} tidak memiliki tahap ${q.id}${domestic ? ' jika semua pihaknya Indonesia' : ''}. Tahapnya: ${stageList(allowed, 'id')}`,
        ),
      );
    }
    // The stage rules are checked even when the row has other problems, so that every problem of
    // the row is listed at once; they need a stage on the row's path and parties that could be read.
    if (!stage || !typeKnown || !partiesRead || !allowed.includes(stage)) continue;
    const heldFrom = heldFromOf(row, r.held_from ?? '', stage, tableFor(subject!).preSigning, problems);
    const base = {
      _id: new Types.ObjectId(),
      code,
      type,
      title: { id: (r.title_id ?? '').trim(), en: (r.title_en ?? '').trim() },
      subjects,
      leadUnit,
      confidentiality: (r.confidentiality || 'internal') as AgreementRecord['confidentiality'],
      authenticLanguages: languages.length ? languages : ['id'],
      parties,
      stage,
      stageEnteredAt: stageSince ?? now,
      // The same rule a stage move uses, counted from the day the register says the stage began:
      // an agreement in drafting since 2022 is overdue from its first day in the tracker.
      stageDueAt: stageSince ? stageDueAt({ type, parties }, stage, stageSince, calendar) : null,
      previousStage: heldFrom,
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
    const record = { ...base, ...derivedFields(base) } as AgreementRecord;
    // What a stage move to this stage would have required (a signatory for every party before
    // signing, the date of entry into force...), checked with the workflow's own guards.
    // On hold, it must meet what the stage it resumes to requires: resuming checks nothing more.
    const heldAt = heldFrom ?? stage;
    const q = quotedStage(heldAt);
    for (const u of await unmetAtImportedStage(ctx, { ...record, stage: heldAt })) {
      const column = GUARD_COLUMN[u.guard] ?? 'stage';
      // a column the row's own checks already faulted (a bad date, one before the signing) is not faulted twice
      if (problems.slice(before).some((p) => p.row === row && p.column === column)) continue;
      problems.push(problem(row, column, `${u.message.en} (a condition of the stage ${q.en})`, `${u.message.id} (syarat tahap ${q.id})`));
    }
    if (problems.length > before) continue;
    checked.push({ row, record, indices });
  }
  return { checked, problems };
}

/**
 * A partially signed agreement's signatures: the parties named in signed_by signed on signed_on.
 * Only that stage needs them (from `signed` on every party has signed, before it none), and at
 * least one party but not all of them must be named, each as the parties column names it.
 */
/** The columns about a signing, and what each names, for a row at a stage before any signing. */
const UNSIGNED_COLUMNS = [
  { key: 'signed_on', en: 'date of signing', id: 'tanggal penandatanganan' },
  { key: 'signed_at_place', en: 'place of signing', id: 'tempat penandatanganan' },
  { key: 'signed_witnesses', en: 'signing to have witnessed', id: 'penandatanganan yang disaksikan' },
] as const;

/** A party's signature as the row gives it: on signed_on, at signed_at_place, witnessed by signed_witnesses, recorded on the party's behalf. */
function importedSignature(r: Record<string, string>, signedOn: Date, actor: Actor): NonNullable<Party['signature']> {
  const witnesses = list(r.signed_witnesses);
  return { signedAt: signedOn, ...(r.signed_at_place ? { place: r.signed_at_place } : {}), method: 'wet_ink', ...(witnesses.length ? { witnesses } : {}), recordedBy: actor.id, onBehalf: true };
}

function markSignedBy(row: number, r: Record<string, string>, stage: Stage, parties: Party[] | undefined, signedOn: Date | undefined, actor: Actor, problems: ImportProblem[]): void {
  const names = list(r.signed_by);
  if (!stage) return;
  const q = quotedStage('partially_signed');
  if (stage !== 'partially_signed') {
    if (names.length) problems.push(problem(row, 'signed_by', `signed_by is only for the stage ${q.en}: from “Signed” on every party has signed, and before it none has; leave it empty`, `signed_by hanya untuk tahap ${q.id}: mulai tahap “Ditandatangani” semua pihak sudah menandatangani, dan sebelumnya belum ada yang menandatangani; kosongkan`));
    return;
  }
  if (!names.length) {
    problems.push(problem(row, 'signed_by', `At the stage ${q.en} name the parties that have signed, as the parties column names them`, `Pada tahap ${q.id} sebutkan pihak yang sudah menandatangani, seperti ditulis di kolom parties`));
    return;
  }
  if (!r.signed_on) problems.push(problem(row, 'signed_on', `At the stage ${q.en} give the date the parties in signed_by signed`, `Pada tahap ${q.id} isi tanggal penandatanganan oleh pihak di signed_by`));
  if (!parties) return;
  const key = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');
  const named = new Set<Party>();
  for (const name of names) {
    const party = parties.find((p) => key(p.name) === key(name));
    if (party) named.add(party);
    else problems.push(problem(row, 'signed_by', `'${name}' is not one of the parties: ${parties.map((p) => p.name).join(', ')}`, `'${name}' bukan salah satu pihak: ${parties.map((p) => p.name).join(', ')}`));
  }
  if (named.size === parties.length) {
    const signed = quotedStage('signed');
    problems.push(problem(row, 'signed_by', `Every party has signed: write the stage as signed (${signed.en})`, `Semua pihak sudah menandatangani: tulis tahapnya signed (${signed.id})`));
  }
  if (!signedOn) return;
  for (const p of named) {
    p.status = 'signed';
    p.statusAt = signedOn;
    p.signature = importedSignature(r, signedOn, actor);
  }
}

/**
 * The stage an agreement on hold was put on hold at, which resuming returns it to: required for a
 * row at on_hold (without it the agreement could never resume), one of the stages on_hold may be
 * entered from, and for no other stage.
 */
function heldFromOf(row: number, text: string, stage: Stage, holdable: readonly Stage[], problems: ImportProblem[]): Stage | null {
  const q = quotedStage('on_hold');
  if (stage !== 'on_hold') {
    if (text.trim()) problems.push(problem(row, 'held_from', `held_from is only for the stage ${q.en}; leave it empty`, `held_from hanya untuk tahap ${q.id}; kosongkan`));
    return null;
  }
  if (!text.trim()) {
    problems.push(problem(row, 'held_from', `An agreement at the stage ${q.en} needs the stage it was put on hold at, which resuming returns it to: ${stageList(holdable, 'en')}`, `Perjanjian pada tahap ${q.id} memerlukan tahap saat perjanjian ditangguhkan, yang menjadi tujuan saat dilanjutkan: ${stageList(holdable, 'id')}`));
    return null;
  }
  const from = stageFromRegister(text);
  if (!from || !holdable.includes(from)) {
    problems.push(problem(row, 'held_from', `'${text}' is not a stage this agreement can be put on hold at. Write one of: ${stageList(holdable, 'en')}`, `'${text}' bukan tahap tempat perjanjian ini dapat ditangguhkan. Tulis salah satu dari: ${stageList(holdable, 'id')}`));
    return null;
  }
  return from;
}

/**
 * The lead units' drafters, who are reminded of a stage's deadline, read once per unit (the
 * lookup applyStageChange reads them with) rather than once per imported agreement.
 */
async function draftersByUnit(ctx: DomainContext, records: AgreementRecord[], session: ClientSession): Promise<Map<string, Drafter[]>> {
  const oneOfUnit = new Map<string, Types.ObjectId>();
  for (const r of records) if (!oneOfUnit.has(r.leadUnit)) oneOfUnit.set(r.leadUnit, r._id);
  const rows = await ctx.models.Agreement.aggregate<{ leadUnit: string; drafters: Drafter[] }>([
    { $match: { _id: { $in: [...oneOfUnit.values()] } } },
    { $project: { leadUnit: 1 } },
    leadUnitDraftersLookup(ctx),
  ]).session(session);
  return new Map(rows.map((r) => [r.leadUnit, r.drafters]));
}

export async function importRegister(
  ctx: DomainContext,
  actor: Actor,
  input: ImportInput,
  progress: Progress = () => {},
): Promise<ImportResult> {
  const sha256 = crypto.createHash('sha256').update(input.file.buffer).digest('hex');
  const register = input.register ?? (await ctx.services.registerReader.read(input.file));
  const { rows } = register;
  if (rows.length === 0) throw new AppError('unprocessable', 'The file has no rows below its header / Berkas tidak memiliki baris di bawah judul kolom');
  const calendar = await loadBusinessCalendar(ctx);
  const { checked, problems } = await checkRows(ctx, actor, register, calendar, progress);
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
  const now = ctx.clock.now();
  const events: HistoryEventRecord[] = checked.map(({ row, record }) => {
    const fields = {
      agreementId: record._id.toHexString(),
      seq: 1,
      at: now,
      actor: { id: actor.id, email: actor.email, name: actor.name },
      role: actor.role,
      action: 'imported',
      // what the register said, as a created event records it: the chain shows every imported fact a reader later sees
      changes: toPlainJson({
        file,
        row,
        code: record.code,
        type: record.type,
        title: record.title,
        leadUnit: record.leadUnit,
        confidentiality: record.confidentiality,
        parties: record.parties.map((p) => ({ id: p._id, name: p.name, kind: p.kind, country: p.country ?? null, signatory: p.signatory ?? null, status: p.status, signature: p.signature ?? null })),
        stage: record.stage,
        ...(record.previousStage ? { heldFrom: record.previousStage } : {}),
        stageEnteredAt: record.stageEnteredAt,
        stageDueAt: record.stageDueAt ?? null,
        signedAt: record.signedAt ?? null,
        entryIntoForce: record.entryIntoForce ?? null,
        term: record.term ?? null,
        authenticLanguages: record.authenticLanguages,
        indices: record.indices,
      }),
      prevHash: GENESIS_HASH,
    };
    return { _id: new Types.ObjectId(), ...fields, agreementId: record._id, hash: hashEvent(fields), leadUnit: record.leadUnit };
  });
  // One transaction: every agreement, its first history event and its deadlines, or none of them.
  // Written in parts, each reported before it starts, so that a job's bar moves through the
  // creating as it does through the check, and is full only once the transaction has committed.
  const total = checked.length;
  const part = Math.max(1, Math.min(PROGRESS_EVERY, Math.ceil(total / PROGRESS_STEPS)));
  await inTransaction(ctx, async (session) => {
    // a retried transaction starts again from nothing, its drafters and reminder schedule read again with it
    const drafters = new Map<string, Drafter[]>();
    const policy = await loadReminderPolicy(ctx, session);
    for (let from = 0; from < total; from += part) {
      await progress('creating', from, total);
      const records = checked.slice(from, from + part).map((c) => c.record);
      await ctx.models.Agreement.collection.insertMany(records, { session, ordered: true });
      await ctx.models.HistoryEvent.collection.insertMany(events.slice(from, from + part), { session, ordered: true });
      const unread = records.filter((r) => !drafters.has(r.leadUnit));
      if (unread.length) for (const [unit, ofUnit] of await draftersByUnit(ctx, unread, session)) drafters.set(unit, ofUnit);
      const opened: DeadlineRecord[] = [];
      for (const agreement of records) {
        // Arriving at its stage is a stage change, as for createAgreement: the same deadline rules
        // open the stage's deadline (and, awaiting signature, one per party; in force, the expiry).
        // A register brings years of deadlines already past: they show as overdue, without a burst of mail on import day.
        const change = { agreementId: String(agreement._id), agreement, from: '', to: agreement.stage, actor, at: now, calendar, known: { deadlines: [], drafters: drafters.get(agreement.leadUnit) ?? [] }, remindersFrom: now, opened, policy };
        await syncStageDeadlines(ctx, change, session);
        await syncSigningDeadlines(ctx, change, session);
      }
      if (opened.length) await ctx.models.Deadline.collection.insertMany(opened, { session, ordered: true });
    }
  });
  result.agreements = checked.map((c) => ({ row: c.row, code: c.record.code, type: c.record.type, stage: c.record.stage, id: c.record._id.toHexString() }));
  return result;
}
