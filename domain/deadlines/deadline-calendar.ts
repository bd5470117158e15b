import { createEvents, type EventAttributes } from 'ics';
import type { AgreementRecord } from '../../models/agreement.js';
import type { DeadlineRecord } from '../../models/deadline.js';
import { formatInZone } from '../../workflows/business-days.js';
import { whatIsDue } from './labels.js';

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
    start: d.dueAt.getTime(),
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
    lastModified: (d.updatedAt ?? d.createdAt).getTime(),
    alarms: d.status === 'open' ? [{ action: 'display', description: title, trigger: { hours: 24, before: true } }] : [],
  };
}

/** A whole VCALENDAR (also when empty: calendar clients accept a feed with no events). */
export function buildCalendar(events: EventAttributes[], calName: string): string {
  const { error, value } = createEvents(events, { productId: '-//Kemlu PWNI//Agreement tracker//EN', method: 'PUBLISH', calName });
  if (error || !value) throw error ?? new Error('calendar could not be built');
  return value;
}
