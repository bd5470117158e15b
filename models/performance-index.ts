import { Schema, type Connection, type Model } from 'mongoose';

/** A name an index carries from `fromYear` on (a rename adds one; earlier years keep theirs). */
export interface IndexName {
  fromYear: number;
  id: string;
  en: string;
}

/**
 * One of the directorate's performance indices. Agreements keep the code they were attributed
 * to, so renaming or retiring an index never rewrites a past year's report.
 */
export interface PerformanceIndexRecord {
  _id: string;
  names: IndexName[];
  /** the first year the index is reported */
  fromYear: number;
  /** the first year it is no longer reported (null: still in use) */
  retiredFromYear: number | null;
  /** order in reports */
  position: number;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

const nameSchema = new Schema<IndexName>(
  { fromYear: { type: Number, required: true }, id: { type: String, required: true }, en: { type: String, required: true } },
  { _id: false },
);

const performanceIndexSchema = new Schema<PerformanceIndexRecord>(
  {
    _id: { type: String, required: true },
    names: { type: [nameSchema], default: [] },
    fromYear: { type: Number, required: true },
    retiredFromYear: { type: Number, default: null },
    position: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: { type: Number, default: 1 },
  },
  { strict: 'throw', versionKey: false, timestamps: false, collection: 'performance_indices' },
);

export type PerformanceIndexModel = Model<PerformanceIndexRecord>;

export const performanceIndexModel = (conn: Connection): PerformanceIndexModel =>
  (conn.models.PerformanceIndex as PerformanceIndexModel | undefined) ?? conn.model<PerformanceIndexRecord>('PerformanceIndex', performanceIndexSchema);

/** The name an index carried in `year` (its earliest name for years before the first). */
export function indexNameIn(index: Pick<PerformanceIndexRecord, 'names'>, year: number): { id: string; en: string } {
  const sorted = [...index.names].sort((a, b) => a.fromYear - b.fromYear);
  const current = sorted.filter((n) => n.fromYear <= year).pop() ?? sorted[0];
  return { id: current.id, en: current.en };
}

/** Whether the index is reported in `year`. */
export const indexActiveIn = (index: Pick<PerformanceIndexRecord, 'fromYear' | 'retiredFromYear'>, year: number): boolean =>
  index.fromYear <= year && (index.retiredFromYear === null || year < index.retiredFromYear);
