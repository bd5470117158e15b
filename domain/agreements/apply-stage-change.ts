import type { ClientSession } from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { Stage, Trigger } from '../../workflows/index.js';
import type { Types } from 'mongoose';
import { appendHistoryEvents, chainHeadLookup, type ChainHead, type HistoryAction } from '../history/append-history-event.js';
import { syncSigningDeadlines } from '../deadlines/sync-signing-deadlines.js';
import { recordWebhookEvent } from '../webhooks/record-webhook-event.js';
import { deadlinesLookup, syncStageDeadlines, type KnownToDeadlineRules } from '../deadlines/sync-stage-deadlines.js';
import { leadUnitDraftersLookup } from '../deadlines/stage-recipients.js';
import { loadBusinessCalendar } from '../deadlines/business-calendar.js';
import { stageDueAt } from './derived-fields.js';
import { policyOf, reminderSettingsLookup, type VersionedPolicy } from '../deadlines/schedule.js';
import type { ReminderSchedule } from '../../workflows/reminder-policy.js';
import { writeIfUnchanged } from './conditional-write.js';

export interface StageChangeInput {
  /** the agreement as read when the request started: its stage and version are the write's condition */
  agreement: AgreementRecord;
  to: Stage;
  /** set when entering on_hold; cleared otherwise */
  previousStage: Stage | null;
  actor: Actor;
  trigger: Trigger;
  note?: string;
  /** further fields written in the same conditional write (e.g. party statuses) */
  set?: Record<string, unknown>;
  /** facts recorded with the move in its history event (e.g. the ratification instrument) */
  recorded?: Record<string, unknown>;
  /** events recorded just before the transition event (e.g. the signature that caused it) */
  eventsBefore?: Array<{ action: HistoryAction; changes: Record<string, unknown> }>;
}

/**
 * What the history and the deadline rules of a stage change read, in one aggregate on the
 * agreement inside the change's transaction (rather than a query each): the head of its history
 * chain, its deadlines, its lead unit's drafters (who are reminded of the new stage) and the
 * reminder schedule the deadlines it opens are timed by.
 */
async function readForRules(ctx: DomainContext, agreementId: Types.ObjectId, session: ClientSession): Promise<{ head: ChainHead; known: KnownToDeadlineRules; policy: VersionedPolicy }> {
  const [row] = await ctx.models.Agreement.aggregate<{ chainHead: NonNullable<ChainHead>[]; reminderSettings: Array<{ schedule: ReminderSchedule; scheduleVersion?: number }> } & KnownToDeadlineRules>([
    { $match: { _id: agreementId } },
    { $project: { leadUnit: 1 } },
    chainHeadLookup(ctx),
    deadlinesLookup(ctx),
    leadUnitDraftersLookup(ctx),
    reminderSettingsLookup(ctx),
  ]).session(session);
  return { head: row?.chainHead[0] ?? null, known: { deadlines: row?.deadlines ?? [], drafters: row?.drafters ?? [] }, policy: policyOf(row?.reminderSettings[0]) };
}

/**
 * The one way a stage changes (manual, by signature, by link): one conditional write on the
 * stage and version it started from, the history events, the deadline rules and the webhook
 * event, all in the caller's transaction (the caller dispatches the event after its commit). The engine has already said yes.
 */
export async function applyStageChange(ctx: DomainContext, input: StageChangeInput, session: ClientSession): Promise<AgreementRecord> {
  const { agreement, to, actor } = input;
  const now = ctx.clock.now();
  const calendar = await loadBusinessCalendar(ctx);
  const { head, known, policy } = await readForRules(ctx, agreement._id, session);
  const updated = await writeIfUnchanged(
    ctx,
    agreement,
    {
      $set: {
        ...input.set,
        stage: to,
        stageEnteredAt: now,
        stageDueAt: stageDueAt(agreement, to, now, calendar),
        previousStage: input.previousStage,
        updatedAt: now,
      },
    },
    session,
    agreement.stage,
  );
  const transitionEvent = {
    action: 'transition' as const,
    changes: { from: agreement.stage, to, trigger: input.trigger, ...(input.note ? { note: input.note } : {}), ...(input.recorded ?? {}) },
  };
  await appendHistoryEvents(
    ctx,
    [...(input.eventsBefore ?? []), transitionEvent].map((e) => ({ agreementId: agreement._id, actor, action: e.action, changes: e.changes, at: now, leadUnit: agreement.leadUnit })),
    session,
    head,
  );
  const change = { agreementId: String(agreement._id), agreement: updated, from: agreement.stage, to, actor, at: now, calendar, known, policy };
  await syncStageDeadlines(ctx, change, session);
  await syncSigningDeadlines(ctx, change, session);
  await recordWebhookEvent(
    ctx,
    { type: 'agreement.stage_changed', agreement: updated, actor, at: now, data: { from: agreement.stage, to, trigger: input.trigger, note: input.note ?? null } },
    session,
  );
  return updated;
}
