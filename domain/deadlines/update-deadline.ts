import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import type { DeadlineRecipient, DeadlineRecord, DeadlineStatus } from '../../models/deadline.js';
import { isValidTimeZone } from '../../workflows/business-days.js';
import { getVisibleAgreement } from '../agreements/get-visible-agreement.js';
import { inTransaction } from '../../lib/transaction.js';
import { appendHistoryEvent } from '../history/append-history-event.js';
import { loadBusinessCalendar } from './business-calendar.js';
import { deadlineView, partyNamesOf, type DeadlineView } from './deadline-view.js';
import { agreementLabel } from '../agreements/agreement-labels.js';
import { dedupeRecipients } from './open-deadline.js';
import { assertAllowed } from '../accounts/assert-allowed.js';
import { loadReminderPolicy, scheduleFields } from './schedule.js';
import { assertRecipientsMaySee } from './recipient-access.js';

export interface UpdateDeadlineInput {
  dueAt?: Date;
  timezone?: string;
  recipients?: Array<string | DeadlineRecipient>;
  status?: DeadlineStatus;
  note?: string | null;
  /** when given, the update applies only to this version (409 otherwise) */
  version?: number;
}

export const deadlineNotFound = () => new AppError('not_found', 'Deadline not found / Tenggat tidak ditemukan');

/** Kinds whose day the agreement's term gives (sync-term-deadlines.ts): they move when the term is changed. */
const FROM_TERM = ['expiry', 'renewal_notice'];

/**
 * The deadlines the tracker opens itself follow the agreement: once closed (the stage was left, the
 * party signed, the agreement expired) one is not opened again, and the day of an expiry or notice
 * deadline is the term's, changed by changing the term. Their recipients, note and outcome may be
 * changed like any other's.
 */
function checkAutomatic(current: DeadlineRecord, input: UpdateDeadlineInput): void {
  if (current.source !== 'auto') return;
  if (input.status === 'open' && current.status !== 'open') {
    throw new AppError(
      'invalid_state',
      'A deadline the tracker opened follows the agreement: once closed it is not reopened; add a deadline of your own instead / Tenggat yang dibuka pelacak mengikuti perjanjian: setelah ditutup tidak dibuka kembali; tambahkan tenggat sendiri bila perlu',
      { kind: current.kind, status: current.status },
    );
  }
  if (FROM_TERM.includes(current.kind) && input.dueAt && input.dueAt.getTime() !== current.dueAt.getTime()) {
    throw new AppError('validation_failed', "This deadline's day comes from the agreement's term: change the term instead / Tanggal tenggat ini berasal dari masa berlaku perjanjian: ubah masa berlakunya", [
      { field: 'dueAt', message: "change the agreement's term (end date or notice period) to move it / ubah masa berlaku perjanjian (tanggal berakhir atau jangka waktu pemberitahuan) untuk memindahkannya" },
    ]);
  }
}

/**
 * Moves, re-addresses, closes or reopens a deadline. A new due time starts a new reminder
 * ladder (delivery keys include the due time, so the new ladder's reminders are not mistaken
 * for the old ones). One conditional write on the version; history event `deadline_updated`.
 */
export async function updateDeadline(ctx: DomainContext, actor: Actor, id: string, input: UpdateDeadlineInput): Promise<DeadlineView> {
  if (!/^[0-9a-f]{24}$/i.test(id)) throw deadlineNotFound();
  const current = await ctx.models.Deadline.findById(id).lean<DeadlineRecord>();
  if (!current) throw deadlineNotFound();
  // Someone who cannot see the agreement cannot learn the deadline exists.
  const agreement = await getVisibleAgreement(ctx, actor, String(current.agreementId)).catch(() => {
    throw deadlineNotFound();
  });
  assertAllowed(actor, 'manageDeadlines');
  if (input.version !== undefined && input.version !== current.version) {
    throw new AppError('version_conflict', 'The deadline was changed by someone else / Tenggat telah diubah pihak lain', { currentVersion: current.version });
  }
  checkAutomatic(current, input);
  if (input.timezone !== undefined && !isValidTimeZone(input.timezone)) {
    throw new AppError('validation_failed', 'Unknown time zone / Zona waktu tidak dikenal', [{ field: 'timezone', message: `'${input.timezone}' is not an IANA time zone such as Asia/Kuala_Lumpur / '${input.timezone}' bukan zona waktu IANA seperti Asia/Kuala_Lumpur` }]);
  }
  const now = ctx.clock.now();
  const next: DeadlineRecord = { ...current };
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const change = <K extends keyof DeadlineRecord>(key: K, value: DeadlineRecord[K], show: (v: DeadlineRecord[K]) => unknown = (v) => v) => {
    changes[key as string] = { from: show(current[key]), to: show(value) };
    next[key] = value;
  };
  const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : d);
  if (input.dueAt && input.dueAt.getTime() !== current.dueAt.getTime()) change('dueAt', input.dueAt, iso);
  if (input.timezone && input.timezone !== current.timezone) change('timezone', input.timezone);
  if (input.recipients) {
    change('recipients', dedupeRecipients(input.recipients.map((r) => (typeof r === 'string' ? { email: r } : r))), (v) => v.map((r) => r.email));
  }
  if (input.recipients) await assertRecipientsMaySee(ctx, agreement, next.recipients);
  if (input.note !== undefined) change('note', input.note);
  if (input.status && input.status !== current.status) {
    change('status', input.status);
    next.closedAt = input.status === 'open' ? null : now;
  }
  if (changes.dueAt || changes.timezone) next.deliveredSlots = [];
  const calendar = await loadBusinessCalendar(ctx);
  // Planned with the schedule read here and marked with its version: should the schedule change
  // meanwhile, the deadline is found behind and moved onto the new one before it sends anything.
  Object.assign(next, scheduleFields(next, now, calendar, await loadReminderPolicy(ctx)));

  const updated = await inTransaction(ctx, async (session) => {
    const written = await ctx.models.Deadline.findOneAndUpdate(
      { _id: current._id, version: current.version },
      {
        $set: {
          dueAt: next.dueAt,
          timezone: next.timezone,
          recipients: next.recipients,
          note: next.note ?? null,
          status: next.status,
          closedAt: next.closedAt ?? null,
          deliveredSlots: next.deliveredSlots,
          nextReminderAt: next.nextReminderAt,
          nextSlot: next.nextSlot,
          scheduleVersion: next.scheduleVersion,
          updatedAt: now,
        },
        // an edit is the admin's answer to a sweep failure: the new schedule gets a fresh try
        $unset: { sweepFailure: 1 },
        $inc: { version: 1 },
      },
      { returnDocument: 'after', session },
    ).lean<DeadlineRecord>();
    if (!written) throw new AppError('version_conflict', 'The deadline was changed by someone else / Tenggat telah diubah pihak lain');
    await appendHistoryEvent(ctx, { agreementId: agreement._id, actor, action: 'deadline_updated', changes: { deadlineId: id, ...changes } }, session);
    return written;
  });
  return deadlineView(updated, agreementLabel(agreement), partyNamesOf(agreement));
}
