import { AppError } from '../errors.js';
import type { AgreementRecord } from '../../models/agreement.js';
import { dayInWords, hqDay as jakartaDay } from '../../workflows/business-days.js';

const DAY_MS = 86_400_000;


/** When the agreement began to bind: its entry into force, or its signing while that is not known. */
function beganOn(agreement: Pick<AgreementRecord, 'entryIntoForce' | 'signedAt'>): { day: string; en: string; id: string } | null {
  if (agreement.entryIntoForce?.date) {
    const day = jakartaDay(agreement.entryIntoForce.date);
    return { day, en: `entered into force (${dayInWords(day, 'en')})`, id: `mulai berlaku (${dayInWords(day, 'id')})` };
  }
  if (agreement.signedAt) {
    const day = jakartaDay(agreement.signedAt);
    return { day, en: `was signed (${dayInWords(day, 'en')})`, id: `ditandatangani (${dayInWords(day, 'id')})` };
  }
  return null;
}

/**
 * A term holds together: a notice period is counted back from an end date, so it needs one; the
 * term ends after the agreement began; and the last day for notice does not fall before it began.
 */
export function checkTerm(agreement: Pick<AgreementRecord, 'term' | 'entryIntoForce' | 'signedAt'>): void {
  const term = agreement.term;
  if (!term) return;
  const notice = term.noticePeriodDays ?? 0;
  if (notice > 0 && !term.expiresAt) {
    throw new AppError('validation_failed', 'A notice period needs the end date it is counted back from / Jangka waktu pemberitahuan memerlukan tanggal berakhir sebagai titik hitungnya', [
      { field: 'term.expiresAt', message: 'Give the end date: the notice period is counted back from it / Isi tanggal berakhir: jangka waktu pemberitahuan dihitung mundur dari tanggal itu' },
    ]);
  }
  const began = beganOn(agreement);
  if (!term.expiresAt || !began) return;
  const ends = jakartaDay(term.expiresAt);
  if (ends <= began.day) {
    throw new AppError('validation_failed', 'The term must end after the agreement began / Masa berlaku harus berakhir setelah perjanjian berlaku', [
      { field: 'term.expiresAt', message: `The term must end after the day the agreement ${began.en} / Masa berlaku harus berakhir setelah tanggal perjanjian ${began.id}` },
    ]);
  }
  const noticeDay = jakartaDay(new Date(new Date(term.expiresAt).getTime() - notice * DAY_MS));
  if (notice > 0 && noticeDay < began.day) {
    throw new AppError('validation_failed', 'The notice period reaches back before the agreement began / Jangka waktu pemberitahuan mundur melewati awal berlakunya perjanjian', [
      {
        field: 'term.noticePeriodDays',
        message: `${notice} days before the end (${dayInWords(ends, 'en')}) is ${dayInWords(noticeDay, 'en')}, before the day the agreement ${began.en} / ${notice} hari sebelum berakhir (${dayInWords(ends, 'id')}) jatuh pada ${dayInWords(noticeDay, 'id')}, sebelum tanggal perjanjian ${began.id}`,
      },
    ]);
  }
}

/**
 * An agreement enters into force on or after the day it was signed and, once it stands in force,
 * not after today (`now`; null for one not yet in force, whose date may be the one foreseen): by
 * Jakarta's calendar.
 */
export function checkEntryIntoForceDay(agreement: Pick<AgreementRecord, 'entryIntoForce' | 'signedAt'>, now: Date | null): void {
  const date = agreement.entryIntoForce?.date;
  if (!date) return;
  const day = jakartaDay(date);
  if (agreement.signedAt) {
    const signedOn = jakartaDay(agreement.signedAt);
    if (day < signedOn) {
      throw new AppError('validation_failed', 'The entry into force cannot come before the signing / Tanggal mulai berlaku tidak boleh sebelum tanggal penandatanganan', [
        {
          field: 'entryIntoForce.date',
          message: `The entry into force (${dayInWords(day, 'en')}) cannot come before the signing (${dayInWords(signedOn, 'en')}) / Tanggal mulai berlaku (${dayInWords(day, 'id')}) tidak boleh sebelum tanggal penandatanganan (${dayInWords(signedOn, 'id')})`,
        },
      ]);
    }
  }
  if (!now) return;
  const today = jakartaDay(now);
  if (day > today) {
    throw new AppError('validation_failed', 'An agreement is in force only from its day of entry into force / Perjanjian baru berlaku pada tanggal mulai berlakunya', [
      {
        field: 'entryIntoForce.date',
        message: `The entry into force (${dayInWords(day, 'en')}) is after today (${dayInWords(today, 'en')}): record it on that day / Tanggal mulai berlaku (${dayInWords(day, 'id')}) sesudah hari ini (${dayInWords(today, 'id')}): catat pada hari itu`,
      },
    ]);
  }
}

/**
 * The end of a term given only as a duration, once the agreement is in force: the same day that
 * many months after the entry into force (the last day of a shorter month when it has no such day),
 * as the term dialog counts it.
 */
export function endOfDuration(agreement: Pick<AgreementRecord, 'term' | 'entryIntoForce'>): Date | null {
  const months = agreement.term?.durationMonths;
  if (!months || agreement.term?.expiresAt || !agreement.entryIntoForce?.date) return null;
  const [y, m, d] = jakartaDay(agreement.entryIntoForce.date).split('-').map(Number);
  const total = m - 1 + months;
  const year = y + Math.floor(total / 12);
  const month = total % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, last)));
}
