import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { getVisibleDocument } from './get-visible-document.js';
import { signatureSummary, toSignatureView } from './signature-view.js';

/**
 * The electronic signatures of one document version, as checked when it was uploaded. Readable by
 * whoever may read the document (another unit's confidential agreement answers not_found).
 */
export async function listSignatures(ctx: DomainContext, actor: Actor, documentId: string) {
  const { document } = await getVisibleDocument(ctx, actor, documentId);
  return {
    documentId: String(document._id),
    kind: document.kind,
    /** false for versions uploaded before signatures were checked */
    checked: Boolean(document.signatures),
    checkedAt: document.signaturesCheckedAt ?? null,
    summary: signatureSummary(document),
    items: (document.signatures ?? []).map(toSignatureView),
  };
}
