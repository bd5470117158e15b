import mongoose from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { DeadlineKind, DeadlineRecord, DeadlineStatus } from '../../models/deadline.js';
import { deadlineView, type DeadlineView } from './deadline-view.js';
import { labelOrId, loadAgreementLabelsAndParties } from '../agreements/agreement-labels.js';

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
export async function listDeadlines(ctx: DomainContext, actor: Actor, input: ListDeadlinesInput): Promise<{ items: DeadlineView[]; total: number }> {
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
  const { labels, partyNames } = await loadAgreementLabelsAndParties(ctx, rows.map((d) => d.agreementId));
  return { items: rows.map((d) => deadlineView(d, labelOrId(labels, d.agreementId), partyNames)), total };
}
