import mongoose, { type ClientSession } from 'mongoose';
import type { DomainContext } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { DeadlineRecord, DeadlineStatus } from '../../models/deadline.js';
import { HQ_TIMEZONE, type BusinessCalendar } from '../../workflows/business-days.js';
import type { VersionedPolicy } from './schedule.js';
import { openDeadline } from './open-deadline.js';
import { refreshDeadlineAudience } from './refresh-deadline-audience.js';
import { stageRecipients, type Drafter } from './stage-recipients.js';
import { syncTermDeadlines } from './sync-term-deadlines.js';

/** What the deadline rules learn when an agreement changes stage. */
export interface StageChange {
  agreementId: string;
  /** the agreement after the change */
  agreement: AgreementRecord;
  from: string;
  to: string;
  actor: Actor;
  at: Date;
  /** the working-day calendar the mover computed the new stage's due date with */
  calendar: BusinessCalendar;
  /** read by the caller in the same transaction (applyStageChange); read here when absent */
  known?: KnownToDeadlineRules;
  /** reminders timed before this count as given (OpenDeadlineFields.remindersFrom): an import's past */
  remindersFrom?: Date;
  /** when given, the deadlines opened are added here and the caller inserts them (openDeadline's batch) */
  opened?: DeadlineRecord[];
  /** the reminder schedule in force, read by the caller in the same transaction; read where needed when absent */
  policy?: VersionedPolicy;
}

/** What the deadline rules read, when the caller has read it with the agreement. */
export interface KnownToDeadlineRules {
  /** every deadline of the agreement (deadlinesLookup) */
  deadlines: DeadlineRecord[];
  /** the lead unit's drafters (leadUnitDraftersLookup) */
  drafters: Drafter[];
}

/** The stage of an aggregate on agreements that adds `deadlines`: every deadline of the agreement. */
export const deadlinesLookup = (ctx: DomainContext) => ({
  $lookup: { from: ctx.models.Deadline.collection.collectionName, localField: '_id', foreignField: 'agreementId', as: 'deadlines' },
});

const ENDED: readonly string[] = ['abandoned', 'terminated', 'superseded'];

/**
 * Called by applyStageChange inside the stage change's transaction, so what it writes commits or
 * rolls back with the move itself:
 * - closes the open stage_due deadline of the stage left (met if on time, missed if late;
 *   cancelled when the agreement is put on hold);
 * - opens one for the stage entered when its table gives service-level days (working days, Asia/Jakarta);
 * (signing_due deadlines follow the signatures: syncSigningDeadlines);
 * - ratification_due → met/missed on entry into force; expiry and renewal_notice opened from the term;
 * - everything open is cancelled when the agreement is abandoned, terminated or superseded.
 */
export async function syncStageDeadlines(ctx: DomainContext, change: StageChange, session: ClientSession): Promise<void> {
  const agreement = change.agreement;
  const agreementId = new mongoose.Types.ObjectId(change.agreementId);
  const at = change.at;
  const { Deadline } = ctx.models;

  // Every deadline of the agreement in one read: the open ones are closed below, and all of
  // them show whether the audience copy needs refreshing (it seldom does: no extra write then).
  const all = change.known?.deadlines ?? ((await Deadline.collection.find({ agreementId }, { session }).toArray()) as DeadlineRecord[]);
  const open = all.filter((d) => d.status === 'open');
  const close = async (d: DeadlineRecord, status: DeadlineStatus) => {
    await Deadline.updateOne(
      { _id: d._id, version: d.version },
      { $set: { status, closedAt: at, nextReminderAt: null, nextSlot: null, updatedAt: at }, $inc: { version: 1 } },
      { session },
    );
  };
  const onTime = (d: DeadlineRecord): DeadlineStatus => (at.getTime() <= d.dueAt.getTime() ? 'met' : 'missed');

  for (const d of open) {
    if (ENDED.includes(change.to)) await close(d, 'cancelled');
    // Put on hold, the stage was not completed: its service level stops (resuming opens a fresh one).
    else if (d.kind === 'stage_due' && d.stage === change.from) await close(d, change.to === 'on_hold' ? 'cancelled' : onTime(d));
    else if (d.kind === 'ratification_due' && change.to === 'in_force') await close(d, onTime(d));
    else if (d.kind === 'expiry' && change.to === 'expired') await close(d, 'met');
    else if (d.kind === 'renewal_notice' && change.to === 'expired') await close(d, 'missed');
  }
  // Belt and braces: updateAgreement refreshes the copy on every confidentiality change already.
  if (all.some((d) => d.audience !== agreement.audience || d.leadUnit !== agreement.leadUnit)) await refreshDeadlineAudience(ctx, agreement, session);
  if (ENDED.includes(change.to)) return;

  const calendar = change.calendar;
  // The mover stored the stage's due date on the agreement (stageDueAt): the deadline is that instant.
  if (agreement.stageDueAt) {
    await openDeadline(
      ctx,
      agreement,
      { kind: 'stage_due', stage: change.to, dueAt: new Date(agreement.stageDueAt), timezone: HQ_TIMEZONE, recipients: await stageRecipients(ctx, agreement, change.actor, change.known?.drafters), source: 'auto', remindersFrom: change.remindersFrom },
      change.actor,
      calendar,
      { session, batch: change.opened, policy: change.policy },
    );
  }
  if (change.to === 'in_force') {
    await syncTermDeadlines(
      ctx,
      { agreement, deadlines: all, actor: change.actor, at, calendar, drafters: change.known?.drafters, remindersFrom: change.remindersFrom, opened: change.opened, policy: change.policy },
      session,
    );
  }
}
