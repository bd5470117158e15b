import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { appendHistoryEvent } from '../history/append-history-event.js';
import type { HistoryEventRecord } from '../../models/history-event.js';
import { getVisibleAgreement } from './get-visible-agreement.js';
import { inTransaction, isDuplicateKey } from './transaction.js';

const ATTEMPTS = 5;

/**
 * A reader's comment, recorded in the agreement's history (it changes nothing else, so the
 * version stays). Another event taking the same sequence number first means: try the next one.
 */
export async function addComment(ctx: DomainContext, actor: Actor, id: string, text: string): Promise<HistoryEventRecord> {
  const agreement = await getVisibleAgreement(ctx, actor, id);
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(ctx, (session) =>
        appendHistoryEvent(ctx, { agreementId: agreement._id, actor, action: 'comment', changes: { text } }, session),
      );
    } catch (err) {
      if (!isDuplicateKey(err) || attempt >= ATTEMPTS) throw err;
    }
  }
}
