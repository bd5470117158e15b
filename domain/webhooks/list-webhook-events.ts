import mongoose from 'mongoose';
import type { DomainContext } from '../context.js';
import type { WebhookEventRecord, WebhookEventStatus } from '../../models/webhook-event.js';
import { labelOrId, loadAgreementLabels } from '../agreements/agreement-labels.js';

/** Admin view of the webhook outbox: each change event with its status and every attempt, newest first. */
export async function listWebhookEvents(ctx: DomainContext, input: { status?: WebhookEventStatus[]; limit: number; offset: number }) {
  const filter: Record<string, unknown> = {};
  if (input.status?.length) filter.status = mongoose.trusted({ $in: input.status });
  const [rows, total] = await Promise.all([
    ctx.models.WebhookEvent.find(filter, { payload: 0 }).sort({ createdAt: -1, _id: -1 }).skip(input.offset).limit(input.limit).lean<WebhookEventRecord[]>(),
    ctx.models.WebhookEvent.countDocuments(filter),
  ]);
  const labels = await loadAgreementLabels(ctx, rows.map((e) => e.agreementId));
  const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
  return {
    configured: ctx.services.webhook.configured,
    total,
    items: rows.map((e) => ({
      id: String(e._id),
      eventId: e.eventId,
      type: e.type,
      agreement: labelOrId(labels, e.agreementId),
      status: e.status,
      attempts: e.attempts,
      maxAttempts: e.maxAttempts,
      nextAttemptAt: iso(e.nextAttemptAt),
      lastError: e.lastError ?? null,
      sentAt: iso(e.sentAt),
      failedAt: iso(e.failedAt),
      attemptLog: (e.attemptLog ?? []).map((a) => ({ ...a, at: a.at instanceof Date ? a.at.toISOString() : a.at })),
      createdAt: e.createdAt.toISOString(),
    })),
  };
}
