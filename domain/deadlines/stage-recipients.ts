import mongoose from 'mongoose';
import { SYSTEM_ACTOR, type Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { DeadlineRecipient } from '../../models/deadline.js';

/**
 * Who is reminded of a stage's service level: the lead unit's drafters (they move the work),
 * or, when the unit has none, whoever moved the stage.
 */
export async function stageRecipients(ctx: DomainContext, agreement: AgreementRecord, actor: Actor): Promise<DeadlineRecipient[]> {
  const drafters = await ctx.models.User.find({ unit: agreement.leadUnit, role: 'drafter', disabled: mongoose.trusted({ $ne: true }) }, { email: 1, name: 1 })
    .limit(20)
    .lean();
  if (drafters.length) return drafters.map((u) => ({ email: u.email, name: u.name, userId: String(u._id) }));
  return actor.id !== SYSTEM_ACTOR.id && actor.email ? [{ email: actor.email, name: actor.name, userId: actor.id }] : [];
}
