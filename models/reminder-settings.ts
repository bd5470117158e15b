import { Schema, type Connection, type Model } from 'mongoose';
import type { ReminderSchedule } from '../workflows/reminder-policy.js';

/** Who changed the schedule, as they were named then (a renamed or deleted account still reads right). */
export interface SettingsEditor {
  id: string;
  email: string;
  name: string;
}

/** One change of the schedule: who, when, and the whole schedule before and after. */
export interface ReminderScheduleChange {
  at: Date;
  by: SettingsEditor;
  before: ReminderSchedule;
  after: ReminderSchedule;
  /** open deadlines whose next reminder was computed again when the change was made */
  deadlinesRescheduled: number;
  /** the schedule version this change made (absent on changes made before versions existed) */
  version?: number;
}

/**
 * The reminder schedule an administrator set: one document (`_id: 'reminders'`). No document
 * means the shipped schedule (workflows/reminder-policy.ts), so a fresh database needs no seeding.
 */
export interface ReminderSettingsRecord {
  _id: string;
  schedule: ReminderSchedule;
  updatedBy: SettingsEditor;
  updatedAt: Date;
  /**
   * bumped by each change; every deadline records the version its reminders were planned with.
   * Absent on a document saved before versions existed: 0, like the deadlines of that time.
   */
  scheduleVersion?: number;
  /**
   * the newest version every open deadline has been moved onto; behind `scheduleVersion` while a
   * change is still moving them (or was interrupted), which the next sweep then finishes first
   */
  replannedVersion?: number;
  /** the latest changes, newest last (REMINDER_SCHEDULE_CHANGES_KEPT) */
  changes: ReminderScheduleChange[];
}

export const REMINDER_SETTINGS_ID = 'reminders';

/**
 * Changes kept on the document: years of a few changes a year, while one document stays far
 * below MongoDB's 16 MB limit whatever happens.
 */
export const REMINDER_SCHEDULE_CHANGES_KEPT = 200;

const scheduleFields = {
  daysBefore: { type: [Number], required: true },
  onTheDay: { type: Boolean, required: true },
  sendAtLocalTime: { type: String, required: true },
  overdueFirstAfterWorkingDays: { type: Number, required: true },
  overdueEveryWorkingDays: { type: Number, required: true },
  overdueMaxReminders: { type: Number, required: true },
  escalateFromOverdueReminder: { type: Number, required: true },
};
const scheduleSchema = new Schema<ReminderSchedule>(scheduleFields, { _id: false, strict: 'throw' });
const editorSchema = new Schema<SettingsEditor>({ id: { type: String, required: true }, email: String, name: String }, { _id: false });
const changeSchema = new Schema<ReminderScheduleChange>(
  { at: { type: Date, required: true }, by: { type: editorSchema, required: true }, before: scheduleSchema, after: scheduleSchema, deadlinesRescheduled: Number, version: Number },
  { _id: false },
);

const reminderSettingsSchema = new Schema<ReminderSettingsRecord>(
  {
    _id: { type: String, required: true },
    schedule: { type: scheduleSchema, required: true },
    updatedBy: { type: editorSchema, required: true },
    updatedAt: { type: Date, required: true },
    scheduleVersion: { type: Number },
    replannedVersion: { type: Number },
    changes: { type: [changeSchema], default: [] },
  },
  { strict: 'throw', versionKey: false, timestamps: false, collection: 'reminder_settings' },
);

export type ReminderSettingsModel = Model<ReminderSettingsRecord>;

export const reminderSettingsModel = (conn: Connection): ReminderSettingsModel =>
  (conn.models.ReminderSettings as ReminderSettingsModel | undefined) ?? conn.model<ReminderSettingsRecord>('ReminderSettings', reminderSettingsSchema);
