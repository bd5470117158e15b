import { createEvent, createEvents, type DateArray, type EventAttributes } from 'ics';
import type { AgreementRecord } from '../../models/agreement.js';
import type { DeadlineRecord } from '../../models/deadline.js';
import { formatInZone } from '../../workflows/business-days.js';
import { whatIsDue } from './labels.js';
import { DATE_WINDOW, inDateWindow } from '../date-window.js';

export type AgreementSummary = Pick<AgreementRecord, '_id' | 'code' | 'title' | 'stage' | 'parties'>;

/** Links in e-mails and calendars open the agreement in the web interface, not the JSON API. */
export const agreementLink = (publicUrl: string, agreementId: unknown) => `${publicUrl}/#/agreements/${String(agreementId)}`;

/**
 * One VEVENT per deadline. The UID depends only on the deadline id, so a moved deadline updates
 * the same calendar entry (SEQUENCE follows the version) instead of adding a second one.
 */
export function deadlineEvent(d: DeadlineRecord, agreement: AgreementSummary | undefined, publicUrl: string): EventAttributes {
  const party = agreement?.parties?.find((p) => String(p._id) === String(d.partyId));
  const what = whatIsDue(d, party?.name);
  const code = agreement?.code ?? '';
  const title = `${code ? code + ': ' : ''}${what.id} / ${what.en}`;
  const description = [
    agreement ? `${agreement.title.id} / ${agreement.title.en}` : '',
    `Tenggat / Due: ${formatInZone(d.dueAt, d.timezone)}`,
    `Status: ${d.status}`,
    agreementLink(publicUrl, d.agreementId),
  ]
    .filter(Boolean)
    .join('\n');
  return {
    uid: `deadline-${String(d._id)}@pwni-agreement-tracker`,
    start: utcParts(d.dueAt),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: 30 },
    title,
    description,
    url: agreementLink(publicUrl, d.agreementId),
    status: d.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
    busyStatus: 'FREE',
    transp: 'TRANSPARENT',
    categories: ['deadline', d.kind],
    sequence: Math.max(0, (d.version ?? 1) - 1),
    lastModified: utcParts(d.updatedAt ?? d.createdAt),
    alarms: d.status === 'open' ? [{ action: 'display', description: title, trigger: { hours: 24, before: true } }] : [],
  };
}

/**
 * A time as UTC date parts: ics refuses a timestamp before 1970 (a negative number), but renders
 * the same instant given as parts, so every date of the accepted window has its calendar entry.
 * Outside the window ics would render nonsense (year 99 as 1999, year 0 as today): refused.
 */
function utcParts(at: Date): DateArray {
  if (!inDateWindow(at)) throw new RangeError(`date outside ${DATE_WINDOW.from}..${DATE_WINDOW.to}: ${String(at)}`);
  return [at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate(), at.getUTCHours(), at.getUTCMinutes()];
}

/** A whole VCALENDAR (also when empty: calendar clients accept a feed with no events). */
export function buildCalendar(events: EventAttributes[], calName: string, onSkip?: (uid: string | undefined, error: Error) => void): string {
  const header = { productId: '-//Kemlu PWNI//Agreement tracker//EN', method: 'PUBLISH', calName } as const;
  let { error, value } = createEvents(events, header);
  if (error && onSkip) {
    // ics refuses the whole calendar for one event it cannot render (a legacy date before 1970,
    // say): that event is left out and reported, the feed goes on with the rest.
    const renderable = events.filter((event) => {
      const one = createEvent(event);
      if (one.error) onSkip(event.uid, one.error);
      return !one.error;
    });
    ({ error, value } = createEvents(renderable, header));
  }
  if (error || !value) throw error ?? new Error('calendar could not be built');
  return value;
}
