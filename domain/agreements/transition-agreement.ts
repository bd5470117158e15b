import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { AgreementRecord, RatificationKind } from '../../models/agreement.js';
import { guardsOfMove, transition, UPLOAD_GUARDS, type Stage } from '../../workflows/index.js';
import { STAGE_LABELS } from '../deadlines/labels.js';
import { agreementFacts } from './agreement-facts.js';
import { applyStageChange } from './apply-stage-change.js';
import { staleVersion } from './conditional-write.js';
import { getVisibleAgreementWithLinks, withLinksAsSeenBy, type AgreementWithLinks } from './agreement-links.js';
import { refusalError } from './refusal.js';
import { reopenEffects } from './reopen-for-text-change.js';
import { supersedeLinked } from './supersede-linked.js';
import { inTransaction } from '../../lib/transaction.js';
import { AppError } from '../errors.js';
import { checkEntryIntoForceDay, endOfDuration } from './term-rules.js';
import { dispatchWebhookEvents } from '../webhooks/dispatch-webhook-events.js';

export interface TransitionAgreementInput {
  id: string;
  actor: Actor;
  to: Stage;
  note?: string;
  /** the version the caller saw (If-Match or body); defaults to the version read now */
  expectedVersion?: number;
  /** may be given with a move to in_force, so date and basis are recorded with it */
  entryIntoForce?: { date: Date; basis: string };
  /** required to leave pending_ratification: the law or presidential regulation that ratified it */
  ratification?: { kind: RatificationKind; number: string; date: Date };
}

/**
 * Going back for a new text voids the clearances and signatures given for the agreed one, which
 * nobody can give back by undoing the move: the history keeps why (the `reopened` event's reason).
 */
const reasonRequired = (to: Stage) =>
  new AppError('validation_failed', `Going back to ${STAGE_LABELS[to].en} voids the clearances and signatures given for the agreed text: say why / Kembali ke tahap ${STAGE_LABELS[to].id} membatalkan persetujuan dan tanda tangan atas naskah yang disepakati: sebutkan alasannya`, [
    { field: 'note', message: "'note' is required for a move that voids the agreed text / 'note' wajib diisi untuk perpindahan yang membatalkan naskah yang disepakati" },
  ]);

/**
 * What a move into force records with it: the date and basis of the entry into force (the history
 * shows on what footing the agreement came into force), and the term's end worked out from its
 * duration when only that was known.
 */
function intoForce(agreement: AgreementRecord, now: Date): { entryIntoForce?: AgreementRecord['entryIntoForce']; term?: AgreementRecord['term'] } {
  checkEntryIntoForceDay(agreement, now);
  const end = endOfDuration(agreement);
  return {
    ...(agreement.entryIntoForce?.date ? { entryIntoForce: agreement.entryIntoForce } : {}),
    ...(end ? { term: { ...agreement.term, expiresAt: end } } : {}),
  };
}

/**
 * Moves an agreement by hand. The stage and version read here are the condition of the single
 * write, also when the transaction is retried: of two racing requests exactly one wins, the other
 * gets 409. Answers the agreement as moved with its links as the mover sees them: read with the
 * agreement (a move changes no link), read again after a move into force, which may supersede
 * agreements at the other end.
 */
export async function transitionAgreement(ctx: DomainContext, input: TransitionAgreementInput): Promise<AgreementWithLinks> {
  const { agreement: read, linkedFrom } = await getVisibleAgreementWithLinks(ctx, input.actor, input.id);
  if (input.expectedVersion !== undefined && input.expectedVersion !== read.version) throw staleVersion(read);
  const agreement: AgreementRecord = {
    ...read,
    ...(input.entryIntoForce ? { entryIntoForce: input.entryIntoForce } : {}),
    ...(input.ratification ? { ratification: input.ratification } : {}),
  };
  const updated = await inTransaction(ctx, async (session) => {
    const state = { type: agreement.type, parties: agreement.parties, stage: agreement.stage, previousStage: agreement.previousStage };
    // The uploads are read only for a move whose guards look at them (most moves do not).
    const uploads = guardsOfMove(state, input.to).some((g) => UPLOAD_GUARDS.has(g));
    const facts = await agreementFacts(ctx, agreement, session, { uploads });
    const result = transition(state, { to: input.to, role: input.actor.role }, facts);
    if (!result.ok) throw refusalError(result, agreement.stage);
    if (result.reopens && !input.note?.trim()) throw reasonRequired(input.to);
    // Into force: from its day, which has come; a term given as a duration alone now has its end.
    const inForce = input.to === 'in_force' ? intoForce(agreement, ctx.clock.now()) : {};
    const set: Record<string, unknown> = {
      ...(input.entryIntoForce ? { entryIntoForce: input.entryIntoForce } : {}),
      ...(inForce.term ? { term: inForce.term } : {}),
      ...(input.ratification ? { ratification: input.ratification } : {}),
      ...(result.reopens ? reopenEffects(agreement.parties, ctx.clock.now()) : {}),
    };
    const updated = await applyStageChange(
      ctx,
      {
        agreement: read,
        to: input.to,
        previousStage: result.previousStage,
        actor: input.actor,
        trigger: 'manual',
        note: input.note,
        set,
        recorded: { ...(input.ratification ? { ratification: input.ratification } : {}), ...inForce },
        eventsBefore: result.reopens ? [{ action: 'reopened', changes: { reason: input.note! } }] : [],
      },
      session,
    );
    if (input.to === 'in_force') await supersedeLinked(ctx, updated, input.actor, session);
    return updated;
  });
  dispatchWebhookEvents(ctx);
  if (input.to === 'in_force') return withLinksAsSeenBy(ctx, input.actor, updated);
  return { agreement: { ...updated, links: read.links }, linkedFrom };
}
