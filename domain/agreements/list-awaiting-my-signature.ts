import mongoose from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';
import { toAgreementSummary, SUMMARY_PROJECTION } from './agreement-view.js';

/** Stages in which some table records signatures (workflows/tables.ts, signingStages). */
const SIGNING_STAGES = ['awaiting_signature', 'partially_signed'] as const;

/** Most rows answered at once: a signatory has a handful; the cap keeps a mistake from reading everything. */
export const AWAITING_SIGNATURE_LIMIT = 200;

/**
 * The agreements waiting for the caller's own signature: in a signing stage, with a party whose
 * designated signatory has the caller's e-mail and that has neither signed nor declined. Each
 * row names the caller's parties (`myParties`), so the page can offer "sign for …" directly.
 * Visibility is that of the list (audience), soonest stage due first.
 */
export async function listAwaitingMySignature(ctx: DomainContext, actor: Actor) {
  const email = actor.email.toLowerCase();
  const filter: Record<string, unknown> = {
    'parties.signatory.email': email,
    stage: mongoose.trusted({ $in: [...SIGNING_STAGES] }),
  };
  if (actor.role !== 'admin') filter.audience = mongoose.trusted({ $in: ['*', actor.unit] });
  const rows = await ctx.models.Agreement.find(filter, { ...SUMMARY_PROJECTION, 'parties.signatory.email': 1 })
    .sort({ stageDueAt: 1, _id: 1 })
    .limit(AWAITING_SIGNATURE_LIMIT)
    .lean<AgreementRecord[]>();
  const items = rows
    .map((a) => ({
      ...toAgreementSummary(a),
      myParties: a.parties
        .filter((p) => p.signatory?.email?.toLowerCase() === email && p.status !== 'signed' && p.status !== 'declined')
        .map((p) => ({ id: String(p._id), name: p.name })),
    }))
    .filter((a) => a.myParties.length > 0);
  return { items, total: items.length };
}
