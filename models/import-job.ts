import { Schema, type Connection, type Model } from 'mongoose';

/** A long import running in the background: polled for progress, kept with its result. */
export interface ImportJobRecord {
  _id: string;
  status: 'running' | 'done' | 'failed';
  phase: 'reading' | 'checking' | 'creating' | 'finished';
  processed: number;
  total: number;
  dryRun: boolean;
  fileName: string;
  createdBy: string;
  result?: unknown;
  error?: { code: string; message: string; details?: unknown } | null;
  createdAt: Date;
  updatedAt: Date;
}

const importJobSchema = new Schema<ImportJobRecord>(
  {
    _id: { type: String, required: true },
    status: { type: String, enum: ['running', 'done', 'failed'], required: true },
    phase: { type: String, enum: ['reading', 'checking', 'creating', 'finished'], required: true },
    processed: { type: Number, default: 0 },
    total: { type: Number, default: 0 },
    dryRun: { type: Boolean, required: true },
    fileName: { type: String, required: true },
    createdBy: { type: String, required: true },
    result: { type: Schema.Types.Mixed },
    error: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { strict: 'throw', versionKey: false, timestamps: false, minimize: false, collection: 'import_jobs' },
);
// Finished jobs are kept a week for whoever polls late, then removed by MongoDB.
importJobSchema.index({ updatedAt: 1 }, { expireAfterSeconds: 7 * 24 * 3600 });

export type ImportJobModel = Model<ImportJobRecord>;

export const importJobModel = (conn: Connection): ImportJobModel =>
  (conn.models.ImportJob as ImportJobModel | undefined) ?? conn.model<ImportJobRecord>('ImportJob', importJobSchema);
