/**
 * When reminders go out, as data, and the pure function that picks the next one.
 * No database, no clock: `now` is a parameter, so the whole ladder is testable in isolation.
 */
import {
  SHIPPED_CALENDAR,
  addBusinessDaysToDate,
  addCalendarDays,
  fromLocal,
  localDate,
  parseDate,
  parseTime,
  toLocal,
  type BusinessCalendar,
} from './business-days.js';

export interface ReminderPolicy {
  /** calendar days before the due time (same wall-clock time, in the deadline's own zone) */
  daysBefore: number[];
  /** on the due date itself, at this local time (or at the due time if that is earlier) */
  onTheDay: boolean;
  /** local time of day for the on-the-day and overdue reminders */
  sendAtLocalTime: string;
  /** first overdue reminder this many working days after the due date */
  overdueFirstAfterWorkingDays: number;
  /** then one every this many working days */
  overdueEveryWorkingDays: number;
  /** at most this many overdue reminders */
  overdueMaxReminders: number;
  /**
   * from this overdue reminder on (1-based), the head of the agreement's lead unit receives it
   * too; 0 disables escalation
   */
  escalateFromOverdueReminder: number;
  delivery: {
    /** attempts per delivery before it is marked failed */
    maxAttempts: number;
    /** wait before retry n is backoffBaseMs * backoffFactor^(n-1) */
    backoffBaseMs: number;
    backoffFactor: number;
    /** a delivery claimed for sending and not finished in this time is tried again (crash) */
    claimTimeoutMs: number;
  };
}

/** Defaults from the issue: 14, 7, 3, 1 days before and on the day; overdue every 2 working days, 5 times. */
export const DEFAULT_REMINDER_POLICY: ReminderPolicy = Object.freeze({
  daysBefore: [14, 7, 3, 1],
  onTheDay: true,
  sendAtLocalTime: '08:00',
  overdueFirstAfterWorkingDays: 1,
  overdueEveryWorkingDays: 2,
  overdueMaxReminders: 5,
  escalateFromOverdueReminder: 2,
  delivery: Object.freeze({ maxAttempts: 5, backoffBaseMs: 60_000, backoffFactor: 2, claimTimeoutMs: 120_000 }),
}) as ReminderPolicy;

/** When reminders go out: the part of the policy an administrator sets (the delivery retries stay in code). */
export type ReminderSchedule = Omit<ReminderPolicy, 'delivery'>;

/**
 * What an administrator may set each field of the schedule to. A week's notice at most a quarter
 * ahead, no more than a reminder a working day for a month: wider values make no ladder anyone
 * would want and a runaway one (thousands of rungs) that every sweep would compute.
 */
export const REMINDER_SCHEDULE_LIMITS = Object.freeze({
  daysBefore: { min: 1, max: 90, maxCount: 10 },
  overdueFirstAfterWorkingDays: { min: 1, max: 30 },
  overdueEveryWorkingDays: { min: 1, max: 30 },
  overdueMaxReminders: { min: 0, max: 20 },
  escalateFromOverdueReminder: { min: 0, max: 20 },
});

/** The policy that follows `schedule`, with the delivery retries of the shipped policy. */
export function policyWithSchedule(schedule: ReminderSchedule): ReminderPolicy {
  return { ...schedule, daysBefore: [...schedule.daysBefore], delivery: DEFAULT_REMINDER_POLICY.delivery };
}

export interface DeadlineTiming {
  dueAt: Date;
  /** IANA zone the deadline is shown and reminded in (a mission's zone, or Asia/Jakarta) */
  timezone: string;
  status: 'open' | 'met' | 'missed' | 'cancelled';
}

export type SlotKind = 'before' | 'on_the_day' | 'overdue';

export interface ReminderSlot {
  /** stable name, part of each delivery's unique key: 'before-14', 'on-the-day', 'overdue-2' */
  slot: string;
  kind: SlotKind;
  /** days before (for 'before') or overdue ordinal (for 'overdue') */
  n: number;
  at: Date;
  /** the lead unit's head receives this one too */
  escalate: boolean;
}

/** Every slot of a deadline's ladder, in time order. */
export function reminderSlots(deadline: DeadlineTiming, policy: ReminderPolicy = DEFAULT_REMINDER_POLICY, calendar: BusinessCalendar = SHIPPED_CALENDAR): ReminderSlot[] {
  const { dueAt, timezone: tz } = deadline;
  const due = toLocal(dueAt, tz);
  const dueDate = localDate(dueAt, tz);
  const send = parseTime(policy.sendAtLocalTime);
  const slots: ReminderSlot[] = [];

  for (const days of [...new Set(policy.daysBefore)].filter((d) => d > 0).sort((a, b) => b - a)) {
    // Same wall-clock time d days earlier in the deadline's zone: correct across a DST change.
    const at = fromLocal({ ...parseDate(addCalendarDays(dueDate, -days)), hour: due.hour, minute: due.minute, second: due.second }, tz);
    slots.push({ slot: `before-${days}`, kind: 'before', n: days, at, escalate: false });
  }
  if (policy.onTheDay) {
    const morning = fromLocal({ ...parseDate(dueDate), ...send }, tz);
    slots.push({ slot: 'on-the-day', kind: 'on_the_day', n: 0, at: morning < dueAt ? morning : dueAt, escalate: false });
  }
  for (let k = 1; k <= policy.overdueMaxReminders; k++) {
    const offset = policy.overdueFirstAfterWorkingDays + (k - 1) * policy.overdueEveryWorkingDays;
    const date = addBusinessDaysToDate(dueDate, Math.max(1, offset), calendar);
    const at = fromLocal({ ...parseDate(date), ...send }, tz);
    const escalate = policy.escalateFromOverdueReminder > 0 && k >= policy.escalateFromOverdueReminder;
    slots.push({ slot: `overdue-${k}`, kind: 'overdue', n: k, at, escalate });
  }
  return slots.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * The next reminder a deadline should get, or null when nothing is left.
 *
 * - Slots at or before the last delivered one are done (the ladder never goes back).
 * - Of the remaining slots, if some are already due, only the most recent of them is returned
 *   (its `at` is ≤ now): after downtime a deadline gets its latest missed reminder once, not a
 *   burst of every reminder it missed.
 * - Otherwise the earliest future slot.
 */
export function nextReminderAt(
  deadline: DeadlineTiming,
  policy: ReminderPolicy,
  now: Date,
  deliveredSlots: readonly string[],
  calendar: BusinessCalendar = SHIPPED_CALENDAR,
): ReminderSlot | null {
  if (deadline.status !== 'open') return null;
  return pickNextSlot(reminderSlots(deadline, policy, calendar), now, deliveredSlots);
}

/** `nextReminderAt` on a ladder already computed (the sweep asks twice per deadline: what now, what next). */
export function pickNextSlot(slots: readonly ReminderSlot[], now: Date, deliveredSlots: readonly string[]): ReminderSlot | null {
  const delivered = new Set(deliveredSlots);
  let start = 0;
  slots.forEach((s, i) => {
    if (delivered.has(s.slot)) start = i + 1;
  });
  const remaining = slots.slice(start);
  if (remaining.length === 0) return null;
  let latestDue = -1;
  remaining.forEach((s, i) => {
    if (s.at.getTime() <= now.getTime()) latestDue = i;
  });
  return latestDue >= 0 ? remaining[latestDue] : remaining[0];
}

/** Wait before the next attempt of a delivery that has failed `attempts` times. */
export function retryDelayMs(policy: ReminderPolicy, attempts: number): number {
  return policy.delivery.backoffBaseMs * policy.delivery.backoffFactor ** Math.max(0, attempts - 1);
}
