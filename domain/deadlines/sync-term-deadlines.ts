import type { ClientSession } from 'mongoose';
import type { DomainContext } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { DeadlineKind, DeadlineRecord } from '../../models/deadline.js';
import { HQ_TIMEZONE, closeOfBusiness, hqDay, type BusinessCalendar } from '../../workflows/business-days.js';
import type { VersionedPolicy } from './schedule.js';
import { openDeadline } from './open-deadline.js';
import { stageRecipients, type Drafter } from './stage-recipients.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const TERM_KINDS: readonly DeadlineKind[] = ['expiry', 'renewal_notice'];

export interface TermDeadlinesInput {
  /** the agreement as it now stands (in force, with the term to follow) */
  agreement: AgreementRecord;
  /** every deadline of the agreement, as read in the caller's transaction */
  deadlines: DeadlineRecord[];
  actor: Actor;
  at: Date;
  calendar: BusinessCalendar;
  drafters?: Drafter[];
  /** reminders timed before this count as given (OpenDeadlineFields.remindersFrom) */
  remindersFrom?: Date;
  /** openDeadline's batch, when the caller inserts what is opened */
  opened?: DeadlineRecord[];
  /** the reminder schedule, when the caller read it in the same transaction */
  policy?: VersionedPolicy;
}

/** The days the term gives: its end and, with a notice period, the last day to give notice. */
function termDays(agreement: AgreementRecord): Partial<Record<DeadlineKind, Date>> {
  const expiresAt = agreement.term?.expiresAt ? new Date(agreement.term.expiresAt) : null;
  if (!expiresAt) return {};
  const notice = agreement.term?.noticePeriodDays ?? 0;
  // at 17:00 WIB on their days, as stage deadlines fall: a last day for notice lasts the working day, not until 07:00 (midnight UTC)
  const onDay = (instant: Date) => closeOfBusiness(hqDay(instant));
  return { expiry: onDay(expiresAt), ...(notice > 0 ? { renewal_notice: onDay(new Date(expiresAt.getTime() - notice * DAY_MS)) } : {}) };
}

/**
 * The deadlines an agreement in force has from its term: its end (expiry) and, with a notice
 * period, the last day to give notice of renewal or termination. Entering into force opens them;
 * the term is often learnt or amended later, and an edit then moves them: an open one whose day
 * no longer holds is cancelled and one is opened for the new day (its reminders start afresh,
 * none of the past ones sent at once); a term taken away cancels them. One already met or missed
 * stays as it was, and is not opened again for the same day.
 */
export async function syncTermDeadlines(ctx: DomainContext, input: TermDeadlinesInput, session: ClientSession): Promise<void> {
  const wanted = termDays(input.agreement);
  let recipients: Awaited<ReturnType<typeof stageRecipients>> | undefined;
  for (const kind of TERM_KINDS) {
    const day = wanted[kind];
    const ofKind = input.deadlines.filter((d) => d.kind === kind);
    for (const d of ofKind) {
      if (d.status !== 'open' || (day && d.dueAt.getTime() === day.getTime())) continue;
      await ctx.models.Deadline.updateOne(
        { _id: d._id, version: d.version },
        { $set: { status: 'cancelled', closedAt: input.at, nextReminderAt: null, nextSlot: null, updatedAt: input.at }, $inc: { version: 1 } },
        { session },
      );
    }
    if (!day || ofKind.some((d) => d.status !== 'cancelled' && d.dueAt.getTime() === day.getTime())) continue;
    recipients ??= await stageRecipients(ctx, input.agreement, input.actor, input.drafters);
    await openDeadline(
      ctx,
      input.agreement,
      { kind, dueAt: day, timezone: HQ_TIMEZONE, recipients, source: 'auto', remindersFrom: input.remindersFrom },
      input.actor,
      input.calendar,
      { session, batch: input.opened, policy: input.policy },
    );
  }
}
