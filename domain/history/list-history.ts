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

/**
 * The events of one agreement, oldest first. Visibility is checked by the caller
 * (getVisibleAgreement); `shown` is what the reader may see of them (redaction at view time).
 */
export async function listHistory(
  ctx: DomainContext,
  agreementId: string | Types.ObjectId,
  shown: (events: HistoryEventRecord[]) => Promise<HistoryEventRecord[]> = async (events) => events,
) {
  const events = await ctx.models.HistoryEvent.find({ agreementId: new Types.ObjectId(String(agreementId)) })
    .sort({ seq: 1 })
    .lean<HistoryEventRecord[]>();
  return { items: (await shown(events)).map(toHistoryEventView), total: events.length };
}
