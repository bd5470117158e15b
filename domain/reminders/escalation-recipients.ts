import mongoose from 'mongoose';
import type { DomainContext } from '../context.js';

/**
 * Who overdue work of a unit escalates to: the addresses an admin set for the unit
 * (PUT /api/reminders/escalation/:unit), or, when none are set, the active admins.
 */
export async function escalationRecipients(ctx: DomainContext, unit: string): Promise<string[]> {
  const contact = await ctx.models.EscalationContact.findOne({ unit }).lean();
  if (contact?.emails?.length) return contact.emails;
  const admins = await ctx.models.User.find({ role: 'admin', disabled: mongoose.trusted({ $ne: true }) }, { email: 1 }).limit(10).lean();
  return admins.map((a) => a.email);
}
