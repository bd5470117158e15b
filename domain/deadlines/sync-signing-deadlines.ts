import mongoose, { type ClientSession } from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { AgreementRecord, Party } from '../../models/agreement.js';
import type { DeadlineRecipient, DeadlineRecord, DeadlineStatus } from '../../models/deadline.js';
import { HQ_TIMEZONE, isValidTimeZone, type BusinessCalendar } from '../../workflows/business-days.js';
import { canRecordSignature, type Stage } from '../../workflows/index.js';
import { dedupeRecipients, openDeadline } from './open-deadline.js';
import { loadReminderPolicy, scheduleFields, type VersionedPolicy } from './schedule.js';
import { stageRecipients } from './stage-recipients.js';
import type { KnownToDeadlineRules } from './sync-stage-deadlines.js';

/** A change that may concern signing: a stage change, or a signature that leaves the stage as it is. */
export interface SigningChange {
  agreement: AgreementRecord;
  from: string;
  to: string;
  actor: Actor;
  at: Date;
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

const ENDED: readonly string[] = ['abandoned', 'terminated', 'superseded'];

const isSigningStage = (agreement: AgreementRecord, stage: string) => stage !== '' && canRecordSignature(agreement, stage as Stage);

/**
 * The signing deadlines follow the signatures, called by name inside the transaction of the
 * change (applyStageChange, and recordSignature when a signature leaves the stage unchanged):
 * - entering signing (awaiting_signature, or partially_signed on resuming) opens one `signing_due`
 *   per party that has not signed and has none open, due when the stage's service level ends,
 *   addressed to the party's signatory in the signatory's time zone;
 * - a party's deadline closes `met` (or `missed`, when late) once that party has signed;
 * - leaving signing without a party's signature cancels its deadline (`missed` when already late).
 * Reads nothing when neither side of the change is a signing stage.
 */
export async function syncSigningDeadlines(ctx: DomainContext, change: SigningChange, session: ClientSession): Promise<void> {
  const { agreement, at } = change;
  const wasSigning = isSigningStage(agreement, change.from);
  const isSigning = isSigningStage(agreement, change.to);
  if ((!wasSigning && !isSigning) || ENDED.includes(change.to)) return;
  const { Deadline } = ctx.models;
  // The rules of the stage left and entered (syncStageDeadlines) never touch a signing_due deadline.
  const open = change.known
    ? change.known.deadlines.filter((d) => d.kind === 'signing_due' && d.status === 'open')
    : await Deadline.find({ agreementId: agreement._id, kind: 'signing_due', status: 'open' }, null, { session }).lean<DeadlineRecord[]>();
  const signed = (partyId: unknown) => agreement.parties.find((p) => String(p._id) === String(partyId))?.status === 'signed';
  const late = (d: DeadlineRecord) => at.getTime() > d.dueAt.getTime();
  const stillOpen = new Set<string>();
  for (const d of open) {
    let status: DeadlineStatus | null = null;
    if (signed(d.partyId)) status = late(d) ? 'missed' : 'met';
    else if (!isSigning) status = late(d) ? 'missed' : 'cancelled';
    if (status) {
      await Deadline.updateOne(
        { _id: d._id, version: d.version },
        { $set: { status, closedAt: at, nextReminderAt: null, nextSlot: null, updatedAt: at }, $inc: { version: 1 } },
        { session },
      );
    } else if (d.partyId) stillOpen.add(String(d.partyId));
  }
  // Moving on within signing (awaiting → partially signed) keeps the deadlines already running.
  if (!isSigning || wasSigning || !agreement.stageDueAt) return;
  for (const party of agreement.parties) {
    if (party.status === 'signed' || stillOpen.has(String(party._id))) continue;
    await openDeadline(
      ctx,
      agreement,
      {
        kind: 'signing_due',
        partyId: party._id,
        dueAt: new Date(agreement.stageDueAt),
        timezone: signatoryZone(party),
        recipients: await signingRecipients(ctx, agreement, party, change.actor, change.known),
        source: 'auto',
        remindersFrom: change.remindersFrom,
      },
      change.actor,
      change.calendar,
      { session, batch: change.opened, policy: change.policy },
    );
  }
}

/**
 * A party's signatory changed (PATCH of the parties): its open signing deadlines follow. Those the
 * workflow opened are re-addressed to the new signatory in the new signatory's zone; one made by
 * hand keeps its other recipients, with the old signatory's address swapped for the new one.
 */
export async function readdressSigningDeadlines(
  ctx: DomainContext,
  agreement: AgreementRecord,
  before: Party[],
  actor: Actor,
  calendar: BusinessCalendar,
  session: ClientSession,
): Promise<void> {
  const changed = agreement.parties.filter((p) => {
    const old = before.find((b) => String(b._id) === String(p._id));
    return old && signatoryKey(old) !== signatoryKey(p);
  });
  if (changed.length === 0) return;
  const { Deadline } = ctx.models;
  const open = await Deadline.find(
    { agreementId: agreement._id, kind: 'signing_due', status: 'open', partyId: mongoose.trusted({ $in: changed.map((p) => p._id) }) },
    null,
    { session },
  ).lean<DeadlineRecord[]>();
  const now = ctx.clock.now();
  const policy = await loadReminderPolicy(ctx, session);
  for (const d of open) {
    const party = changed.find((p) => String(p._id) === String(d.partyId))!;
    const old = before.find((b) => String(b._id) === String(party._id))!;
    let recipients: DeadlineRecipient[];
    let timezone = d.timezone;
    if (d.source === 'auto') {
      recipients = await signingRecipients(ctx, agreement, party, actor);
      timezone = signatoryZone(party);
    } else {
      const oldEmail = old.signatory?.email?.toLowerCase();
      const kept = d.recipients.filter((r) => r.email !== oldEmail);
      recipients = kept.length < d.recipients.length && party.signatory?.email ? [...kept, signatoryRecipient(party)!] : d.recipients;
    }
    recipients = dedupeRecipients(recipients);
    if (timezone === d.timezone && JSON.stringify(recipients) === JSON.stringify(d.recipients)) continue;
    // A new zone moves the reminders' wall-clock times: the ladder starts again, as for a moved due time.
    const deliveredSlots = timezone === d.timezone ? d.deliveredSlots : [];
    await Deadline.updateOne(
      { _id: d._id, version: d.version },
      {
        $set: { recipients, timezone, deliveredSlots, ...scheduleFields({ ...d, timezone, deliveredSlots }, now, calendar, policy), updatedAt: now },
        $inc: { version: 1 },
      },
      { session },
    );
  }
}

const signatoryKey = (p: Party) => `${p.signatory?.email?.toLowerCase() ?? ''}|${p.signatory?.name ?? ''}|${p.signatory?.timezone ?? ''}`;

const signatoryZone = (party: Party) => (party.signatory?.timezone && isValidTimeZone(party.signatory.timezone) ? party.signatory.timezone : HQ_TIMEZONE);

const signatoryRecipient = (party: Party): DeadlineRecipient | null =>
  party.signatory?.email ? { email: party.signatory.email.toLowerCase(), name: party.signatory.name } : null;

/** The signatory; a signatory without an address is chased by the lead unit's drafters instead. */
async function signingRecipients(ctx: DomainContext, agreement: AgreementRecord, party: Party, actor: Actor, known?: KnownToDeadlineRules): Promise<DeadlineRecipient[]> {
  const signatory = signatoryRecipient(party);
  return signatory ? [signatory] : stageRecipients(ctx, agreement, actor, known?.drafters);
}
