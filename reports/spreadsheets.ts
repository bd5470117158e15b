import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import type { ChartData, FigureRow } from '../domain/reports/annual-report.js';
import type { Summary } from '../domain/reports/summarize-period.js';
import { STAGE_LABELS } from '../domain/deadlines/labels.js';
import { chartTable } from './tables.js';

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
  linkBase: string;
}

const BOM = '\uFEFF';

export function reportCsv(input: ExportInput): string {
  const L = (id: string, en: string) => (input.lang === 'id' ? id : en);
  const rows: string[][] = [[L('Uraian', 'Item'), L('Jumlah', 'Number'), L('Kode perjanjian', 'Agreement codes'), L('Tautan', 'Links')]];
  for (const f of input.figures) rows.push([f.label, String(f.value), f.agreements.map((a) => a.code).join(' '), f.agreements.map((a) => `${input.linkBase}${a.id}`).join(' ')]);
  return BOM + stringify(rows, { record_delimiter: '\r\n' });
}

type Column = { header: string; key: string; width: number };

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
  const dated = (kind: 'signed' | 'enteredIntoForce' | 'expired' | 'terminated' | 'abandoned') =>
    s[kind].list.map((a) => ({
      code: link(a.code, a.id),
      title: input.lang === 'id' ? a.title.id : a.title.en,
      type: a.type,
      date: a.date ? new Date(a.date) : null,
      place: a.place ?? '',
      parties: a.parties.join('; '),
      indices: a.indices.join(', '),
    }));
  const datedColumns: Column[] = [
    { header: L('Kode', 'Code'), key: 'code', width: 18 },
    { header: L('Judul', 'Title'), key: 'title', width: 70 },
    { header: L('Jenis', 'Type'), key: 'type', width: 22 },
    { header: L('Tanggal', 'Date'), key: 'date', width: 14 },
    { header: L('Tempat', 'Place'), key: 'place', width: 14 },
    { header: L('Para pihak', 'Parties'), key: 'parties', width: 60 },
    { header: L('Indeks', 'Indices'), key: 'indices', width: 30 },
  ];
  listSheet(L('Ditandatangani', 'Signed'), datedColumns, dated('signed'));
  listSheet(L('Mulai berlaku', 'In force'), datedColumns, dated('enteredIntoForce'));
  listSheet(L('Berakhir', 'Ended'), datedColumns, [...dated('expired'), ...dated('terminated'), ...dated('abandoned')]);
  listSheet(
    L('Per tahap', 'By stage'),
    [
      { header: L('Tahap', 'Stage'), key: 'stage', width: 28 },
      { header: L('Kode', 'Code'), key: 'code', width: 18 },
      { header: L('Judul', 'Title'), key: 'title', width: 70 },
    ],
    s.byStage.flatMap((st) => st.agreements.map((a) => ({ stage: STAGE_LABELS[st.stage]?.[input.lang] ?? st.stage, code: link(a.code, a.id), title: input.lang === 'id' ? a.title.id : a.title.en }))),
  );
  listSheet(
    L('Durasi tahap', 'Stage durations'),
    [
      { header: L('Jenis', 'Type'), key: 'type', width: 22 },
      { header: L('Tahap', 'Stage'), key: 'stage', width: 28 },
      { header: L('Jumlah', 'Instances'), key: 'instances', width: 10 },
      { header: L('Median hari kerja', 'Median working days'), key: 'median', width: 18 },
      { header: L('Persentil 90 hari kerja', '90th percentile working days'), key: 'p90', width: 22 },
    ],
    s.stageDurations.map((d) => ({ type: d.type, stage: STAGE_LABELS[d.stage]?.[input.lang] ?? d.stage, instances: d.instances, median: d.medianWorkingDays, p90: d.p90WorkingDays })),
  );
  listSheet(
    L('Tenggat tahap', 'Stage deadlines'),
    [
      { header: L('Tahap / unit', 'Stage / unit'), key: 'key', width: 28 },
      { header: L('Dipenuhi', 'Met'), key: 'met', width: 10 },
      { header: L('Terlewat', 'Missed'), key: 'missed', width: 10 },
      { header: L('Tepat waktu', 'On time'), key: 'share', width: 12 },
    ],
    [
      ...s.stageDeadlines.byStage.map((d) => ({ key: STAGE_LABELS[d.stage]?.[input.lang] ?? d.stage, met: d.met, missed: d.missed, share: d.onTimeShare })),
      ...s.stageDeadlines.byLeadUnit.map((d) => ({ key: d.leadUnit, met: d.met, missed: d.missed, share: d.onTimeShare })),
    ],
  ).getColumn('share').numFmt = '0%';
  listSheet(
    L('Tanda tangan', 'Signatures'),
    [
      { header: L('Pihak', 'Party'), key: 'party', width: 40 },
      { header: L('Jumlah', 'Signatures'), key: 'n', width: 10 },
      { header: L('Median hari kerja', 'Median working days'), key: 'median', width: 18 },
      { header: L('Persentil 90', '90th percentile'), key: 'p90', width: 16 },
      { header: L('Perjanjian', 'Agreements'), key: 'codes', width: 40 },
    ],
    s.signatures.byParty.map((p) => ({ party: p.party, n: p.signatures, median: p.medianWorkingDays, p90: p.p90WorkingDays, codes: p.agreements.join(', ') })),
  );
  listSheet(
    L('Tanda tangan terlambat', 'Overdue signatures'),
    [
      { header: L('Kode', 'Code'), key: 'code', width: 18 },
      { header: L('Pihak', 'Party'), key: 'party', width: 40 },
      { header: L('Penanda tangan', 'Signatory'), key: 'signatory', width: 30 },
      { header: L('Tenggat', 'Due'), key: 'due', width: 14 },
      { header: L('Hari kerja terlambat', 'Working days overdue'), key: 'late', width: 20 },
    ],
    s.signatures.overdueAtEnd.map((o) => ({ code: link(o.code, o.agreementId), party: o.party, signatory: o.signatory ?? '', due: new Date(o.dueAt), late: o.workingDaysOverdue })),
  );
  listSheet(
    L('Akan berakhir', 'Expiring'),
    [
      { header: L('Kode', 'Code'), key: 'code', width: 18 },
      { header: L('Berakhir', 'Expires'), key: 'expires', width: 14 },
      { header: L('Tenggat pemberitahuan', 'Notice due'), key: 'notice', width: 20 },
      { header: L('Alasan', 'Reason'), key: 'reason', width: 20 },
    ],
    s.expiring.map((e) => ({ code: link(e.code, e.agreementId), expires: new Date(e.expiresAt), notice: e.noticeAt ? new Date(e.noticeAt) : null, reason: e.reason })),
  );
  input.charts.forEach((chart, i) => {
    const t = chartTable(chart, input.lang);
    const sheet = book.addWorksheet(`${L('Grafik', 'Chart')} ${i + 1}`);
    sheet.addRow([chart.title]).font = { bold: true, size: 12 };
    sheet.addRow(t.header).font = { bold: true };
    for (const r of t.rows) sheet.addRow(r);
    sheet.getColumn(1).width = 32;
  });
  figures.getRow(1).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}
