import mongoose from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { DeadlineKind, DeadlineRecord, DeadlineStatus } from '../../models/deadline.js';
import { deadlineView, type DeadlineView } from './deadline-view.js';

export interface ListDeadlinesInput {
  dueBefore?: Date;
  dueAfter?: Date;
  status?: DeadlineStatus[];
  kind?: DeadlineKind[];
  /** an e-mail address among the recipients */
  person?: string;
  agreementId?: string;
  limit: number;
  offset: number;
}

/**
 * Deadlines across agreements, soonest first. Confidential agreements of other units are left
 * out (admins see all), through the audience copied onto each deadline.
 */
export async function listDeadlines(ctx: DomainContext, actor: Actor, input: ListDeadlinesInput): Promise<{ items: ListedDeadline[]; total: number }> {
  const filter: Record<string, unknown> = {};
  // Every operator here is built by this function from validated values, not taken from input;
  // sanitizeFilter only lets an operator object through when that very object is marked trusted.
  if (actor.role !== 'admin') filter.audience = mongoose.trusted({ $in: ['*', actor.unit] });
  if (input.dueBefore || input.dueAfter) {
    filter.dueAt = mongoose.trusted({ ...(input.dueAfter ? { $gte: input.dueAfter } : {}), ...(input.dueBefore ? { $lt: input.dueBefore } : {}) });
  }
  if (input.status?.length) filter.status = mongoose.trusted({ $in: input.status });
  if (input.kind?.length) filter.kind = mongoose.trusted({ $in: input.kind });
  if (input.person) filter['recipients.email'] = input.person.toLowerCase();
  if (input.agreementId) filter.agreementId = new mongoose.Types.ObjectId(input.agreementId);
  const [rows, total] = await Promise.all([
    ctx.models.Deadline.find(filter).sort({ dueAt: 1, _id: 1 }).skip(input.offset).limit(input.limit).lean<DeadlineRecord[]>(),
    ctx.models.Deadline.countDocuments(filter),
  ]);
  const agreements = await agreementsOf(ctx, rows);
  return { items: rows.map((d) => ({ ...deadlineView(d), agreement: agreements.get(String(d.agreementId)) ?? null })), total };
}

/** A deadline in a list, with what a calendar shows of its agreement (the list spans agreements). */
export type ListedDeadline = DeadlineView & { agreement: { id: string; code: string; title: { id: string; en: string }; stage: string } | null };

/** The page's agreements in one read; a deadline only lists when its agreement is visible (the audience filter), so no second check is needed. */
async function agreementsOf(ctx: DomainContext, rows: DeadlineRecord[]): Promise<Map<string, NonNullable<ListedDeadline['agreement']>>> {
  const ids = [...new Set(rows.map((d) => String(d.agreementId)))];
  if (!ids.length) return new Map();
  const found = await ctx.models.Agreement.find({ _id: mongoose.trusted({ $in: ids.map((id) => new mongoose.Types.ObjectId(id)) }) }, { code: 1, title: 1, stage: 1 }).lean<
    Array<{ _id: mongoose.Types.ObjectId; code: string; title: { id: string; en: string }; stage: string }>
  >();
  return new Map(found.map((a) => [String(a._id), { id: String(a._id), code: a.code, title: a.title, stage: a.stage }]));
}
