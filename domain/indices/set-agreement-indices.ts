import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';
import { appendHistoryEvent } from '../history/append-history-event.js';
import { staleVersion, writeIfUnchanged } from '../agreements/conditional-write.js';
import { getVisibleAgreement } from '../agreements/get-visible-agreement.js';
import { inTransaction } from '../../lib/transaction.js';
import { assertIndicesExist } from './manage-indices.js';

/**
 * Attributes an agreement to performance indices (replacing the earlier attribution); the
 * history keeps what it counted towards before.
 */
export async function setAgreementIndices(
  ctx: DomainContext,
  input: { id: string; actor: Actor; indices: string[]; expectedVersion?: number },
): Promise<AgreementRecord> {
  const agreement = await getVisibleAgreement(ctx, input.actor, input.id);
  if (input.expectedVersion !== undefined && input.expectedVersion !== agreement.version) throw staleVersion(agreement);
  const indices = [...new Set(input.indices)];
  await assertIndicesExist(ctx, indices);
  const before = agreement.indices ?? [];
  const now = ctx.clock.now();
  return inTransaction(ctx, async (session) => {
    const updated = await writeIfUnchanged(ctx, agreement, { $set: { indices, updatedAt: now } }, session);
    await appendHistoryEvent(ctx, { agreementId: agreement._id, actor: input.actor, action: 'indices_set', changes: { indices: { from: before, to: indices } }, at: now }, session);
    return updated;
  });
}
