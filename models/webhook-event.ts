import { Schema, Types, type Connection, type Model } from 'mongoose';
import type { DeliveryAttempt } from './reminder-delivery.js';

export const WEBHOOK_EVENT_TYPES = ['agreement.stage_changed', 'agreement.signature_recorded', 'agreement.signature_declined', 'document.version_added'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export const WEBHOOK_EVENT_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type WebhookEventStatus = (typeof WEBHOOK_EVENT_STATUSES)[number];

/**
 * The outbox of webhook events: written in the same transaction as the change it announces (so
 * a change that rolls back announces nothing, and one that commits is never lost), delivered
 * after the commit and retried with backoff like reminders. `eventId` is sent with every attempt
 * (body `id`, header X-Delivery-Id): receivers drop repeats by it.
 */
export interface WebhookEventRecord {
  _id: Types.ObjectId;
  eventId: string;
  type: WebhookEventType;
  agreementId: Types.ObjectId;
  /** the JSON body, exactly as posted */
  payload: Record<string, unknown>;
  status: WebhookEventStatus;
  attempts: number;
  maxAttempts: number;
  /** when a delivery run may (re)try it; null once sent or failed. While 'sending' it is the claim's expiry. */
  nextAttemptAt: Date | null;
  claimedBy?: string | null;
  attemptLog: DeliveryAttempt[];
  sentAt?: Date | null;
  failedAt?: Date | null;
  lastError?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const attemptSchema = new Schema<DeliveryAttempt>({ at: Date, ok: Boolean, durationMs: Number, transport: String, code: Number, error: String }, { _id: false });

const webhookEventSchema = new Schema<WebhookEventRecord>(
  {
    eventId: { type: String, required: true },
    type: { type: String, enum: WEBHOOK_EVENT_TYPES, required: true },
    agreementId: { type: Schema.Types.ObjectId, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
    status: { type: String, enum: WEBHOOK_EVENT_STATUSES, default: 'pending' },
    attempts: { type: Number, default: 0 },
    maxAttempts: { type: Number, required: true },
    nextAttemptAt: { type: Date, default: null },
    claimedBy: { type: String, default: null },
    attemptLog: { type: [attemptSchema], default: [] },
    sentAt: { type: Date, default: null },
    failedAt: { type: Date, default: null },
    lastError: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { strict: 'throw', versionKey: false, timestamps: false, collection: 'webhookevents' },
);

webhookEventSchema.index({ eventId: 1 }, { unique: true });
// The delivery run's way in: `{ nextAttemptAt: { $lte: now } }`, ordered (oldest change first), limited.
webhookEventSchema.index({ nextAttemptAt: 1 });
webhookEventSchema.index({ status: 1, createdAt: -1 });

export type WebhookEventModel = Model<WebhookEventRecord>;

export const webhookEventModel = (conn: Connection): WebhookEventModel =>
  (conn.models.WebhookEvent as WebhookEventModel | undefined) ?? conn.model<WebhookEventRecord>('WebhookEvent', webhookEventSchema);
