import type { Response } from 'express';
import type { AgreementSummary } from '../../domain/agreements/agreement-view.js';
import { CONFIDENTIALITY_LABELS, STAGE_LABELS, TYPE_LABELS } from '../../domain/deadlines/labels.js';
import { neutraliseFormula } from '../../lib/spreadsheet-cell.js';
import { HQ_TIMEZONE, hqDay, isoDate, localDate, toLocal } from '../../workflows/business-days.js';

/**
 * The board as a spreadsheet: one row per agreement, UTF-8 with a byte-order mark so that Excel
 * reads Indonesian and Arabic names right, rows written as the cursor yields them. Everything a
 * person reads is in the asked language, as the interface says it: column names, types, stages,
 * classifications, yes/no, and the file's name; the agreement codes stay as they are.
 */
export type CsvLanguage = 'id' | 'en';

// column names as the interface names the fields (web/i18n/common.js `field.*`)
const HEADERS: Record<CsvLanguage, string[]> = {
  id: ['Kode', 'Jenis', 'Tahap', 'Judul (Indonesia)', 'Judul (Inggris)', 'Unit penanggung jawab', 'Klasifikasi', 'Pihak', 'Negara', 'Sudah menandatangani', 'Jumlah pihak', 'Masuk tahap', 'Tenggat tahap', 'Terlambat', 'Ditandatangani', 'Berlaku sejak', 'Berakhir', 'Terakhir diubah', 'Judul dalam bahasa otentik lain', 'Nama resmi pihak dalam aksara lain'],
  en: ['Code', 'Type', 'Stage', 'Title (Indonesian)', 'Title (English)', 'Lead unit', 'Confidentiality', 'Parties', 'Countries', 'Signed', 'Parties in all', 'In stage since', 'Stage due', 'Overdue', 'Signed on', 'In force since', 'Expires', 'Last changed', 'Titles in other authentic languages', 'Official party names in other scripts'],
};

const YES_NO: Record<CsvLanguage, [string, string]> = { id: ['ya', 'tidak'], en: ['yes', 'no'] };

/** The file's name: "perjanjian-2026-12-07.csv" / "agreements-2026-12-07.csv", dated as in Jakarta. */
const FILE_NAME: Record<CsvLanguage, string> = { id: 'perjanjian', en: 'agreements' };

/** A code's name in the language; a code without one (none today) stays as it is rather than leaving the cell empty. */
const named = (labels: Record<string, { id: string; en: string }>, code: string | undefined, lang: CsvLanguage) => (code ? (labels[code]?.[lang] ?? code) : '');

/**
 * A field as CSV: quoted when it holds a separator, quote or line break; a text that a
 * spreadsheet would run as a formula gets a leading apostrophe (lib/spreadsheet-cell.ts).
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = neutraliseFormula(value instanceof Date ? value.toISOString() : String(value));
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Instants and days as the ministry's clocks in Jakarta read them ("2022-04-01 10:15 WIB",
 * "2022-04-01"), as the history export writes them: a signing at 01:00 in Jakarta is on that day,
 * not on the UTC day before.
 */
const wib = (d: Date | string | null | undefined) => {
  if (!d) return '';
  const l = toLocal(new Date(d), HQ_TIMEZONE);
  return `${isoDate(l.year, l.month, l.day)} ${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')} WIB`;
};
const day = (d: Date | string | null | undefined) => (d ? hqDay(d) : '');

function rowOf(a: AgreementSummary, lang: CsvLanguage, now: number): string {
  const parties = a.parties ?? [];
  const overdue = a.stageDueAt ? new Date(a.stageDueAt).getTime() < now : false;
  const countries = [...new Set(parties.map((p) => p.country).filter(Boolean))];
  const title = a.title as Record<string, string | undefined> | undefined;
  const otherTitles = Object.entries(title ?? {}).filter(([l, text]) => l !== 'id' && l !== 'en' && text);
  return [
    a.code,
    named(TYPE_LABELS, a.type, lang),
    named(STAGE_LABELS, a.stage, lang),
    title?.id,
    title?.en,
    a.leadUnit,
    named(CONFIDENTIALITY_LABELS, a.confidentiality, lang),
    parties.map((p) => p.name).join('; '),
    countries.join('; '),
    parties.filter((p) => p.status === 'signed').length,
    parties.length,
    wib(a.stageEnteredAt),
    wib(a.stageDueAt),
    YES_NO[lang][overdue ? 0 : 1],
    day(a.signedAt),
    day(a.entryIntoForce?.date),
    day(a.expiresAt),
    wib(a.updatedAt),
    // "ar: ...; ms: ..." and "Kerajaan Arab Saudi: ...": added last so that existing column positions stay
    otherTitles.map(([l, text]) => `${l}: ${text}`).join('; '),
    parties.flatMap((p) => (p.officialName ? [`${p.name}: ${p.officialName}`] : [])).join('; '),
  ]
    .map(csvField)
    .join(',');
}

/** Streams the rows; waits for the socket to drain so a slow client never fills the memory. */
export async function sendAgreementsCsv(res: Response, rows: AsyncIterable<AgreementSummary>, lang: CsvLanguage, now: Date): Promise<void> {
  const name = `${FILE_NAME[lang]}-${localDate(now, HQ_TIMEZONE)}.csv`;
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
  res.setHeader('Cache-Control', 'no-store');
  const write = async (text: string) => {
    if (res.write(text)) return;
    // a client that went away never drains: 'close' ends the wait too
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.once('drain', done);
      res.once('close', done);
    });
  };
  await write(`\uFEFF${HEADERS[lang].map(csvField).join(',')}\r\n`);
  let batch = '';
  for await (const a of rows) {
    if (res.destroyed) return;
    batch += `${rowOf(a, lang, now.getTime())}\r\n`;
    if (batch.length > 16_384) {
      await write(batch);
      batch = '';
    }
  }
  res.end(batch);
}
