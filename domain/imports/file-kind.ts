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
  { bytes: [0x4d, 0x4d, 0x00, 0x2a], kind: { kind: 'tiff', en: 'a TIFF image', id: 'gambar TIFF' } },
  // the container of Excel 97-2003 (.xls) and Word 97-2003 (.doc) files
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], kind: { kind: 'office_97', en: 'an Excel 97-2003 workbook (.xls) or another older Office file', id: 'buku kerja Excel 97-2003 (.xls) atau berkas Office lama lainnya', instead: SAVE_AS_XLSX } },
  { bytes: [0x7b, 0x5c, 0x72, 0x74, 0x66], kind: { kind: 'rtf', en: 'an RTF document', id: 'dokumen RTF' } },
  { bytes: [0x1f, 0x8b], kind: { kind: 'gzip', en: 'a compressed (gzip) file', id: 'berkas terkompresi (gzip)' } },
  { bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], kind: { kind: 'rar', en: 'a RAR archive', id: 'arsip RAR' } },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], kind: { kind: '7z', en: 'a 7-Zip archive', id: 'arsip 7-Zip' } },
];

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
  return new AppError(
    'unprocessable',
    `This file is ${kind.en}, not a register in CSV or XLSX. ${instead.en}. / Berkas ini adalah ${kind.id}, bukan register dalam format CSV atau XLSX. ${instead.id}.`,
    { reason: 'not_a_register', kind: kind.kind },
  );
}
