import mongoose from 'mongoose';
import type { DomainContext } from '../context.js';
import type { DeadlineRecord } from '../../models/deadline.js';

/** A stored date as the admin should see it, even when it is not a usable date. */
const shown = (value: unknown) => (value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : String(value));

/**
 * Admin view: the deadlines a reminder sweep could not handle, newest failure first. Each stays
 * out of the sweep (no reminder is scheduled) until someone edits or closes it.
 */
export async function listDeadlineFailures(ctx: DomainContext, input: { limit: number; offset: number }) {
  const filter = { 'sweepFailure.at': mongoose.trusted({ $exists: true }) };
  const [rows, total] = await Promise.all([
    ctx.models.Deadline.find(filter).sort({ 'sweepFailure.at': -1, _id: -1 }).skip(input.offset).limit(input.limit).lean<DeadlineRecord[]>(),
    ctx.models.Deadline.countDocuments(filter),
  ]);
  return {
    total,
    items: rows.map((d) => ({
      deadlineId: String(d._id),
      agreementId: String(d.agreementId),
      kind: d.kind,
      status: d.status,
      dueAt: shown(d.dueAt),
      timezone: d.timezone,
      failedAt: shown(d.sweepFailure!.at),
      error: d.sweepFailure!.message,
    })),
  };
}
