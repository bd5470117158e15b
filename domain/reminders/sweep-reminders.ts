import type { DomainContext } from '../context.js';
import { loadBusinessCalendar } from '../deadlines/business-calendar.js';
import { deliverPendingReminders, type DeliverResult } from './deliver-pending-reminders.js';
import { recordDueReminders, type RecordResult } from './record-due-reminders.js';
import { replanOpenDeadlines } from './replan-open-deadlines.js';
import { deliverWebhookEvents, type WebhookDeliverResult } from '../webhooks/deliver-webhook-events.js';
import { acquireLease, instanceId, releaseLease } from './sweep-lease.js';

export interface SweepOptions {
  /** wait for another instance's sweep to finish instead of skipping (the admin's "run now") */
  wait?: boolean;
  /** how long to wait, in real milliseconds */
  waitTimeoutMs?: number;
  /** lease length; renewed after every batch */
  leaseMs?: number;
  batchSize?: number;
  /** tests only: sweep without the lease, to show the per-row guards alone prevent double sends */
  skipLease?: boolean;
}

export interface SweepResult extends RecordResult, DeliverResult {
  ran: boolean;
  /** webhook events of changes (stage, signatures, documents) whose earlier attempts failed, retried here */
  webhookEvents: WebhookDeliverResult;
  /** why the sweep did not run (another instance holds the lease) */
  skipped?: string;
  startedAt: string;
  durationMs: number;
}

/**
 * One sweep: take the lease, finish moving open deadlines onto a changed schedule, record the reminders that are due, send what is pending (reminders,
 * then webhook events due for a retry), release.
 * Called by the cron task and by POST /api/reminders/sweep.
 */
export async function sweepReminders(ctx: DomainContext, options: SweepOptions = {}): Promise<SweepResult> {
  const owner = instanceId(ctx);
  const leaseMs = options.leaseMs ?? 120_000;
  const started = Date.now();
  const startedAt = ctx.clock.now().toISOString();
  const empty = {
    deadlinesSeen: 0,
    remindersRecorded: 0,
    deliveriesCreated: 0,
    deadlinesFailed: 0,
    attempted: 0,
    sent: 0,
    logged: 0,
    retrying: 0,
    failed: 0,
    webhookEvents: { attempted: 0, sent: 0, retrying: 0, failed: 0 },
  };

  if (!options.skipLease) {
    let held = await acquireLease(ctx, owner, leaseMs);
    const deadline = started + (options.waitTimeoutMs ?? 60_000);
    while (!held && options.wait && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      held = await acquireLease(ctx, owner, leaseMs);
    }
    if (!held) return { ...empty, ran: false, skipped: 'another instance is sweeping', startedAt, durationMs: Date.now() - started };
  }
  try {
    const now = ctx.clock.now();
    const renew = async () => {
      if (!options.skipLease) await acquireLease(ctx, owner, leaseMs);
    };
    const calendar = await loadBusinessCalendar(ctx);
    // A schedule change whose move of the open deadlines did not finish (or may have been overtaken
    // by a stage change on the old schedule) is carried out before any reminder is recorded.
    await replanOpenDeadlines(ctx, { now, calendar, batchSize: options.batchSize, onBatch: renew });
    const recorded = await recordDueReminders(ctx, { now, calendar, batchSize: options.batchSize, onBatch: renew });
    const delivered = await deliverPendingReminders(ctx, { now, owner, batchSize: options.batchSize, onBatch: renew });
    // The webhook outbox is retried here too: after-commit delivery may have failed or died with its process.
    const webhookEvents = await deliverWebhookEvents(ctx, { owner });
    const out: SweepResult = { ...recorded, ...delivered, webhookEvents, ran: true, startedAt, durationMs: Date.now() - started };
    if (out.remindersRecorded || out.attempted || out.deadlinesFailed) ctx.logger.info('reminder sweep', { ...out });
    return out;
  } finally {
    if (!options.skipLease) await releaseLease(ctx, owner);
  }
}
