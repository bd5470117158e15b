import type { DeadlineRecord } from '../../models/deadline.js';
import type { AgreementLabel } from '../agreements/agreement-labels.js';
import { HQ_TIMEZONE, formatInZone } from '../../workflows/business-days.js';

/**
 * The API shape of a deadline: the agreement it belongs to by code and title, the due time as an
 * instant, and as read in its own zone and in Jakarta; a signing deadline with the name of the party
 * that must sign, as the agreement names it now (`partyName`).
 */
export function deadlineView(d: DeadlineRecord, agreement: AgreementLabel | { id: string; code: null; title: null; stage: null }, partyNames?: ReadonlyMap<string, string>) {
  return {
    id: String(d._id),
    agreementId: String(d.agreementId),
    agreement,
    kind: d.kind,
    stage: d.stage ?? null,
    partyId: d.partyId ? String(d.partyId) : null,
    partyName: (d.partyId && partyNames?.get(String(d.partyId))) || null,
    note: d.note ?? null,
    dueAt: d.dueAt.toISOString(),
    timezone: d.timezone,
    dueLocal: formatInZone(d.dueAt, d.timezone),
    dueJakarta: formatInZone(d.dueAt, HQ_TIMEZONE),
    recipients: d.recipients.map((r) => ({ email: r.email, ...(r.name ? { name: r.name } : {}), ...(r.userId ? { userId: r.userId } : {}) })),
    status: d.status,
    closedAt: d.closedAt ? d.closedAt.toISOString() : null,
    nextReminderAt: d.nextReminderAt ? d.nextReminderAt.toISOString() : null,
    nextSlot: d.nextSlot,
    deliveredSlots: d.deliveredSlots,
    paused: d.paused,
    source: d.source,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    version: d.version,
  };
}

/** The names of an agreement's parties by id, as deadlineView takes them. */
export const partyNamesOf = (a: { parties: ReadonlyArray<{ _id: unknown; name: string }> }): Map<string, string> => new Map(a.parties.map((p) => [String(p._id), p.name]));

export type DeadlineView = ReturnType<typeof deadlineView>;
