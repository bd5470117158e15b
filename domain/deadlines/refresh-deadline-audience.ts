import mongoose, { type ClientSession } from 'mongoose';
import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';

/**
 * Deadlines carry a copy of their agreement's `audience` (who may see a confidential one) and
 * `leadUnit`, so deadline lists filter without a join. Whoever changes those on the agreement
 * calls this in the same transaction, so the copy never lags behind: a deadline of an agreement
 * made confidential disappears from other units' lists with the very write that made it so.
 * Not a change of the deadline itself: its version stays, so no edit of it conflicts.
 */
export async function refreshDeadlineAudience(
  ctx: DomainContext,
  agreement: Pick<AgreementRecord, '_id' | 'audience' | 'leadUnit'>,
  session?: ClientSession,
): Promise<void> {
  await ctx.models.Deadline.updateMany(
    {
      agreementId: agreement._id,
      $or: [{ audience: mongoose.trusted({ $ne: agreement.audience }) }, { leadUnit: mongoose.trusted({ $ne: agreement.leadUnit }) }],
    },
    { $set: { audience: agreement.audience, leadUnit: agreement.leadUnit } },
    { session },
  );
}
