// Every instant the interface shows goes through here, in one zone per user: the zone kept on
// the user's account (Asia/Jakarta, the ministry's, unless they chose another in their settings),
// so it is the same on every device they sign in on. A deadline set in a mission's zone is shown
// in that zone, and the zone is named, so nobody compares UTC on one panel with local time on another.
import { h } from './dom.js';
import { locale } from './i18n.js';
import { t } from './i18n/common.js';
import { session } from './api.js';

/** The ministry's zone: the zone an account starts with, and the calendar its dates (a term's days) are kept by. */
export const HQ_ZONE = 'Asia/Jakarta';
export const DEFAULT_ZONE = HQ_ZONE;
/**
 * Headquarters' zone and those of the missions that most often set deadlines (Kuala Lumpur, Riyadh
 * for Jeddah too, Doha…): offered first wherever a zone is chosen, before the world's 400.
 */
export const MISSION_ZONES = ['Asia/Jakarta', 'Asia/Kuala_Lumpur', 'Asia/Singapore', 'Asia/Riyadh', 'Asia/Qatar', 'Asia/Dubai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Seoul', 'Asia/Tokyo', 'Europe/London'];
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * An Intl formatter is costly to build (about half a millisecond, several on a slow phone) and
 * cheap to use, and an agreement page shows dozens of instants: each kind, locale and set of
 * options is built once. A formatter depends on nothing but these, so one kept is never out of date.
 */
const formatters = new Map();
export function intl(Kind, localeTag, options) {
  const key = `${Kind.name}|${localeTag}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Kind(localeTag, options);
    formatters.set(key, f);
  }
  return f;
}
const formatter = (localeTag, options) => intl(Intl.DateTimeFormat, localeTag, options);

const zones = new Map();
export function isZone(zone) {
  if (typeof zone !== 'string' || !zone) return false;
  if (!zones.has(zone)) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      zones.set(zone, true);
    } catch {
      zones.set(zone, false);
    }
  }
  return zones.get(zone);
}

/** The zone this user reads times in: the one on their account, as the login or /me answer gave it. */
export function userZone() {
  const zone = session.get()?.user?.timezone;
  return isZone(zone) ? zone : DEFAULT_ZONE;
}

/** Every zone this browser knows, for the settings page (the server checks the choice again). */
export function knownZones() {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [DEFAULT_ZONE];
  }
}

const valid = (value) => {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** 7 Nov 2022, the calendar day in the zone. */
export function formatDate(value, zone = userZone()) {
  const d = valid(value);
  return d ? formatter(locale(), { day: 'numeric', month: 'short', year: 'numeric', timeZone: zone }).format(d) : '—';
}

/** Indonesia's own zone names, which people there use in either language (the header says "Jakarta time", not "GMT+7"). */
const INDONESIAN_ZONE_NAMES = new Set(['WIB', 'WITA', 'WIT']);

/**
 * The zone's short name at that instant: WIB, WITA or WIT for Indonesia's zones in both languages
 * (English locales would write "GMT+7"), otherwise what the reader's locale calls it ("GMT+3").
 */
function zoneName(value, zone = userZone()) {
  const d = valid(value) ?? new Date();
  const nameIn = (localeTag) => formatter(localeTag, { timeZone: zone, timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const indonesian = nameIn('id-ID');
  return INDONESIAN_ZONE_NAMES.has(indonesian) ? indonesian : nameIn(locale());
}

/** Formats with the zone's name as zoneName gives it, in the place the locale puts a zone name. */
function formatNamed(d, zone, options) {
  const name = zoneName(d, zone);
  return formatter(locale(), { ...options, timeZone: zone, timeZoneName: 'short' })
    .formatToParts(d)
    .map((p) => (p.type === 'timeZoneName' ? name : p.value))
    .join('');
}

/** 7 Nov 2022 14.30 WIB: date and time in the zone, the zone named. */
export function formatDateTime(value, zone = userZone()) {
  const d = valid(value);
  if (!d) return '—';
  return formatNamed(d, zone, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** 14.30 WIB: the time of day in the zone, the zone named. */
export function formatTimeOfDay(value, zone = userZone()) {
  const d = valid(value);
  return d ? formatNamed(d, zone, { hour: '2-digit', minute: '2-digit' }) : '—';
}

/**
 * 2022-04-01 10:15 WIB: an instant as the ministry's clocks in Jakarta read it, whoever reads it and
 * in either language, for files that leave the page (the history export): one zone, named, that
 * sorts as text. Empty for no instant.
 */
export function jakartaTime(value) {
  const d = valid(value);
  return d ? `${dateInputValue(d, DEFAULT_ZONE)} ${timeInputValue(d, DEFAULT_ZONE)} ${zoneName(d, DEFAULT_ZONE)}` : '';
}

/** "Riyadh" for Asia/Riyadh: the city people know the zone by. */
export function zoneCity(zone) {
  return String(zone).split('/').pop().replace(/_/g, ' ');
}

/** A <time> element: the machine-readable instant for assistive tech, the readable one shown. */
export function time(value, withTime = false, zone = userZone()) {
  const d = valid(value);
  if (!d) return '—';
  return h('time', { datetime: d.toISOString() }, withTime ? formatDateTime(d, zone) : formatDate(d, zone));
}

/**
 * An instant in the zone a deadline belongs to (a mission's), saying so when it is not the
 * user's own: "15 Jan 2027 17.00 GMT+3 (waktu Riyadh)".
 */
export function zonedTime(value, zone) {
  const own = userZone();
  if (!zone || zone === own) return time(value, true, own);
  return h('span', { class: 'zoned' }, time(value, true, zone), ' ', h('span', { class: 'muted zone-note' }, t('time.zoneNote', { city: zoneCity(zone) })));
}

/** Whole calendar days since `since` (0 on the day itself). */
export function daysSince(since, now = Date.now()) {
  if (!since) return 0;
  return Math.max(0, Math.floor((now - new Date(since).getTime()) / DAY_MS));
}

/** The wall-clock parts of an instant in a zone. */
function partsIn(date, zone) {
  const parts = formatter('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(date);
  const get = (type) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
}

/** YYYY-MM-DD of the instant as a calendar day in the zone (for <input type="date">). */
export function dateInputValue(value = new Date(), zone = userZone()) {
  const d = valid(value);
  if (!d) return '';
  const p = partsIn(d, zone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/**
 * Jumat, 1 April 2022: the calendar day a date box holds (YYYY-MM-DD), in words, in the page's
 * language. A day, not an instant: no zone moves it.
 */
export function formatDay(dateValue) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateValue ?? '');
  if (!m) return '';
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3])); // Date.UTC would read years 0-99 as 1900-1999
  return formatter(locale(), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
}

/** HH:MM of the instant in the zone (for <input type="time">). */
export function timeInputValue(value = new Date(), zone = userZone()) {
  const d = valid(value);
  if (!d) return '';
  const p = partsIn(d, zone);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/**
 * The instant a wall-clock date and time mean in a zone ("2027-01-15", "17:00", Asia/Riyadh), as
 * an ISO string. Two passes settle the zone's offset, including on the day a DST change falls.
 */
export function zonedInstant(dateValue, timeValue = '00:00', zone = userZone()) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateValue ?? '');
  if (!m) return null;
  const [hh, mm] = (timeValue || '00:00').split(':').map(Number);
  const wanted = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), hh || 0, mm || 0);
  let guess = wanted;
  for (let i = 0; i < 2; i++) {
    const p = partsIn(new Date(guess), zone);
    const seen = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    guess += wanted - seen;
  }
  return new Date(guess).toISOString();
}

/**
 * A date someone signed on, as an instant: now when it is today in the zone (the server refuses
 * a signature dated in the future), else midday of that day, which stays the same calendar day
 * in every zone a reader is likely to use.
 */
export function signingInstant(dateValue, zone = userZone(), now = new Date()) {
  if (dateValue === dateInputValue(now, zone)) return now.toISOString();
  return zonedInstant(dateValue, '12:00', zone);
}
