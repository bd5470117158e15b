import type { ClientSession } from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { AgreementRecord, LinkType } from '../../models/agreement.js';
import { transition } from '../../workflows/index.js';
import { agreementFacts } from './agreement-facts.js';
import { applyStageChange } from './apply-stage-change.js';

/** Links whose target is replaced as a whole; `amends` and `implements` leave the older instrument in force. */
export const SUPERSEDING_LINKS: readonly LinkType[] = ['renews', 'supersedes'];

/**
 * When an instrument enters into force, the in-force instruments it renews or supersedes
 * become `superseded`, in the same transaction.
 */
export async function supersedeLinked(ctx: DomainContext, newer: AgreementRecord, actor: Actor, session: ClientSession): Promise<void> {
  for (const link of newer.links ?? []) {
    if (!SUPERSEDING_LINKS.includes(link.type)) continue;
    await supersedeOne(ctx, newer, link.agreementId, actor, session);
  }
}

export async function supersedeOne(ctx: DomainContext, newer: AgreementRecord, olderId: unknown, actor: Actor, session: ClientSession): Promise<void> {
  const older = await ctx.models.Agreement.findById(olderId, null, { session }).lean<AgreementRecord>();
  if (!older || older.stage !== 'in_force') return;
  const facts = await agreementFacts(ctx, older, session);
  const result = transition({ type: older.type, parties: older.parties, stage: older.stage, previousStage: older.previousStage }, { to: 'superseded', role: actor.role, trigger: 'link' }, facts);
  if (!result.ok) return;
  await applyStageChange(
    ctx,
    { agreement: older, to: 'superseded', previousStage: null, actor, trigger: 'link', note: `Superseded by ${newer.code} / Digantikan oleh ${newer.code}` },
    session,
  );
}
