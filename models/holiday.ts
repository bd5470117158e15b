import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Admin additions to the shipped holiday files (workflows/holidays/<year>.json): a new
 * public holiday or collective leave day, or `removed: true` to re-open a shipped date.
 */
export interface HolidayRecord {
  date: string;
  kind: 'holiday' | 'collective_leave';
  name: { id: string; en: string };
  removed: boolean;
  createdBy?: string;
  createdAt: Date;
}

const holidaySchema = new Schema<HolidayRecord>(
  {
    date: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    kind: { type: String, enum: ['holiday', 'collective_leave'], default: 'holiday' },
    name: { id: { type: String, default: '' }, en: { type: String, default: '' } },
    removed: { type: Boolean, default: false },
    createdBy: String,
    createdAt: { type: Date, required: true },
  },
  { strict: 'throw', versionKey: false, timestamps: false, collection: 'holidays' },
);

holidaySchema.index({ date: 1 }, { unique: true });

export type HolidayModel = Model<HolidayRecord>;

export const holidayModel = (conn: Connection): HolidayModel =>
  (conn.models.Holiday as HolidayModel | undefined) ?? conn.model<HolidayRecord>('Holiday', holidaySchema);
