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
 * History events as this reader may see them. A link to a hidden agreement keeps its type only;
 * a stage change caused by a hidden agreement (superseded by it) loses the note naming it.
 */
export async function historyRedactedFor(ctx: DomainContext, actor: Actor, agreementId: Types.ObjectId, events: HistoryEventRecord[]): Promise<HistoryEventRecord[]> {
  if (actor.role === 'admin') return events;
  const byLink = events.some((e) => e.action === 'transition' && e.changes?.trigger === 'link');
  const linking = byLink
    ? await ctx.models.Agreement.find({ 'links.agreementId': agreementId }, { _id: 1 }).lean<Array<Pick<AgreementRecord, '_id'>>>()
    : [];
  const targets = events.map(targetOf).filter((x): x is string => Boolean(x));
  const hidden = await hiddenAgreementIds(ctx, actor, [...targets, ...linking.map((a) => a._id)]);
  if (hidden.size === 0) return events;
  const hiddenCodes = byLink
    ? (await ctx.models.Agreement.find({ _id: mongoose.trusted({ $in: [...hidden].map((id) => new mongoose.Types.ObjectId(id)) }) }, { code: 1 }).lean<Array<Pick<AgreementRecord, 'code'>>>()).map((a) => a.code)
    : [];
  return events.map((e) => {
    const target = targetOf(e);
    if (target && hidden.has(target)) return { ...e, changes: { type: e.changes.type, restricted: true } };
    const note = e.changes?.note;
    if (e.action === 'transition' && e.changes?.trigger === 'link' && typeof note === 'string' && hiddenCodes.some((c) => note.includes(c))) {
      const { note: _note, ...rest } = e.changes;
      return { ...e, changes: { ...rest, restricted: true } };
    }
    return e;
  });
}
