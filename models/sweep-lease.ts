import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A named lease: whoever holds an unexpired one does the sweep; others skip (cron) or wait
 * (manual sweep). Taken with one conditional findOneAndUpdate, so two instances never both hold it.
 */
export interface SweepLeaseRecord {
  _id: string;
  owner: string;
  expiresAt: Date;
  acquiredAt: Date;
}

const leaseSchema = new Schema<SweepLeaseRecord>(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    acquiredAt: { type: Date, required: true },
  },
  { strict: 'throw', versionKey: false, timestamps: false, collection: 'sweepleases' },
);

export type SweepLeaseModel = Model<SweepLeaseRecord>;

export const sweepLeaseModel = (conn: Connection): SweepLeaseModel =>
  (conn.models.SweepLease as SweepLeaseModel | undefined) ?? conn.model<SweepLeaseRecord>('SweepLease', leaseSchema);
