import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { getVisibleAgreement } from '../agreements/get-visible-agreement.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { DocumentRecord } from '../../models/document.js';
import { documentNotFound } from './errors.js';

/**
 * The document and its agreement, or not_found when either is unknown or the agreement is not
 * visible to the actor (another unit's confidential agreement): ids cannot be probed.
 */
export async function getVisibleDocument(ctx: DomainContext, actor: Actor, id: string): Promise<{ document: DocumentRecord; agreement: AgreementRecord }> {
  if (!/^[0-9a-f]{24}$/i.test(id)) throw documentNotFound();
  const document = await ctx.models.Document.findById(id).lean<DocumentRecord>();
  if (!document) throw documentNotFound();
  try {
    const agreement = await getVisibleAgreement(ctx, actor, String(document.agreementId));
    return { document, agreement };
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') throw documentNotFound();
    throw err;
  }
}
