import type { ClientSession } from 'mongoose';
import type { DomainContext } from '../context.js';
import type { DeadlineRecord } from '../../models/deadline.js';
import { REMINDER_SETTINGS_ID } from '../../models/reminder-settings.js';
import type { BusinessCalendar } from '../../workflows/business-days.js';
import { DEFAULT_REMINDER_POLICY, nextReminderAt, policyWithSchedule, type ReminderPolicy, type ReminderSchedule } from '../../workflows/reminder-policy.js';

/**
 * The reminder policy in force: the administrator's schedule, or the shipped one when none was
 * saved. Read from the database each time reminders are scheduled (one document by its id), never
 * remembered: a change made on any instance counts on the next deadline every instance schedules.
 * Inside a transaction, pass its session, so the schedule and the deadlines it times are one read.
 */
export async function loadReminderPolicy(ctx: Pick<DomainContext, 'models'>, session?: ClientSession): Promise<ReminderPolicy> {
  return policyOf(await ctx.models.ReminderSettings.findById(REMINDER_SETTINGS_ID, { schedule: 1 }, { session }).lean());
}

/**
 * The stage of an aggregate (on any collection) that adds `reminderSettings`: the stored schedule,
 * or nothing. A stage change reads it with its agreement (applyStageChange), not in a query of its own.
 */
export const reminderSettingsLookup = (ctx: Pick<DomainContext, 'models'>) => ({
  $lookup: { from: ctx.models.ReminderSettings.collection.collectionName, pipeline: [{ $match: { _id: REMINDER_SETTINGS_ID } }, { $project: { schedule: 1 } }], as: 'reminderSettings' },
});

/** The policy a stored settings document (or its absence) stands for. */
export const policyOf = (saved: { schedule: ReminderSchedule } | null | undefined): ReminderPolicy => (saved ? policyWithSchedule(saved.schedule) : DEFAULT_REMINDER_POLICY);

export interface ScheduleFields {
  nextReminderAt: Date | null;
  nextSlot: string | null;
}

/** What the sweep index needs for this deadline now: the next slot, or nulls when none is left or reminders are paused. */
export function scheduleFields(
  d: Pick<DeadlineRecord, 'dueAt' | 'timezone' | 'status' | 'deliveredSlots' | 'paused'>,
  now: Date,
  calendar: BusinessCalendar,
  policy: ReminderPolicy,
): ScheduleFields {
  if (d.paused) return { nextReminderAt: null, nextSlot: null };
  const next = nextReminderAt({ dueAt: d.dueAt, timezone: d.timezone, status: d.status }, policy, now, d.deliveredSlots ?? [], calendar);
  return next ? { nextReminderAt: next.at, nextSlot: next.slot } : { nextReminderAt: null, nextSlot: null };
}

export type { ReminderSchedule };

/** The ladder of a policy as the admin page states and edits it: not how a delivery is retried. */
export function reminderSchedule(policy: ReminderPolicy): ReminderSchedule {
  const { delivery: _retries, ...ladder } = policy;
  return { ...ladder, daysBefore: [...ladder.daysBefore] };
}
