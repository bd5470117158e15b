import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { listHistory } from '../history/list-history.js';
import { verifyHistory } from '../history/verify-history.js';
import { getVisibleAgreement } from './get-visible-agreement.js';
import { historyRedactedFor } from './link-redaction.js';

/** The history of an agreement the actor may see (404 otherwise, like the agreement itself). */
export async function getAgreementHistory(ctx: DomainContext, actor: Actor, id: string) {
  const agreement = await getVisibleAgreement(ctx, actor, id);
  return listHistory(ctx, agreement._id, (events) => historyRedactedFor(ctx, actor, events));
}

/** Recomputes the hash chain of an agreement the actor may see. */
export async function verifyAgreementHistory(ctx: DomainContext, actor: Actor, id: string) {
  const agreement = await getVisibleAgreement(ctx, actor, id);
  return { agreementId: String(agreement._id), code: agreement.code, ...(await verifyHistory(ctx, agreement._id)) };
}
