import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { isDuplicateKey } from '../agreements/transaction.js';
import { appendHistoryEvent } from '../history/append-history-event.js';
import type { AgreementRecord } from '../../models/agreement.js';

export type DownloadVariant = 'original' | 'stamped' | 'signing_packet';

/**
 * Who read a confidential agreement's text is part of its history. Recorded before the first
 * byte is sent: a download that cannot be recorded does not happen. Other agreements are not
 * recorded (their downloads would drown the history).
 */
export async function recordDocumentDownload(
  ctx: DomainContext,
  actor: Actor,
  agreement: AgreementRecord,
  what: { variant: DownloadVariant; documentId?: string; kind?: string; language?: string; version?: number; sha256?: string },
): Promise<boolean> {
  if (agreement.confidentiality !== 'confidential') return false;
  for (let attempt = 1; ; attempt++) {
    try {
      await appendHistoryEvent(ctx, { agreementId: agreement._id, actor, action: 'document_downloaded', changes: { ...what } });
      return true;
    } catch (err) {
      // a concurrent event took the sequence number: append after it
      if (isDuplicateKey(err) && attempt < 10) continue;
      throw err;
    }
  }
}
