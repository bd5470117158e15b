import { Schema, Types, type Connection, type Model } from 'mongoose';

/**
 * One link of an agreement's hash chain. What the hash covers (domain/history/hash-chain.ts) is
 * never updated or deleted by the application.
 */
export interface HistoryEventRecord {
  _id: Types.ObjectId;
  agreementId: Types.ObjectId;
  seq: number;
  at: Date;
  actor: { id: string; email: string; name: string };
  role: string;
  action: string;
  /** plain JSON (dates as ISO strings), so the hash recomputes identically after a round trip */
  changes: Record<string, unknown>;
  prevHash: string;
  hash: string;
  /**
   * The agreement's lead unit, copied so that a report for one unit reads that unit's events
   * through an index rather than every event of the period. Outside the hash (a copy for finding,
   * not part of the record the chain vouches for), so events written before it existed verify as
   * they always did; kept equal to the agreement's when its lead unit changes.
   */
  leadUnit?: string;
}

const historyEventSchema = new Schema<HistoryEventRecord>(
  {
    agreementId: { type: Schema.Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
    actor: { id: { type: String, required: true }, email: String, name: String },
    role: { type: String, required: true },
    action: { type: String, required: true },
    changes: { type: Schema.Types.Mixed, default: {} },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
    leadUnit: String,
  },
  { strict: 'throw', versionKey: false, timestamps: false, minimize: false, collection: 'history_events' },
);

// One sequence number per agreement: two concurrent appends cannot fork the chain.
historyEventSchema.index({ agreementId: 1, seq: 1 }, { unique: true });
historyEventSchema.index({ action: 1, at: -1 });
// A lead unit's report: that unit's events of an action in the period, nobody else's.
historyEventSchema.index({ leadUnit: 1, action: 1, at: 1 });
// A period's history across agreements (GET /api/history): a page in its order (time, then
// sequence, then agreement for events of the same instant) without sorting the whole period.
historyEventSchema.index({ at: 1, seq: 1, agreementId: 1 });

export type HistoryEventModel = Model<HistoryEventRecord>;

export const historyEventModel = (conn: Connection): HistoryEventModel =>
  (conn.models.HistoryEvent as HistoryEventModel | undefined) ?? conn.model<HistoryEventRecord>('HistoryEvent', historyEventSchema);
