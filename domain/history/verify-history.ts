import { Types } from 'mongoose';
import type { DomainContext } from '../context.js';
import type { HistoryEventRecord } from '../../models/history-event.js';
import { GENESIS_HASH, hashEvent } from './hash-chain.js';

export type BrokenReason = 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap';

export interface VerifyResult {
  valid: boolean;
  events: number;
  /** hash of the last event: a value worth writing down outside the system */
  headHash: string | null;
  /** the first link that does not hold, when any */
  firstBroken?: { seq: number; eventId: string; reason: BrokenReason; message: { id: string; en: string } };
}

export const BROKEN_MESSAGES: Record<BrokenReason, { id: string; en: string }> = {
  hash_mismatch: { id: 'Isi peristiwa tidak cocok dengan hash-nya', en: 'The event content does not match its hash' },
  prev_hash_mismatch: { id: 'Hash sebelumnya tidak cocok dengan peristiwa sebelumnya', en: 'The previous hash does not match the previous event' },
  sequence_gap: { id: 'Nomor urut peristiwa terputus', en: 'The event sequence has a gap' },
};

/** Checks one event against the one before it. */
export function checkLink(event: HistoryEventRecord, expectedSeq: number, expectedPrev: string): BrokenReason | undefined {
  if (event.seq !== expectedSeq) return 'sequence_gap';
  if (event.prevHash !== expectedPrev) return 'prev_hash_mismatch';
  const recomputed = hashEvent({ ...event, agreementId: String(event.agreementId) });
  return recomputed === event.hash ? undefined : 'hash_mismatch';
}

/** Recomputes the whole chain of an agreement and names the first broken link. */
export async function verifyHistory(ctx: DomainContext, agreementId: string | Types.ObjectId): Promise<VerifyResult> {
  const events = await ctx.models.HistoryEvent.find({ agreementId: new Types.ObjectId(String(agreementId)) })
    .sort({ seq: 1 })
    .lean<HistoryEventRecord[]>();
  let prev = GENESIS_HASH;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    const reason = checkLink(event, i + 1, prev);
    if (reason) {
      return {
        valid: false,
        events: events.length,
        headHash: events[events.length - 1].hash,
        firstBroken: { seq: event.seq, eventId: String(event._id), reason, message: BROKEN_MESSAGES[reason] },
      };
    }
    prev = event.hash;
  }
  return { valid: true, events: events.length, headHash: events.length ? prev : null };
}
