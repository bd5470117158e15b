import { DOCUMENT_KINDS } from '../../models/document.js';
import { authErrors, bearer, errorResponse, idParam, json, ref, type OpenApiModule } from './types.js';

/** The documents area (server/routes/documents.ts): uploads, downloads, stamped copies, signing packets. */
export const tags = [{ name: 'documents', description: 'PDF drafts, final texts and signed copies: versions, verification, stamped copies, signing packets' }];

const pdfBody = (description: string) => ({ description, content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } });
const fileHeaders = {
  ETag: { description: 'the SHA-256 of the bytes, quoted', schema: { type: 'string' } },
  'Content-Disposition': { description: 'attachment with an ASCII filename and an RFC 5987 filename*', schema: { type: 'string' } },
  'Accept-Ranges': { schema: { type: 'string', const: 'bytes' } },
};
/** The language of the file's name only: the stamp and the packet are in both languages. */
const fileNameLang = (example: string) => ({
  name: 'lang', in: 'query', required: false,
  description: `the language of the file name in Content-Disposition (${example}); anything but id or en answers 422`,
  schema: { type: 'string', enum: ['id', 'en'], default: 'id' },
});
const rangeParams = [
  { name: 'Range', in: 'header', required: false, description: 'one byte range, e.g. bytes=0-1023 (several ranges are answered with the whole file)', schema: { type: 'string' } },
  { name: 'If-None-Match', in: 'header', required: false, description: 'the ETag held: 304 when unchanged', schema: { type: 'string' } },
  { name: 'If-Range', in: 'header', required: false, description: 'the ETag the range refers to', schema: { type: 'string' } },
];
const fileResponses = {
  '200': { ...pdfBody('The whole file'), headers: fileHeaders },
  '206': { ...pdfBody('The requested range (Content-Range: bytes a-b/size)'), headers: fileHeaders },
  '304': { description: 'Not modified (If-None-Match matched)' },
  '404': errorResponse('Unknown document, or one of another unit\'s confidential agreement'),
  '416': errorResponse('The range starts past the end (Content-Range: bytes */size)'),
  ...authErrors,
};

const retryAfter = { 'Retry-After': { description: 'seconds', schema: { type: 'integer' } } };
/** The PDF workers are shared: work they would only queue behind others is refused at once. */
const pdfWorkBusy = {
  '429': { ...errorResponse('The user already has PDF_JOBS_PER_USER uploads, stamped copies or signing packets being processed; nothing stored'), headers: retryAfter },
  '503': { ...errorResponse('PDF_WORKER_QUEUE tasks are already waiting for the PDF workers; nothing stored'), headers: retryAfter },
};

export const schemas: OpenApiModule['schemas'] = {
  DocumentKind: { type: 'string', enum: [...DOCUMENT_KINDS] },
  Document: {
    type: 'object',
    required: ['id', 'agreementId', 'kind', 'language', 'version', 'sha256', 'pages', 'size', 'fileName', 'createdAt'],
    properties: {
      id: { type: 'string' },
      agreementId: { type: 'string' },
      kind: ref('DocumentKind'),
      language: { type: 'string', description: 'ISO 639-1, e.g. id, en, ms, ar' },
      version: { type: 'integer', minimum: 1, description: 'per (agreement, kind, language), without gaps' },
      sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      size: { type: 'integer' },
      pages: { type: 'integer', minimum: 1 },
      fileName: { type: 'string', description: 'the original name, sanitised (no path, no control characters)' },
      textLayer: {
        type: ['boolean', 'null'],
        description:
          'true: the text was extracted and free-text search (q on GET /api/agreements) finds it; false: the PDF has no text layer (a scan; OCR is not done); null: not extracted (uploaded before text search and not yet reached by the start-up backfill, or extraction failed)',
      },
      textTruncated: { type: 'boolean', description: 'the text was longer than 300,000 characters and only its start is searchable' },
      contentType: { type: 'string', const: 'application/pdf' },
      uploadedBy: { type: 'object', properties: { id: { type: 'string' }, name: { type: ['string', 'null'] }, role: { type: ['string', 'null'] } } },
      stageAtUpload: ref('Stage'),
      createdAt: { type: 'string', format: 'date-time' },
      signatures: {
        oneOf: [ref('SignatureSummary'), { type: 'null', description: 'uploaded before signatures were checked' }],
      },
      links: { type: 'object', properties: { file: { type: 'string' }, stamped: { type: 'string' }, verify: { type: 'string' }, signatures: { type: 'string' } } },
    },
  },
  SignatureStatus: {
    type: 'string',
    enum: ['valid', 'valid_untrusted', 'modified_after_signing', 'broken', 'unsupported'],
    description:
      'valid: intact and chained to a root in TRUSTED_CA_DIR; valid_untrusted: intact, no trusted root reached (always so without TRUSTED_CA_DIR); ' +
      'modified_after_signing: intact, but bytes were added after the signed ranges and no later signature covers them; ' +
      'broken: the signed bytes do not match the signed digest, the signature value does not verify, or the signature cannot be read; unsupported: a SubFilter not checked',
  },
  SignatureSummary: {
    type: 'object',
    required: ['count', 'status', 'flagged', 'warning'],
    properties: {
      count: { type: 'integer' },
      status: { oneOf: [ref('SignatureStatus'), { type: 'null' }], description: 'the worst status among the signatures (null when there are none)' },
      flagged: { type: 'boolean', description: 'a signature is broken or the file was modified after signing' },
      warning: { type: ['string', 'null'], description: 'what is wrong, in Indonesian and English' },
    },
  },
  Signature: {
    type: 'object',
    required: ['status', 'byteRange', 'coversWholeFile', 'appendedBytes', 'signatureVerified', 'trusted', 'problems', 'message'],
    properties: {
      field: { type: ['string', 'null'], description: 'the signature field name (/T)' },
      subFilter: { type: ['string', 'null'], description: 'adbe.pkcs7.detached and ETSI.CAdES.detached are checked' },
      signer: {
        type: ['object', 'null'],
        properties: {
          subject: { type: 'string' }, commonName: { type: ['string', 'null'] }, issuer: { type: 'string' }, issuerCommonName: { type: ['string', 'null'] },
          serialNumber: { type: 'string', description: 'hexadecimal' }, notBefore: { type: 'string', format: 'date-time' }, notAfter: { type: 'string', format: 'date-time' },
        },
      },
      signingTime: { type: ['string', 'null'], format: 'date-time', description: 'the signed signingTime attribute' },
      claimedTime: { type: ['string', 'null'], format: 'date-time', description: 'the dictionary\'s /M (not signed)' },
      byteRange: { type: 'array', items: { type: 'integer' } },
      coversWholeFile: { type: 'boolean' },
      appendedBytes: { type: 'integer', description: 'bytes after the signed ranges (incremental updates made after signing)' },
      laterSignatureCovers: { type: 'boolean' },
      digestAlgorithm: { type: ['string', 'null'] },
      digestMatches: { type: ['boolean', 'null'] },
      signatureVerified: { type: 'boolean' },
      trusted: { type: 'boolean' },
      problems: { type: 'array', items: { type: 'string' } },
      status: ref('SignatureStatus'),
      message: { type: 'string', description: 'the status in Indonesian and English' },
    },
  },
  DocumentVerification: {
    type: 'object',
    required: ['id', 'intact', 'present'],
    properties: {
      id: { type: 'string' },
      intact: { type: 'boolean', description: 'the stored bytes hash to the recorded SHA-256 and have the recorded size' },
      present: { type: 'boolean' },
      sha256: { type: 'object', properties: { recorded: { type: 'string' }, actual: { type: ['string', 'null'] } } },
      size: { type: 'object', properties: { recorded: { type: 'integer' }, actual: { type: ['integer', 'null'] } } },
      checkedAt: { type: 'string', format: 'date-time' },
    },
  },
};

export const paths: OpenApiModule['paths'] = {
  '/api/agreements/{id}/documents': {
    post: {
      operationId: 'uploadDocument', tags: ['documents'],
      summary: 'Upload a PDF version (admin, drafter)',
      description:
        'One PDF in the field `file`. Accepted only if it starts with %PDF-, opens, has 1 to UPLOAD_MAX_PAGES pages, is not encrypted ' +
        'and carries no JavaScript or launch actions (such files are refused, not cleaned). Parsed in a worker thread with a memory cap ' +
        'and a time limit. A new `final` after text_agreed needs `reopen=true`, which sends the agreement back to negotiation (or drafting). ' +
        'Final texts in every authentic language are what leaving legal_review asks for; a `signed` copy (accepted once signing has started) ' +
        'is what in_force asks for (guidelines excepted: their signature puts them in force). Every upload is a history event carrying the SHA-256.',
      security: bearer,
      parameters: [idParam()],
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: ['file', 'kind', 'language'],
              properties: {
                file: { type: 'string', format: 'binary' },
                kind: ref('DocumentKind'),
                language: { type: 'string', pattern: '^[a-z]{2,3}$', description: 'a final text must be in an authentic language' },
                reopen: { type: 'boolean', default: false },
                reason: { type: 'string', maxLength: 2000, description: 'recorded with a reopening' },
                partyId: { type: 'string', description: 'kind full_powers (required there, refused elsewhere): the party whose signatory the letter empowers' },
                issuedBy: { type: 'string', maxLength: 300, description: 'kind full_powers: who issued the letter (e.g. the Minister for Foreign Affairs)' },
                issuedAt: { type: 'string', format: 'date', description: 'kind full_powers: when it was issued' },
              },
            },
          },
        },
      },
      responses: {
        '201': json('Stored', ref('Document')),
        '400': errorResponse('Malformed multipart, two files, a file in another field, or an interrupted upload'),
        '404': errorResponse('Unknown agreement (or another unit\'s confidential one)'),
        '409': errorResponse('The text is agreed (send reopen=true) or signed (never changes); or the file is the latest version already (details.version)'),
        '413': errorResponse('Over UPLOAD_MAX_BYTES; nothing stored'),
        '415': errorResponse('Not multipart/form-data'),
        '422': errorResponse('Refused file: details.reason is empty, not_pdf, truncated, unparseable, encrypted, active_content, no_pages, too_many_pages, too_complex or timeout; or invalid fields'),
        ...pdfWorkBusy,
        ...authErrors,
      },
    },
    get: {
      operationId: 'listDocuments', tags: ['documents'],
      summary: 'Every version of every document of the agreement',
      security: bearer,
      parameters: [idParam()],
      responses: {
        '200': json('Versions, oldest first', { type: 'object', properties: { items: { type: 'array', items: ref('Document') }, total: { type: 'integer' } } }),
        '404': errorResponse('Unknown agreement'),
        ...authErrors,
      },
    },
  },
  '/api/agreements/{id}/signing-packet': {
    get: {
      operationId: 'buildSigningPacket', tags: ['documents'],
      summary: 'One PDF for the signing table: cover sheet, the latest final text per authentic language, signature page',
      security: bearer,
      parameters: [
        idParam(),
        { name: 'place', in: 'query', required: false, description: 'planned place of signing (default: from recorded signatures)', schema: { type: 'string' } },
        { name: 'date', in: 'query', required: false, description: 'planned date of signing, YYYY-MM-DD', schema: { type: 'string', format: 'date' } },
        fileNameLang('"MOU-KOR-2026-01 paket penandatanganan.pdf" / "MOU-KOR-2026-01 signing packet.pdf"'),
      ],
      responses: {
        '200': pdfBody('The packet'),
        '404': errorResponse('Unknown agreement'),
        '422': errorResponse('details.missing lists the final texts and signatories still missing; or a parameter is not valid (place, date, lang)'),
        ...pdfWorkBusy,
        ...authErrors,
      },
    },
  },
  '/api/documents/{id}': {
    get: {
      operationId: 'getDocument', tags: ['documents'],
      summary: 'A document version\'s record',
      security: bearer,
      parameters: [idParam()],
      responses: { '200': json('The record', ref('Document')), '404': errorResponse('Unknown document'), ...authErrors },
    },
  },
  '/api/documents/{id}/file': {
    get: {
      operationId: 'downloadDocument', tags: ['documents'],
      summary: 'The exact uploaded bytes (downloads of confidential agreements are recorded in their history: one event per reading, see the description)',
      description:
        'A response from the first byte (the whole file, or a range from byte 0) is always recorded. A range further on is part of the ' +
        'reader\'s reading of the same file when one is on record from the last 10 minutes, and is then served without a new event; ' +
        'otherwise it starts a reading, recorded with the range it began with (`changes.firstRange`): a reading covers whatever parts ' +
        'of the file its reader fetched in those 10 minutes. HEAD, 304 and 416 are not recorded.',
      security: bearer,
      parameters: [idParam(), ...rangeParams],
      responses: fileResponses,
    },
  },
  '/api/documents/{id}/stamped': {
    get: {
      operationId: 'downloadStampedCopy', tags: ['documents'],
      summary: 'A copy with a footer on every page (code, kind, language in words, version, stage, SHA-256 prefix, page x of y); drafts get a RANCANGAN / DRAFT watermark',
      description:
        'Generated once per document and stamp content (the stage is part of it), then served from storage. The copy of an electronically signed original says above the footer, in Indonesian and English, ' +
        'that the original carries electronic signatures (the copy, being rewritten, does not) and where to verify them: PUBLIC_URL/api/documents/{id}/signatures. The original is never changed.',
      security: bearer,
      parameters: [idParam(), fileNameLang('"naskah (MOU-KOR-2026-01 v1 berstempel).pdf" / "naskah (MOU-KOR-2026-01 v1 stamped).pdf"'), ...rangeParams],
      // 429 and 503 only when the copy has to be made
      responses: { ...fileResponses, '422': errorResponse('lang is neither id nor en'), ...pdfWorkBusy },
    },
  },
  '/api/documents/{id}/signatures': {
    get: {
      operationId: 'listDocumentSignatures', tags: ['documents'],
      summary: 'The electronic signatures of a document version, as checked at upload (same access as the document)',
      description:
        'Each signature dictionary of the PDF (PAdES / CMS adbe.pkcs7.detached and ETSI.CAdES.detached), checked with pkijs: signer certificate, ' +
        'signing time, whether the byte ranges cover the whole file, whether the digest and the signature value hold, and whether the chain reaches a ' +
        'root in TRUSTED_CA_DIR (as configured at upload). Revocation (CRL, OCSP) is not checked.',
      security: bearer,
      parameters: [idParam()],
      responses: {
        '200': json('The signatures', {
          type: 'object',
          required: ['documentId', 'checked', 'items'],
          properties: {
            documentId: { type: 'string' },
            kind: ref('DocumentKind'),
            checked: { type: 'boolean', description: 'false for versions uploaded before signatures were checked' },
            checkedAt: { type: ['string', 'null'], format: 'date-time' },
            summary: { oneOf: [ref('SignatureSummary'), { type: 'null' }] },
            items: { type: 'array', items: ref('Signature') },
          },
        }),
        '404': errorResponse('Unknown document, or one of another unit\'s confidential agreement'),
        ...authErrors,
      },
    },
  },
  '/api/documents/{id}/verify': {
    get: {
      operationId: 'verifyDocument', tags: ['documents'],
      summary: 'Recompute the stored file\'s SHA-256 and compare it with the recorded one',
      security: bearer,
      parameters: [idParam()],
      responses: { '200': json('The comparison', ref('DocumentVerification')), '404': errorResponse('Unknown document'), ...authErrors },
    },
  },
};
