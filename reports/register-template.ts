import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { REGISTER_COLUMNS } from '../domain/imports/register-columns.js';
import { DATE_FORMS } from '../domain/imports/register-dates.js';
import { PATHS, pathsOfStage } from '../domain/imports/register-stages.js';
import { STAGE_LABELS } from '../domain/deadlines/labels.js';
import { STAGES } from '../workflows/index.js';
import type { IndexView } from '../domain/indices/manage-indices.js';

/**
 * The import template: the columns with an example row, as CSV (UTF-8 with BOM) and as XLSX with
 * a second sheet explaining every column in both languages, the forms a date may take, every stage code with the names that
 * may be written instead, and every performance-index code (those an admin added included, so the
 * caller reads them from the database when the template is asked for).
 */
export function registerTemplateCsv(): string {
  return '\uFEFF' + stringify([REGISTER_COLUMNS.map((c) => c.key), REGISTER_COLUMNS.map((c) => c.example)], { record_delimiter: '\r\n' });
}

/** `year`: an index renamed over the years is listed under its name in that year. */
export async function registerTemplateXlsx(indices: readonly IndexView[], year: number): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Pelacak Perjanjian PWNI';
  const data = book.addWorksheet('Data');
  data.columns = REGISTER_COLUMNS.map((c) => ({ header: c.key, key: c.key, width: Math.max(14, Math.min(50, c.example.length + 4)) }));
  data.addRow(Object.fromEntries(REGISTER_COLUMNS.map((c) => [c.key, c.example])));
  data.getRow(1).font = { bold: true };
  const guide = book.addWorksheet('Petunjuk - Guide');
  guide.columns = [
    { header: 'Kolom / Column', key: 'key', width: 28 },
    { header: 'Wajib / Required', key: 'required', width: 16 },
    { header: 'Keterangan', key: 'id', width: 70 },
    { header: 'Description', key: 'en', width: 70 },
    { header: 'Contoh / Example', key: 'example', width: 40 },
  ];
  for (const c of REGISTER_COLUMNS) guide.addRow({ key: c.key, required: c.required ? 'ya / yes' : 'tidak / no', id: c.id, en: c.en, example: c.example });
  guide.getRow(1).font = { bold: true };
  const heading = (...cells: string[]) => {
    guide.addRow([]);
    guide.addRow(cells).font = { bold: true };
  };
  const wrap = { wrapText: true, vertical: 'top' } as const;

  const dateColumns = REGISTER_COLUMNS.filter((c) => c.date).map((c) => c.key).join(', ');
  heading(`Tanggal (kolom ${dateColumns}) / Dates (columns ${dateColumns})`, '', 'Bentuk yang diterima', 'Forms accepted', 'Contoh / Example');
  for (const form of DATE_FORMS) guide.addRow({ id: form.id, en: form.en, example: form.example }).alignment = wrap;
  guide.addRow({
    id: 'Sel yang oleh Excel disimpan sebagai tanggal dibaca sebagai tanggal yang ditampilkannya. Bentuk lain, termasuk tahun dua angka (01/04/22), ditolak dengan nomor baris dan kolomnya',
    en: 'A cell Excel keeps as a date is read as the date it shows. Any other form, a two-digit year (01/04/22) included, is refused with its row and column',
  }).alignment = wrap;

  heading('Alur tahap / Stage paths', '', 'Jenis dan urutan tahap', 'Types and order of the stages');
  for (const path of PATHS) {
    // The main line up to entry into force, then its alternative ends; the side states apart.
    const stages = path.table.stages;
    const end = stages.indexOf('in_force') + 1;
    const order = `${stages.slice(0, end).join(' → ')} → ${stages.slice(end).join(' / ')}`;
    guide.addRow({
      key: `${path.short.id} / ${path.short.en}`,
      id: `${path.name.id}. ${order}; sebelum penandatanganan juga on_hold atau abandoned`,
      en: `${path.name.en}. ${order}; before signing also on_hold or abandoned`,
    }).alignment = wrap;
  }

  heading('Tahap (kolom stage) / Stages (column stage)', '', 'Nama yang juga diterima, dan alurnya', 'Name also accepted, and its paths');
  for (const stage of STAGES) {
    const paths = pathsOfStage(stage);
    guide.addRow({
      key: stage,
      required: '',
      id: `${STAGE_LABELS[stage].id} (alur: ${paths.map((p) => p.short.id).join(', ')})`,
      en: `${STAGE_LABELS[stage].en} (paths: ${paths.map((p) => p.short.en).join(', ')})`,
    });
  }

  heading('Indeks kinerja (kolom indices) / Performance indices (column indices)', '', 'Nama indeks', 'Name of the index');
  for (const index of indices) {
    const name = index.names.filter((n) => n.fromYear <= year).at(-1) ?? index.names[0];
    const retired = index.retiredFromYear === null ? { id: '', en: '' } : { id: ` (tidak dipakai lagi sejak ${index.retiredFromYear})`, en: ` (retired from ${index.retiredFromYear})` };
    guide.addRow({ key: index.code, id: `${name?.id ?? ''}${retired.id}`, en: `${name?.en ?? ''}${retired.en}` }).alignment = wrap;
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
