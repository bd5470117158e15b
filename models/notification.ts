import { Schema, Types, type Connection, type Model } from 'mongoose';

/** The in-app copy of a reminder, listed by GET /api/me/notifications. Always written, SMTP or not. */
export interface NotificationRecord {
  _id: Types.ObjectId;
  /** (deadline, slot, recipient): unique, so a repeated sweep cannot add it twice */
  key: string;
  email: string;
  deadlineId: Types.ObjectId;
  agreementId: Types.ObjectId;
  slot: string;
  escalation: boolean;
  subject: string;
  text: string;
  link: string;
  dueAt: Date;
  timezone: string;
  createdAt: Date;
  readAt: Date | null;
}

const notificationSchema = new Schema<NotificationRecord>(
  {
    key: { type: String, required: true },
    email: { type: String, required: true, lowercase: true },
    deadlineId: { type: Schema.Types.ObjectId, required: true },
    agreementId: { type: Schema.Types.ObjectId, required: true },
    slot: { type: String, required: true },
    escalation: { type: Boolean, default: false },
    subject: { type: String, required: true },
    text: { type: String, required: true },
    link: { type: String, required: true },
    dueAt: { type: Date, required: true },
    timezone: { type: String, required: true },
    createdAt: { type: Date, required: true },
    readAt: { type: Date, default: null },
  },
  { strict: 'throw', versionKey: false, timestamps: false, collection: 'notifications' },
);

notificationSchema.index({ key: 1 }, { unique: true });
notificationSchema.index({ email: 1, createdAt: -1 });

export type NotificationModel = Model<NotificationRecord>;

export const notificationModel = (conn: Connection): NotificationModel =>
  (conn.models.Notification as NotificationModel | undefined) ?? conn.model<NotificationRecord>('Notification', notificationSchema);
