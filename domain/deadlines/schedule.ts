import type { ClientSession } from 'mongoose';
import type { DomainContext } from '../context.js';
import type { DeadlineRecord } from '../../models/deadline.js';
import { REMINDER_SETTINGS_ID } from '../../models/reminder-settings.js';
import type { BusinessCalendar } from '../../workflows/business-days.js';
import { DEFAULT_REMINDER_POLICY, nextReminderAt, policyWithSchedule, reminderSlots, type ReminderPolicy, type ReminderSchedule } from '../../workflows/reminder-policy.js';

/**
 * A reminder policy with the version of the schedule it comes from. Every deadline records the
 * version its reminders were planned with (`scheduleVersion`), so a deadline planned under an
 * older schedule (a crash while a change was moving the open deadlines, or a stage change that read
 * the schedule just before it changed) is found and planned again before it sends anything.
 */
export interface VersionedPolicy extends ReminderPolicy {
  /** bumped by each change of the schedule; 0 is the shipped schedule, and a record without one */
  scheduleVersion: number;
}

/** The settings document as the policy needs it; `scheduleVersion` is absent on one saved before versions existed. */
type SavedSchedule = { schedule: ReminderSchedule; scheduleVersion?: number };

/**
 * The reminder policy in force: the administrator's schedule, or the shipped one when none was
 * saved. Read from the database each time reminders are scheduled (one document by its id), never
 * remembered: a change made on any instance counts on the next deadline every instance schedules.
 * Inside a transaction, pass its session, so the schedule and the deadlines it times are one read.
 */
export async function loadReminderPolicy(ctx: Pick<DomainContext, 'models'>, session?: ClientSession): Promise<VersionedPolicy> {
  return policyOf(await ctx.models.ReminderSettings.findById(REMINDER_SETTINGS_ID, { schedule: 1, scheduleVersion: 1 }, { session }).lean());
}

/**
 * The stage of an aggregate (on any collection) that adds `reminderSettings`: the stored schedule,
 * or nothing. A stage change reads it with its agreement (applyStageChange), not in a query of its own.
 */
export const reminderSettingsLookup = (ctx: Pick<DomainContext, 'models'>) => ({
  $lookup: { from: ctx.models.ReminderSettings.collection.collectionName, pipeline: [{ $match: { _id: REMINDER_SETTINGS_ID } }, { $project: { schedule: 1, scheduleVersion: 1 } }], as: 'reminderSettings' },
});

/**
 * The policy a stored settings document (or its absence) stands for. A document saved before
 * schedules had versions counts as version 0, like the deadlines of that time: the change that
 * saved it had moved every open deadline onto it, so they agree.
 */
export const policyOf = (saved: SavedSchedule | null | undefined): VersionedPolicy =>
  saved ? { ...policyWithSchedule(saved.schedule), scheduleVersion: saved.scheduleVersion ?? 0 } : { ...DEFAULT_REMINDER_POLICY, scheduleVersion: 0 };

/** The schedule version a deadline's reminders were planned with (none recorded: before versions, 0). */
export const plannedVersion = (d: Pick<DeadlineRecord, 'scheduleVersion'>): number => d.scheduleVersion ?? 0;

export interface ScheduleFields {
  nextReminderAt: Date | null;
  nextSlot: string | null;
  scheduleVersion: number;
}

/**
 * What the sweep index needs for this deadline now: the next slot, or nulls when none is left or
 * reminders are paused; and the version of the schedule that said so.
 */
export function scheduleFields(
  d: Pick<DeadlineRecord, 'dueAt' | 'timezone' | 'status' | 'deliveredSlots' | 'paused'>,
  now: Date,
  calendar: BusinessCalendar,
  policy: VersionedPolicy,
): ScheduleFields {
  const { scheduleVersion } = policy;
  if (d.paused) return { nextReminderAt: null, nextSlot: null, scheduleVersion };
  const next = nextReminderAt({ dueAt: d.dueAt, timezone: d.timezone, status: d.status }, policy, now, d.deliveredSlots ?? [], calendar);
  return next ? { nextReminderAt: next.at, nextSlot: next.slot, scheduleVersion } : { nextReminderAt: null, nextSlot: null, scheduleVersion };
}

export type Replanned = ScheduleFields & { deliveredSlots: string[] };

/**
 * An open deadline planned under an older schedule, moved onto `policy` (the schedule change's
 * catch-up and the sweep, for one it finds behind, share this). Rungs of the new ladder timed
 * before now count as given, as for a deadline opened in the past: a change of schedule must not
 * send, at once, every open deadline a reminder the old schedule never had (a rung already due
 * under the old schedule and not yet swept is kept). Rungs already delivered are never sent
 * again; a rung keeps its name when only its time moves.
 */
export function replannedFields(
  d: Pick<DeadlineRecord, 'dueAt' | 'timezone' | 'status' | 'deliveredSlots' | 'paused' | 'nextReminderAt' | 'nextSlot'>,
  now: Date,
  calendar: BusinessCalendar,
  policy: VersionedPolicy,
): Replanned {
  const pendingNow = d.nextReminderAt && d.nextReminderAt.getTime() <= now.getTime() ? d.nextSlot : null;
  const given = new Set(d.deliveredSlots ?? []);
  for (const s of reminderSlots({ dueAt: d.dueAt, timezone: d.timezone, status: 'open' }, policy, calendar)) {
    if (s.at.getTime() <= now.getTime() && s.slot !== pendingNow) given.add(s.slot);
  }
  const deliveredSlots = [...given];
  return { deliveredSlots, ...scheduleFields({ ...d, deliveredSlots }, now, calendar, policy) };
}

export type { ReminderSchedule };

/** The ladder of a policy as the admin page states and edits it: not how a delivery is retried. */
export function reminderSchedule(policy: ReminderPolicy & { scheduleVersion?: number }): ReminderSchedule {
  const { delivery: _retries, scheduleVersion: _version, ...ladder } = policy;
  return { ...ladder, daysBefore: [...ladder.daysBefore] };
}
