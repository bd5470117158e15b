import mongoose, { type Types } from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { HistoryEventRecord } from '../../models/history-event.js';
import { addCalendarDays } from '../../workflows/business-days.js';
import { historyRedactedFor } from '../agreements/link-redaction.js';
import { checkPeriod, startOfDay } from '../period.js';
import type { HistoryAction } from './append-history-event.js';
import { toHistoryEventView } from './list-history.js';

/**
 * The longest period one question may cover: a year, leap day included. Each page is counted
 * over the whole period, and a longer one is rarely what an auditor means; two years are two questions.
 */
export const MAX_PERIOD_DAYS = 366;

export interface PeriodHistoryQuery {
  /** first day, on Jakarta's calendar (YYYY-MM-DD) */
  from: string;
  /** last day, included */
  to: string;
  action?: HistoryAction;
  /** as stored (the route gives the reader's spelling the stored one first) */
  leadUnit?: string;
  limit: number;
  offset: number;
}

type AgreementHead = Pick<AgreementRecord, '_id' | 'code' | 'title'>;

/**
 * What happened across agreements in a period: the events of every agreement the reader may see,
 * by time then sequence, one page and the total. Read through the {at, seq, agreementId} index
 * (or the {leadUnit, action, at} one for a unit's events of one kind), a page at a time. A reader
 * who is not an admin sees exactly what the agreement's own history would show them: nothing of
 * another unit's confidential agreement, and link events redacted as there.
 */
export async function listPeriodHistory(ctx: DomainContext, actor: Actor, query: PeriodHistoryQuery) {
  checkPeriod(query);
  const lastAllowed = addCalendarDays(query.from, MAX_PERIOD_DAYS - 1);
  if (query.to > lastAllowed) {
    const message = `A period covers at most ${MAX_PERIOD_DAYS} days: from ${query.from}, 'to' may be ${lastAllowed} at the latest; ask for a longer one in parts / Satu periode paling lama ${MAX_PERIOD_DAYS} hari: dari ${query.from}, 'to' paling lambat ${lastAllowed}; mintalah periode yang lebih panjang per bagian`;
    throw new AppError('validation_failed', message, [{ field: 'to', message }]);
  }
  const filter: Record<string, unknown> = {
    at: mongoose.trusted({ $gte: startOfDay(query.from), $lt: startOfDay(addCalendarDays(query.to, 1)) }),
    ...(query.action ? { action: query.action } : {}),
    ...(query.leadUnit ? { leadUnit: query.leadUnit } : {}),
  };
  const hidden = await hiddenFrom(ctx, actor);
  if (hidden.length) filter.agreementId = mongoose.trusted({ $nin: hidden });
  const [total, events] = await Promise.all([
    ctx.models.HistoryEvent.countDocuments(filter),
    ctx.models.HistoryEvent.find(filter).sort({ at: 1, seq: 1, agreementId: 1 }).skip(query.offset).limit(query.limit).lean<HistoryEventRecord[]>(),
  ]);
  const ids = [...new Set(events.map((e) => String(e.agreementId)))].map((id) => new mongoose.Types.ObjectId(id));
  const [heads, shown] = await Promise.all([
    ids.length ? ctx.models.Agreement.find({ _id: mongoose.trusted({ $in: ids }) }, { code: 1, title: 1 }).lean<AgreementHead[]>() : [],
    historyRedactedFor(ctx, actor, events),
  ]);
  const byId = new Map(heads.map((a) => [String(a._id), a]));
  return {
    items: shown.map((e) => {
      const a = byId.get(String(e.agreementId));
      return { ...toHistoryEventView(e), agreement: { id: String(e.agreementId), code: a?.code ?? null, title: a?.title ?? null } };
    }),
    total,
    limit: query.limit,
    offset: query.offset,
  };
}

/**
 * The agreements whose events this reader may not see: other units' confidential ones (the rule
 * of canSee, read from the agreements' audience as the lists do). An admin sees all.
 */
async function hiddenFrom(ctx: DomainContext, actor: Actor): Promise<Types.ObjectId[]> {
  if (actor.role === 'admin') return [];
  const rows = await ctx.models.Agreement.find({ audience: mongoose.trusted({ $nin: ['*', actor.unit] }) }, { _id: 1 }).lean<Array<Pick<AgreementRecord, '_id'>>>();
  return rows.map((a) => a._id);
}
