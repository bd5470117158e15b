import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { DeadlineRecord } from '../../models/deadline.js';
import { getVisibleAgreement } from '../agreements/get-visible-agreement.js';
import { inTransaction } from '../../lib/transaction.js';
import { appendHistoryEvent } from '../history/append-history-event.js';
import { loadBusinessCalendar } from '../deadlines/business-calendar.js';
import { assertAllowed } from '../accounts/assert-allowed.js';
import { loadReminderPolicy, scheduleFields } from '../deadlines/schedule.js';

/**
 * Pauses or resumes every reminder of one agreement: `remindersPaused` on the agreement, and
 * each open deadline's next reminder cleared (so the sweep's index no longer returns it) or
 * recomputed. Resuming after a long pause sends only the latest missed reminder of each
 * deadline. History event `reminders_paused` / `reminders_resumed` in the same transaction.
 */
export async function setRemindersPaused(ctx: DomainContext, actor: Actor, agreementId: string, paused: boolean): Promise<{ agreementId: string; remindersPaused: boolean; deadlines: number }> {
  const agreement = await getVisibleAgreement(ctx, actor, agreementId);
  assertAllowed(actor, 'manageDeadlines');
  const now = ctx.clock.now();
  const calendar = await loadBusinessCalendar(ctx);
  const count = await inTransaction(ctx, async (session) => {
    // A change to the agreement like any other: its version moves, so a concurrent edit based on the old one conflicts.
    await ctx.models.Agreement.updateOne({ _id: agreement._id }, { $set: { remindersPaused: paused, updatedAt: now }, $inc: { version: 1 } }, { session });
    const policy = await loadReminderPolicy(ctx, session);
    const open = await ctx.models.Deadline.find({ agreementId: agreement._id, status: 'open' }, null, { session }).lean<DeadlineRecord[]>();
    for (const d of open) {
      const schedule = scheduleFields({ ...d, paused }, now, calendar, policy);
      await ctx.models.Deadline.updateOne({ _id: d._id }, { $set: { paused, ...schedule, updatedAt: now }, $inc: { version: 1 } }, { session });
    }
    if (Boolean(agreement.remindersPaused) !== paused) {
      await appendHistoryEvent(ctx, { agreementId: agreement._id, actor, action: paused ? 'reminders_paused' : 'reminders_resumed', changes: { deadlines: open.length } }, session);
    }
    return open.length;
  });
  return { agreementId: String(agreement._id), remindersPaused: paused, deadlines: count };
}
