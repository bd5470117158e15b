import type { DocumentRecord } from '../../models/document.js';
import { signatureSummary } from './signature-view.js';

/** A document version as the API shows it (the storage location stays inside). */
export function toDocumentView(d: DocumentRecord) {
  const id = String(d._id);
  return {
    id,
    agreementId: String(d.agreementId),
    kind: d.kind,
    language: d.language,
    version: d.version,
    sha256: d.sha256,
    size: d.size,
    pages: d.pages,
    fileName: d.fileName,
    // false: a scan without a text layer, not found by search; null: not (yet) extracted
    textLayer: d.textLayer ?? null,
    textTruncated: d.textTruncated ?? false,
    contentType: d.contentType,
    uploadedBy: { id: d.uploadedBy.id, name: d.uploadedBy.name ?? null, role: d.uploadedBy.role ?? null },
    stageAtUpload: d.stageAtUpload,
    fullPowers: d.fullPowers ? { partyId: String(d.fullPowers.partyId), issuedBy: d.fullPowers.issuedBy, issuedAt: d.fullPowers.issuedAt } : null,
    signatures: signatureSummary(d),
    createdAt: d.createdAt,
    links: {
      file: `/api/documents/${id}/file`,
      stamped: `/api/documents/${id}/stamped`,
      verify: `/api/documents/${id}/verify`,
      signatures: `/api/documents/${id}/signatures`,
    },
  };
}

export type DocumentView = ReturnType<typeof toDocumentView>;
