import crypto from 'node:crypto';
import mongoose from 'mongoose';
import type { DomainContext } from '../context.js';
import type { DeliveryAttempt } from '../../models/reminder-delivery.js';
import type { WebhookEventRecord } from '../../models/webhook-event.js';
import { DEFAULT_REMINDER_POLICY, retryDelayMs } from '../../workflows/reminder-policy.js';

export interface WebhookDeliverResult {
  attempted: number;
  sent: number;
  retrying: number;
  failed: number;
}

/**
 * Posts the outbox's due events, oldest first, with the same claim, backoff and last attempt as
 * reminder deliveries: a batch is claimed with one conditional update (nextAttemptAt ≤ now →
 * now + claim timeout under a fresh claim id), so two instances never post the same event at
 * once; an event is `sent` only on a 2xx answer, retried after 1, 2, 4, 8 minutes, `failed`
 * after the last attempt. Events are posted one at a time, in order, so a receiver sees the
 * changes of an agreement in the order they happened (as far as retries allow).
 */
export async function deliverWebhookEvents(ctx: DomainContext, opts: { owner: string; batchSize?: number; maxEvents?: number }): Promise<WebhookDeliverResult> {
  const result: WebhookDeliverResult = { attempted: 0, sent: 0, retrying: 0, failed: 0 };
  if (!ctx.services.webhook.configured) return result;
  const { WebhookEvent } = ctx.models;
  const policy = DEFAULT_REMINDER_POLICY;
  const batchSize = opts.batchSize ?? 100;
  const maxEvents = opts.maxEvents ?? 5_000;
  while (result.attempted < maxEvents) {
    const now = ctx.clock.now();
    const candidates = await WebhookEvent.find({ nextAttemptAt: mongoose.trusted({ $lte: now }) }, { _id: 1 }).sort({ nextAttemptAt: 1, _id: 1 }).limit(batchSize).lean();
    if (candidates.length === 0) break;
    const ids = candidates.map((c) => c._id);
    const claim = `${opts.owner}:${crypto.randomBytes(6).toString('hex')}`;
    await WebhookEvent.updateMany(
      { _id: mongoose.trusted({ $in: ids }), nextAttemptAt: mongoose.trusted({ $lte: now }), status: mongoose.trusted({ $in: ['pending', 'sending'] }) },
      { $set: { status: 'sending', claimedBy: claim, nextAttemptAt: new Date(now.getTime() + policy.delivery.claimTimeoutMs), updatedAt: now }, $inc: { attempts: 1 } },
    );
    const claimed = await WebhookEvent.find({ _id: mongoose.trusted({ $in: ids }), claimedBy: claim }).sort({ createdAt: 1, _id: 1 }).lean<WebhookEventRecord[]>();
    if (claimed.length === 0 && candidates.length < batchSize) break;
    for (const event of claimed) {
      const outcome = await attempt(ctx, event, claim);
      result.attempted++;
      result[outcome]++;
    }
    if (candidates.length < batchSize) break;
  }
  return result;
}

async function attempt(ctx: DomainContext, event: WebhookEventRecord, claim: string): Promise<'sent' | 'retrying' | 'failed'> {
  const started = Date.now();
  const now = ctx.clock.now();
  const r = await ctx.services.webhook.post(event.payload, event.eventId).catch((err: unknown) => ({ ok: false, status: undefined, error: String(err) }));
  const entry: DeliveryAttempt = { at: now, ok: r.ok, durationMs: Date.now() - started, transport: 'http', code: r.status ?? null, error: r.error ?? null };
  const last = event.attempts >= event.maxAttempts;
  const status = r.ok ? 'sent' : last ? 'failed' : 'pending';
  const set: Record<string, unknown> = { status, updatedAt: now, claimedBy: null, lastError: r.ok ? null : (r.error ?? null) };
  if (r.ok) Object.assign(set, { sentAt: now, nextAttemptAt: null });
  else if (last) Object.assign(set, { failedAt: now, nextAttemptAt: null });
  else set.nextAttemptAt = new Date(now.getTime() + retryDelayMs(DEFAULT_REMINDER_POLICY, event.attempts));
  // Only the claim holder records the outcome (a claim that expired and was re-taken is not overwritten).
  await ctx.models.WebhookEvent.updateOne({ _id: event._id, claimedBy: claim }, { $set: set, $push: { attemptLog: entry } });
  const fields = { eventId: event.eventId, type: event.type, attempt: event.attempts, code: r.status, error: r.error };
  if (r.ok) ctx.logger.info('webhook event delivered', fields);
  else if (last) ctx.logger.error('webhook event failed for the last time', fields);
  else ctx.logger.warn('webhook event failed, will retry', { ...fields, retryAt: set.nextAttemptAt });
  return status === 'pending' ? 'retrying' : status;
}
