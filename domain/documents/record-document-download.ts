import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { appendHistoryEventRetrying } from '../history/append-history-event.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { DocumentRecord } from '../../models/document.js';
import type { ByteRange } from '../../uploads/storage/index.js';

export type DownloadVariant = 'original' | 'stamped' | 'signing_packet';

/**
 * Who read a confidential agreement's text is part of its history. Recorded before the first
 * byte is sent: a download that cannot be recorded does not happen. One event stands for one
 * response that carried content (the whole file, or one byte range of it). Other agreements are not
 * recorded (their downloads would drown the history).
 */
export async function recordDocumentDownload(
  ctx: DomainContext,
  actor: Actor,
  agreement: AgreementRecord,
  what: { variant: DownloadVariant; documentId?: string; kind?: string; language?: string; version?: number; sha256?: string },
  range?: ByteRange & { size: number },
): Promise<boolean> {
  if (agreement.confidentiality !== 'confidential') return false;
  // One event per response that sent content; a partial one names its bytes (`range: "bytes 1-4095/4096"`).
  const changes = { ...what, ...(range ? { range: `bytes ${range.start}-${range.end}/${range.size}` } : {}) };
  await appendHistoryEventRetrying(ctx, { agreementId: agreement._id, actor, action: 'document_downloaded', changes });
  return true;
}

/** The recordDownload of a stored document's file (original or stamped copy). */
export function downloadRecorder(ctx: DomainContext, actor: Actor, agreement: AgreementRecord, document: DocumentRecord, variant: DownloadVariant) {
  return async (range?: ByteRange & { size: number }): Promise<void> => {
    await recordDocumentDownload(ctx, actor, agreement, {
      variant,
      documentId: String(document._id),
      kind: document.kind,
      language: document.language,
      version: document.version,
      sha256: document.sha256,
    }, range);
  };
}
