import { Schema, Types, type Connection, type Model } from 'mongoose';

export const DELIVERY_CHANNELS = ['email', 'webhook'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
/**
 * `sent`: a transport accepted it (the SMTP server, or the webhook answered 2xx); `logged`: no
 * transport is configured for the channel, so it was only written to the log (and the in-app list);
 * `failed`: refused on every attempt.
 */
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'logged', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryAttempt {
  at: Date;
  ok: boolean;
  durationMs: number;
  /** 'smtp', 'log' (no SMTP configured) or 'http' */
  transport: string;
  /** SMTP reply code or HTTP status, when there was one */
  code?: number | null;
  error?: string | null;
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  ics: string | null;
  icsFilename: string;
}

/**
 * One reminder to one recipient over one channel. `key` (deadline, slot, channel, recipient) is
 * unique and the row is inserted BEFORE anything is sent: a second sweep, a restart or another
 * instance hits the unique index instead of sending again.
 */
export interface ReminderDeliveryRecord {
  _id: Types.ObjectId;
  key: string;
  deadlineId: Types.ObjectId;
  agreementId: Types.ObjectId;
  slot: string;
  channel: DeliveryChannel;
  /** e-mail address, or 'webhook' */
  recipient: string;
  /** sent to the lead unit's head because the work is overdue */
  escalation: boolean;
  status: DeliveryStatus;
  attempts: number;
  maxAttempts: number;
  /** when a sweep may (re)try it; null once sent or failed. While 'sending' it is the claim's expiry. */
  nextAttemptAt: Date | null;
  claimedBy?: string | null;
  attemptLog: DeliveryAttempt[];
  email?: EmailMessage | null;
  payload?: Record<string, unknown> | null;
  sentAt?: Date | null;
  failedAt?: Date | null;
  lastError?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const attemptSchema = new Schema<DeliveryAttempt>(
  { at: Date, ok: Boolean, durationMs: Number, transport: String, code: Number, error: String },
  { _id: false },
);

const deliverySchema = new Schema<ReminderDeliveryRecord>(
  {
    key: { type: String, required: true },
    deadlineId: { type: Schema.Types.ObjectId, required: true },
    agreementId: { type: Schema.Types.ObjectId, required: true },
    slot: { type: String, required: true },
    channel: { type: String, enum: DELIVERY_CHANNELS, required: true },
    recipient: { type: String, required: true },
    escalation: { type: Boolean, default: false },
    status: { type: String, enum: DELIVERY_STATUSES, default: 'pending' },
    attempts: { type: Number, default: 0 },
    maxAttempts: { type: Number, required: true },
    nextAttemptAt: { type: Date, default: null },
    claimedBy: { type: String, default: null },
    attemptLog: { type: [attemptSchema], default: [] },
    email: { type: Schema.Types.Mixed, default: null },
    payload: { type: Schema.Types.Mixed, default: null },
    sentAt: { type: Date, default: null },
    failedAt: { type: Date, default: null },
    lastError: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { strict: 'throw', versionKey: false, timestamps: false, collection: 'reminderdeliveries' },
);

deliverySchema.index({ key: 1 }, { unique: true });
// The delivery phase's way in: `{ nextAttemptAt: { $lte: now } }`, ordered, limited.
deliverySchema.index({ nextAttemptAt: 1 });
deliverySchema.index({ status: 1, createdAt: -1 });
deliverySchema.index({ deadlineId: 1, createdAt: 1 });

export type ReminderDeliveryModel = Model<ReminderDeliveryRecord>;

export const reminderDeliveryModel = (conn: Connection): ReminderDeliveryModel =>
  (conn.models.ReminderDelivery as ReminderDeliveryModel | undefined) ??
  conn.model<ReminderDeliveryRecord>('ReminderDelivery', deliverySchema);
