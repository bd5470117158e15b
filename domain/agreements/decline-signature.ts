import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { stageLabel } from '../deadlines/labels.js';
import type { AgreementRecord } from '../../models/agreement.js';
import { canRecordSignature, reopenStage, transition } from '../../workflows/index.js';
import { agreementFacts } from './agreement-facts.js';
import { applyStageChange } from './apply-stage-change.js';
import { staleVersion } from './conditional-write.js';
import { getVisibleAgreement } from './get-visible-agreement.js';
import { authorisePartyAction, findParty } from './party-access.js';
import { refusalError } from './refusal.js';
import { reopenEffects } from './reopen-for-text-change.js';
import { dispatchWebhookEvents } from '../webhooks/dispatch-webhook-events.js';
import { recordWebhookEvent } from '../webhooks/record-webhook-event.js';
import { inTransaction } from '../../lib/transaction.js';

export interface DeclineSignatureInput {
  id: string;
  partyId: string;
  actor: Actor;
  reason: string;
  /** 'reopen' (default): back to negotiation (drafting where there is none), signatures void; 'on_hold': wait, keeping them */
  outcome?: 'reopen' | 'on_hold';
  expectedVersion?: number;
}

/** A party declines to sign: its status becomes declined with the reason, and the agreement goes back or on hold. */
export async function declineSignature(ctx: DomainContext, input: DeclineSignatureInput): Promise<AgreementRecord> {
  const agreement = await getVisibleAgreement(ctx, input.actor, input.id);
  if (input.expectedVersion !== undefined && input.expectedVersion !== agreement.version) throw staleVersion(agreement);
  const party = findParty(agreement, input.partyId);
  const { onBehalf } = authorisePartyAction(input.actor, party);
  if (!canRecordSignature(agreement, agreement.stage)) {
    const now = stageLabel(agreement.stage);
    throw new AppError('invalid_state', `Nothing can be declined at the stage “${now.en}” / Tidak ada yang dapat ditolak pada tahap “${now.id}”`, { currentStage: agreement.stage });
  }
  if (party.status === 'signed') throw new AppError('invalid_state', 'This party has already signed / Pihak ini sudah menandatangani');
  const now = ctx.clock.now();
  const onHold = input.outcome === 'on_hold';
  const to = onHold ? 'on_hold' : reopenStage(agreement);
  const declined = agreement.parties.map((p) => (p === party ? { ...p, status: 'declined' as const, statusAt: now, declineReason: input.reason } : p));
  const set = onHold ? { parties: declined } : reopenEffects(declined, now);
  const moved = await inTransaction(ctx, async (session) => {
    const facts = await agreementFacts(ctx, agreement, session);
    // The decline itself is the party's act; the move it causes is made as the workflow allows for drafters.
    const result = transition({ type: agreement.type, parties: agreement.parties, stage: agreement.stage }, { to, role: 'drafter' }, facts);
    if (!result.ok) throw refusalError(result, agreement.stage);
    // Announced before the stage change it causes, as the agreement the write below leaves.
    await recordWebhookEvent(
      ctx,
      {
        type: 'agreement.signature_declined',
        agreement: { ...agreement, stage: to, version: agreement.version + 1 },
        actor: input.actor,
        at: now,
        data: { party: { id: input.partyId, name: party.name }, reason: input.reason, outcome: onHold ? 'on_hold' : 'reopen' },
      },
      session,
    );
    return applyStageChange(
      ctx,
      {
        agreement,
        to,
        previousStage: result.previousStage,
        actor: input.actor,
        trigger: 'manual',
        note: input.reason,
        set,
        eventsBefore: [{ action: 'party_declined', changes: { partyId: input.partyId, party: party.name, reason: input.reason, onBehalf } }],
      },
      session,
    );
  });
  dispatchWebhookEvents(ctx);
  return moved;
}
