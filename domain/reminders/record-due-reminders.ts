import mongoose, { Types } from 'mongoose';
import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { DeadlineRecord } from '../../models/deadline.js';
import type { ReminderDeliveryRecord } from '../../models/reminder-delivery.js';
import type { NotificationRecord } from '../../models/notification.js';
import type { BusinessCalendar } from '../../workflows/business-days.js';
import { pickNextSlot, reminderSlots } from '../../workflows/reminder-policy.js';
import { loadReminderPolicy, plannedVersion, replannedFields, scheduleFields } from '../deadlines/schedule.js';
import { composeReminder, toEmail } from './compose-reminder.js';
import { escalationRecipients } from './escalation-recipients.js';
import { MAJORITY_WRITE } from '../../lib/transaction.js';
import { RecipientAccess } from '../deadlines/recipient-access.js';

export interface RecordResult {
  deadlinesSeen: number;
  remindersRecorded: number;
  deliveriesCreated: number;
  /** deadlines the sweep could not handle: recorded on each (sweepFailure), listed by GET /api/reminders/deadline-failures */
  deadlinesFailed: number;
}

type AgreementLite = Pick<AgreementRecord, '_id' | 'code' | 'title' | 'stage' | 'parties' | 'leadUnit' | 'remindersPaused' | 'confidentiality'>;

/**
 * Phase 1 of a sweep. Reads due deadlines only through the `nextReminderAt` index, in batches,
 * and for each one:
 *  1. inserts the deliveries of its latest due slot (unique key per deadline generation, slot,
 *     channel and recipient) and the in-app notifications: a repeat is a duplicate key, ignored;
 *  2. then advances the deadline to its next slot with a write conditional on the version read.
 * A deadline planned under an older schedule than the one read here is first planned again on
 * this one (replannedFields), so nothing is ever sent at a time the schedule no longer has.
 * Records come before the advance, so a crash in between leaves the deliveries to be sent and the
 * deadline to be advanced by the next sweep: nothing is lost and nothing is recorded twice.
 */
export async function recordDueReminders(
  ctx: DomainContext,
  opts: { now: Date; calendar: BusinessCalendar; batchSize?: number; maxDeadlines?: number; onBatch?: () => Promise<void> },
): Promise<RecordResult> {
  const { now, calendar } = opts;
  const batchSize = opts.batchSize ?? 500;
  const maxDeadlines = opts.maxDeadlines ?? 20_000;
  const { Deadline, Agreement, ReminderDelivery, Notification } = ctx.models;
  // read once a sweep: a schedule changed meanwhile moves the open deadlines' versions, so this sweep's advance of them does not land
  const policy = await loadReminderPolicy(ctx);
  const webhook = ctx.services.webhook;
  const result: RecordResult = { deadlinesSeen: 0, remindersRecorded: 0, deliveriesCreated: 0, deadlinesFailed: 0 };
  const seen = new Set<string>();
  const escalationCache = new Map<string, string[]>();

  while (result.deadlinesSeen < maxDeadlines) {
    const batch = await Deadline.find({ nextReminderAt: mongoose.trusted({ $lte: now }) })
      .sort({ nextReminderAt: 1 })
      .limit(batchSize)
      .lean<DeadlineRecord[]>();
    const fresh = batch.filter((d) => !seen.has(String(d._id)));
    // Whatever is left could not be advanced (another writer changed it): try again next sweep.
    if (fresh.length === 0) break;
    for (const d of fresh) seen.add(String(d._id));
    result.deadlinesSeen += fresh.length;

    const agreementIds = [...new Set(fresh.map((d) => String(d.agreementId)))].map((id) => new Types.ObjectId(id));
    const agreements = new Map(
      (
        await Agreement.find({ _id: mongoose.trusted({ $in: agreementIds }) }, {
          code: 1, title: 1, stage: 1, parties: 1, leadUnit: 1, remindersPaused: 1, confidentiality: 1,
        }).lean<AgreementLite[]>()
      ).map((a) => [String(a._id), a]),
    );

    // Access is checked when the reminder is recorded (and again when it is sent): it may have been lost since the deadline was set.
    const access = new RecipientAccess(ctx);
    await access.load(fresh.flatMap((d) => (d.recipients ?? []).map((r) => r.email)));
    const deliveries: Array<Omit<ReminderDeliveryRecord, '_id'>> = [];
    const notifications: Array<Omit<NotificationRecord, '_id'>> = [];
    // slot: the rung recorded, added to the deadline's delivered ones; a deadline planned again has them all in set
    const advances: Array<{ d: DeadlineRecord; set: Record<string, unknown>; slot?: string }> = [];

    for (const d of fresh) {
      // One deadline that cannot be handled (a legacy row with an impossible date, say) must not
      // stop the reminders of everyone else: its failure is recorded on it and shown to admins.
      const kept = { deliveries: deliveries.length, notifications: notifications.length };
      try {
        const agreement = agreements.get(String(d.agreementId));
        if (!agreement || agreement.remindersPaused) {
          advances.push({ d, set: { nextReminderAt: null, nextSlot: null, paused: Boolean(agreement?.remindersPaused) } });
          continue;
        }
        // Planned under an older schedule (a change not yet carried out, or a stage change that read
        // the schedule just before it changed): its rungs are those of this one, before anything is sent.
        const replanned = d.status === 'open' && plannedVersion(d) < policy.scheduleVersion ? replannedFields(d, now, calendar, policy) : null;
        const delivered = replanned?.deliveredSlots ?? d.deliveredSlots ?? [];
        // The ladder is computed once and asked twice: which rung is due now, and which comes after it.
        const ladder = d.status === 'open' ? reminderSlots({ dueAt: d.dueAt, timezone: d.timezone, status: d.status }, policy, calendar) : [];
        const slot = pickNextSlot(ladder, now, delivered);
        if (!slot || slot.at.getTime() > now.getTime()) {
          // The stored time was stale (holidays or policy changed): store the right one, send nothing.
          advances.push({ d, set: { ...scheduleFields({ ...d, deliveredSlots: delivered }, now, calendar, policy), ...(replanned ? { deliveredSlots: delivered } : {}) } });
          continue;
        }
        const to = new Set(d.recipients.map((r) => r.email.toLowerCase()));
        const escalated = new Set<string>();
        if (slot.escalate) {
          let heads = escalationCache.get(agreement.leadUnit);
          if (!heads) {
            heads = await escalationRecipients(ctx, agreement.leadUnit);
            escalationCache.set(agreement.leadUnit, heads);
          }
          for (const h of heads) if (!to.has(h.toLowerCase())) escalated.add(h.toLowerCase());
          await access.load(escalated);
        }
        for (const email of [...to, ...escalated]) {
          if (!access.mayReceive(email, agreement)) {
            to.delete(email);
            escalated.delete(email);
          }
        }
        // The due time is part of the key: a moved deadline starts a new ladder with new keys.
        const generation = d.dueAt.getTime();
        const base = { deadlineId: d._id, agreementId: d.agreementId, slot: slot.slot, status: 'pending' as const, attempts: 0, maxAttempts: policy.delivery.maxAttempts, nextAttemptAt: now, claimedBy: null, attemptLog: [], createdAt: now, updatedAt: now };
        // The text differs only between plain and escalated copies: compose each once.
        const contents = new Map<boolean, ReturnType<typeof composeReminder>>();
        const contentFor = (escalation: boolean) => {
          let c = contents.get(escalation);
          if (!c) {
            c = composeReminder({ deadline: d, agreement, slot, escalation, now, publicUrl: ctx.config.publicUrl });
            contents.set(escalation, c);
          }
          return c;
        };
        for (const email of [...to, ...escalated]) {
          const escalation = escalated.has(email);
          const content = contentFor(escalation);
          deliveries.push({ ...base, key: `${d._id}:${generation}:${slot.slot}:email:${email}`, channel: 'email', recipient: email, escalation, email: toEmail(content, email), payload: null });
          notifications.push({
            key: `${d._id}:${generation}:${slot.slot}:${email}`,
            email,
            deadlineId: d._id,
            agreementId: d.agreementId,
            slot: slot.slot,
            escalation,
            subject: content.subject,
            text: content.text,
            link: content.link,
            dueAt: d.dueAt,
            timezone: d.timezone,
            createdAt: now,
            readAt: null,
          });
        }
        if (webhook.configured) {
          const content = contentFor(slot.escalate);
          const key = `${d._id}:${generation}:${slot.slot}:webhook:webhook`;
          deliveries.push({ ...base, key, channel: 'webhook', recipient: 'webhook', escalation: slot.escalate, email: null, payload: { ...content.payload, deliveryKey: key, recipients: [...to, ...escalated] } });
        }
        const after = pickNextSlot(ladder, now, [...delivered, slot.slot]);
        const set = { nextReminderAt: after?.at ?? null, nextSlot: after?.slot ?? null, scheduleVersion: policy.scheduleVersion, lastReminderAt: now };
        advances.push(replanned ? { d, set: { ...set, deliveredSlots: [...delivered, slot.slot] } } : { d, slot: slot.slot, set });
        result.remindersRecorded++;
      } catch (err) {
        deliveries.length = kept.deliveries;
        notifications.length = kept.notifications;
        const message = String((err as Error)?.message ?? err).slice(0, 500);
        ctx.logger.error('reminder sweep skipped a deadline it cannot handle', { deadlineId: String(d._id), error: message });
        advances.push({ d, set: { nextReminderAt: null, nextSlot: null, sweepFailure: { at: now, message } } });
        result.deadlinesFailed++;
      }
    }

    result.deliveriesCreated += await insertIgnoringDuplicates(ReminderDelivery, deliveries);
    await insertIgnoringDuplicates(Notification, notifications);
    if (advances.length) {
      await Deadline.bulkWrite(
        advances.map(({ d, set, slot }) => ({
          updateOne: {
            filter: { _id: d._id, version: d.version },
            update: { $set: { ...set, updatedAt: now }, $inc: { version: 1 }, ...(slot ? { $addToSet: { deliveredSlots: slot } } : {}) },
          },
        })),
        // a slot marked delivered must not outlive, after a failover, the delivery rows it stands for
        { ordered: false, writeConcern: MAJORITY_WRITE },
      );
    }
    await opts.onBatch?.();
    if (batch.length < batchSize) break;
  }
  return result;
}

/** Inserts what is new; rows whose unique key exists already (an earlier or concurrent sweep) are skipped. */
async function insertIgnoringDuplicates(model: mongoose.Model<any>, docs: object[]): Promise<number> {
  if (docs.length === 0) return 0;
  try {
    const res = await model.collection.insertMany(docs, { ordered: false, writeConcern: MAJORITY_WRITE });
    return res.insertedCount;
  } catch (err: any) {
    const writeErrors: any[] = err?.writeErrors ? (Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors]) : [];
    if (writeErrors.length === 0 || writeErrors.some((w) => (w.code ?? w.err?.code) !== 11000)) throw err;
    return err.result?.insertedCount ?? err.insertedCount ?? docs.length - writeErrors.length;
  }
}
