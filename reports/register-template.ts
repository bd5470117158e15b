import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { REGISTER_COLUMNS } from '../domain/imports/register-columns.js';

/**
 * The import template: the columns with an example row, as CSV (UTF-8 with BOM) and as XLSX with
 * a second sheet explaining every column in both languages.
 */
export function registerTemplateCsv(): string {
  return '\uFEFF' + stringify([REGISTER_COLUMNS.map((c) => c.key), REGISTER_COLUMNS.map((c) => c.example)], { record_delimiter: '\r\n' });
}

export async function registerTemplateXlsx(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Pelacak Perjanjian PWNI';
  const data = book.addWorksheet('Data');
  data.columns = REGISTER_COLUMNS.map((c) => ({ header: c.key, key: c.key, width: Math.max(14, Math.min(50, c.example.length + 4)) }));
  data.addRow(Object.fromEntries(REGISTER_COLUMNS.map((c) => [c.key, c.example])));
  data.getRow(1).font = { bold: true };
  const guide = book.addWorksheet('Petunjuk - Guide');
  guide.columns = [
    { header: 'Kolom / Column', key: 'key', width: 18 },
    { header: 'Wajib / Required', key: 'required', width: 16 },
    { header: 'Keterangan', key: 'id', width: 70 },
    { header: 'Description', key: 'en', width: 70 },
    { header: 'Contoh / Example', key: 'example', width: 40 },
  ];
  for (const c of REGISTER_COLUMNS) guide.addRow({ key: c.key, required: c.required ? 'ya / yes' : 'tidak / no', id: c.id, en: c.en, example: c.example });
  guide.getRow(1).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}
