import { Schema, Types, type Connection, type Model } from 'mongoose';

export const DOCUMENT_KINDS = ['draft', 'final', 'signed', 'annex', 'minutes', 'full_powers', 'note'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** A generated rendition of a document (the stamped copy), one per stamp content. */
export interface RenditionRecord {
  /** sha256 of the stamp's content: the same stamp is generated once */
  stampHash: string;
  key: string;
  driver: 'disk' | 'gridfs';
  size: number;
  sha256: string;
  createdAt: Date;
}

/**
 * One uploaded PDF version. Written once, after its file is in storage; never edited except to
 * add renditions. The file's bytes are identified by sha256, which the history event repeats.
 */
export interface DocumentRecord {
  _id: Types.ObjectId;
  agreementId: Types.ObjectId;
  kind: DocumentKind;
  /** ISO 639-1 code, e.g. "id", "en", "ms", "ar" */
  language: string;
  /** 1, 2, 3... per (agreement, kind, language), without gaps */
  version: number;
  /** sanitised original name (no path, no control characters) */
  fileName: string;
  contentType: 'application/pdf';
  size: number;
  sha256: string;
  pages: number;
  pdfVersion?: string;
  /**
   * true: the text was extracted and is searchable (agreement_texts); false: the PDF has no text
   * layer (a scan; OCR is not done). Absent: not extracted, because the version was uploaded
   * before text search (the start-up backfill catches up) or extraction failed (textError).
   */
  textLayer?: boolean;
  /** characters of text kept for search, and whether the text was cut at MAX_TEXT_CHARS */
  textChars?: number;
  textTruncated?: boolean;
  /** why extraction failed (a PdfRejection reason such as timeout or too_complex); never retried */
  textError?: string;
  storage: { driver: 'disk' | 'gridfs'; key: string };
  uploadedBy: { id: string; email: string; name: string; role: string };
  stageAtUpload: string;
  /** kind full_powers: whose signatory the letter empowers, who issued it and when (UU 24/2000, Surat Kuasa) */
  fullPowers?: { partyId: Types.ObjectId; issuedBy: string; issuedAt: Date };
  renditions: RenditionRecord[];
  createdAt: Date;
}

const renditionSchema = new Schema<RenditionRecord>(
  {
    stampHash: { type: String, required: true },
    key: { type: String, required: true },
    driver: { type: String, enum: ['disk', 'gridfs'], required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { _id: false, versionKey: false },
);

const documentSchema = new Schema<DocumentRecord>(
  {
    agreementId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: DOCUMENT_KINDS, required: true },
    language: { type: String, required: true },
    version: { type: Number, required: true, min: 1 },
    fileName: { type: String, required: true },
    contentType: { type: String, enum: ['application/pdf'], default: 'application/pdf' },
    size: { type: Number, required: true },
    sha256: { type: String, required: true, match: /^[0-9a-f]{64}$/ },
    pages: { type: Number, required: true, min: 1 },
    pdfVersion: String,
    textLayer: Boolean,
    textChars: Number,
    textTruncated: Boolean,
    textError: String,
    storage: {
      driver: { type: String, enum: ['disk', 'gridfs'], required: true },
      key: { type: String, required: true },
    },
    uploadedBy: { id: { type: String, required: true }, email: String, name: String, role: String },
    stageAtUpload: { type: String, required: true },
    fullPowers: {
      type: new Schema({ partyId: { type: Schema.Types.ObjectId, required: true }, issuedBy: { type: String, required: true }, issuedAt: { type: Date, required: true } }, { _id: false }),
      default: undefined,
    },
    renditions: { type: [renditionSchema], default: [] },
    createdAt: { type: Date, required: true },
  },
  { strict: 'throw', versionKey: false, timestamps: false, collection: 'documents' },
);

// Versions are numbered max+1 and inserted under this index: two concurrent uploads cannot
// take the same number (the loser retries with the next), and none is skipped.
documentSchema.index({ agreementId: 1, kind: 1, language: 1, version: 1 }, { unique: true });
documentSchema.index({ agreementId: 1, createdAt: 1 });
// The start-up backfill's next batch: versions never extracted (neither a text layer nor an error).
documentSchema.index({ textLayer: 1, textError: 1, _id: 1 });

export type DocumentModel = Model<DocumentRecord>;

export const documentModel = (conn: Connection): DocumentModel =>
  (conn.models.Document as DocumentModel | undefined) ?? conn.model<DocumentRecord>('Document', documentSchema);
