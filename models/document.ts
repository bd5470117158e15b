import { Schema, Types, type Connection, type Model } from 'mongoose';

export const DOCUMENT_KINDS = ['draft', 'final', 'signed', 'annex', 'minutes', 'full_powers', 'note'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * What a signature comes to, worst first: `broken` (the signed bytes do not match the digest, or
 * the signature value does not verify against the signer's key, or the signature cannot be read),
 * `modified_after_signing` (intact, but bytes were added after the signed range and no later
 * signature covers them), `valid_untrusted` (intact, the chain does not reach a configured
 * trusted root), `valid`; `unsupported` for a SubFilter this service does not check.
 */
export type SignatureStatus = 'valid' | 'valid_untrusted' | 'modified_after_signing' | 'broken' | 'unsupported';

export interface CertificateFacts {
  subject: string;
  commonName: string | null;
  issuer: string;
  issuerCommonName: string | null;
  /** hexadecimal, as certificate viewers show it */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
}

/** One signature found in a PDF, as checked at upload. */
export interface SignatureFacts {
  /** the signature field's name (/T), when the signature hangs from a field */
  field: string | null;
  subFilter: string | null;
  signer: CertificateFacts | null;
  /** the signingTime signed attribute: part of what the signer signed */
  signingTime: Date | null;
  /** the dictionary's /M: claimed by the signing software, not signed */
  claimedTime: Date | null;
  byteRange: number[];
  /** the signed ranges end at the end of the file */
  coversWholeFile: boolean;
  /** bytes after the end of the signed ranges (incremental updates made after signing) */
  appendedBytes: number;
  /** a later intact signature covers the bytes added after this one */
  laterSignatureCovers: boolean;
  digestAlgorithm: string | null;
  /** the digest of the signed ranges equals the signed messageDigest attribute (null: no signed attributes) */
  digestMatches: boolean | null;
  /** the signature value verifies against the signer certificate's public key */
  signatureVerified: boolean;
  /** the certificate chain reaches a root in TRUSTED_CA_DIR */
  trusted: boolean;
  /** why the chain was not trusted, or what broke (the PKI library's words or ours) */
  problems: string[];
  status: SignatureStatus;
}

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
  /**
   * The file's electronic signatures as checked at upload (trust judged against the roots
   * configured then); absent on versions uploaded before signatures were checked.
   */
  signatures?: SignatureFacts[];
  signaturesCheckedAt?: Date;
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
    // written once from the worker's findings and only ever read back whole: its shape is the
    // SignatureFacts type, so it is kept as it came rather than mirrored field by field
    signatures: { type: [Schema.Types.Mixed], default: undefined },
    signaturesCheckedAt: Date,
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
