import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { getVisibleAgreement } from '../agreements/get-visible-agreement.js';
import type { DocumentRecord } from '../../models/document.js';
import { toDocumentView, type DocumentView } from './document-view.js';

/** Every version of every document of the agreement, oldest first (earlier versions stay listed). */
export async function listDocuments(ctx: DomainContext, actor: Actor, agreementId: string): Promise<DocumentView[]> {
  const agreement = await getVisibleAgreement(ctx, actor, agreementId);
  const docs = await ctx.models.Document.find({ agreementId: agreement._id }).sort({ createdAt: 1, kind: 1, language: 1, version: 1 }).lean<DocumentRecord[]>();
  return docs.map(toDocumentView);
}
