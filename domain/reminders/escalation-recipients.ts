import mongoose from 'mongoose';
import type { DomainContext } from '../context.js';

/** Units compared as people mean them: "pwni" and "PWNI" are one unit (a collation MongoDB has). */
export const SAME_UNIT = { locale: 'en', strength: 2 } as const;

/**
 * Who overdue work of a unit escalates to: the addresses an admin set for the unit
 * (PUT /api/reminders/escalation/:unit), or, when none are set, the active admins. The entry is
 * the unit's as its agreements spell it, or one kept under another spelling of it (saved before
 * the unit had agreements, or by an earlier version): the few entries a directorate has are
 * compared without the unit index, which is case-sensitive.
 */
export async function escalationRecipients(ctx: DomainContext, unit: string): Promise<string[]> {
  const entries = await ctx.models.EscalationContact.find({ unit }, { unit: 1, emails: 1 }).collation(SAME_UNIT).lean();
  const contact = entries.find((e) => e.unit === unit) ?? entries.sort((a, b) => a.unit.localeCompare(b.unit))[0];
  if (contact?.emails?.length) return contact.emails;
  const admins = await ctx.models.User.find({ role: 'admin', disabled: mongoose.trusted({ $ne: true }) }, { email: 1 }).limit(10).lean();
  return admins.map((a) => a.email);
}
