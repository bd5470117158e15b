import { MONTH_NAMES, isoDate } from '../../workflows/business-days.js';

/**
 * The dates of a register as Indonesian offices write them as text: ISO, day first with numbers
 * (the Indonesian convention, so 01/04/2022 is 1 April, never January 4), or with the month's name
 * in Indonesian or English. A form that could be read two ways (a two-digit year, a year first
 * with slashes) or names no month is refused rather than guessed; so is a day the month does not
 * have. Real date cells of a workbook never come here as text of these forms: read-register.ts
 * turns them into ISO days.
 */

/** The forms accepted, each with examples: the template's guide and every refusal list them from here. */
export const DATE_FORMS: ReadonlyArray<{ example: string; id: string; en: string }> = [
  { example: '2022-04-01', id: 'tahun-bulan-tanggal (ISO)', en: 'year-month-day (ISO)' },
  {
    example: '01/04/2022, 1/4/2022, 1-4-2022, 1.4.2022',
    id: 'tanggal/bulan/tahun dengan angka, dipisah garis miring, tanda hubung atau titik, tahunnya empat angka (01/04/2022 adalah 1 April, bukan 4 Januari)',
    en: 'day/month/year in figures, separated by slashes, dashes or dots, with a four-digit year (01/04/2022 is 1 April, not 4 January)',
  },
  {
    example: '1 April 2022, 11 Agustus 2022, 1 Des 2022, 1-Apr-2022, April 1, 2022',
    id: 'tanggal, nama bulan dalam bahasa Indonesia atau Inggris (lengkap atau tiga huruf pertamanya), tahun',
    en: 'day, name of the month in Indonesian or English (in full or its first three letters), year',
  },
];

/** "2022-04-01, 01/04/2022 or 1 April 2022": the short list a refusal ends with. */
export const DATE_FORMS_SHORT = { id: '2022-04-01, 01/04/2022 (tanggal/bulan/tahun) atau 1 April 2022', en: '2022-04-01, 01/04/2022 (day/month/year) or 1 April 2022' } as const;

/** Month numbers by every name a register may use: full names and three-letter forms in both languages, and the usual Indonesian "Agt", "Ags", "Sept". */
const MONTHS: ReadonlyMap<string, number> = new Map([
  ...[MONTH_NAMES.id, MONTH_NAMES.en].flatMap((names) => names.flatMap((name, i) => [[name.toLowerCase(), i + 1], [name.slice(0, 3).toLowerCase(), i + 1]] as Array<[string, number]>)),
  ['agt', 8],
  ['ags', 8],
  ['sept', 9],
]);

export type RegisterDate = { day: string } | { problem: { en: string; id: string } };

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMERIC = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;
const DAY_NAME_YEAR = /^(\d{1,2})(?:\s+|-)(\p{L}+)\.?(?:\s+|-)(\d{4})$/u;
const NAME_DAY_YEAR = /^(\p{L}+)\.?\s+(\d{1,2}),?\s+(\d{4})$/u;

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** A date of a register cell as its day (YYYY-MM-DD), or why it is not one, in both languages. */
export function readRegisterDate(text: string): RegisterDate {
  const value = text.trim().replace(/\s+/g, ' ');
  let parts: { year: number; month: number; day: number } | undefined;
  let m: RegExpExecArray | null;
  if ((m = ISO.exec(value))) parts = { year: +m[1], month: +m[2], day: +m[3] };
  else if ((m = NUMERIC.exec(value))) parts = { year: +m[4], month: +m[3], day: +m[1] };
  else if ((m = DAY_NAME_YEAR.exec(value)) ?? (m = NAME_DAY_YEAR.exec(value))) {
    const [name, day, year] = /^\d/.test(m[1]) ? [m[2], m[1], m[3]] : [m[1], m[2], m[3]];
    const month = MONTHS.get(name.toLowerCase());
    if (!month) {
      return { problem: { en: `'${value}': '${name}' is not a month; write a month as ${MONTH_NAMES.en.slice(0, 3).join(', ')} or ${MONTH_NAMES.id.slice(0, 3).join(', ')}, or as its first three letters`, id: `'${value}': '${name}' bukan nama bulan; tulis bulan seperti ${MONTH_NAMES.id.slice(0, 3).join(', ')} atau ${MONTH_NAMES.en.slice(0, 3).join(', ')}, atau tiga huruf pertamanya` } };
    }
    parts = { year: +year, month, day: +day };
  }
  if (!parts) {
    return { problem: { en: `'${value}' is not a date in a form the import reads; write it as ${DATE_FORMS_SHORT.en}`, id: `'${value}' bukan tanggal dalam bentuk yang dibaca impor; tulis seperti ${DATE_FORMS_SHORT.id}` } };
  }
  const { year, month, day } = parts;
  if (month < 1 || month > 12) {
    return { problem: { en: `'${value}' is not a date: there is no month ${month} (a date is read day/month/year)`, id: `'${value}' bukan tanggal: tidak ada bulan ${month} (tanggal dibaca tanggal/bulan/tahun)` } };
  }
  if (day < 1 || day > daysIn(year, month)) {
    return { problem: { en: `'${value}' is not a date: ${MONTH_NAMES.en[month - 1]} ${year} has ${daysIn(year, month)} days`, id: `'${value}' bukan tanggal: ${MONTH_NAMES.id[month - 1]} ${year} hanya ${daysIn(year, month)} hari` } };
  }
  return { day: isoDate(year, month, day) };
}

/** What the template's column help says of a date column (the guide lists every form). */
export const DATE_HINT = {
  id: 'mis. 2022-04-01, 01/04/2022 atau 1 April 2022: tanggal dulu, lalu bulan; semua bentuk yang diterima ada di bawah',
  en: 'e.g. 2022-04-01, 01/04/2022 or 1 April 2022: the day before the month; every form accepted is listed below',
} as const;
