import { AppError } from '../errors.js';

/**
 * Tells a file that is not a register (a PDF, an image, a Word document, an old .xls) by what it
 * is, whatever its name says. Read as CSV, such a file failed on its first quote mark or byte and
 * the sender was told about quote marks or UTF-8 in a file that holds neither; told what they sent
 * and what to send instead, they can fix it at once.
 */
export interface FileKind {
  /** for API clients, in `details.kind` */
  kind: string;
  en: string;
  id: string;
  /** what to do with this kind in particular, when there is more to say than "send a CSV or XLSX" */
  instead?: { en: string; id: string };
}

const SAVE_AS_XLSX = {
  en: 'open it in the spreadsheet and save it as "Excel Workbook (.xlsx)"',
  id: 'buka di aplikasi lembar kerja lalu simpan sebagai "Excel Workbook (.xlsx)"',
};

/**
 * Signatures of the files people send by mistake, by their first bytes (markup is told apart
 * below). Each is long or binary enough that no register's first header could begin with it.
 */
const SIGNATURES: Array<{ bytes: number[]; also?: { bytes: number[]; at: number }; kind: FileKind }> = [
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], kind: { kind: 'pdf', en: 'a PDF document', id: 'dokumen PDF' } },
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], kind: { kind: 'png', en: 'a PNG image', id: 'gambar PNG' } },
  { bytes: [0xff, 0xd8, 0xff], kind: { kind: 'jpeg', en: 'a JPEG image', id: 'gambar JPEG' } },
  { bytes: [0x47, 0x49, 0x46, 0x38, 0x37, 0x61], kind: { kind: 'gif', en: 'a GIF image', id: 'gambar GIF' } },
  { bytes: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61], kind: { kind: 'gif', en: 'a GIF image', id: 'gambar GIF' } },
  { bytes: [0x52, 0x49, 0x46, 0x46], also: { bytes: [0x57, 0x45, 0x42, 0x50], at: 8 }, kind: { kind: 'webp', en: 'a WebP image', id: 'gambar WebP' } },
  { bytes: [0x49, 0x49, 0x2a, 0x00], kind: { kind: 'tiff', en: 'a TIFF image', id: 'gambar TIFF' } },
  // "BM", the file's size, then four reserved bytes that are zero
  { bytes: [0x42, 0x4d], also: { bytes: [0, 0, 0, 0], at: 6 }, kind: { kind: 'bmp', en: 'a BMP image', id: 'gambar BMP' } },
  { bytes: [0x00, 0x00, 0x01, 0x00], kind: { kind: 'ico', en: 'an icon image (ICO)', id: 'gambar ikon (ICO)' } },
  { bytes: [0x4d, 0x4d, 0x00, 0x2a], kind: { kind: 'tiff', en: 'a TIFF image', id: 'gambar TIFF' } },
  // the container of Excel 97-2003 (.xls) and Word 97-2003 (.doc) files
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], kind: { kind: 'office_97', en: 'an Excel 97-2003 workbook (.xls) or another older Office file', id: 'buku kerja Excel 97-2003 (.xls) atau berkas Office lama lainnya', instead: SAVE_AS_XLSX } },
  { bytes: [0x7b, 0x5c, 0x72, 0x74, 0x66], kind: { kind: 'rtf', en: 'an RTF document', id: 'dokumen RTF' } },
  { bytes: [0x1f, 0x8b], kind: { kind: 'gzip', en: 'a compressed (gzip) file', id: 'berkas terkompresi (gzip)' } },
  { bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], kind: { kind: 'rar', en: 'a RAR archive', id: 'arsip RAR' } },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], kind: { kind: '7z', en: 'a 7-Zip archive', id: 'arsip 7-Zip' } },
];

/**
 * Photos in the ISO media format (what phones take): a box `ftyp` at byte 4, then the major
 * brand. HEIC is what an iPhone saves a photo of a printed register as.
 */
const MEDIA_BRANDS: Array<{ brands: string[]; kind: FileKind }> = [
  { brands: ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'], kind: { kind: 'heic', en: 'a HEIC photo', id: 'foto HEIC' } },
  { brands: ['avif', 'avis'], kind: { kind: 'avif', en: 'an AVIF image', id: 'gambar AVIF' } },
];

function mediaKind(buffer: Buffer): FileKind | undefined {
  if (buffer.length < 12 || buffer.toString('latin1', 4, 8) !== 'ftyp') return undefined;
  const brand = buffer.toString('latin1', 8, 12);
  return MEDIA_BRANDS.find((m) => m.brands.includes(brand))?.kind;
}

/** A file that is neither a known kind nor text: what readCsv says when the bytes are not text at all. */
export const BINARY: FileKind = {
  kind: 'binary',
  en: 'not a spreadsheet or a CSV file: it holds binary data, not text',
  id: 'bukan lembar kerja maupun berkas CSV: isinya data biner, bukan teks',
};

/** How much of a file's start is looked at to tell text from binary data. */
const TEXT_WINDOW = 8192;

/**
 * Whether bytes that are not UTF-8 are binary data rather than text in a legacy 8-bit encoding
 * (Windows-1252, Latin-1), by content: such text holds no control characters besides tab and line
 * breaks, while an image, an archive or a program has them throughout (random bytes: one in nine).
 * One in a hundred leaves room for a stray control character in a cell of a real register, which
 * the row checks then name. UTF-16 text without its byte-order mark (NUL in every other byte) is
 * text too: the encoding answer fits it.
 */
export function looksBinary(buffer: Buffer): boolean {
  const head = buffer.subarray(0, TEXT_WINDOW);
  let controls = 0;
  const nuls = [0, 0];
  head.forEach((b, i) => {
    if (b === 0) nuls[i % 2]++;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1a) controls++;
  });
  // Latin text in UTF-16 saved without its byte-order mark: a NUL in (nearly) every other byte
  const half = head.length / 2;
  if (half >= 8 && Math.max(nuls[0], nuls[1]) >= 0.9 * half) return false;
  return controls >= 2 && controls * 100 >= head.length;
}

/** How much of a file's start is looked at to tell markup apart: an XML prolog and comments come first. */
const MARKUP_WINDOW = 4096;

const startsWith = (buffer: Buffer, bytes: number[], at = 0) => buffer.length >= at + bytes.length && bytes.every((b, i) => buffer[at + i] === b);

/**
 * What a file is, by its content, when that is plainly not a register: a known binary signature,
 * or markup (a register's first cell is a column name, never something beginning with "<").
 * Undefined for anything that may be a CSV, however badly written: its own checks say what is wrong.
 */
export function notRegisterKind(buffer: Buffer): FileKind | undefined {
  for (const s of SIGNATURES) if (startsWith(buffer, s.bytes) && (!s.also || startsWith(buffer, s.also.bytes, s.also.at))) return s.kind;
  const media = mediaKind(buffer);
  if (media) return media;
  const head = buffer.subarray(0, MARKUP_WINDOW).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (!head.startsWith('<')) return undefined;
  if (/<svg[\s>]/i.test(head)) return { kind: 'svg', en: 'an SVG image', id: 'gambar SVG' };
  if (/<html[\s>]|<!doctype html/i.test(head)) return { kind: 'html', en: 'a web page (HTML)', id: 'halaman web (HTML)' };
  if (/progid="Excel\.Sheet"|urn:schemas-microsoft-com:office:spreadsheet/i.test(head)) {
    return { kind: 'xml_spreadsheet', en: 'an XML Spreadsheet 2003 file', id: 'berkas XML Spreadsheet 2003', instead: SAVE_AS_XLSX };
  }
  return { kind: 'xml', en: 'an XML file', id: 'berkas XML' };
}

/**
 * What a ZIP file that holds no workbook is, by the names of its parts (no part is inflated, so a
 * zip bomb tells nothing more than its names): a Word or PowerPoint file, an OpenDocument file
 * (LibreOffice's own format), or some other archive.
 */
export function notWorkbookKind(names: readonly string[]): FileKind | undefined {
  const has = (name: string) => names.includes(name);
  if (has('xl/workbook.xml')) return undefined;
  if (has('word/document.xml')) return { kind: 'docx', en: 'a Word document', id: 'dokumen Word' };
  if (has('ppt/presentation.xml')) return { kind: 'pptx', en: 'a PowerPoint presentation', id: 'presentasi PowerPoint' };
  if (has('content.xml') && has('mimetype')) return { kind: 'opendocument', en: 'an OpenDocument file (such as ODS)', id: 'berkas OpenDocument (seperti ODS)', instead: SAVE_AS_XLSX };
  return { kind: 'zip', en: 'a ZIP archive', id: 'arsip ZIP' };
}

/** The refusal of a file that is not a register: what it is, and what to send instead, in both languages. */
export function notARegister(kind: FileKind): AppError {
  const instead = kind.instead
    ? { en: `If it holds the register, ${kind.instead.en}, or save it as CSV UTF-8`, id: `Jika berkas ini berisi register, ${kind.instead.id}, atau simpan sebagai CSV UTF-8` }
    : { en: 'Send the register as an XLSX workbook or a CSV file (UTF-8), one agreement a row, as the import template lays it out', id: 'Kirim register sebagai buku kerja XLSX atau berkas CSV (UTF-8), satu perjanjian per baris, seperti susunan templat impor' };
  // a file of no known kind is said to be what it is not; a known kind by its name
  const what =
    kind === BINARY
      ? { en: `This file is ${kind.en}`, id: `Berkas ini ${kind.id}` }
      : { en: `This file is ${kind.en}, not a register in CSV or XLSX`, id: `Berkas ini adalah ${kind.id}, bukan register dalam format CSV atau XLSX` };
  return new AppError(
    'unprocessable',
    `${what.en}. ${instead.en}. / ${what.id}. ${instead.id}.`,
    { reason: 'not_a_register', kind: kind.kind },
  );
}
