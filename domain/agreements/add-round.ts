import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { stageLabel } from '../deadlines/labels.js';
import type { AgreementRecord, Round } from '../../models/agreement.js';
import { isPreSigning } from '../../workflows/index.js';
import { appendHistoryEvent } from '../history/append-history-event.js';
import { staleVersion, writeIfUnchanged } from './conditional-write.js';
import { getVisibleAgreement } from './get-visible-agreement.js';
import { inTransaction } from '../../lib/transaction.js';

export interface AddRoundInput {
  id: string;
  actor: Actor;
  round: Omit<Round, 'number'>;
  expectedVersion?: number;
}

/** Records a negotiation round (numbered in order) while the text is still open: before signing, or on hold. */
export async function addRound(ctx: DomainContext, input: AddRoundInput): Promise<AgreementRecord> {
  const agreement = await getVisibleAgreement(ctx, input.actor, input.id);
  if (input.expectedVersion !== undefined && input.expectedVersion !== agreement.version) throw staleVersion(agreement);
  if (!isPreSigning(agreement, agreement.stage) && agreement.stage !== 'on_hold') {
    const now = stageLabel(agreement.stage);
    throw new AppError('invalid_state', `No negotiation rounds can be recorded at the stage “${now.en}” / Putaran perundingan tidak dapat dicatat pada tahap “${now.id}”`, {
      currentStage: agreement.stage,
    });
  }
  const now = ctx.clock.now();
  const round: Round = { number: (agreement.rounds?.length ?? 0) + 1, ...input.round };
  return inTransaction(ctx, async (session) => {
    const updated = await writeIfUnchanged(ctx, agreement, { $set: { updatedAt: now }, $push: { rounds: round } }, session);
    await appendHistoryEvent(ctx, { agreementId: agreement._id, actor: input.actor, action: 'round_added', changes: { ...round }, at: now }, session);
    return updated;
  });
}
