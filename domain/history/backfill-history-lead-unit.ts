import mongoose, { type Types } from 'mongoose';
import type { DomainContext } from '../context.js';

/** Marks that every history event stored before events carried their agreement's lead unit has been given it. */
export const HISTORY_LEAD_UNIT_MARKER = 'history-lead-unit:v1';
const BATCH = 1_000;

/**
 * Gives history events written before they carried the lead unit their agreement's, so that a
 * lead unit's report finds them through its index. Runs at start-up, once per database (a marker
 * records it). Writes only that copy, which the hash does not cover: every chain verifies after
 * it exactly as before.
 */
export async function backfillHistoryLeadUnit(ctx: DomainContext): Promise<number> {
  const { Agreement, HistoryEvent, Counter } = ctx.models;
  if (await Counter.exists({ _id: HISTORY_LEAD_UNIT_MARKER })) return 0;
  let updated = 0;
  let after: Types.ObjectId | undefined;
  // Agreements in _id order, a batch at a time; one update per lead unit of the batch.
  for (;;) {
    const from: Record<string, unknown> = after ? { _id: mongoose.trusted({ $gt: after }) } : {};
    const batch = await Agreement.find(from, { leadUnit: 1 }).sort({ _id: 1 }).limit(BATCH).lean<Array<{ _id: Types.ObjectId; leadUnit: string }>>();
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!._id;
    const byUnit = new Map<string, Types.ObjectId[]>();
    for (const a of batch) byUnit.set(a.leadUnit, [...(byUnit.get(a.leadUnit) ?? []), a._id]);
    for (const [leadUnit, ids] of byUnit) {
      const r = await HistoryEvent.collection.updateMany({ agreementId: { $in: ids }, leadUnit: { $ne: leadUnit } }, { $set: { leadUnit } });
      updated += r.modifiedCount;
    }
  }
  await Counter.updateOne({ _id: HISTORY_LEAD_UNIT_MARKER }, { $set: { seq: 1, at: ctx.clock.now() } }, { upsert: true });
  return updated;
}
