/**
 * Working-day calendar and time-zone arithmetic, as pure data + functions (no DB, no clock).
 *
 * Service-level days are counted in Asia/Jakarta: Saturdays, Sundays, national public holidays
 * and collective leave (cuti bersama) are not working days. The shipped yearly files come from
 * the joint ministerial decree (SKB) of each year; admins add or correct days through the API
 * (stored in MongoDB) and `buildBusinessCalendar` merges both.
 */
import holidays2022 from './holidays/2022.json' with { type: 'json' };
import holidays2023 from './holidays/2023.json' with { type: 'json' };
import holidays2024 from './holidays/2024.json' with { type: 'json' };
import holidays2025 from './holidays/2025.json' with { type: 'json' };
import holidays2026 from './holidays/2026.json' with { type: 'json' };
import holidays2027 from './holidays/2027.json' with { type: 'json' };

export const HQ_TIMEZONE = 'Asia/Jakarta';

export type HolidayKind = 'holiday' | 'collective_leave';

export interface HolidayDay {
  /** local date in Indonesia, YYYY-MM-DD */
  date: string;
  kind: HolidayKind;
  name: { id: string; en: string };
  provisional?: boolean;
}

export interface HolidayYearFile {
  year: number;
  official: boolean;
  source: string;
  days: HolidayDay[];
}

/** From 2022, the year of the demo agreements' stage deadlines, so their working days count right too. */
export const SHIPPED_HOLIDAY_YEARS: readonly HolidayYearFile[] = [holidays2022, holidays2023, holidays2024, holidays2025, holidays2026, holidays2027] as HolidayYearFile[];

export interface BusinessCalendar {
  /** YYYY-MM-DD dates that are not working days although they fall on a weekday */
  readonly closed: ReadonlySet<string>;
  /** dates an admin re-opened (e.g. a provisional estimate that turned out wrong) */
  readonly reopened?: ReadonlySet<string>;
}

/**
 * Merges the shipped files with admin entries. An admin entry with `removed: true` re-opens a
 * shipped date (the SKB can be revised during the year).
 */
export function buildBusinessCalendar(
  extra: Array<{ date: string; removed?: boolean }> = [],
  shipped: readonly HolidayYearFile[] = SHIPPED_HOLIDAY_YEARS,
): BusinessCalendar {
  const closed = new Set<string>();
  for (const year of shipped) for (const d of year.days) closed.add(d.date);
  const reopened = new Set<string>();
  for (const e of extra) {
    if (e.removed) {
      closed.delete(e.date);
      reopened.add(e.date);
    } else closed.add(e.date);
  }
  return { closed, reopened };
}

export const SHIPPED_CALENDAR: BusinessCalendar = buildBusinessCalendar();

// ---------------------------------------------------------------------------------------------
// Time zones. Intl is the only source of zone rules here, so DST follows the platform's tzdata.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** True when the platform knows the IANA zone name (e.g. 'Europe/London'). */
export function isValidTimeZone(tz: unknown): tz is string {
  if (typeof tz !== 'string' || tz.length === 0 || tz.length > 64) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * A zone's UTC offset at an instant, read from Intl (slow: formatToParts costs tens of
 * microseconds) once per zone and minute, then cached. Every offset change of every zone the
 * platform knows from 1973 to 2045 happens on a whole minute of UTC (checked over all 418 zones;
 * Canada's 00:01 changes until 2011 are why it is not a quarter hour), so the offset at a
 * minute's start holds for all of it. A sweep computes each due deadline's whole ladder; without
 * the cache Intl was its largest single cost.
 */
const MINUTE_MS = 60 * 1000;
const offsetCache = new Map<string, number>();

function offsetMs(tz: string, epochMs: number): number {
  const bucket = Math.floor(epochMs / MINUTE_MS);
  const key = `${tz}|${bucket}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    const at = bucket * MINUTE_MS;
    const parts: Record<string, number> = {};
    for (const p of formatter(tz).formatToParts(new Date(at))) {
      if (p.type !== 'literal') parts[p.type] = Number(p.value);
    }
    offset = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second) - at;
    // Bounded: a long-running process sees many zones and instants.
    if (offsetCache.size >= 100_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

/** The wall-clock reading of an instant in a zone. */
export function toLocal(instant: Date, tz: string): LocalDateTime {
  const t = new Date(Math.floor(instant.getTime() / 1000) * 1000 + offsetMs(tz, instant.getTime()));
  return {
    year: t.getUTCFullYear(),
    month: t.getUTCMonth() + 1,
    day: t.getUTCDate(),
    hour: t.getUTCHours(),
    minute: t.getUTCMinutes(),
    second: t.getUTCSeconds(),
  };
}

/**
 * The instant at which a zone's clocks show the given wall time. Two passes handle the offset
 * changing between the guess and the answer (DST); a wall time inside a spring-forward gap
 * resolves to the instant one gap later, which is what calendar clients do as well.
 */
export function fromLocal(local: Omit<LocalDateTime, 'second'> & { second?: number }, tz: string): Date {
  const guess = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second ?? 0);
  const first = offsetMs(tz, guess);
  let t = guess - first;
  const second = offsetMs(tz, t);
  if (second !== first) t = guess - second;
  return new Date(t);
}

/** YYYY-MM-DD of an instant in a zone. */
export function localDate(instant: Date, tz: string): string {
  const l = toLocal(instant, tz);
  return isoDate(l.year, l.month, l.day);
}

export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Calendar arithmetic on a YYYY-MM-DD date (no zone involved). */
export function addCalendarDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return isoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

export function parseDate(date: string): { year: number; month: number; day: number } {
  const [year, month, day] = date.split('-').map(Number);
  return { year, month, day };
}

/** Parses 'HH:MM'. */
export function parseTime(hhmm: string): { hour: number; minute: number } {
  const [hour, minute] = hhmm.split(':').map(Number);
  return { hour, minute };
}

// ---------------------------------------------------------------------------------------------
// Working days

/** 0 = Sunday ... 6 = Saturday, for a YYYY-MM-DD date. */
export function weekday(date: string): number {
  const { year, month, day } = parseDate(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

export function isBusinessDay(date: string, calendar: BusinessCalendar = SHIPPED_CALENDAR): boolean {
  const wd = weekday(date);
  if (wd === 0 || wd === 6) return false;
  return !calendar.closed.has(date);
}

/** The date `n` working days after `date` (n ≥ 1); `date` itself never counts. */
export function addBusinessDaysToDate(date: string, n: number, calendar: BusinessCalendar = SHIPPED_CALENDAR): string {
  let current = date;
  let left = n;
  // A year holds ~250 working days; the guard only stops a corrupt calendar from looping forever.
  for (let guard = 0; left > 0 && guard < 10 * 366; guard++) {
    current = addCalendarDays(current, 1);
    if (isBusinessDay(current, calendar)) left--;
  }
  return current;
}

/** Working days strictly after `from` up to and including `to` (both YYYY-MM-DD). */
export function businessDaysBetween(from: string, to: string, calendar: BusinessCalendar = SHIPPED_CALENDAR): number {
  let count = 0;
  for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) if (isBusinessDay(d, calendar)) count++;
  return count;
}

/** Close of business used for service-level deadlines (government offices close at 16:00–16:30). */
export const SLA_DUE_LOCAL_TIME = '17:00';

/**
 * A service-level deadline: the close of business (17:00, Asia/Jakarta) of the n-th working
 * day after the moment the stage was entered. Entering on a Friday evening before a long
 * weekend counts from the next working day, never from the weekend.
 */
export function slaDueAt(enteredAt: Date, businessDays: number, calendar: BusinessCalendar = SHIPPED_CALENDAR, tz = HQ_TIMEZONE): Date {
  return closeOfBusiness(addBusinessDaysToDate(localDate(enteredAt, tz), businessDays, calendar), tz);
}

/** SLA_DUE_LOCAL_TIME (17:00) on a calendar day in the zone: when a deadline that falls on that day falls. */
export function closeOfBusiness(date: string, tz = HQ_TIMEZONE): Date {
  return fromLocal({ ...parseDate(date), ...parseTime(SLA_DUE_LOCAL_TIME) }, tz);
}

/**
 * The day an instant falls on by headquarters' calendar (YYYY-MM-DD). A calendar day kept as its
 * midnight UTC (the API) or as its midnight in Jakarta (an import) names the same day here.
 */
export const hqDay = (value: Date | string): string => localDate(new Date(value), HQ_TIMEZONE);

/** The months as a person writes them in a date, in Indonesian and English. */
export const MONTH_NAMES = {
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/**
 * "1 April 2027" for the day 2027-04-01, as a person writes a date in a sentence: refusals,
 * reminders, the annual report and the signing packet say days in words (an ISO day reads as a
 * code there).
 */
export function dayInWords(day: string, lang: 'id' | 'en'): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${d} ${MONTH_NAMES[lang][m - 1]} ${y}`;
}

/** Human-readable local time with its zone, e.g. '2026-04-02 09:00 (Europe/London, GMT+1)'. */
export function formatInZone(instant: Date, tz: string): string {
  const l = toLocal(instant, tz);
  const off = offsetMs(tz, instant.getTime()) / 60000;
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  const offText = `GMT${sign}${Math.floor(abs / 60)}${abs % 60 ? ':' + String(abs % 60).padStart(2, '0') : ''}`;
  return `${isoDate(l.year, l.month, l.day)} ${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')} (${tz}, ${offText})`;
}
