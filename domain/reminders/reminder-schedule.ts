import mongoose from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { DeadlineRecord } from '../../models/deadline.js';
import { REMINDER_SCHEDULE_CHANGES_KEPT, REMINDER_SETTINGS_ID, type ReminderScheduleChange } from '../../models/reminder-settings.js';
import { DEFAULT_REMINDER_POLICY, policyWithSchedule, reminderSlots, type ReminderSchedule } from '../../workflows/reminder-policy.js';
import { inTransaction } from '../../lib/transaction.js';
import { loadBusinessCalendar } from '../deadlines/business-calendar.js';
import { loadReminderPolicy, reminderSchedule, scheduleFields } from '../deadlines/schedule.js';

/** How many of the latest changes the admin page is given (the document keeps more). */
const CHANGES_SHOWN = 10;
const WRITE_CHUNK = 1_000;

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
 * Admin: sets when reminders go out, and moves every open deadline onto the new schedule in the
 * same transaction, so no deadline is left waiting for a time the schedule no longer has (the
 * sweep only finds a deadline at its stored next time). The change is recorded on the settings
 * document (who, when, the schedule before and after).
 *
 * Rungs of the new ladder timed before the change count as given, as for a deadline opened in the
 * past: changing the schedule must not send, at once, every open deadline a reminder the old
 * schedule never had (a rung already due under the old schedule and not yet swept is kept). Rungs
 * already delivered are never sent again; a rung keeps its name when only its time moves.
 */
export async function setReminderSchedule(ctx: DomainContext, actor: Actor, input: ReminderSchedule): Promise<ReminderScheduleChangeView> {
  const after = normalised(input);
  const policy = policyWithSchedule(after);
  const calendar = await loadBusinessCalendar(ctx);
  const now = ctx.clock.now();
  const by = { id: actor.id, email: actor.email, name: actor.name };
  return inTransaction(ctx, async (session) => {
    const before = normalised(reminderSchedule(await loadReminderPolicy(ctx, session)));
    const record: ReminderScheduleChange = { at: now, by, before, after, deadlinesRescheduled: 0 };
    // Saving what is already in force changes nothing and records nothing.
    if (changedFields(before, after).length === 0) return changeView(record);

    const open = await ctx.models.Deadline.find(
      { status: 'open', paused: mongoose.trusted({ $ne: true }) },
      { dueAt: 1, timezone: 1, status: 1, deliveredSlots: 1, paused: 1, nextReminderAt: 1, nextSlot: 1 },
      { session },
    ).lean<Array<Pick<DeadlineRecord, '_id' | 'dueAt' | 'timezone' | 'status' | 'deliveredSlots' | 'paused' | 'nextReminderAt' | 'nextSlot'>>>();
    const writes = open.map((d) => {
      const pendingNow = d.nextReminderAt && d.nextReminderAt.getTime() <= now.getTime() ? d.nextSlot : null;
      const given = new Set(d.deliveredSlots ?? []);
      for (const s of reminderSlots({ dueAt: d.dueAt, timezone: d.timezone, status: 'open' }, policy, calendar)) {
        if (s.at.getTime() <= now.getTime() && s.slot !== pendingNow) given.add(s.slot);
      }
      const deliveredSlots = [...given];
      return {
        updateOne: {
          filter: { _id: d._id },
          update: { $set: { deliveredSlots, ...scheduleFields({ ...d, deliveredSlots }, now, calendar, policy), updatedAt: now }, $inc: { version: 1 } },
        },
      };
    });
    for (let i = 0; i < writes.length; i += WRITE_CHUNK) await ctx.models.Deadline.bulkWrite(writes.slice(i, i + WRITE_CHUNK), { session });
    record.deadlinesRescheduled = open.length;
    await ctx.models.ReminderSettings.updateOne(
      { _id: REMINDER_SETTINGS_ID },
      { $set: { schedule: after, updatedBy: by, updatedAt: now }, $push: { changes: { $each: [record], $slice: -REMINDER_SCHEDULE_CHANGES_KEPT } } },
      { upsert: true, session },
    );
    return changeView(record);
  });
}
