import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import type { AgreementRecord, Link, LinkType } from '../../models/agreement.js';
import { appendHistoryEvent } from '../history/append-history-event.js';
import { staleVersion, writeIfUnchanged } from './conditional-write.js';
import { canSee, getVisibleAgreement } from './get-visible-agreement.js';
import { SUPERSEDING_LINKS, supersedeOne } from './supersede-linked.js';
import { inTransaction } from '../../lib/transaction.js';

export interface AddLinkInput {
  id: string;
  actor: Actor;
  type: LinkType;
  /** the other (usually older) instrument */
  agreementId: string;
  expectedVersion?: number;
}

async function findTarget(ctx: DomainContext, actor: Actor, id: string): Promise<AgreementRecord> {
  const target = /^[0-9a-f]{24}$/i.test(id) ? await ctx.models.Agreement.findById(id).lean<AgreementRecord>() : null;
  if (!target || !canSee(actor, target)) {
    throw new AppError('validation_failed', 'The linked agreement does not exist / Perjanjian yang ditautkan tidak ada', [
      { field: 'agreementId', message: "'agreementId' names no agreement / 'agreementId' tidak menunjuk perjanjian mana pun" },
    ]);
  }
  return target;
}

/**
 * Links this agreement to another (`implements`, `amends`, `renews`, `supersedes`). When this one
 * is already in force, a renewed or superseded in-force instrument becomes `superseded` at once;
 * otherwise that happens when this one enters into force.
 */
export async function addLink(ctx: DomainContext, input: AddLinkInput): Promise<AgreementRecord> {
  const agreement = await getVisibleAgreement(ctx, input.actor, input.id);
  if (input.expectedVersion !== undefined && input.expectedVersion !== agreement.version) throw staleVersion(agreement);
  if (input.agreementId === String(agreement._id)) {
    throw new AppError('validation_failed', 'An agreement cannot link to itself / Perjanjian tidak dapat ditautkan ke dirinya sendiri', [
      { field: 'agreementId', message: "'agreementId' is this agreement itself / 'agreementId' adalah perjanjian ini sendiri" },
    ]);
  }
  const target = await findTarget(ctx, input.actor, input.agreementId);
  if ((agreement.links ?? []).some((l) => l.type === input.type && String(l.agreementId) === input.agreementId)) {
    throw new AppError('duplicate', 'This link already exists / Tautan ini sudah ada', { fields: ['type', 'agreementId'] });
  }
  const now = ctx.clock.now();
  const link: Link = { type: input.type, agreementId: target._id, code: target.code, at: now };
  return inTransaction(ctx, async (session) => {
    const updated = await writeIfUnchanged(ctx, agreement, { $set: { updatedAt: now }, $push: { links: link } }, session);
    await appendHistoryEvent(
      ctx,
      { agreementId: agreement._id, actor: input.actor, action: 'link_added', changes: { type: link.type, agreementId: String(target._id), code: target.code }, at: now },
      session,
    );
    if (updated.stage === 'in_force' && SUPERSEDING_LINKS.includes(input.type)) await supersedeOne(ctx, updated, target._id, input.actor, session);
    return updated;
  });
}
