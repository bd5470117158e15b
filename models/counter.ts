import { Schema, type Connection, type Model } from 'mongoose';

/** Named counters (e.g. the running number of agreement codes per prefix) and one-off markers. */
export interface CounterRecord {
  _id: string;
  seq: number;
  at?: Date;
}

const counterSchema = new Schema<CounterRecord>(
  { _id: { type: String, required: true }, seq: { type: Number, default: 0 }, at: Date },
  { strict: 'throw', versionKey: false, timestamps: false, collection: 'counters' },
);

export type CounterModel = Model<CounterRecord>;

export const counterModel = (conn: Connection): CounterModel =>
  (conn.models.Counter as CounterModel | undefined) ?? conn.model<CounterRecord>('Counter', counterSchema);
