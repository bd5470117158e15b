import type { DeadlineRecord } from '../../models/deadline.js';
import type { BusinessCalendar } from '../../workflows/business-days.js';
import { DEFAULT_REMINDER_POLICY, nextReminderAt, type ReminderPolicy } from '../../workflows/reminder-policy.js';

/** The reminder policy in force. Data, so a later admin setting can replace it without code changes. */
export const REMINDER_POLICY: ReminderPolicy = DEFAULT_REMINDER_POLICY;

export interface ScheduleFields {
  nextReminderAt: Date | null;
  nextSlot: string | null;
}

/** What the sweep index needs for this deadline now: the next slot, or nulls when none is left or reminders are paused. */
export function scheduleFields(
  d: Pick<DeadlineRecord, 'dueAt' | 'timezone' | 'status' | 'deliveredSlots' | 'paused'>,
  now: Date,
  calendar: BusinessCalendar,
  policy: ReminderPolicy = REMINDER_POLICY,
): ScheduleFields {
  if (d.paused) return { nextReminderAt: null, nextSlot: null };
  const next = nextReminderAt({ dueAt: d.dueAt, timezone: d.timezone, status: d.status }, policy, now, d.deliveredSlots ?? [], calendar);
  return next ? { nextReminderAt: next.at, nextSlot: next.slot } : { nextReminderAt: null, nextSlot: null };
}

/** When reminders go out under a policy, as the admin page states it: the ladder, not how a delivery is retried. */
export type ReminderSchedule = Omit<ReminderPolicy, 'delivery'>;

/** The ladder of the policy in force (GET /api/reminders), read from the same data the sweep follows. */
export function reminderSchedule(policy: ReminderPolicy = REMINDER_POLICY): ReminderSchedule {
  const { delivery: _retries, ...ladder } = policy;
  return { ...ladder, daysBefore: [...ladder.daysBefore] };
}
