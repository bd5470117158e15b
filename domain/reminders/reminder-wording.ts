import type { DeadlineKind } from '../../models/deadline.js';
import { HQ_TIMEZONE, dayInWords, formatInZone, localDate, toLocal } from '../../workflows/business-days.js';
import { stageLabel } from '../deadlines/labels.js';

/** Text in both languages: Indonesian first, as everywhere in the tracker. */
export interface Bilingual {
  id: string;
  en: string;
}

/** The rung of the ladder a reminder belongs to, as people read it. */
export type Rung = 'before' | 'on_the_day' | 'overdue';

export interface WordingInput {
  kind: DeadlineKind;
  /** stage_due: the stage whose service level this is */
  stage?: string | null;
  /** signing_due: the party that must sign */
  partyName?: string | null;
  /** custom: what is due, as its creator wrote it */
  note?: string | null;
  rung: Rung;
  escalation: boolean;
  /** the agreement's lead unit, named in escalations */
  unit?: string | null;
  dueAt: Date;
  timezone: string;
  now: Date;
}

export interface Wording {
  /** the subject line, without the agreement's code */
  subject: Bilingual;
  /** the first sentence of the body: what is due and when, with the date written out */
  lead: Bilingual;
  /** what the reader is asked to do */
  action: Bilingual;
  /** the due time written out in the deadline's zone (and in Jakarta when that differs) */
  due: Bilingual;
  /** escalations only: why the reader receives it */
  escalationNote: Bilingual | null;
  tag: Bilingual;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Past this many days, "overdue since 14 March 2022" reads better than a count nobody can picture. */
const COUNT_DAYS_UP_TO = 60;

const WEEKDAYS: Record<'id' | 'en', string[]> = {
  id: ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};
/** Indonesia's own zone names, which every reader there knows. */
const INDONESIAN_ZONES: Record<string, string> = { 'Asia/Jakarta': 'WIB', 'Asia/Pontianak': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };

/** "14 Maret 2022" / "14 March 2022", the date as read in the zone. */
export function longDate(instant: Date, tz: string): Bilingual {
  const day = localDate(instant, tz);
  return { id: dayInWords(day, 'id'), en: dayInWords(day, 'en') };
}

/** "Jumat, 12 Juni 2026 pukul 17.00 WIB" / "Friday 12 June 2026, 17:00 WIB". */
export function longDateTime(instant: Date, tz: string): Bilingual {
  const l = toLocal(instant, tz);
  const weekday = new Date(Date.UTC(l.year, l.month - 1, l.day)).getUTCDay();
  const hh = String(l.hour).padStart(2, '0');
  const mm = String(l.minute).padStart(2, '0');
  const date = longDate(instant, tz);
  const zone = INDONESIAN_ZONES[tz];
  const offset = gmtOffset(instant, tz);
  return {
    id: `${WEEKDAYS.id[weekday]}, ${date.id} pukul ${hh}.${mm} ${zone ?? `waktu ${tz} (${offset})`}`,
    en: `${WEEKDAYS.en[weekday]} ${date.en}, ${hh}:${mm} ${zone ?? `${tz} time (${offset})`}`,
  };
}

/** "GMT+3", the offset in force at that instant (what formatInZone shows after the zone's name). */
function gmtOffset(instant: Date, tz: string): string {
  return /(GMT[^)]*)\)$/.exec(formatInZone(instant, tz))?.[1] ?? 'GMT';
}

/**
 * Calendar days between today and the due date in the deadline's own zone, as people read a due
 * date: on Friday morning something due on Tuesday is 3 days late, although fewer than 72 hours
 * have passed.
 */
export function calendarDaysUntil(dueAt: Date, now: Date, tz: string): number {
  return Math.round((Date.parse(localDate(dueAt, tz)) - Date.parse(localDate(now, tz))) / DAY_MS);
}

interface When {
  /** "3 hari lagi" / "in 3 days"; "besok" / "tomorrow"; "hari ini" / "today" */
  ahead: Bilingual;
  /** overdue: "5 hari" / "5 days", or null when counted from a date instead */
  lateCount: Bilingual | null;
  /** overdue: the due date, for "since 14 March 2022" */
  since: Bilingual;
}

function when(input: WordingInput): When {
  const days = calendarDaysUntil(input.dueAt, input.now, input.timezone);
  const ahead: Bilingual = days <= 0 ? { id: 'hari ini', en: 'today' } : days === 1 ? { id: 'besok', en: 'tomorrow' } : { id: `${days} hari lagi`, en: `in ${days} days` };
  const late = Math.max(1, -days);
  const lateCount = late <= COUNT_DAYS_UP_TO ? { id: `${late} hari`, en: `${late} day${late === 1 ? '' : 's'}` } : null;
  return { ahead, lateCount, since: longDate(input.dueAt, input.timezone) };
}

/** The sentence of each kind of deadline, for each rung. */
type Sentences = (w: When, rung: Rung) => Bilingual;

/** "X sudah lewat tenggat 5 hari / sejak 14 Maret 2022"; "X is 5 days overdue / has been overdue since 14 March 2022". */
function overdue(subjectId: string, subjectEn: string, w: When): Bilingual {
  return w.lateCount
    ? { id: `${subjectId} sudah lewat tenggat ${w.lateCount.id}`, en: `${subjectEn} is ${w.lateCount.en} overdue` }
    : { id: `${subjectId} sudah lewat tenggat sejak ${w.since.id}`, en: `${subjectEn} has been overdue since ${w.since.en}` };
}

/** "Tenggat X 3 hari lagi / besok / hari ini"; "X is due in 3 days / tomorrow / today". */
function dueAhead(subjectId: string, subjectEn: string, w: When): Bilingual {
  return { id: `Tenggat ${subjectId} ${w.ahead.id}`, en: `${subjectEn} is due ${w.ahead.en}` };
}

function sentencesFor(input: WordingInput): Sentences {
  switch (input.kind) {
    case 'stage_due': {
      const s = stageLabel(input.stage);
      return (w, rung) =>
        rung === 'overdue' ? overdue(`Tahap “${s.id}”`, `The stage “${s.en}”`, w) : { id: `Tenggat tahap “${s.id}” ${w.ahead.id}`, en: `The deadline for the stage “${s.en}” is ${w.ahead.en}` };
    }
    case 'signing_due': {
      const p = input.partyName;
      return (w, rung) =>
        rung === 'overdue'
          ? overdue(p ? `Penandatanganan oleh ${p}` : 'Penandatanganan', p ? `${p}’s signature` : 'The signature', w)
          : dueAhead(p ? `penandatanganan oleh ${p}` : 'penandatanganan', p ? `${p}’s signature` : 'The signature', w);
    }
    case 'ratification_due':
      return (w, rung) => (rung === 'overdue' ? overdue('Pengesahan (ratifikasi)', 'Ratification', w) : dueAhead('pengesahan (ratifikasi)', 'Ratification', w));
    case 'expiry':
      return (w, rung) => {
        if (rung !== 'overdue') {
          return w.ahead.en === 'today'
            ? { id: 'Masa berlaku perjanjian berakhir hari ini', en: 'The agreement expires today' }
            : { id: `Masa berlaku perjanjian berakhir ${w.ahead.id}`, en: `The agreement expires ${w.ahead.en}` };
        }
        return w.lateCount
          ? { id: `Masa berlaku perjanjian telah berakhir ${w.lateCount.id} yang lalu`, en: `The agreement expired ${w.lateCount.en} ago` }
          : { id: `Masa berlaku perjanjian telah berakhir pada ${w.since.id}`, en: `The agreement expired on ${w.since.en}` };
      };
    case 'renewal_notice':
      return (w, rung) => {
        if (rung !== 'overdue') {
          return w.ahead.en === 'today'
            ? { id: 'Hari ini batas akhir pemberitahuan perpanjangan atau pengakhiran', en: 'Today is the last day to give notice of renewal or termination' }
            : { id: `Batas akhir pemberitahuan perpanjangan atau pengakhiran ${w.ahead.id}`, en: `The last day to give notice of renewal or termination is ${w.ahead.en}` };
        }
        return w.lateCount
          ? { id: `Batas akhir pemberitahuan perpanjangan atau pengakhiran sudah lewat ${w.lateCount.id}`, en: `The last day to give notice of renewal or termination passed ${w.lateCount.en} ago` }
          : { id: `Batas akhir pemberitahuan perpanjangan atau pengakhiran sudah lewat sejak ${w.since.id}`, en: `The last day to give notice of renewal or termination passed on ${w.since.en}` };
      };
    case 'custom':
    default: {
      const note = input.note?.trim();
      return (w, rung) =>
        rung === 'overdue'
          ? note
            ? overdue(`“${note}”`, `“${note}”`, w)
            : w.lateCount
              ? { id: `Tenggat perjanjian ini sudah lewat ${w.lateCount.id}`, en: `A deadline on this agreement is ${w.lateCount.en} overdue` }
              : { id: `Tenggat perjanjian ini sudah lewat sejak ${w.since.id}`, en: `A deadline on this agreement has been overdue since ${w.since.en}` }
          : note
            ? { id: `Tenggat “${note}” ${w.ahead.id}`, en: `“${note}” is due ${w.ahead.en}` }
            : { id: `Tenggat perjanjian ini ${w.ahead.id}`, en: `A deadline on this agreement is due ${w.ahead.en}` };
    }
  }
}

/** What the reader is asked to do, by kind, before and after the due time. */
function actionFor(input: WordingInput): Bilingual {
  const late = input.rung === 'overdue';
  switch (input.kind) {
    case 'stage_due':
      return late
        ? { id: 'Mohon segera selesaikan tahap ini, atau perbarui tenggatnya bila jadwal memang berubah.', en: 'Please complete this stage as soon as possible, or update its deadline if the schedule has changed.' }
        : { id: 'Mohon selesaikan tahap ini sebelum tenggat, atau perbarui tenggatnya bila jadwal berubah.', en: 'Please complete this stage before the deadline, or update the deadline if the schedule changes.' };
    case 'signing_due':
      return late
        ? { id: 'Mohon segera menandatangani perjanjian ini atau memberi tahu perancang apabila penandatanganan perlu dijadwalkan ulang.', en: 'Please sign the agreement as soon as possible, or let the drafter know if the signing has to be rescheduled.' }
        : { id: 'Mohon menandatangani perjanjian ini sebelum tenggat atau memberi tahu perancang apabila penandatanganan perlu dijadwalkan ulang.', en: 'Please sign the agreement before the deadline, or let the drafter know if the signing has to be rescheduled.' };
    case 'ratification_due':
      return {
        id: 'Mohon pastikan peraturan pengesahannya (undang-undang atau peraturan presiden) terbit dan dicatat di pelacak.',
        en: 'Please make sure the instrument of ratification (a law or a presidential regulation) is issued and recorded in the tracker.',
      };
    case 'expiry':
      return late
        ? { id: 'Mohon catat berakhirnya perjanjian ini di pelacak, atau catat perpanjangan atau penggantinya.', en: 'Please record in the tracker that the agreement has expired, or record its renewal or replacement.' }
        : { id: 'Mohon putuskan apakah perjanjian ini diperpanjang, diganti, atau dibiarkan berakhir.', en: 'Please decide whether the agreement is to be renewed, replaced or left to expire.' };
    case 'renewal_notice':
      return late
        ? { id: 'Bila pemberitahuan sudah dikirim, mohon catat di pelacak; bila belum, mohon konsultasikan akibatnya dengan Direktorat Perjanjian.', en: 'If notice has been given, please record it in the tracker; if not, please consult the treaties directorate on the consequences.' }
        : { id: 'Bila perjanjian ini akan diperpanjang atau diakhiri, pemberitahuan kepada pihak lain harus sudah diterima paling lambat pada tanggal tersebut.', en: 'If the agreement is to be renewed or terminated, the other parties must receive notice by that date.' };
    case 'custom':
    default:
      return late ? { id: 'Mohon segera ditindaklanjuti.', en: 'Please follow this up as soon as possible.' } : { id: 'Mohon ditindaklanjuti sebelum tenggat.', en: 'Please follow this up before the deadline.' };
  }
}

/**
 * The words of one reminder: the subject, the opening sentence, what to do, and the due time
 * written out, in natural Indonesian and English, for each kind of deadline and each rung
 * (before, on the day, overdue, and escalation to the head of the unit).
 */
export function reminderWording(input: WordingInput): Wording {
  const w = when(input);
  const sentence = sentencesFor(input)(w, input.rung);
  const due = longDateTime(input.dueAt, input.timezone);
  const dueHq = input.timezone === HQ_TIMEZONE || INDONESIAN_ZONES[input.timezone] ? null : longDateTime(input.dueAt, HQ_TIMEZONE);
  const tag: Bilingual = input.escalation ? { id: 'Eskalasi', en: 'Escalation' } : input.rung === 'overdue' ? { id: 'Terlambat', en: 'Overdue' } : { id: 'Pengingat', en: 'Reminder' };
  const unit = input.unit ? ` ${input.unit}` : '';
  return {
    tag,
    subject: sentence,
    lead: {
      id: `${sentence.id}${input.rung === 'overdue' ? '' : ` (${longDate(input.dueAt, input.timezone).id})`}.`,
      en: `${sentence.en}${input.rung === 'overdue' ? '' : ` (${longDate(input.dueAt, input.timezone).en})`}.`,
    },
    action: actionFor(input),
    due: {
      id: `${due.id}${dueHq ? `; di Jakarta ${dueHq.id}` : ''}`,
      en: `${due.en}${dueHq ? `; in Jakarta ${dueHq.en}` : ''}`,
    },
    escalationNote: input.escalation
      ? {
          id: `Anda menerima pesan ini sebagai pimpinan unit${unit}: pekerjaan ini sudah lewat tenggat dan belum selesai.`,
          en: `You are receiving this as head of the${unit} unit: this work is past its deadline and not yet done.`,
        }
      : null,
  };
}
