import mongoose from 'mongoose';
import type { DomainContext } from '../context.js';
import type { DeadlineRecord } from '../../models/deadline.js';
import { REMINDER_SETTINGS_ID } from '../../models/reminder-settings.js';
import type { BusinessCalendar } from '../../workflows/business-days.js';
import { MAJORITY_WRITE } from '../../lib/transaction.js';
import { policyOf, replannedFields } from '../deadlines/schedule.js';

/** Open deadlines moved per write: a few hundred documents, far from any time or size limit. */
export const REPLAN_BATCH = 500;

/**
 * How long after a schedule change a transaction that read the old schedule may still commit:
 * MongoDB aborts any transaction older than transactionLifetimeLimitSeconds (60 by default). A
 * pass that starts later than this cannot be overtaken by a deadline opened on the old schedule,
 * so only such a pass marks the change as carried out.
 */
export const OLD_SCHEDULE_READERS_MS = 60_000;

export interface ReplanOptions {
  now: Date;
  calendar: BusinessCalendar;
  /** deadlines read and rewritten at a time (REPLAN_BATCH) */
  batchSize?: number;
  /** after each batch (the sweep renews its lease there) */
  onBatch?: () => Promise<void>;
}

/**
 * Moves every open, unpaused deadline planned under an older schedule onto the one in force, a
 * batch at a time. Called by the schedule change right after it is saved, and by every sweep
 * before it records a reminder, while the settings say the move is not finished (a crash, a
 * deadline opened by a stage change that read the schedule just before it changed).
 *
 * Not one transaction: with 100,000 agreements it would outlive MongoDB's transaction time limit
 * and hold every open deadline against stage changes while it runs. Each deadline is rewritten
 * on its own, on the condition that nobody changed it since it was read; one changed meanwhile is
 * either on the new schedule already or found again by the next pass. A pass walks the deadlines
 * once in `_id` order (work grows with the collection, not with passes × batches), and a second
 * pass only rewrites what is still behind: it can stop and start again at any point.
 */
export async function replanOpenDeadlines(ctx: DomainContext, opts: ReplanOptions): Promise<{ scheduleVersion: number; moved: number }> {
  const { now, calendar } = opts;
  const batchSize = opts.batchSize ?? REPLAN_BATCH;
  const { Deadline, ReminderSettings } = ctx.models;
  const saved = await ReminderSettings.findById(REMINDER_SETTINGS_ID, { schedule: 1, scheduleVersion: 1, replannedVersion: 1, updatedAt: 1 }).lean();
  const policy = policyOf(saved);
  const version = policy.scheduleVersion;
  if (!saved || (saved.replannedVersion ?? 0) >= version) return { scheduleVersion: version, moved: 0 };

  // a deadline without a version was planned before versions existed: under version 0
  const behind = { status: 'open', paused: mongoose.trusted({ $ne: true }), scheduleVersion: mongoose.trusted({ $not: { $gte: version } }) };
  let moved = 0;
  let after: mongoose.Types.ObjectId | null = null;
  for (;;) {
    const filter: Record<string, unknown> = after ? { ...behind, _id: mongoose.trusted({ $gt: after }) } : behind;
    const batch = await Deadline.find(filter, { dueAt: 1, timezone: 1, status: 1, deliveredSlots: 1, paused: 1, nextReminderAt: 1, nextSlot: 1, version: 1 })
      .sort({ _id: 1 })
      .limit(batchSize)
      .lean<Array<Pick<DeadlineRecord, '_id' | 'dueAt' | 'timezone' | 'status' | 'deliveredSlots' | 'paused' | 'nextReminderAt' | 'nextSlot' | 'version'>>>();
    if (batch.length === 0) break;
    const res = await Deadline.bulkWrite(
      batch.map((d) => ({
        updateOne: {
          filter: { _id: d._id, version: d.version },
          update: { $set: { ...replannedFields(d, now, calendar, policy), updatedAt: now }, $inc: { version: 1 } },
        },
      })),
      { ordered: false, writeConcern: MAJORITY_WRITE },
    );
    moved += res.modifiedCount;
    // the change's entry says how many deadlines it moved, a pass that finishes an interrupted one included
    if (res.modifiedCount > 0) await ReminderSettings.updateOne({ _id: REMINDER_SETTINGS_ID, 'changes.version': version }, { $inc: { 'changes.$.deadlinesRescheduled': res.modifiedCount } });
    after = batch[batch.length - 1]._id;
    await opts.onBatch?.();
    if (batch.length < batchSize) break;
  }

  if (now.getTime() - saved.updatedAt.getTime() >= OLD_SCHEDULE_READERS_MS) {
    await ReminderSettings.updateOne({ _id: REMINDER_SETTINGS_ID }, { $max: { replannedVersion: version } }, { writeConcern: MAJORITY_WRITE });
  }
  return { scheduleVersion: version, moved };
}
