import { Schema, Types, type Connection, type Model } from 'mongoose';
import { DOCUMENT_KINDS, type DocumentKind } from './document.js';

/**
 * The searchable text of one document version or one comment, kept apart from the agreement so
 * that the list never reads it: free-text search looks here after codes and titles (see
 * domain/agreements/text-search.ts). Written with its document or comment; never edited.
 * The _id is the document's or the comment event's, so it is written at most once.
 */
export interface AgreementTextRecord {
  _id: Types.ObjectId;
  agreementId: Types.ObjectId;
  source: 'document' | 'comment';
  /** source document: which version, for the answer (the document record need not be read) */
  document?: { kind: DocumentKind; language: string; version: number; fileName: string };
  /** source comment: who wrote it */
  author?: string;
  /** when the document was uploaded or the comment written */
  at: Date;
  /** the text, white space collapsed, at most MAX_TEXT_CHARS (uploads/pdf/extract-text.ts) */
  text: string;
  /** `text` lower-cased: what the search's regex reads */
  searchText: string;
  /** distinct words of searchText (cut at TEXT_WORD_MAX characters): the multikey index's keys */
  words: string[];
}

const agreementTextSchema = new Schema<AgreementTextRecord>(
  {
    agreementId: { type: Schema.Types.ObjectId, required: true },
    source: { type: String, enum: ['document', 'comment'], required: true },
    document: {
      type: new Schema(
        { kind: { type: String, enum: DOCUMENT_KINDS, required: true }, language: { type: String, required: true }, version: { type: Number, required: true }, fileName: { type: String, required: true } },
        { _id: false },
      ),
      default: undefined,
    },
    author: String,
    at: { type: Date, required: true },
    text: { type: String, default: '' },
    searchText: { type: String, default: '' },
    words: { type: [String], default: [] },
  },
  { strict: 'throw', versionKey: false, timestamps: false, collection: 'agreement_texts' },
);

// A search starts from the texts holding one word of the query (exact, or by prefix: an anchored regex).
agreementTextSchema.index({ words: 1 });
// The hits of one page of agreements, for their excerpts; and a document's own text.
agreementTextSchema.index({ agreementId: 1, at: -1 });

export type AgreementTextModel = Model<AgreementTextRecord>;

export const agreementTextModel = (conn: Connection): AgreementTextModel =>
  (conn.models.AgreementText as AgreementTextModel | undefined) ?? conn.model<AgreementTextRecord>('AgreementText', agreementTextSchema);
