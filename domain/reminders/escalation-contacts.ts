import mongoose from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { withStoredSpellings } from '../agreements/stored-spelling.js';
import { inTransaction } from '../../lib/transaction.js';
import { SAME_UNIT } from './escalation-recipients.js';

/**
 * Admin: the addresses overdue work of a unit escalates to (an empty list removes the entry).
 * A unit is one entry however it is typed: it is saved under the spelling its agreements have
 * ("pwni" is kept for "PWNI", as lists and reports read it), else under the spelling of the entry
 * it already has, else as typed. Entries that earlier versions kept under another spelling of the
 * same unit are folded into it, so the list never shows addresses the sweep would pass over.
 */
export async function setEscalationContacts(ctx: DomainContext, actor: Actor, typed: string, emails: string[]) {
  const stored = (await withStoredSpellings(ctx, actor, { leadUnit: typed })).leadUnit;
  const now = ctx.clock.now();
  const list = [...new Set(emails.map((e) => e.trim().toLowerCase()))];
  const unit = await inTransaction(ctx, async (session) => {
    const entries = await ctx.models.EscalationContact.find({ unit: typed }, { unit: 1 }).collation(SAME_UNIT).session(session).lean();
    const unit = stored !== typed ? stored! : (entries.find((e) => e.unit === typed) ?? entries[0])?.unit ?? typed;
    const others = entries.filter((e) => e.unit !== unit).map((e) => e._id);
    if (others.length > 0) await ctx.models.EscalationContact.deleteMany({ _id: mongoose.trusted({ $in: others }) }, { session });
    if (list.length === 0) await ctx.models.EscalationContact.deleteOne({ unit }, { session });
    else await ctx.models.EscalationContact.updateOne({ unit }, { $set: { emails: list, updatedBy: actor.id, updatedAt: now } }, { upsert: true, session });
    return unit;
  });
  return { unit, emails: list, updatedAt: now.toISOString() };
}

export async function listEscalationContacts(ctx: DomainContext) {
  const rows = await ctx.models.EscalationContact.find({}).sort({ unit: 1 }).lean();
  return rows.map((r) => ({ unit: r.unit, emails: r.emails, updatedAt: r.updatedAt.toISOString() }));
}
