import mongoose, { type Types } from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { HistoryEventRecord } from '../../models/history-event.js';
import { canSee } from './get-visible-agreement.js';

/**
 * A link from an agreement the reader may see to one they may not (a confidential agreement of
 * another unit) shows only that a restricted link exists: no id, no code. Redaction happens when
 * the agreement (agreement-links.ts) or its history (here) is shown; what is stored (and hashed) does not change, so the
 * chain verifies the same for every reader.
 */

/** The ids among `ids` of agreements the actor may not see. */
export async function hiddenAgreementIds(ctx: DomainContext, actor: Actor, ids: Array<string | Types.ObjectId>): Promise<Set<string>> {
  if (actor.role === 'admin' || ids.length === 0) return new Set();
  const unique = [...new Set(ids.map(String))].filter((id) => /^[0-9a-f]{24}$/i.test(id)).map((id) => new mongoose.Types.ObjectId(id));
  const confidential = await ctx.models.Agreement.find(
    { _id: mongoose.trusted({ $in: unique }), confidentiality: 'confidential' },
    { confidentiality: 1, leadUnit: 1, code: 1 },
  ).lean<Array<Pick<AgreementRecord, '_id' | 'confidentiality' | 'leadUnit' | 'code'>>>();
  return new Set(confidential.filter((a) => !canSee(actor, a)).map((a) => String(a._id)));
}

/** Events that name another agreement: `link_added` names its target. */
const targetOf = (e: HistoryEventRecord): string | undefined =>
  e.action === 'link_added' && typeof e.changes?.agreementId === 'string' ? (e.changes.agreementId as string) : undefined;

/**
 * History events as this reader may see them, of one agreement or of many (a period's history).
 * A link to a hidden agreement keeps its type only; a stage change caused by a hidden agreement
 * (superseded by it) loses the note naming it.
 */
export async function historyRedactedFor(ctx: DomainContext, actor: Actor, events: HistoryEventRecord[]): Promise<HistoryEventRecord[]> {
  if (actor.role === 'admin') return events;
  const byLink = (e: HistoryEventRecord) => e.action === 'transition' && e.changes?.trigger === 'link';
  const superseded = [...new Set(events.filter(byLink).map((e) => String(e.agreementId)))].map((id) => new mongoose.Types.ObjectId(id));
  const linking = superseded.length
    ? await ctx.models.Agreement.find({ 'links.agreementId': mongoose.trusted({ $in: superseded }) }, { _id: 1, code: 1, 'links.agreementId': 1 }).lean<
        Array<Pick<AgreementRecord, '_id' | 'code'> & { links: Array<{ agreementId: Types.ObjectId }> }>
      >()
    : [];
  const targets = events.map(targetOf).filter((x): x is string => Boolean(x));
  const hidden = await hiddenAgreementIds(ctx, actor, [...targets, ...linking.map((a) => a._id)]);
  if (hidden.size === 0) return events;
  /** the codes of hidden agreements linking to each agreement: what a note caused by one of them names */
  const hiddenCodesOf = (agreementId: Types.ObjectId) =>
    linking.filter((a) => hidden.has(String(a._id)) && a.links.some((l) => String(l.agreementId) === String(agreementId))).map((a) => a.code);
  return events.map((e) => {
    const target = targetOf(e);
    if (target && hidden.has(target)) return { ...e, changes: { type: e.changes.type, restricted: true } };
    const note = e.changes?.note;
    if (byLink(e) && typeof note === 'string' && hiddenCodesOf(e.agreementId).some((c) => note.includes(c))) {
      const { note: _note, ...rest } = e.changes;
      return { ...e, changes: { ...rest, restricted: true } };
    }
    return e;
  });
}
