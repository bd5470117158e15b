import type { ClientSession } from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import type { AgreementRecord, Party } from '../../models/agreement.js';
import { isTextLocked, needsReopenForTextChange, reopenStage, transition } from '../../workflows/index.js';
import { agreementFacts } from './agreement-facts.js';
import { applyStageChange } from './apply-stage-change.js';
import { refusalError } from './refusal.js';

/**
 * A changed text voids what was given for the old one: clearances, invitations and signatures go
 * back to pending (a party that declined stays declined until it signs). Uploaded final texts stay
 * on record as versions; a changed text is uploaded as the next version.
 */
export function reopenEffects(parties: Party[], now: Date): Record<string, unknown> {
  return {
    parties: parties.map((p) =>
      p.status === 'declined' || p.status === 'pending' ? p : { ...p, status: 'pending', statusAt: now, signature: undefined },
    ),
    signedAt: null,
  };
}

export const textLockedError = () =>
  new AppError(
    'invalid_state',
    'The text is final once signed: record an amendment or renewal as a new agreement linked to this one / Naskah tidak dapat diubah setelah ditandatangani: buat perjanjian baru yang ditautkan',
  );

/**
 * Sends an agreement whose text changes after `text_agreed` back to `negotiation` (or `drafting`
 * where the type has no negotiation), in the caller's transaction, from the agreement as read in
 * that transaction. Before `text_agreed` there is
 * nothing to void and the agreement is returned unchanged; after signing the text never changes.
 */
export async function reopenForTextChange(
  ctx: DomainContext,
  input: { agreement: AgreementRecord; actor: Actor; reason: string },
  session: ClientSession,
): Promise<AgreementRecord> {
  const { agreement } = input;
  if (isTextLocked(agreement, agreement.stage)) throw textLockedError();
  if (!needsReopenForTextChange(agreement, agreement.stage)) return agreement;
  const to = reopenStage(agreement);
  const facts = await agreementFacts(ctx, agreement, session);
  const result = transition({ type: agreement.type, parties: agreement.parties, stage: agreement.stage }, { to, role: input.actor.role }, facts);
  if (!result.ok) throw refusalError(result, agreement.stage);
  return applyStageChange(
    ctx,
    {
      agreement,
      to,
      previousStage: null,
      actor: input.actor,
      trigger: 'manual',
      note: input.reason,
      set: reopenEffects(agreement.parties, ctx.clock.now()),
      eventsBefore: [{ action: 'reopened', changes: { reason: input.reason } }],
    },
    session,
  );
}
