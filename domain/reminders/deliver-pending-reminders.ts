import crypto from 'node:crypto';
import mongoose from 'mongoose';
import type { DomainContext } from '../context.js';
import type { DeliveryAttempt, ReminderDeliveryRecord } from '../../models/reminder-delivery.js';
import { DEFAULT_REMINDER_POLICY, retryDelayMs } from '../../workflows/reminder-policy.js';
import { MAJORITY_WRITE } from '../../lib/transaction.js';
import { RecipientAccess } from '../deadlines/recipient-access.js';
import type { AgreementRecord } from '../../models/agreement.js';
import { DELIVERY_ERRORS } from './delivery-errors.js';

export interface DeliverResult {
  attempted: number;
  sent: number;
  /** e-mails only written to the log (and the in-app list): no SMTP server is configured */
  logged: number;
  /** failed this time, will be retried later */
  retrying: number;
  /** failed for the last time: visible to admins in GET /api/reminders?status=failed */
  failed: number;
}

/**
 * Phase 2 of a sweep: sends recorded deliveries whose time has come (new ones, retries, and
 * ones a crashed instance had claimed and never finished). A batch is claimed with one
 * conditional update (nextAttemptAt ≤ now → now + claim timeout, under a fresh claim id), so
 * two instances never send the same row. A row becomes `sent` only when the SMTP server accepted
 * it or the webhook answered 2xx, `logged` when no SMTP server is configured (written to the log
 * and kept in-app, nothing sent); after its last refused attempt it becomes `failed`.
 */
export async function deliverPendingReminders(
  ctx: DomainContext,
  opts: { now: Date; owner: string; batchSize?: number; maxDeliveries?: number; concurrency?: number; onBatch?: () => Promise<void> },
): Promise<DeliverResult> {
  const { now, owner } = opts;
  const batchSize = opts.batchSize ?? 500;
  const maxDeliveries = opts.maxDeliveries ?? 20_000;
  const concurrency = opts.concurrency ?? 10;
  const policy = DEFAULT_REMINDER_POLICY;
  const { ReminderDelivery } = ctx.models;
  const result: DeliverResult = { attempted: 0, sent: 0, logged: 0, retrying: 0, failed: 0 };

  while (result.attempted < maxDeliveries) {
    const candidates = await ReminderDelivery.find({ nextAttemptAt: mongoose.trusted({ $lte: now }) }, { _id: 1 })
      .sort({ nextAttemptAt: 1 })
      .limit(batchSize)
      .lean();
    if (candidates.length === 0) break;
    const ids = candidates.map((c) => c._id);
    const claim = `${owner}:${crypto.randomBytes(6).toString('hex')}`;
    await ReminderDelivery.updateMany(
      { _id: mongoose.trusted({ $in: ids }), nextAttemptAt: mongoose.trusted({ $lte: now }), status: mongoose.trusted({ $in: ['pending', 'sending'] }) },
      { $set: { status: 'sending', claimedBy: claim, nextAttemptAt: new Date(now.getTime() + policy.delivery.claimTimeoutMs), updatedAt: now }, $inc: { attempts: 1 } },
      // a claim a failover could roll back would let another instance send the same reminder again
      { writeConcern: MAJORITY_WRITE },
    );
    const claimed = await ReminderDelivery.find({ _id: mongoose.trusted({ $in: ids }), claimedBy: claim }).lean<ReminderDeliveryRecord[]>();
    if (claimed.length === 0) {
      // Another instance claimed them all between our read and our claim.
      if (candidates.length < batchSize) break;
      continue;
    }
    const barred = await barredDeliveries(ctx, claimed);
    await runLimited(claimed, concurrency, async (delivery) => {
      const outcome = barred.has(String(delivery._id)) ? await withhold(ctx, delivery, now, claim) : await attempt(ctx, delivery, now, claim);
      result.attempted++;
      result[outcome]++;
    });
    await opts.onBatch?.();
    if (candidates.length < batchSize) break;
  }
  return result;
}

async function attempt(ctx: DomainContext, d: ReminderDeliveryRecord, now: Date, claim: string): Promise<'sent' | 'logged' | 'retrying' | 'failed'> {
  const policy = DEFAULT_REMINDER_POLICY;
  const started = Date.now();
  let ok = false;
  let logged = false;
  let code: number | undefined;
  let error: string | undefined;
  let transport: string = d.channel === 'webhook' ? 'http' : ctx.services.mailer.transport;
  try {
    if (d.channel === 'email' && d.email) {
      const r = await ctx.services.mailer.send(d.email);
      ok = r.accepted;
      logged = Boolean(r.logged);
      code = r.code;
      error = r.error;
      transport = r.transport;
    } else if (d.channel === 'webhook' && d.payload) {
      const r = await ctx.services.webhook.post(d.payload, d.key);
      ok = r.ok;
      code = r.status;
      error = r.error;
    } else {
      error = DELIVERY_ERRORS.nothingToSend.stored;
    }
  } catch (err: any) {
    error = String(err?.message ?? err);
  }
  const entry: DeliveryAttempt = { at: now, ok: ok || logged, durationMs: Date.now() - started, transport, code: code ?? null, error: error ?? null };
  const last = d.attempts >= d.maxAttempts;
  const status = ok ? 'sent' : logged ? 'logged' : last ? 'failed' : 'pending';
  const set: Record<string, unknown> = { status, updatedAt: now, claimedBy: null, lastError: ok || logged ? null : (error ?? null) };
  if (ok) Object.assign(set, { sentAt: now, nextAttemptAt: null });
  else if (logged) set.nextAttemptAt = null;
  else if (last) Object.assign(set, { failedAt: now, nextAttemptAt: null });
  else set.nextAttemptAt = new Date(now.getTime() + retryDelayMs(policy, d.attempts));
  // Only the claim holder records the outcome (a claim that expired and was re-taken is not overwritten).
  await ctx.models.ReminderDelivery.updateOne({ _id: d._id, claimedBy: claim }, { $set: set, $push: { attemptLog: entry } }, { writeConcern: MAJORITY_WRITE });
  const fields = { key: d.key, channel: d.channel, recipient: d.recipient, slot: d.slot, attempt: d.attempts, transport, code, error };
  if (ok) ctx.logger.info('reminder delivered', fields);
  // log-only mode did what it is for (the admin's Reminders tab says "Logged only"): not a failure, and nothing to retry
  else if (logged) ctx.logger.info('reminder logged, not sent: no mail server is configured', fields);
  else if (last) ctx.logger.error('reminder delivery failed for the last time', fields);
  else ctx.logger.warn('reminder delivery failed, will retry', { ...fields, retryAt: set.nextAttemptAt });
  return status === 'pending' ? 'retrying' : status;
}

/**
 * Access is checked again right before sending (it may have been lost since the reminder was
 * recorded): an e-mail to an account that may no longer see the agreement is withheld, and a
 * webhook names only the recipients who still may (withheld when none is left).
 */
async function barredDeliveries(ctx: DomainContext, claimed: ReminderDeliveryRecord[]): Promise<Set<string>> {
  const ids = [...new Set(claimed.map((d) => String(d.agreementId)))].map((id) => new mongoose.Types.ObjectId(id));
  const agreements = new Map(
    (await ctx.models.Agreement.find({ _id: mongoose.trusted({ $in: ids }) }, { confidentiality: 1, leadUnit: 1 }).lean<AgreementRecord[]>()).map((a) => [String(a._id), a]),
  );
  const access = new RecipientAccess(ctx);
  const addressees = (d: ReminderDeliveryRecord) => (d.channel === 'webhook' ? ((d.payload as { recipients?: string[] } | null)?.recipients ?? []) : [d.recipient]);
  await access.load(claimed.flatMap(addressees));
  const barred = new Set<string>();
  for (const d of claimed) {
    const agreement = agreements.get(String(d.agreementId));
    if (!agreement) {
      barred.add(String(d._id));
      continue;
    }
    const allowed = addressees(d).filter((email) => access.mayReceive(email, agreement));
    if (d.channel === 'webhook' && d.payload) (d.payload as { recipients?: string[] }).recipients = allowed;
    if (allowed.length === 0) barred.add(String(d._id));
  }
  return barred;
}

async function withhold(ctx: DomainContext, d: ReminderDeliveryRecord, now: Date, claim: string): Promise<'failed'> {
  const error = DELIVERY_ERRORS.withheld.stored;
  const entry: DeliveryAttempt = { at: now, ok: false, durationMs: 0, transport: 'none', code: null, error };
  await ctx.models.ReminderDelivery.updateOne(
    { _id: d._id, claimedBy: claim },
    { $set: { status: 'failed', failedAt: now, nextAttemptAt: null, claimedBy: null, lastError: error, updatedAt: now }, $push: { attemptLog: entry } },
    { writeConcern: MAJORITY_WRITE },
  );
  ctx.logger.warn('reminder withheld: the recipient may not see the agreement', { key: d.key, channel: d.channel, recipient: d.recipient });
  return 'failed';
}

async function runLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  });
  await Promise.all(workers);
}
