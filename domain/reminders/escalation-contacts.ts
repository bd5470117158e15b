import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';

/** Admin: the addresses overdue work of a unit escalates to (an empty list removes the entry). */
export async function setEscalationContacts(ctx: DomainContext, actor: Actor, unit: string, emails: string[]) {
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
