import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { HistoryEventRecord } from '../../models/history-event.js';
import { GENESIS_HASH } from './hash-chain.js';
import { BROKEN_MESSAGES, checkLink, type BrokenReason } from './verify-history.js';

export interface BrokenChain {
  agreementId: string;
  code: string;
  title: { id: string; en: string };
  events: number;
  seq: number;
  eventId: string;
  reason: BrokenReason;
  message: { id: string; en: string };
}

export interface VerifyAllResult {
  /**
   * which chains were recomputed: 'all' for an administrator; 'visible' for anyone else, whose
   * check leaves out other units' confidential agreements (it must not say the registry is intact)
   */
  scope: 'all' | 'visible';
  /** agreements whose chains were recomputed: every one the actor may see */
  agreements: number;
  events: number;
  valid: boolean;
  broken: BrokenChain[];
  startedAt: Date;
  finishedAt: Date;
}

type AgreementHead = { _id: Types.ObjectId; code: string; title: { id: string; en: string } };

/**
 * Recomputes the hash chain of every agreement the actor may see, in two reads whatever their
 * number: the agreements in id order and the history in (agreement id, sequence) order, walked side
 * by side through cursors (the {agreementId, seq} index serves the second), so 100,000 chains never
 * sit in memory. Events of agreements the actor may not see are passed over unread.
 */
export async function verifyAllHistories(ctx: DomainContext, actor: Actor): Promise<VerifyAllResult> {
  const startedAt = ctx.clock.now();
  const visible: Record<string, unknown> = actor.role === 'admin' ? {} : { audience: mongoose.trusted({ $in: ['*', actor.unit] }) };
  const agreements = ctx.models.Agreement.find(visible, { code: 1, title: 1 }).sort({ _id: 1 }).lean<AgreementHead[]>().cursor({ batchSize: 1000 });
  const events = ctx.models.HistoryEvent.find({}).sort({ agreementId: 1, seq: 1 }).lean<HistoryEventRecord[]>().cursor({ batchSize: 1000 });
  const broken: BrokenChain[] = [];
  let agreementCount = 0;
  let eventCount = 0;
  try {
    let event = (await events.next()) as HistoryEventRecord | null;
    for await (const raw of agreements) {
      const a = raw as unknown as AgreementHead;
      agreementCount++;
      const id = a._id.toHexString();
      // events of agreements before this one in id order: not visible to the actor (or orphaned)
      while (event && String(event.agreementId) < id) event = (await events.next()) as HistoryEventRecord | null;
      let seq = 0;
      let prev = GENESIS_HASH;
      let first: Omit<BrokenChain, 'events'> | undefined;
      while (event && String(event.agreementId) === id) {
        seq++;
        eventCount++;
        if (!first) {
          const reason = checkLink(event, seq, prev);
          if (reason) first = { agreementId: id, code: a.code, title: a.title, seq: event.seq, eventId: String(event._id), reason, message: BROKEN_MESSAGES[reason] };
          prev = event.hash;
        }
        event = (await events.next()) as HistoryEventRecord | null;
      }
      if (first) broken.push({ ...first, events: seq });
    }
  } finally {
    await Promise.all([agreements.close(), events.close()]);
  }
  return { scope: actor.role === 'admin' ? 'all' : 'visible', agreements: agreementCount, events: eventCount, valid: broken.length === 0, broken, startedAt, finishedAt: ctx.clock.now() };
}
