import { stringify } from 'csv-stringify/sync';
import { REGISTER_COLUMNS } from '../../domain/imports/register-columns.js';

/** A register as a CSV file the import reads: UTF-8 with a BOM, the template's columns in order. */
export const registerCsv = (rows: Array<Record<string, string>>): Buffer =>
  Buffer.from('\uFEFF' + stringify(rows, { header: true, columns: REGISTER_COLUMNS.map((c) => c.key) }));
