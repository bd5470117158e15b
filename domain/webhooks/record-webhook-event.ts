import crypto from 'node:crypto';
import { Types, type ClientSession } from 'mongoose';
import type { DomainContext } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { WebhookEventRecord, WebhookEventType } from '../../models/webhook-event.js';
import { DEFAULT_REMINDER_POLICY } from '../../workflows/reminder-policy.js';

export interface WebhookEventInput {
  type: WebhookEventType;
  /** the agreement after the change */
  agreement: Pick<AgreementRecord, '_id' | 'code' | 'title' | 'stage' | 'version'>;
  actor: Actor;
  at: Date;
  data: Record<string, unknown>;
}

/**
 * Puts one event in the outbox, in the caller's transaction: it exists exactly when the change
 * it announces committed. Nothing is written when no webhook is configured (there is no one to
 * tell). Delivery happens after the commit (dispatchWebhookEvents) and on every reminder sweep.
 */
export async function recordWebhookEvent(ctx: DomainContext, input: WebhookEventInput, session: ClientSession): Promise<void> {
  if (!ctx.services.webhook.configured) return;
  const eventId = crypto.randomUUID();
  const a = input.agreement;
  const payload = {
    id: eventId,
    type: input.type,
    occurredAt: input.at.toISOString(),
    agreement: { id: String(a._id), code: a.code, title: { id: a.title.id, en: a.title.en }, stage: a.stage, version: a.version },
    // Who acted, as the history records it (name and role; no address leaves the ministry this way).
    actor: { name: input.actor.name, role: input.actor.role },
    data: input.data,
  };
  const record: Omit<WebhookEventRecord, '_id'> & { _id: Types.ObjectId } = {
    _id: new Types.ObjectId(),
    eventId,
    type: input.type,
    agreementId: a._id,
    payload,
    status: 'pending',
    attempts: 0,
    maxAttempts: DEFAULT_REMINDER_POLICY.delivery.maxAttempts,
    nextAttemptAt: input.at,
    claimedBy: null,
    attemptLog: [],
    sentAt: null,
    failedAt: null,
    lastError: null,
    createdAt: input.at,
    updatedAt: input.at,
  };
  await ctx.models.WebhookEvent.collection.insertOne(record, { session });
}
