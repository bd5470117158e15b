import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A user's secret calendar feed. Only the SHA-256 of the token is stored: a database dump does
 * not reveal working feed URLs. One per user; rotating replaces it, revoking deletes it.
 */
export interface CalendarTokenRecord {
  userId: string;
  email: string;
  tokenHash: string;
  createdAt: Date;
  lastUsedAt?: Date | null;
}

const calendarTokenSchema = new Schema<CalendarTokenRecord>(
  {
    userId: { type: String, required: true },
    email: { type: String, required: true, lowercase: true },
    tokenHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastUsedAt: { type: Date, default: null },
  },
  { strict: 'throw', versionKey: false, timestamps: false, collection: 'calendartokens' },
);

calendarTokenSchema.index({ userId: 1 }, { unique: true });
calendarTokenSchema.index({ tokenHash: 1 }, { unique: true });

export type CalendarTokenModel = Model<CalendarTokenRecord>;

export const calendarTokenModel = (conn: Connection): CalendarTokenModel =>
  (conn.models.CalendarToken as CalendarTokenModel | undefined) ?? conn.model<CalendarTokenRecord>('CalendarToken', calendarTokenSchema);
