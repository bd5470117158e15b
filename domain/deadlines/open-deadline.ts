import type { ClientSession } from 'mongoose';
import { Types } from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { DeadlineKind, DeadlineRecipient, DeadlineRecord } from '../../models/deadline.js';
import type { BusinessCalendar } from '../../workflows/business-days.js';
import { reminderSlots, type ReminderPolicy } from '../../workflows/reminder-policy.js';
import { loadReminderPolicy, scheduleFields, type VersionedPolicy } from './schedule.js';

export interface OpenDeadlineFields {
  kind: DeadlineKind;
  dueAt: Date;
  timezone: string;
  recipients: DeadlineRecipient[];
  stage?: string | null;
  partyId?: string | Types.ObjectId | null;
  note?: string | null;
  source: 'auto' | 'manual';
  /**
   * Reminders timed before this instant count as given: a deadline that starts life in the past
   * (an imported register's) then shows as overdue without sending, at once, the latest reminder
   * it missed (one 300-row import measured 236 overdue mails and 240 escalations in one sweep).
   */
  remindersFrom?: Date;
}

/**
 * Writes a new open deadline with its first reminder scheduled. Shared by the API and the deadline
 * rules of stage changes. With `batch`, the record is added there instead, for the caller to
 * write with the others in one insert (an import opens thousands in one transaction). With
 * `policy`, the reminder schedule the caller read in the same transaction; else it is read here.
 */
export async function openDeadline(
  ctx: DomainContext,
  agreement: Pick<AgreementRecord, '_id' | 'audience' | 'leadUnit' | 'remindersPaused'>,
  fields: OpenDeadlineFields,
  actor: Actor,
  calendar: BusinessCalendar,
  opts: { session?: ClientSession; batch?: DeadlineRecord[]; policy?: VersionedPolicy } = {},
): Promise<DeadlineRecord> {
  const { session, batch } = opts;
  const now = ctx.clock.now();
  const policy = opts.policy ?? (await loadReminderPolicy(ctx, session));
  const recipients = dedupeRecipients(fields.recipients);
  const base = {
    agreementId: agreement._id,
    kind: fields.kind,
    stage: fields.stage ?? null,
    partyId: fields.partyId ? new Types.ObjectId(String(fields.partyId)) : null,
    note: fields.note ?? null,
    dueAt: fields.dueAt,
    timezone: fields.timezone,
    recipients,
    status: 'open' as const,
    audience: agreement.audience,
    leadUnit: agreement.leadUnit,
    deliveredSlots: fields.remindersFrom ? slotsBefore(fields, fields.remindersFrom, calendar, policy) : [],
    paused: Boolean(agreement.remindersPaused),
    source: fields.source,
    createdBy: actor.id,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  // Every field is set here (the type requires each), so the driver's insert stores exactly what
  // Model.create would, without its document machinery: a stage change opens one on every move.
  const record: DeadlineRecord = { _id: new Types.ObjectId(), ...base, closedAt: null, lastReminderAt: null, ...scheduleFields(base, now, calendar, policy) };
  if (batch) batch.push(record);
  else await ctx.models.Deadline.collection.insertOne(record, { session });
  return record;
}

function slotsBefore(d: Pick<OpenDeadlineFields, 'dueAt' | 'timezone'>, before: Date, calendar: BusinessCalendar, policy: ReminderPolicy): string[] {
  return reminderSlots({ dueAt: d.dueAt, timezone: d.timezone, status: 'open' }, policy, calendar)
    .filter((s) => s.at.getTime() <= before.getTime())
    .map((s) => s.slot);
}

export function dedupeRecipients(list: DeadlineRecipient[]): DeadlineRecipient[] {
  const seen = new Map<string, DeadlineRecipient>();
  for (const r of list) {
    const email = r.email.trim().toLowerCase();
    if (email && !seen.has(email)) seen.set(email, { ...r, email });
  }
  return [...seen.values()];
}
