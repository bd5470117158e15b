import { isUtf8 } from 'node:buffer';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { AppError } from '../errors.js';
import { REGISTER_COLUMNS } from './register-columns.js';
import { BINARY, looksBinary, notARegister, notRegisterKind, notWorkbookKind } from './file-kind.js';

/**
 * Reads a register file (CSV or XLSX) into rows keyed by column, within bounds that hold before
 * the file is fully materialised: the route caps the bytes (IMPORT_MAX_BYTES), CSV parsing stops
 * one row past MAX_ROWS and refuses an endless record, and an XLSX is refused before exceljs sees
 * it when its parts would inflate past MAX_INFLATED_BYTES (a zip bomb of one megabyte once took the
 * process to 3.7 GB). Headers are matched case-insensitively; an unknown, repeated or missing one
 * refuses the whole file, since a column read under the wrong name (a "Confidentiality" column
 * ignored, the default "internal" used) would import the register as something it is not.
 * A CSV may have ',' or ';' between its columns (Excel writes ';' under Indonesian settings);
 * its header row tells which. A file that is plainly something else (a PDF, an image, a Word
 * document) is refused as what it is before either reader tries it (file-kind.ts).
 */

/** How many agreements one import may bring; a larger register is imported in parts. */
export const MAX_ROWS = 20_000;
/**
 * The longest CSV record, in characters: a row with fifty parties and their signatories at the
 * API's limits is about 40,000; past this it is a malformed file (an unclosed quote), not a row.
 */
const MAX_RECORD_CHARS = 128 * 1024;
/** What all the parts of an XLSX may inflate to: a full 20,000-row register is a few tens of MB. */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;
/** Sheet XML compresses some 10 to 30 times; a part far beyond that is built to inflate, not to be read. */
const MAX_RATIO = 200;
/** Below this size a part's ratio does not matter: a few kilobytes cannot hurt. */
const RATIO_FROM_BYTES = 1024 * 1024;

export type Row = Record<string, string> & { __row: string };

/** A problem the reading found in one cell (the checks of the rows add theirs to these). */
export interface CellProblem {
  row: number;
  column: string;
  message: { id: string; en: string };
}

export interface Register {
  rows: Row[];
  problems: CellProblem[];
}

const tooManyRows = () =>
  new AppError(
    'unprocessable',
    `Too many rows: an import takes at most ${MAX_ROWS} rows below the header; split the register into several files / Terlalu banyak baris: satu impor paling banyak ${MAX_ROWS} baris di bawah judul kolom; bagi register menjadi beberapa berkas`,
    { reason: 'too_many_rows', limit: MAX_ROWS },
  );

const notXlsx = () => new AppError('unprocessable', 'The file is not a readable XLSX workbook / Berkas bukan buku kerja XLSX yang dapat dibaca');

const tooLargeInflated = (name: string) =>
  new AppError(
    'unprocessable',
    `The workbook is far larger once unpacked than a register can be (the part ${name}); save the data sheet alone as a new XLSX or as CSV / Buku kerja jauh lebih besar setelah dibuka daripada ukuran sebuah register (bagian ${name}); simpan lembar data saja sebagai XLSX baru atau CSV`,
    { reason: 'inflates_too_much', limit: MAX_INFLATED_BYTES },
  );

export async function readRegister(file: { buffer: Buffer; name: string }): Promise<Register> {
  // by its content, not its name: a PDF renamed .csv is still a PDF
  const kind = notRegisterKind(file.buffer);
  if (kind) throw notARegister(kind);
  const isXlsx = /\.xlsx$/i.test(file.name) || file.buffer.subarray(0, 2).toString('latin1') === 'PK';
  return isXlsx ? readXlsx(file.buffer) : readCsv(file.buffer);
}

/** The column letters a spreadsheet shows (1 → A, 27 → AA), to name a header cell. */
function columnName(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/** A header cell that could not be read as a name (an XLSX formula or error), by its position. */
type HeaderCellProblems = ReadonlyMap<number, { en: string; id: string }>;

/**
 * A header's text as the summary message quotes it: the message is "English / Indonesian", and a
 * bilingual header such as "Kode / Code" would split it in the wrong place (the details keep it whole).
 */
const quotedHeader = (text: string) => text.replace(/\s+\/\s+/g, '/');

/**
 * Maps each position of the header row to a register column, or refuses the file with one list of
 * every header problem: each unknown or repeated header, each cell that holds no name, and each
 * required column that is missing. One answer, so that the register's keeper mends the header
 * once rather than finding the next problem on each try.
 */
function matchHeader(header: string[], unreadable: HeaderCellProblems = new Map()): Array<string | undefined> {
  const byName = new Map(REGISTER_COLUMNS.map((c) => [c.key.toLowerCase(), c.key]));
  // the columns a misspelt or foreign header could have meant, in both languages' halves of the message
  const known = REGISTER_COLUMNS.map((c) => c.key).join(', ');
  const seenAt = new Map<string, number>();
  const keys: Array<string | undefined> = [];
  const details: Array<{ field: string; column: string; message: string }> = [];
  const summary = { unknown: [] as string[], repeated: [] as string[], unreadable: [] as string[], missing: [] as string[] };
  header.forEach((raw, i) => {
    const text = raw.trim();
    const at = columnName(i + 1);
    const problem = unreadable.get(i);
    if (problem) {
      details.push({ field: '', column: at, message: `column ${at}: ${problem.en} / kolom ${at}: ${problem.id}` });
      summary.unreadable.push(at);
      return void keys.push(undefined);
    }
    if (!text) return void keys.push(undefined);
    const key = byName.get(text.toLowerCase());
    if (!key) {
      details.push({ field: text, column: at, message: `unknown column; the columns are: ${known} / kolom tidak dikenal; kolom yang ada: ${known}` });
      summary.unknown.push(`${quotedHeader(text)} (${at})`);
      return void keys.push(undefined);
    }
    const first = seenAt.get(key);
    if (first !== undefined) {
      details.push({ field: text, column: at, message: `the column ${key} is also in column ${columnName(first + 1)} / kolom ${key} juga ada di kolom ${columnName(first + 1)}` });
      summary.repeated.push(`${key} (${columnName(first + 1)}, ${at})`);
    } else seenAt.set(key, i);
    keys.push(key);
  });
  for (const c of REGISTER_COLUMNS) {
    if (c.required && !seenAt.has(c.key)) {
      details.push({ field: c.key, column: '', message: 'missing column / kolom tidak ada' });
      summary.missing.push(c.key);
    }
  }
  if (details.length) {
    const parts = (lang: 'en' | 'id') =>
      (
        [
          ['unknown', { en: 'unknown columns', id: 'kolom tidak dikenal' }],
          ['repeated', { en: 'columns written twice', id: 'kolom yang ditulis dua kali' }],
          ['unreadable', { en: 'columns with a formula or an error for a name', id: 'kolom yang namanya berupa rumus atau galat' }],
          ['missing', { en: 'missing required columns', id: 'kolom wajib yang tidak ada' }],
        ] as const
      )
        .filter(([k]) => summary[k].length)
        .map(([k, label]) => `${label[lang]}: ${summary[k].join(', ')}`)
        .join('; ');
    throw new AppError(
      'validation_failed',
      `The header row does not match the template (${parts('en')}): write each of the template's columns once, as the template writes it, the required ones included / Baris judul kolom tidak sesuai templat (${parts('id')}): tulis setiap kolom templat sekali saja, seperti di templat, termasuk semua kolom wajib`,
      details,
    );
  }
  return keys;
}

/** A row keyed by column; a value under a blank header is a problem, not something to drop. */
function toRow(keys: Array<string | undefined>, cells: string[], row: number, problems: CellProblem[]): Row {
  const out = { __row: String(row) } as Row;
  for (const k of keys) if (k) out[k] = '';
  cells.forEach((value, i) => {
    const key = keys[i];
    if (key) out[key] = value;
    else if (value.trim()) {
      const at = columnName(i + 1);
      problems.push({ row, column: at, message: { en: `column ${at} has a value but no header`, id: `kolom ${at} berisi nilai tetapi tanpa judul kolom` } });
    }
  });
  return out;
}

/** The separators a register may have between its columns: Excel writes ';' where ',' is the decimal mark (Indonesian settings). */
const SEPARATORS = [',', ';'] as const;

/** What the parsing of one CSV takes, but for its separator and where it stops. */
const CSV_OPTIONS = { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, max_record_size: MAX_RECORD_CHARS } as const;

/**
 * The separator the header row uses, and that row read with it: the one under which more of its
 * cells are register columns (on a tie, the one that splits it into more cells, then ','). Only the
 * header decides, since its names are known; a data row's commas and semicolons may be its text.
 */
function headerOf(buffer: Buffer): { delimiter: string; header: string[] } {
  const known = new Set(REGISTER_COLUMNS.map((c) => c.key.toLowerCase()));
  let best = { delimiter: ',', header: [] as string[], score: [-1, -1] };
  for (const delimiter of SEPARATORS) {
    let header: string[];
    try {
      header = (parse(buffer, { ...CSV_OPTIONS, delimiter, to: 1 }) as string[][])[0] ?? [];
    } catch {
      // a header this separator cannot read is not written with it; the reading proper says why
      continue;
    }
    const score = [header.filter((cell) => known.has(cell.trim().toLowerCase())).length, header.length];
    if (score[0] > best.score[0] || (score[0] === best.score[0] && score[1] > best.score[1])) best = { delimiter, header, score };
  }
  return best;
}

const MEND_QUOTES = { en: 'put the whole value in quotes and write each quote mark inside it twice ("")', id: 'apit seluruh nilainya dengan tanda kutip dan tulis setiap tanda kutip di dalamnya dua kali ("")' };
const OPENING_QUOTE = { en: `a value holds a quote mark (") but does not begin with one; ${MEND_QUOTES.en}`, id: `nilai berisi tanda kutip (") tetapi tidak diawali tanda kutip; ${MEND_QUOTES.id}` };
const AFTER_CLOSING_QUOTE = { en: `a quoted value goes on after its closing quote mark; ${MEND_QUOTES.en}`, id: `nilai bertanda kutip berlanjut sesudah tanda kutip penutupnya; ${MEND_QUOTES.id}` };

/** What each quoting error of csv-parse means to a register keeper, by the library's error code. */
const QUOTE_PROBLEMS: Record<string, { en: string; id: string }> = {
  // csv-parse 7 names this one without its CSV_ prefix; the prefixed name is kept for a later version
  INVALID_OPENING_QUOTE: OPENING_QUOTE,
  CSV_INVALID_OPENING_QUOTE: OPENING_QUOTE,
  CSV_INVALID_CLOSING_QUOTE: AFTER_CLOSING_QUOTE,
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: AFTER_CLOSING_QUOTE,
  CSV_QUOTE_NOT_CLOSED: {
    en: 'a quote mark opens the value but none closes it, so the rest of the file would be read as this one value; close the quote, or write each quote mark inside the value twice ("")',
    id: 'tanda kutip membuka nilai ini tetapi tidak ada yang menutupnya, sehingga sisa berkas akan terbaca sebagai satu nilai ini; tutup tanda kutipnya, atau tulis setiap tanda kutip di dalam nilai dua kali ("")',
  },
};

/**
 * Why csv-parse could not read the file, in both languages and in the register's terms: the row
 * (as a spreadsheet numbers it, the header being row 1), the column, and what to mend. The
 * library's own text is English only and speaks of fields and bytes, so it is never shown.
 */
function unreadableCsv(err: { code?: string; lines?: number; records?: number; column?: number | string }, header: string[]): AppError {
  if (err.code === 'CSV_MAX_RECORD_SIZE') {
    return new AppError('unprocessable', `Row ${err.lines} is longer than ${MAX_RECORD_CHARS} characters; a quote may be left open / Baris ${err.lines} lebih panjang dari ${MAX_RECORD_CHARS} karakter; mungkin ada tanda kutip yang tidak ditutup`, { reason: 'record_too_long', row: err.lines });
  }
  const row = (err.records ?? 0) + 1;
  const index = typeof err.column === 'number' ? err.column : -1;
  const name = header[index]?.trim();
  const at = index >= 0 ? { en: `Row ${row}, column ${columnName(index + 1)}${name ? ` (${name})` : ''}`, id: `Baris ${row}, kolom ${columnName(index + 1)}${name ? ` (${name})` : ''}` } : { en: `Row ${row}`, id: `Baris ${row}` };
  const what = QUOTE_PROBLEMS[err.code ?? ''] ?? { en: 'the file is not readable CSV; save it from the spreadsheet as "CSV UTF-8", or as XLSX', id: 'berkas bukan CSV yang dapat dibaca; simpan dari lembar kerja sebagai "CSV UTF-8" atau sebagai XLSX' };
  return new AppError('unprocessable', `${at.en}: ${what.en} / ${at.id}: ${what.id}`, { reason: 'csv_unreadable', row });
}

function readCsv(buffer: Buffer): Register {
  // A UTF-16 file says so with its byte-order mark (csv-parse reads it); anything else must be
  // UTF-8, or its accented names would be stored as U+FFFD instead of refused.
  const utf16 = (buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff);
  if (!utf16 && !isUtf8(buffer)) {
    // an image or archive of no listed kind is not a register in the wrong encoding
    if (looksBinary(buffer)) throw notARegister(BINARY);
    throw new AppError('unprocessable', 'The file is not UTF-8 text: save the CSV as "CSV UTF-8" (or export XLSX) / Berkas bukan teks UTF-8: simpan CSV sebagai "CSV UTF-8" (atau ekspor XLSX)', { reason: 'not_utf8' });
  }
  const { delimiter, header } = headerOf(buffer);
  let records: string[][];
  try {
    // `to`: the header and one row past the limit are enough to know the file is too long.
    records = parse(buffer, { ...CSV_OPTIONS, delimiter, to: MAX_ROWS + 2 }) as string[][];
  } catch (err) {
    throw unreadableCsv(err as Parameters<typeof unreadableCsv>[0], header);
  }
  if (records.length === 0) throw new AppError('unprocessable', 'The file is empty / Berkas kosong');
  if (records.length - 1 > MAX_ROWS) throw tooManyRows();
  const keys = matchHeader(records[0]);
  const problems: CellProblem[] = [];
  const rows = records.slice(1).map((cells, i) => toRow(keys, cells, i + 2, problems));
  return { rows, problems };
}

/**
 * Refuses a workbook whose parts would inflate past MAX_INFLATED_BYTES, first by the sizes its
 * directory declares, then by inflating each part as a stream and counting (a directory can lie,
 * and jszip, which exceljs uses, finds out only after inflating the whole part into memory).
 */
async function checkInflatedSize(buffer: Buffer): Promise<void> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(buffer);
  } catch {
    throw notXlsx();
  }
  const entries = Object.values(zip.files).filter((e) => !e.dir);
  // a Word file or an archive opens as a ZIP too, and exceljs would then find "no sheet" in it
  const kind = notWorkbookKind(entries.map((e) => e.name));
  if (kind) throw notARegister(kind);
  let declared = 0;
  for (const entry of entries) {
    // jszip keeps the directory's sizes on a private field (its typings say so, index.d.ts)
    const sizes = (entry as unknown as { _data?: { compressedSize?: number; uncompressedSize?: number } })._data;
    const inflated = sizes?.uncompressedSize ?? 0;
    declared += inflated;
    if (declared > MAX_INFLATED_BYTES) throw tooLargeInflated(entry.name);
    if (inflated > RATIO_FROM_BYTES && inflated > MAX_RATIO * Math.max(1, sizes?.compressedSize ?? 0)) throw tooLargeInflated(entry.name);
  }
  let total = 0;
  for (const entry of entries) {
    await new Promise<void>((resolve, reject) => {
      const stream = entry.nodeStream('nodebuffer');
      stream
        .on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total <= MAX_INFLATED_BYTES) return;
          // paused, the inflating stops here: nothing more of this part is produced
          stream.pause();
          reject(tooLargeInflated(entry.name));
        })
        .on('error', () => reject(notXlsx()))
        .on('end', () => resolve());
    });
  }
}

/**
 * A cell as the text a person sees in it. Rich text is its runs joined; a hyperlink its text.
 * A formula is refused rather than its cached result taken: the result may be stale or missing
 * (files written by scripts often carry none), and a register is a list of facts, so its keeper
 * is asked to paste the values instead of having us guess which value they meant.
 */
function cellText(value: ExcelJS.CellValue): { text: string } | { problem: { en: string; id: string } } {
  if (value === null || value === undefined) return { text: '' };
  if (value instanceof Date) return { text: value.toISOString().slice(0, 10) };
  if (typeof value !== 'object') return { text: String(value) };
  if ('formula' in value || 'sharedFormula' in value) {
    return { problem: { en: 'the cell holds a formula: copy the column and paste it back as values only', id: 'sel berisi rumus: salin kolomnya lalu tempel kembali sebagai nilai saja' } };
  }
  if ('error' in value) return { problem: { en: `the cell holds the error ${String(value.error)}`, id: `sel berisi galat ${String(value.error)}` } };
  if ('richText' in value) return { text: value.richText.map((r) => r.text).join('') };
  if ('hyperlink' in value) {
    const text = value.text as unknown;
    if (text && typeof text === 'object' && 'richText' in text) return { text: (text as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join('') };
    return { text: String(text ?? '') };
  }
  return { problem: { en: 'the cell holds something other than text, a number or a date', id: 'sel berisi sesuatu selain teks, angka atau tanggal' } };
}

async function readXlsx(buffer: Buffer): Promise<Register> {
  await checkInflatedSize(buffer);
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw notXlsx();
  }
  const sheet = book.getWorksheet('Data') ?? book.worksheets[0];
  if (!sheet) throw new AppError('unprocessable', 'The workbook has no sheet / Buku kerja tidak memiliki lembar');
  const problems: CellProblem[] = [];
  const textOf = (row: number, column: number, value: ExcelJS.CellValue, key?: string): string => {
    const read = cellText(value);
    if ('text' in read) return read.text;
    problems.push({ row, column: key ?? columnName(column), message: read.problem });
    return '';
  };
  const headerRow = sheet.getRow(1);
  // a header cell that holds no name is one more header problem, listed with the others
  const unreadable = new Map<number, { en: string; id: string }>();
  const header = Array.from({ length: headerRow.cellCount }, (_, i) => {
    const read = cellText(headerRow.getCell(i + 1).value);
    if ('text' in read) return read.text;
    unreadable.set(i, read.problem);
    return '';
  });
  const keys = matchHeader(header, unreadable);
  const rows: Row[] = [];
  // Only up to one row past the limit is ever read, however many the sheet holds.
  for (let number = 2; number <= sheet.rowCount; number++) {
    const row = sheet.findRow(number);
    if (!row || !row.hasValues) continue;
    if (rows.length === MAX_ROWS) throw tooManyRows();
    const cells = Array.from({ length: Math.max(row.cellCount, keys.length) }, (_, i) => textOf(number, i + 1, row.getCell(i + 1).value, keys[i]).trim());
    if (cells.every((c) => !c)) continue;
    rows.push(toRow(keys, cells, number, problems));
  }
  return { rows, problems };
}
