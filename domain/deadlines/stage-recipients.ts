import mongoose from 'mongoose';
import { SYSTEM_ACTOR, type Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { DeadlineRecipient } from '../../models/deadline.js';

/** A drafter of the lead unit, as stageRecipients reads them. */
export interface Drafter {
  _id: unknown;
  email: string;
  name: string;
}

const DRAFTERS_LIMIT = 20;

/**
 * The stage of an aggregate on agreements that adds `drafters: Drafter[]`, the lead unit's
 * drafters, for a caller that reads them with the agreement (applyStageChange).
 */
export const leadUnitDraftersLookup = (ctx: DomainContext) => ({
  $lookup: {
    from: ctx.models.User.collection.collectionName,
    localField: 'leadUnit',
    foreignField: 'unit',
    as: 'drafters',
    pipeline: [{ $match: { role: 'drafter', disabled: { $ne: true } } }, { $limit: DRAFTERS_LIMIT }, { $project: { email: 1, name: 1 } }],
  },
});

/**
 * Who is reminded of a stage's service level: the lead unit's drafters (they move the work),
 * or, when the unit has none, whoever moved the stage. `drafters`: already read (leadUnitDraftersLookup).
 */
export async function stageRecipients(ctx: DomainContext, agreement: AgreementRecord, actor: Actor, drafters?: Drafter[]): Promise<DeadlineRecipient[]> {
  const found =
    drafters ??
    (await ctx.models.User.find({ unit: agreement.leadUnit, role: 'drafter', disabled: mongoose.trusted({ $ne: true }) }, { email: 1, name: 1 })
      .limit(DRAFTERS_LIMIT)
      .lean());
  if (found.length) return found.map((u) => ({ email: u.email, name: u.name, userId: String(u._id) }));
  return actor.id !== SYSTEM_ACTOR.id && actor.email ? [{ email: actor.email, name: actor.name, userId: actor.id }] : [];
}
