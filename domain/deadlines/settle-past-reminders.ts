import mongoose, { type ClientSession, type Types } from 'mongoose';
import type { DomainContext } from '../context.js';
import type { DeadlineRecord } from '../../models/deadline.js';
import type { BusinessCalendar } from '../../workflows/business-days.js';
import { reminderSlots } from '../../workflows/reminder-policy.js';
import { REMINDER_POLICY, scheduleFields } from './schedule.js';

/**
 * Marks as already delivered every reminder of these agreements' open deadlines that fell before
 * `now`, and schedules the next one from there. For deadlines that start life in the past (an
 * imported register): the sweep would otherwise send the latest missed reminder of each at once
 * (one import of 300 rows measured 236 overdue mails and 240 escalations in one sweep). They still
 * show as overdue everywhere; reminders resume at the next rung still ahead, if any.
 */
export async function settlePastReminders(
  ctx: DomainContext,
  agreementIds: Types.ObjectId[],
  now: Date,
  calendar: BusinessCalendar,
  session: ClientSession,
): Promise<number> {
  const { Deadline } = ctx.models;
  const open = await Deadline.find({ agreementId: mongoose.trusted({ $in: agreementIds }), status: 'open' }, { dueAt: 1, timezone: 1, status: 1, deliveredSlots: 1, paused: 1 }, { session }).lean<
    Array<Pick<DeadlineRecord, '_id' | 'dueAt' | 'timezone' | 'status' | 'deliveredSlots' | 'paused'>>
  >();
  const updates = open.flatMap((d) => {
    const past = reminderSlots(d, REMINDER_POLICY, calendar).filter((s) => s.at.getTime() <= now.getTime());
    if (past.length === 0) return [];
    const deliveredSlots = [...new Set([...(d.deliveredSlots ?? []), ...past.map((s) => s.slot)])];
    return [{ updateOne: { filter: { _id: d._id }, update: { $set: { deliveredSlots, ...scheduleFields({ ...d, deliveredSlots }, now, calendar) } } } }];
  });
  if (updates.length > 0) await Deadline.bulkWrite(updates, { session });
  return updates.length;
}
