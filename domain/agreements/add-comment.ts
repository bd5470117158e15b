import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { appendHistoryEventRetrying } from '../history/append-history-event.js';
import type { HistoryEventRecord } from '../../models/history-event.js';
import { getVisibleAgreement } from './get-visible-agreement.js';
import { recordCommentText } from './text-search.js';

/**
 * A reader's comment, recorded in the agreement's history (it changes nothing else, so the version
 * stays), then made searchable. The history event is the record; the search entry is derived
 * from it and written after (a crash in between leaves the comment unsearchable, never lost).
 */
export async function addComment(ctx: DomainContext, actor: Actor, id: string, text: string): Promise<HistoryEventRecord> {
  const agreement = await getVisibleAgreement(ctx, actor, id);
  const event = await appendHistoryEventRetrying(ctx, { agreementId: agreement._id, actor, action: 'comment', changes: { text } });
  await recordCommentText(ctx, event);
  return event;
}
