import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { withStoredSpellings } from '../agreements/stored-spelling.js';

/**
 * Admin: the addresses overdue work of a unit escalates to (an empty list removes the entry).
 * The sweep looks them up by the agreement's lead unit as stored, so a unit typed in another case
 * ("pwni") is saved under the spelling its agreements have ("PWNI"), as lists and reports read it;
 * an entry already kept under the typed spelling (saved before) is the one changed or removed.
 */
export async function setEscalationContacts(ctx: DomainContext, actor: Actor, typed: string, emails: string[]) {
  const unit = (await ctx.models.EscalationContact.exists({ unit: typed })) ? typed : ((await withStoredSpellings(ctx, actor, { leadUnit: typed })).leadUnit ?? typed);
  const now = ctx.clock.now();
  const list = [...new Set(emails.map((e) => e.trim().toLowerCase()))];
  if (list.length === 0) {
    await ctx.models.EscalationContact.deleteOne({ unit });
    return { unit, emails: [] as string[], updatedAt: now.toISOString() };
  }
  await ctx.models.EscalationContact.updateOne({ unit }, { $set: { emails: list, updatedBy: actor.id, updatedAt: now } }, { upsert: true });
  return { unit, emails: list, updatedAt: now.toISOString() };
}

export async function listEscalationContacts(ctx: DomainContext) {
  const rows = await ctx.models.EscalationContact.find({}).sort({ unit: 1 }).lean();
  return rows.map((r) => ({ unit: r.unit, emails: r.emails, updatedAt: r.updatedAt.toISOString() }));
}
