import { Schema, Types, type Connection, type Model } from 'mongoose';

export const DEADLINE_KINDS = ['stage_due', 'signing_due', 'ratification_due', 'expiry', 'renewal_notice', 'custom'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
export const DEADLINE_STATUSES = ['open', 'met', 'missed', 'cancelled'] as const;
export type DeadlineStatus = (typeof DEADLINE_STATUSES)[number];

export interface DeadlineRecipient {
  email: string;
  userId?: string;
  name?: string;
}

/** A due time someone must be reminded of. Stored plain; `lean()` returns this shape. */
export interface DeadlineRecord {
  _id: Types.ObjectId;
  agreementId: Types.ObjectId;
  kind: DeadlineKind;
  /** stage_due: the stage whose service level this is */
  stage?: string | null;
  /** signing_due: the party that must sign */
  partyId?: Types.ObjectId | null;
  /** free text for custom deadlines */
  note?: string | null;
  dueAt: Date;
  /** IANA zone the deadline is shown and reminded in (a mission's zone, or Asia/Jakarta) */
  timezone: string;
  recipients: DeadlineRecipient[];
  status: DeadlineStatus;
  closedAt?: Date | null;
  /** copied from the agreement so lists can hide confidential agreements of other units without a join */
  audience: string;
  leadUnit: string;
  /** when the sweep should next look at this deadline; null when no reminder is left (or paused) */
  nextReminderAt: Date | null;
  nextSlot: string | null;
  /** reminder slots already recorded for delivery (the ladder never goes back past the last one) */
  deliveredSlots: string[];
  /**
   * the version of the reminder schedule nextReminderAt was planned with; absent on deadlines
   * written before schedules had versions, which counts as 0 (the shipped schedule)
   */
  scheduleVersion?: number;
  lastReminderAt?: Date | null;
  /** the agreement's reminders are paused: nextReminderAt is null until resumed */
  paused: boolean;
  /** the last sweep could not handle this deadline (no reminder is scheduled until it is edited); absent otherwise */
  sweepFailure?: { at: Date; message: string } | null;
  /** 'auto' for deadlines the workflow opened, 'manual' for those created through the API */
  source: 'auto' | 'manual';
  createdBy?: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

const recipientSchema = new Schema<DeadlineRecipient>(
  { email: { type: String, required: true, lowercase: true, trim: true, maxlength: 254 }, userId: String, name: String },
  { _id: false, strict: 'throw' },
);

const deadlineSchema = new Schema<DeadlineRecord>(
  {
    agreementId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: DEADLINE_KINDS, required: true },
    stage: { type: String, default: null },
    partyId: { type: Schema.Types.ObjectId, default: null },
    note: { type: String, default: null, maxlength: 500 },
    dueAt: { type: Date, required: true },
    timezone: { type: String, required: true },
    recipients: { type: [recipientSchema], default: [] },
    status: { type: String, enum: DEADLINE_STATUSES, default: 'open' },
    closedAt: { type: Date, default: null },
    audience: { type: String, required: true },
    leadUnit: { type: String, required: true },
    nextReminderAt: { type: Date, default: null },
    nextSlot: { type: String, default: null },
    deliveredSlots: { type: [String], default: [] },
    scheduleVersion: { type: Number },
    lastReminderAt: { type: Date, default: null },
    paused: { type: Boolean, default: false },
    sweepFailure: { type: new Schema({ at: { type: Date, required: true }, message: { type: String, required: true } }, { _id: false, strict: 'throw' }), default: undefined },
    source: { type: String, enum: ['auto', 'manual'], default: 'manual' },
    createdBy: String,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: { type: Number, default: 1 },
  },
  // Business time comes from the injected clock, so timestamps are set by the domain.
  { strict: 'throw', versionKey: false, timestamps: false, collection: 'deadlines' },
);

// The sweep's only way in: an ordered range scan `{ nextReminderAt: { $lte: now } }` with a limit.
deadlineSchema.index({ nextReminderAt: 1 });
deadlineSchema.index({ agreementId: 1, kind: 1, status: 1 });
deadlineSchema.index({ 'recipients.email': 1, dueAt: 1 });
deadlineSchema.index({ dueAt: 1 });
// The admins' list of deadlines the sweep could not handle: only those rows are in it.
deadlineSchema.index({ 'sweepFailure.at': -1 }, { sparse: true });

export type DeadlineModel = Model<DeadlineRecord>;

export const deadlineModel = (conn: Connection): DeadlineModel =>
  (conn.models.Deadline as DeadlineModel | undefined) ?? conn.model<DeadlineRecord>('Deadline', deadlineSchema);
