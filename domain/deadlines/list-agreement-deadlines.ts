import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { DeadlineRecord } from '../../models/deadline.js';
import { getVisibleAgreement } from '../agreements/get-visible-agreement.js';
import { deadlineView, partyNamesOf, type DeadlineView } from './deadline-view.js';
import { agreementLabel } from '../agreements/agreement-labels.js';

/** Every deadline of one agreement the actor may see, soonest first. */
export async function listAgreementDeadlines(ctx: DomainContext, actor: Actor, agreementId: string): Promise<DeadlineView[]> {
  const agreement = await getVisibleAgreement(ctx, actor, agreementId);
  const rows = await ctx.models.Deadline.find({ agreementId: agreement._id }).sort({ dueAt: 1, _id: 1 }).limit(1000).lean<DeadlineRecord[]>();
  const label = agreementLabel(agreement);
  const partyNames = partyNamesOf(agreement);
  return rows.map((d) => deadlineView(d, label, partyNames));
}
