import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Who overdue work of a unit escalates to (the unit head, a deputy, a shared mailbox). Set by
 * an admin; a unit without an entry escalates to the active admin users.
 */
export interface EscalationContactRecord {
  unit: string;
  emails: string[];
  updatedBy?: string;
  updatedAt: Date;
}

const escalationContactSchema = new Schema<EscalationContactRecord>(
  {
    unit: { type: String, required: true, trim: true },
    emails: { type: [String], default: [] },
    updatedBy: String,
    updatedAt: { type: Date, required: true },
  },
  { strict: 'throw', versionKey: false, timestamps: false, collection: 'escalationcontacts' },
);

escalationContactSchema.index({ unit: 1 }, { unique: true });

export type EscalationContactModel = Model<EscalationContactRecord>;

export const escalationContactModel = (conn: Connection): EscalationContactModel =>
  (conn.models.EscalationContact as EscalationContactModel | undefined) ??
  conn.model<EscalationContactRecord>('EscalationContact', escalationContactSchema);
