import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { WORK_STAGES, periodEnd, type ChartData, type FigureRow } from '../domain/reports/annual-report.js';
import { EXPIRING_DAYS, type Summary } from '../domain/reports/summarize-period.js';
import { STAGE_LABELS } from '../domain/deadlines/labels.js';
import { longDate, typeLabel } from '../domain/reports/words.js';
import { neutraliseFormula } from '../lib/spreadsheet-cell.js';
import { hqDay } from '../workflows/business-days.js';

/**
 * Exports of a report as CSV (csv-stringify, UTF-8 with a byte-order mark so that spreadsheet
 * programs read Indonesian names right) and XLSX (exceljs: one sheet per list, agreement codes
 * as links back to the tracker).
 */
export interface ExportInput {
  title: string;
  lang: 'id' | 'en';
  figures: FigureRow[];
  charts: ChartData[];
  summary: Summary;
  /** index names in the export's language, by code */
  indexNames: Record<string, string>;
  linkBase: string;
}

const BOM = '\uFEFF';

export function reportCsv(input: ExportInput): string {
  const L = (id: string, en: string) => (input.lang === 'id' ? id : en);
  const rows: string[][] = [[L('Uraian', 'Item'), L('Jumlah', 'Number'), L('Kode perjanjian', 'Agreement codes'), L('Tautan', 'Links')]];
  for (const f of input.figures) rows.push([f.label, String(f.value), f.agreements.map((a) => a.code).join(' '), f.agreements.map((a) => `${input.linkBase}${a.id}`).join(' ')]);
  // Codes and labels may come from an imported register: a cell that starts like a formula stays text.
  return BOM + stringify(rows.map((r) => r.map(neutraliseFormula)), { record_delimiter: '\r\n' });
}

type Column = { header: string; key: string; width: number; style?: Partial<ExcelJS.Style> };

/**
 * A cell for the day an instant falls on by Jakarta's calendar, as the page, the PDF and the board
 * CSV name it. A spreadsheet date has no zone: exceljs writes a Date by its UTC fields, so the cell
 * is that day's midnight UTC (the instant itself put anything before 07:00 WIB on the day before).
 */
export function jakartaDayCell(value: Date | string | null | undefined): Date | null {
  if (!value) return null;
  return new Date(`${hqDay(value)}T00:00:00Z`);
}
const DAY_FORMAT = { numFmt: 'yyyy-mm-dd' };

export async function reportXlsx(input: ExportInput): Promise<Buffer> {
  const L = (id: string, en: string) => (input.lang === 'id' ? id : en);
  const book = new ExcelJS.Workbook();
  book.creator = 'Pelacak Perjanjian PWNI';
  book.title = input.title;
  const link = (code: string, id: string) => ({ text: code, hyperlink: `${input.linkBase}${id}` });

  const figures = book.addWorksheet(L('Angka', 'Figures'));
  figures.columns = [
    { header: L('Uraian', 'Item'), key: 'label', width: 60 },
    { header: L('Jumlah', 'Number'), key: 'value', width: 10 },
    { header: L('Kode perjanjian', 'Agreement codes'), key: 'codes', width: 50 },
  ];
  for (const f of input.figures) figures.addRow({ label: f.label, value: f.value, codes: f.agreements.map((a) => a.code).join(', ') });

  const s = input.summary;
  const listSheet = (name: string, columns: Column[], rows: Array<Record<string, unknown>>) => {
    const sheet = book.addWorksheet(name);
    sheet.columns = columns;
    for (const r of rows) sheet.addRow(r);
    sheet.getRow(1).font = { bold: true };
    return sheet;
  };
  const text = (t: { id: string; en: string }) => (input.lang === 'id' ? t.id : t.en);
  const stageName = (stage: string) => STAGE_LABELS[stage as keyof typeof STAGE_LABELS]?.[input.lang] ?? stage;
  const typeName = (type: string) => typeLabel(type, input.lang);
  const indexName = (code: string) => input.indexNames[code] ?? code;
  // Columns several sheets share are declared once: [key, Indonesian header, English header, width].
  const col = (key: string, id: string, en: string, width: number): Column => ({ header: L(id, en), key, width });
  const c = {
    code: col('code', 'Kode', 'Code', 18),
    title: col('title', 'Judul', 'Title', 70),
    type: col('type', 'Jenis', 'Type', 22),
    stage: col('stage', 'Tahap', 'Stage', 28),
    party: col('party', 'Pihak', 'Party', 40),
    median: col('median', 'Median hari kerja', 'Median working days', 18),
  };
  const dated = (kind: 'signed' | 'enteredIntoForce' | 'expired' | 'terminated' | 'abandoned') =>
    s[kind].list.map((a) => ({ code: link(a.code, a.id), title: text(a.title), type: typeName(a.type), date: jakartaDayCell(a.date), place: a.place ?? '', parties: a.parties.join('; '), indices: a.indices.map(indexName).join('; ') }));
  const datedColumns = [c.code, c.title, c.type, { ...col('date', 'Tanggal', 'Date', 14), style: DAY_FORMAT }, col('place', 'Tempat', 'Place', 14), col('parties', 'Para pihak', 'Parties', 60), col('indices', 'Indeks', 'Indices', 60)];
  listSheet(L('Ditandatangani', 'Signed'), datedColumns, dated('signed'));
  listSheet(L('Mulai berlaku', 'In force'), datedColumns, dated('enteredIntoForce'));
  listSheet(L('Berakhir', 'Ended'), datedColumns, [...dated('expired'), ...dated('terminated'), ...dated('abandoned')]);
  listSheet(L('Per tahap', 'By stage'), [c.stage, c.code, c.title], s.byStage.flatMap((st) => st.agreements.map((a) => ({ stage: stageName(st.stage), code: link(a.code, a.id), title: text(a.title) }))));
  listSheet(
    L('Durasi tahap', 'Stage durations'),
    [c.type, c.stage, col('instances', 'Jumlah', 'Instances', 10), c.median, col('p90', 'Persentil 90 hari kerja', '90th percentile working days', 22)],
    // the stages the chart of median working days shows: the work, not the years in force
    s.stageDurations.filter((d) => WORK_STAGES.includes(d.stage)).map((d) => ({ type: typeName(d.type), stage: stageName(d.stage), instances: d.instances, median: d.medianWorkingDays, p90: d.p90WorkingDays })),
  );
  listSheet(
    L('Tenggat tahap', 'Stage deadlines'),
    [col('key', 'Tahap / unit', 'Stage / unit', 28), col('met', 'Dipenuhi', 'Met', 10), col('missed', 'Terlewat', 'Missed', 10), col('share', 'Tepat waktu', 'On time', 12)],
    [
      ...s.stageDeadlines.byStage.map((d) => ({ key: stageName(d.stage), met: d.met, missed: d.missed, share: d.onTimeShare })),
      ...s.stageDeadlines.byLeadUnit.map((d) => ({ key: d.leadUnit, met: d.met, missed: d.missed, share: d.onTimeShare })),
    ],
  ).getColumn('share').numFmt = '0%';
  listSheet(
    L('Tanda tangan', 'Signatures'),
    [c.party, col('n', 'Jumlah', 'Signatures', 10), c.median, col('p90', 'Persentil 90', '90th percentile', 16), col('codes', 'Perjanjian', 'Agreements', 40)],
    s.signatures.byParty.map((p) => ({ party: p.party, n: p.signatures, median: p.medianWorkingDays, p90: p.p90WorkingDays, codes: p.agreements.join(', ') })),
  );
  listSheet(
    L('Tanda tangan terlambat', 'Overdue signatures'),
    [c.code, c.party, col('signatory', 'Penanda tangan', 'Signatory', 30), { ...col('due', 'Tenggat', 'Due', 14), style: DAY_FORMAT }, col('late', 'Hari kerja terlambat', 'Working days overdue', 20)],
    s.signatures.overdueAtEnd.map((o) => ({ code: link(o.code, o.agreementId), party: o.party, signatory: o.signatory ?? '', due: jakartaDayCell(o.dueAt), late: o.workingDaysOverdue })),
  );
  const after = longDate(periodEnd(s), input.lang);
  listSheet(
    L('Akan berakhir', 'Expiring'),
    [c.code, { ...col('expires', 'Berakhir', 'Expires', 14), style: DAY_FORMAT }, { ...col('notice', 'Tenggat pemberitahuan', 'Notice due', 20), style: DAY_FORMAT }, col('reason', 'Alasan', 'Reason', 36)],
    s.expiring.map((e) => ({
      code: link(e.code, e.agreementId),
      expires: jakartaDayCell(e.expiresAt),
      notice: jakartaDayCell(e.noticeAt),
      reason: e.reason === 'renewal_notice'
        ? L(`Batas akhir pemberitahuan jatuh dalam ${EXPIRING_DAYS} hari setelah ${after}`, `Notice falls due within ${EXPIRING_DAYS} days after ${after}`)
        : L(`Masa berlaku berakhir dalam ${EXPIRING_DAYS} hari setelah ${after}`, `Term ends within ${EXPIRING_DAYS} days after ${after}`),
    })),
  );
  // Chart data as numbers a spreadsheet can add up; a cell is left empty where there is nothing to measure.
  input.charts.forEach((chart, i) => {
    const sheet = book.addWorksheet(`${L('Grafik', 'Chart')} ${i + 1}`);
    sheet.addRow([chart.title]).font = { bold: true, size: 12 };
    sheet.addRow([L('Kategori', 'Category'), ...chart.series.map((x) => x.name)]).font = { bold: true };
    chart.categories.forEach((category, k) => sheet.addRow([category, ...chart.series.map((x) => x.values[k])]));
    sheet.getColumn(1).width = 32;
    chart.series.forEach((_, n) => {
      const column = sheet.getColumn(n + 2);
      column.width = 18;
      if (chart.unit === 'share') column.numFmt = '0%';
    });
  });
  figures.getRow(1).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}
