import { Types } from 'mongoose';
import type { DomainContext } from '../context.js';
import type { HistoryEventRecord } from '../../models/history-event.js';

/** A history event as the API shows it. */
export function toHistoryEventView(e: HistoryEventRecord) {
  return {
    id: String(e._id),
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    role: e.role,
    action: e.action,
    changes: e.changes,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

/** The events of one agreement, oldest first. Visibility is checked by the caller (getVisibleAgreement). */
export async function listHistory(ctx: DomainContext, agreementId: string | Types.ObjectId) {
  const events = await ctx.models.HistoryEvent.find({ agreementId: new Types.ObjectId(String(agreementId)) })
    .sort({ seq: 1 })
    .lean<HistoryEventRecord[]>();
  return { items: events.map(toHistoryEventView), total: events.length };
}
