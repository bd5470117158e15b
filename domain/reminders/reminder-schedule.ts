import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { REMINDER_SCHEDULE_CHANGES_KEPT, REMINDER_SETTINGS_ID, type ReminderScheduleChange } from '../../models/reminder-settings.js';
import { DEFAULT_REMINDER_POLICY, type ReminderSchedule } from '../../workflows/reminder-policy.js';
import { inTransaction } from '../../lib/transaction.js';
import { loadBusinessCalendar } from '../deadlines/business-calendar.js';
import { policyOf, reminderSchedule } from '../deadlines/schedule.js';
import { replanOpenDeadlines, type ReplanOptions } from './replan-open-deadlines.js';

/** How many of the latest changes the admin page is given (the document keeps more). */
const CHANGES_SHOWN = 10;

export interface ReminderScheduleChangeView {
  at: string;
  by: { name: string; email: string };
  before: ReminderSchedule;
  after: ReminderSchedule;
  /** the fields whose value differs, in the schedule's own order */
  changed: Array<keyof ReminderSchedule>;
  deadlinesRescheduled: number;
}

export interface ReminderScheduleSettings {
  schedule: ReminderSchedule;
  /** the shipped schedule, what "restore the defaults" puts back */
  defaults: ReminderSchedule;
  isDefault: boolean;
  /** the latest changes, newest first */
  changes: ReminderScheduleChangeView[];
}

const SCHEDULE_KEYS: Array<keyof ReminderSchedule> = [
  'daysBefore',
  'onTheDay',
  'sendAtLocalTime',
  'overdueFirstAfterWorkingDays',
  'overdueEveryWorkingDays',
  'overdueMaxReminders',
  'escalateFromOverdueReminder',
];

const SHIPPED = reminderSchedule(DEFAULT_REMINDER_POLICY);

/** A schedule as stored and compared: its fields in one order, the days before once each, furthest first. */
function normalised(s: ReminderSchedule): ReminderSchedule {
  const out = {} as Record<keyof ReminderSchedule, unknown>;
  for (const k of SCHEDULE_KEYS) out[k] = s[k];
  out.daysBefore = [...new Set(s.daysBefore)].sort((a, b) => b - a);
  return out as ReminderSchedule;
}

const changedFields = (before: ReminderSchedule, after: ReminderSchedule) => SCHEDULE_KEYS.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));

const changeView = (c: ReminderScheduleChange): ReminderScheduleChangeView => {
  const before = normalised(c.before);
  const after = normalised(c.after);
  return { at: c.at.toISOString(), by: { name: c.by.name, email: c.by.email }, before, after, changed: changedFields(before, after), deadlinesRescheduled: c.deadlinesRescheduled ?? 0 };
};

/** Admin: the schedule in force, the shipped one, and who changed it lately. */
export async function getReminderScheduleSettings(ctx: DomainContext): Promise<ReminderScheduleSettings> {
  const saved = await ctx.models.ReminderSettings.findById(REMINDER_SETTINGS_ID).lean();
  const schedule = normalised(saved?.schedule ?? SHIPPED);
  return {
    schedule,
    defaults: SHIPPED,
    isDefault: changedFields(schedule, SHIPPED).length === 0,
    changes: (saved?.changes ?? []).slice(-CHANGES_SHOWN).reverse().map(changeView),
  };
}

/**
 * Admin: sets when reminders go out, and moves every open deadline onto the new schedule, so no
 * deadline is left waiting for a time the schedule no longer has (the sweep only finds a deadline
 * at its stored next time). The change is recorded on the settings document (who, when, the
 * schedule before and after) with the schedule's new version, in a transaction of its own; the
 * open deadlines then follow in batches (replanOpenDeadlines), which the next sweep finishes
 * should this stop half-way, before it sends anything. See replannedFields for which rungs of the
 * new ladder count as given.
 */
export async function setReminderSchedule(
  ctx: DomainContext,
  actor: Actor,
  input: ReminderSchedule,
  opts: Pick<ReplanOptions, 'batchSize' | 'onBatch'> = {},
): Promise<ReminderScheduleChangeView> {
  const after = normalised(input);
  const now = ctx.clock.now();
  const by = { id: actor.id, email: actor.email, name: actor.name };
  const { record, changed } = await inTransaction(ctx, async (session) => {
    const current = policyOf(await ctx.models.ReminderSettings.findById(REMINDER_SETTINGS_ID, { schedule: 1, scheduleVersion: 1 }, { session }).lean());
    const before = normalised(reminderSchedule(current));
    const record: ReminderScheduleChange = { at: now, by, before, after, deadlinesRescheduled: 0 };
    // Saving what is already in force changes nothing and records nothing.
    if (changedFields(before, after).length === 0) return { record, changed: false };
    record.version = current.scheduleVersion + 1;
    await ctx.models.ReminderSettings.updateOne(
      { _id: REMINDER_SETTINGS_ID },
      {
        $set: { schedule: after, scheduleVersion: record.version, updatedBy: by, updatedAt: now },
        $push: { changes: { $each: [record], $slice: -REMINDER_SCHEDULE_CHANGES_KEPT } },
      },
      { upsert: true, session },
    );
    return { record, changed: true };
  });
  if (!changed) return changeView(record);
  const calendar = await loadBusinessCalendar(ctx);
  record.deadlinesRescheduled = (await replanOpenDeadlines(ctx, { now, calendar, ...opts })).moved;
  return changeView(record);
}
