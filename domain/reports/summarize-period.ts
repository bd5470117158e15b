import type { Document } from 'mongodb';
import type { Model } from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { checkPeriod, startOfDay } from '../period.js';
import { loadBusinessCalendar } from '../deadlines/business-calendar.js';
import { HQ_TIMEZONE, addCalendarDays } from '../../workflows/business-days.js';
import { STAGES, type InstrumentType, type Stage } from '../../workflows/index.js';
import { closedDayNumbers, percentileOfSortedExpr, workingDaysExpr } from './working-days-expr.js';

/**
 * The figures of a reporting period, computed by aggregation pipelines in the database: the
 * service receives counts and short lists, never the agreements or their histories.
 *
 * Where the figure is a fact of the agreement (signed, entered into force, term) it is read from
 * the agreement's dated fields, which imports fill as well; what stood where, how long stages took
 * and when things expired, ended or were abandoned is read from the history's stage changes.
 */
export interface SummaryFilter {
  from: string;
  to: string;
  index?: string;
  type?: InstrumentType;
  leadUnit?: string;
  /**
   * Counts the confidential agreements of this unit only, whoever asks: the annual report is a
   * document to circulate, and an administrator's copy must not carry another unit's confidential
   * agreements. Without it, a reader counts those they may see (admins: all).
   */
  confidentialOf?: string;
}

export interface ListedAgreement {
  id: string;
  code: string;
  title: { id: string; en: string };
  type: InstrumentType;
  leadUnit: string;
  indices: string[];
  date: Date | null;
  place: string | null;
  bilateral: boolean;
  /** one entry per party, with what a sentence needs to name it (kind and country: a state's English name) */
  signatories: Array<{ party: string; kind: string; country: string | null; name: string | null; title: string | null; signedAt: Date | null; place: string | null; witnesses: string[] }>;
  parties: string[];
}

export interface CountedFigure {
  total: number;
  bilateral: number;
  byType: Record<string, number>;
  byIndex: Record<string, number>;
  list: ListedAgreement[];
}

export interface StageAtEnd {
  stage: Stage;
  count: number;
  /** the first agreements (by code) that stood at the stage; all of them when `count` ≤ STAGE_LIST_LIMIT */
  agreements: Array<{
    id: string;
    code: string;
    title: { id: string; en: string };
    type: InstrumentType;
    indices: string[];
    /** each party and its signatory; `signed` says whether it had signed by the end of the period */
    parties: Array<{ name: string; kind: string; country: string | null; signatory: string | null; signatoryTitle: string | null; signed: boolean }>;
  }>;
}

export interface Summary {
  period: { from: string; to: string; timezone: string };
  filters: { index: string | null; type: string | null; leadUnit: string | null };
  signed: CountedFigure;
  enteredIntoForce: CountedFigure;
  expired: CountedFigure;
  terminated: CountedFigure;
  abandoned: CountedFigure;
  byStage: StageAtEnd[];
  /**
   * How many stood at each stage at the end of each quarter in the period (of each year, or every
   * few years, for a period over more than two calendar years; see pointsInTime), the period's own
   * end last: what `byStage` says, over time.
   */
  stagesOverTime: Array<{ at: string; byStage: Array<{ stage: Stage; count: number }> }>;
  stageDurations: Array<{ type: string; stage: string; instances: number; medianWorkingDays: number; p90WorkingDays: number }>;
  stageDeadlines: {
    byStage: Array<{ stage: string; met: number; missed: number; onTimeShare: number | null }>;
    byLeadUnit: Array<{ leadUnit: string; met: number; missed: number; onTimeShare: number | null }>;
  };
  signatures: {
    byParty: Array<{ party: string; signatures: number; medianWorkingDays: number; p90WorkingDays: number; agreements: string[] }>;
    overdueAtEnd: Array<{ agreementId: string; code: string; title: { id: string; en: string }; party: string; signatory: string | null; dueAt: Date; workingDaysOverdue: number }>;
  };
  expiring: Array<{ agreementId: string; code: string; title: { id: string; en: string }; expiresAt: Date; noticeAt: Date | null; reason: 'term_ends' | 'renewal_notice' }>;
}

export const STAGE_LIST_LIMIT = 100;

/** Runs a pipeline through the driver (mongoose's stage types refuse computed $facet branches). */
const aggregate = <T>(model: Model<any>, pipeline: Document[]): Promise<T[]> => model.collection.aggregate(pipeline).toArray() as Promise<T[]>;
/** How far after the period `expiring` looks: the figures and exports that list them name the same span. */
export const EXPIRING_DAYS = 180;
/** the largest notice period an agreement may carry (server/routes/agreements.ts) */
const MAX_NOTICE_DAYS = 3650;
const DAY_MS = 86_400_000;
const INTERNATIONAL = ['mou', 'agreement', 'technical_arrangement'];
/** history actions that put an agreement at a stage */
const STAGE_ACTIONS = ['created', 'transition', 'imported'];
const LIST_LIMIT = 500;

/** Whose confidential agreements the report may count: the filter's unit, else the reader's (none for an admin: all). */
const confidentialUnit = (actor: Actor, filter: SummaryFilter): string | undefined => filter.confidentialOf ?? (actor.role !== 'admin' ? actor.unit : undefined);

/** Which agreements the report covers: the filters and, for everyone but admins, no other unit's confidential ones. */
function scopeOf(actor: Actor, filter: SummaryFilter, prefix = ''): Record<string, unknown> {
  const scope: Record<string, unknown> = {};
  if (filter.type) scope[`${prefix}type`] = filter.type;
  if (filter.leadUnit) scope[`${prefix}leadUnit`] = filter.leadUnit;
  if (filter.index) scope[`${prefix}indices`] = filter.index;
  const unit = confidentialUnit(actor, filter);
  if (unit) scope[`${prefix}audience`] = { $in: ['*', unit] };
  return scope;
}

/**
 * What a pipeline over history events or deadlines matches first for a lead unit's report: their
 * copy of the agreement's lead unit, through an index that leads with it, so the report reads
 * that unit's events and not the whole period's (the agreement's own lead unit is still checked
 * after the lookup).
 */
const unitOf = (filter: SummaryFilter): Record<string, string> => (filter.leadUnit ? { leadUnit: filter.leadUnit } : {});

const bilateralExpr = (a: string) => ({
  $and: [
    { $in: [`${a}type`, INTERNATIONAL] },
    { $eq: [{ $size: { $ifNull: [`${a}parties`, []] } }, 2] },
    { $eq: [{ $size: { $filter: { input: { $ifNull: [`${a}parties`, []] }, as: 'p', cond: { $eq: ['$$p.kind', 'state'] } } } }, 2] },
  ],
});

/** A listed agreement, built in the pipeline from the agreement under `a` (e.g. '$' or '$a.') and its date. */
const listedProjection = (a: string, date: unknown) => ({
  _id: 0,
  id: { $toString: `${a}_id` },
  code: `${a}code`,
  title: `${a}title`,
  type: `${a}type`,
  leadUnit: `${a}leadUnit`,
  indices: { $ifNull: [`${a}indices`, []] },
  date,
  place: { $first: { $filter: { input: { $map: { input: { $ifNull: [`${a}parties`, []] }, as: 'p', in: { $ifNull: ['$$p.signature.place', null] } } }, as: 'x', cond: { $ne: ['$$x', null] } } } },
  bilateral: bilateralExpr(a),
  parties: { $map: { input: { $ifNull: [`${a}parties`, []] }, as: 'p', in: '$$p.name' } },
  signatories: {
    $map: {
      input: { $ifNull: [`${a}parties`, []] },
      as: 'p',
      in: {
        party: '$$p.name',
        kind: '$$p.kind',
        country: { $ifNull: ['$$p.country', null] },
        name: { $ifNull: ['$$p.signatory.name', null] },
        title: { $ifNull: ['$$p.signatory.title', null] },
        signedAt: { $ifNull: ['$$p.signature.signedAt', null] },
        place: { $ifNull: ['$$p.signature.place', null] },
        witnesses: { $ifNull: ['$$p.signature.witnesses', []] },
      },
    },
  },
});

/** $facet branches that count listed agreements (already projected with listedProjection) the same way every time. */
const countedFacets = (prefix = '') => ({
  [`${prefix}total`]: [{ $count: 'n' }],
  [`${prefix}bilateral`]: [{ $match: { bilateral: true } }, { $count: 'n' }],
  [`${prefix}byType`]: [{ $group: { _id: '$type', n: { $sum: 1 } } }],
  [`${prefix}byIndex`]: [{ $unwind: '$indices' }, { $group: { _id: '$indices', n: { $sum: 1 } } }],
  [`${prefix}list`]: [{ $sort: { date: 1, code: 1 } }, { $limit: LIST_LIMIT }],
});

type FacetResult = Record<string, Array<{ _id?: string; n?: number } & Record<string, unknown>>>;

function readCounted(r: FacetResult, prefix = ''): CountedFigure {
  const toMap = (rows: Array<{ _id?: string; n?: number }>) => Object.fromEntries(rows.filter((x) => x._id != null).map((x) => [String(x._id), x.n ?? 0]));
  return {
    total: r[`${prefix}total`]?.[0]?.n ?? 0,
    bilateral: r[`${prefix}bilateral`]?.[0]?.n ?? 0,
    byType: toMap(r[`${prefix}byType`] ?? []),
    byIndex: toMap(r[`${prefix}byIndex`] ?? []),
    list: (r[`${prefix}list`] ?? []) as unknown as ListedAgreement[],
  };
}

export async function summarizePeriod(ctx: DomainContext, actor: Actor, filter: SummaryFilter): Promise<Summary> {
  checkPeriod(filter);
  const start = startOfDay(filter.from);
  const end = startOfDay(addCalendarDays(filter.to, 1));
  const calendar = await loadBusinessCalendar(ctx);
  const closed = closedDayNumbers(calendar);
  const scope = scopeOf(actor, filter);
  const scopeA = scopeOf(actor, filter, 'a.');
  const unit = unitOf(filter);
  const now = ctx.clock.now();

  const earlier = pointsInTime(filter.from, filter.to).slice(0, -1);
  const ends = earlier.map((day) => startOfDay(addCalendarDays(day, 1)));
  const [signed, enteredIntoForce, ended, byStage, stageDurations, stageDeadlines, signatures, overdue, expiring, changes] = await Promise.all([
    datedFigure(ctx, 'signedAt', scope, start, end),
    datedFigure(ctx, 'entryIntoForce.date', scope, start, end),
    endings(ctx, scopeA, unit, start, end),
    stagesAtEnd(ctx, scope, scopeA, unit, end),
    durations(ctx, scopeA, unit, start, end, closed),
    deadlines(ctx, actor, filter, start, end, now),
    signatureTimes(ctx, scopeA, unit, start, end, closed),
    overdueSignatures(ctx, scopeA, unit, end, closed),
    expiringAfter(ctx, scope, end),
    stageChangesBefore(ctx, scopeA, unit, ends, end),
  ]);
  const before = stageCountsAt(ends.length, byStage, changes);
  return {
    period: { from: filter.from, to: filter.to, timezone: HQ_TIMEZONE },
    filters: { index: filter.index ?? null, type: filter.type ?? null, leadUnit: filter.leadUnit ?? null },
    signed,
    enteredIntoForce,
    expired: ended.expired,
    terminated: ended.terminated,
    abandoned: ended.abandoned,
    byStage,
    stagesOverTime: [...earlier.map((at, k) => ({ at, byStage: before[k] })), { at: filter.to, byStage: byStage.map(({ stage, count }) => ({ stage, count })) }],
    stageDurations,
    stageDeadlines,
    signatures: { byParty: signatures, overdueAtEnd: overdue },
    expiring,
  };
}

/** Agreements whose dated field (signedAt, entryIntoForce.date) falls in the period, through that field's index. */
async function datedFigure(ctx: DomainContext, field: string, scope: Record<string, unknown>, start: Date, end: Date): Promise<CountedFigure> {
  const [r] = await aggregate<FacetResult>(ctx.models.Agreement, [
    { $match: { [field]: { $gte: start, $lt: end }, ...scope } },
    { $project: listedProjection('$', `$${field}`) },
    { $facet: countedFacets() },
  ]);
  return readCounted(r);
}

const ENDINGS = ['expired', 'terminated', 'abandoned'] as const;

/** Stage changes into expired, terminated or abandoned in the period (imports: their stage date), each with its agreement. */
async function endings(ctx: DomainContext, scopeA: Record<string, unknown>, unit: Record<string, string>, start: Date, end: Date): Promise<Record<(typeof ENDINGS)[number], CountedFigure>> {
  const [r] = await aggregate<FacetResult>(ctx.models.HistoryEvent, [
    {
      $match: {
        $or: [
          { ...unit, action: 'transition', at: { $gte: start, $lt: end }, 'changes.to': { $in: ENDINGS } },
          { ...unit, action: 'imported', at: { $gte: start }, 'changes.stage': { $in: ENDINGS }, 'changes.stageEnteredAt': { $gte: start.toISOString(), $lt: end.toISOString() } },
        ],
      },
    },
    { $project: { agreementId: 1, kind: { $ifNull: ['$changes.to', '$changes.stage'] }, date: { $cond: [{ $eq: ['$action', 'imported'] }, { $toDate: '$changes.stageEnteredAt' }, '$at'] } } },
    { $lookup: { from: 'agreements', localField: 'agreementId', foreignField: '_id', as: 'a' } },
    { $unwind: '$a' },
    { $match: scopeA },
    { $project: { ...listedProjection('$a.', '$date'), kind: 1 } },
    { $facet: Object.fromEntries(ENDINGS.flatMap((kind) => Object.entries(countedFacets(`${kind}_`)).map(([k, stages]) => [k, [{ $match: { kind } }, ...stages]]))) },
  ]);
  return Object.fromEntries(ENDINGS.map((kind) => [kind, readCounted(r, `${kind}_`)])) as Record<(typeof ENDINGS)[number], CountedFigure>;
}

type StageRow = { _id: Stage; n: number; items: StageAtEnd['agreements'] };

/**
 * The days at whose end the stages are counted over time, the period's last day last: the last
 * day of each quarter before it for a period within one or two calendar years; for a longer one,
 * the last day of every year, or of every n-th year counted back from the last, so that a chart
 * has a dozen points at most (each point is a count over the history: a 1945–2200 period must not
 * ask for 255 of them).
 */
export function pointsInTime(from: string, to: string): string[] {
  const [fromYear, toYear] = [Number(from.slice(0, 4)), Number(to.slice(0, 4))];
  const years = toYear - fromYear;
  const step = years <= 1 ? 1 : Math.ceil(years / 12);
  const ends = years <= 1 ? ['03-31', '06-30', '09-30', '12-31'] : ['12-31'];
  const points: string[] = [];
  for (let y = fromYear; y <= toYear; y++) {
    if ((toYear - y) % step !== 0) continue;
    for (const md of ends) {
      const day = `${y}-${md}`;
      if (day >= from && day < to) points.push(day);
    }
  }
  return [...points, to];
}

/**
 * What stood where at `end`, from the history. An agreement whose stage began before `end` stood
 * there at `end` (its stage entry is its last stage change, or for an import the stage date it
 * came with). For the others, the first stage change after `end` says where they came from:
 * its `from`, or an import's stage if that began before `end`; an agreement created after `end`
 * did not exist yet.
 */
async function stagesAtEnd(ctx: DomainContext, scope: Record<string, unknown>, scopeA: Record<string, unknown>, unit: Record<string, string>, end: Date): Promise<StageAtEnd[]> {
  const item = {
    id: { $toString: '$_id' },
    code: '$code',
    title: '$title',
    type: '$type',
    indices: { $ifNull: ['$indices', []] },
    parties: {
      $map: {
        input: { $ifNull: ['$parties', []] },
        as: 'p',
        in: {
          name: '$$p.name',
          kind: '$$p.kind',
          country: { $ifNull: ['$$p.country', null] },
          signatory: { $ifNull: ['$$p.signatory.name', null] },
          signatoryTitle: { $ifNull: ['$$p.signatory.title', null] },
          signed: { $lt: [{ $ifNull: ['$$p.signature.signedAt', end] }, end] },
        },
      },
    },
  };
  const items = { $topN: { n: STAGE_LIST_LIMIT, sortBy: { code: 1 }, output: item } };
  const [unchanged, changed] = await Promise.all([
    aggregate<StageRow>(ctx.models.Agreement, [
      { $match: { stageEnteredAt: { $lt: end }, ...scope } },
      { $group: { _id: '$stage', n: { $sum: 1 }, items } },
    ]),
    aggregate<StageRow>(ctx.models.HistoryEvent, [
      { $match: { ...unit, action: { $in: STAGE_ACTIONS }, at: { $gte: end } } },
      { $sort: { agreementId: 1, seq: 1 } },
      { $group: { _id: '$agreementId', action: { $first: '$action' }, from: { $first: '$changes.from' }, stage: { $first: '$changes.stage' }, enteredAt: { $first: '$changes.stageEnteredAt' } } },
      {
        $project: {
          atEnd: {
            $switch: {
              branches: [
                { case: { $eq: ['$action', 'transition'] }, then: '$from' },
                { case: { $and: [{ $eq: ['$action', 'imported'] }, { $lt: ['$enteredAt', end.toISOString()] }] }, then: '$stage' },
              ],
              default: null,
            },
          },
        },
      },
      { $match: { atEnd: { $ne: null } } },
      { $lookup: { from: 'agreements', localField: '_id', foreignField: '_id', as: 'a' } },
      { $unwind: '$a' },
      // only agreements that changed stage after `end` (the others were counted above)
      { $match: { ...scopeA, 'a.stageEnteredAt': { $gte: end } } },
      { $replaceWith: { $mergeObjects: ['$a', { atEnd: '$atEnd' }] } },
      { $group: { _id: '$atEnd', n: { $sum: 1 }, items } },
    ]),
  ]);
  const byStage = new Map<Stage, StageAtEnd>();
  for (const row of [...unchanged, ...changed]) {
    const entry = byStage.get(row._id) ?? { stage: row._id, count: 0, agreements: [] };
    entry.count += row.n;
    entry.agreements = [...entry.agreements, ...row.items].sort((x, y) => x.code.localeCompare(y.code)).slice(0, STAGE_LIST_LIMIT);
    byStage.set(row._id, entry);
  }
  return [...byStage.values()].sort((x, y) => inWorkflowOrder(x.stage, y.stage));
}

/** Per earlier end k and stage: how many more stood there then than at the period's end. */
type StageChange = { _id: { stage: Stage; k: number }; n: number };

/**
 * What turns the counts at `end` (stagesAtEnd) into those at each of `ends` (ascending, all
 * before `end`), from the stage events between the first of them and `end`; run beside the other
 * figures, as it does not need their result (stageCountsAt applies it). An
 * agreement with no stage event from an end on stood at the same stage then as at `end`; for one
 * with such events, the first says where it stood at that end (a transition's `from`; none for a
 * creation or an import's stage date after it) and the last where it stands at `end`. So the
 * history read is the period's, not everything recorded since: a report on 2022 asked in 2030
 * reads 2022's stage events. An import counts from its stage date, whenever it was recorded.
 */
async function stageChangesBefore(ctx: DomainContext, scopeA: Record<string, unknown>, unit: Record<string, string>, ends: Date[], end: Date): Promise<StageChange[]> {
  if (ends.length === 0) return [];
  const points = ends.map((t, k) => ({ k, t }));
  return aggregate<StageChange>(ctx.models.HistoryEvent, [
    {
      $match: {
        $or: [
          { ...unit, action: { $in: ['created', 'transition'] }, at: { $gte: ends[0], $lt: end } },
          { ...unit, action: 'imported', at: { $gte: ends[0] }, 'changes.stageEnteredAt': { $gte: ends[0].toISOString(), $lt: end.toISOString() } },
        ],
      },
    },
    {
      $group: {
        _id: '$agreementId',
        events: {
          $push: {
            seq: '$seq',
            // when the event put the agreement at its stage, where it had stood before and where it went
            at: { $cond: [{ $eq: ['$action', 'imported'] }, { $toDate: '$changes.stageEnteredAt' }, '$at'] },
            left: { $cond: [{ $eq: ['$action', 'transition'] }, '$changes.from', null] },
            entered: { $ifNull: ['$changes.to', '$changes.stage'] },
          },
        },
      },
    },
    { $lookup: { from: 'agreements', localField: '_id', foreignField: '_id', as: 'a' } },
    { $unwind: '$a' },
    { $match: scopeA },
    { $project: { events: { $sortArray: { input: '$events', sortBy: { seq: 1 } } } } },
    // each end with a stage event at or after it: the first such event says where it stood then
    {
      $project: {
        atEnd: { $last: '$events.entered' },
        moved: {
          $map: {
            input: { $filter: { input: { $literal: points }, as: 'p', cond: { $gte: [{ $last: '$events.at' }, '$$p.t'] } } },
            as: 'p',
            in: { k: '$$p.k', then: { $first: { $filter: { input: '$events', as: 'e', cond: { $gte: ['$$e.at', '$$p.t'] } } } } },
          },
        },
      },
    },
    { $unwind: '$moved' },
    // one out of where it stands at `end`, one into where it stood then (when it existed)
    { $project: { k: '$moved.k', delta: [{ stage: '$atEnd', n: -1 }, { stage: '$moved.then.left', n: 1 }] } },
    { $unwind: '$delta' },
    { $match: { 'delta.stage': { $ne: null } } },
    { $group: { _id: { stage: '$delta.stage', k: '$k' }, n: { $sum: '$delta.n' } } },
  ]);
}

/** The counts at each of `ends` earlier ends: those at the period's end (stagesAtEnd), corrected by stageChangesBefore. */
function stageCountsAt(ends: number, atEnd: StageAtEnd[], changes: StageChange[]): Array<Array<{ stage: Stage; count: number }>> {
  const counts = Array.from({ length: ends }, () => new Map<Stage, number>(atEnd.map((s) => [s.stage, s.count])));
  for (const row of changes) counts[row._id.k].set(row._id.stage, (counts[row._id.k].get(row._id.stage) ?? 0) + row.n);
  return counts.map((byStage) =>
    [...byStage]
      .filter(([, count]) => count > 0)
      .map(([stage, count]) => ({ stage, count }))
      .sort((x, y) => inWorkflowOrder(x.stage, y.stage)),
  );
}

/** The stage event before each event (the stay it ends began there), joined through the {agreementId, seq} index. */
const previousStageEvent = (as: string, match: Record<string, unknown> = { action: { $in: STAGE_ACTIONS } }): Document => ({
  $lookup: {
    from: 'history_events',
    localField: 'agreementId',
    foreignField: 'agreementId',
    let: { seq: '$seq' },
    pipeline: [{ $match: { ...match, $expr: { $lt: ['$seq', '$$seq'] } } }, { $sort: { seq: -1 } }, { $limit: 1 }, { $project: { _id: 0, at: 1, action: 1, changes: 1 } }],
    as,
  },
});

/** When the stay in a stage began: the stage event's time, or for an import the stage date it came with. */
const stayStartExpr = (prev: string) => ({ $cond: [{ $eq: [`${prev}.action`, 'imported'] }, { $toDate: `${prev}.changes.stageEnteredAt` }, `${prev}.at`] });

/**
 * Working days of every stay that ended in the period, per type and stage: median and 90th
 * percentile. One pass over the period's stage events, grouped per agreement in `seq` order:
 * each transition ends the stay its predecessor began. Only an agreement's first stage event of
 * the period needs one from before it, found once per agreement through the {agreementId, seq}
 * index rather than once per transition. The period's stage events of an agreement are
 * consecutive in `seq`, as its chain is appended in time order.
 */
async function durations(ctx: DomainContext, scopeA: Record<string, unknown>, unit: Record<string, string>, start: Date, end: Date, closed: number[]): Promise<Summary['stageDurations']> {
  const stageEvent = { seq: '$seq', at: '$at', action: '$action', changes: '$changes' };
  const rows = await aggregate<{ _id: { type: string; stage: string }; instances: number; median: number; p90: number }>(ctx.models.HistoryEvent, [
    { $match: { ...unit, action: { $in: STAGE_ACTIONS }, at: { $gte: start, $lt: end } } },
    { $group: { _id: '$agreementId', events: { $push: stageEvent } } },
    { $lookup: { from: 'agreements', localField: '_id', foreignField: '_id', as: 'a' } },
    { $unwind: '$a' },
    { $match: scopeA },
    { $project: { type: '$a.type', events: { $sortArray: { input: '$events', sortBy: { seq: 1 } } } } },
    {
      $lookup: {
        from: 'history_events',
        localField: '_id',
        foreignField: 'agreementId',
        let: { first: { $arrayElemAt: ['$events.seq', 0] } },
        pipeline: [
          { $match: { action: { $in: STAGE_ACTIONS }, $expr: { $lt: ['$seq', '$$first'] } } },
          { $sort: { seq: -1 } },
          { $limit: 1 },
          { $project: { _id: 0, seq: 1, at: 1, action: 1, changes: 1 } },
        ],
        as: 'before',
      },
    },
    { $project: { type: 1, chain: { $concatArrays: ['$before', '$events'] } } },
    {
      $project: {
        type: 1,
        stays: {
          $map: {
            input: { $range: [1, { $size: '$chain' }] },
            as: 'k',
            in: { begin: { $arrayElemAt: ['$chain', { $subtract: ['$$k', 1] }] }, end: { $arrayElemAt: ['$chain', '$$k'] } },
          },
        },
      },
    },
    { $unwind: '$stays' },
    { $match: { 'stays.end.action': 'transition' } },
    { $project: { type: 1, stage: '$stays.end.changes.from', days: workingDaysExpr(stayStartExpr('$stays.begin'), '$stays.end.at', closed) } },
    { $group: { _id: { type: '$type', stage: '$stage' }, instances: { $sum: 1 }, days: { $push: '$days' } } },
    { $project: { instances: 1, sorted: { $sortArray: { input: '$days', sortBy: 1 } } } },
    { $project: { instances: 1, median: percentileOfSortedExpr('$sorted', 0.5), p90: percentileOfSortedExpr('$sorted', 0.9) } },
  ]);
  return rows
    .sort((x, y) => x._id.type.localeCompare(y._id.type) || inWorkflowOrder(x._id.stage, y._id.stage))
    .map((r) => ({ type: r._id.type, stage: r._id.stage, instances: r.instances, medianWorkingDays: r.median, p90WorkingDays: r.p90 }));
}

/**
 * Stages as the work goes through them (drafting, consultation, negotiation, …), not by their
 * keys' spelling: the spreadsheet's stage lists opened 'Menunggu penandatanganan' before
 * 'Penyusunan draf'. A stage the workflow does not know goes last.
 */
function inWorkflowOrder(x: string, y: string): number {
  const rank = (stage: string) => {
    const i = STAGES.indexOf(stage as Stage);
    return i < 0 ? STAGES.length : i;
  };
  return rank(x) - rank(y) || x.localeCompare(y);
}

/** Stage deadlines due in the period: met, missed (closed late, or still open after their due time) and the on-time share. */
async function deadlines(ctx: DomainContext, actor: Actor, filter: SummaryFilter, start: Date, end: Date, now: Date): Promise<Summary['stageDeadlines']> {
  const needsAgreement = Boolean(filter.type || filter.index);
  const own: Record<string, unknown> = { kind: 'stage_due', dueAt: { $gte: start, $lt: end }, status: { $ne: 'cancelled' } };
  if (filter.leadUnit) own.leadUnit = filter.leadUnit;
  const unit = confidentialUnit(actor, filter);
  if (unit) own.audience = { $in: ['*', unit] };
  const share = { $cond: [{ $gt: [{ $add: ['$met', '$missed'] }, 0] }, { $divide: ['$met', { $add: ['$met', '$missed'] }] }, null] };
  const tally = (key: string) => [
    { $group: { _id: key, met: { $sum: { $cond: ['$met', 1, 0] } }, missed: { $sum: { $cond: ['$missed', 1, 0] } } } },
    { $project: { met: 1, missed: 1, onTimeShare: share } },
    { $sort: { _id: 1 } },
  ];
  const [r] = await aggregate<Record<'byStage' | 'byLeadUnit', Array<{ _id: string; met: number; missed: number; onTimeShare: number | null }>>>(ctx.models.Deadline, [
    { $match: own },
    ...(needsAgreement
      ? [
          { $lookup: { from: 'agreements', localField: 'agreementId', foreignField: '_id', as: 'a' } },
          { $unwind: '$a' },
          { $match: scopeOf(actor, { ...filter, leadUnit: undefined }, 'a.') },
        ]
      : []),
    {
      $project: {
        stage: 1,
        leadUnit: 1,
        met: { $eq: ['$status', 'met'] },
        missed: { $or: [{ $eq: ['$status', 'missed'] }, { $and: [{ $eq: ['$status', 'open'] }, { $lt: ['$dueAt', now] }] }] },
      },
    },
    { $facet: { byStage: tally('$stage'), byLeadUnit: tally('$leadUnit') } },
  ]);
  return {
    byStage: r.byStage.sort((x, y) => inWorkflowOrder(x._id, y._id)).map((x) => ({ stage: x._id, met: x.met, missed: x.missed, onTimeShare: x.onTimeShare })),
    byLeadUnit: r.byLeadUnit.map((x) => ({ leadUnit: x._id, met: x.met, missed: x.missed, onTimeShare: x.onTimeShare })),
  };
}

/** Per party: working days from the agreement's (last) move to awaiting signature to the party's signature, for signatures given in the period. */
async function signatureTimes(ctx: DomainContext, scopeA: Record<string, unknown>, unit: Record<string, string>, start: Date, end: Date, closed: number[]): Promise<Summary['signatures']['byParty']> {
  const rows = await aggregate<{ _id: string; signatures: number; median: number; p90: number; agreements: string[] }>(ctx.models.HistoryEvent, [
    { $match: { ...unit, action: 'signature_recorded', at: { $gte: start }, 'changes.signedAt': { $gte: start.toISOString(), $lt: end.toISOString() } } },
    previousStageEvent('prev', {
      $or: [
        { action: 'transition', 'changes.to': 'awaiting_signature' },
        { action: 'imported', 'changes.stage': { $in: ['awaiting_signature', 'partially_signed'] } },
      ],
    }),
    { $unwind: '$prev' },
    { $lookup: { from: 'agreements', localField: 'agreementId', foreignField: '_id', as: 'a' } },
    { $unwind: '$a' },
    { $match: scopeA },
    { $project: { party: '$changes.party', code: '$a.code', days: workingDaysExpr(stayStartExpr('$prev'), { $toDate: '$changes.signedAt' }, closed) } },
    { $group: { _id: '$party', signatures: { $sum: 1 }, days: { $push: '$days' }, agreements: { $addToSet: '$code' } } },
    { $project: { signatures: 1, agreements: 1, sorted: { $sortArray: { input: '$days', sortBy: 1 } } } },
    { $project: { signatures: 1, agreements: 1, median: percentileOfSortedExpr('$sorted', 0.5), p90: percentileOfSortedExpr('$sorted', 0.9) } },
    { $sort: { _id: 1 } },
  ]);
  return rows.map((r) => ({ party: r._id, signatures: r.signatures, medianWorkingDays: r.median, p90WorkingDays: r.p90, agreements: [...r.agreements].sort() }));
}

/**
 * Signatures overdue when the period ended: signing deadlines, and deadlines of the signing
 * stages, that had passed and were still open then, with each party that had not signed by then.
 */
async function overdueSignatures(ctx: DomainContext, scopeA: Record<string, unknown>, unit: Record<string, string>, end: Date, closed: number[]): Promise<Summary['signatures']['overdueAtEnd']> {
  const rows = await aggregate<Summary['signatures']['overdueAtEnd'][number]>(ctx.models.Deadline, [
    {
      $match: {
        ...unit,
        dueAt: { $lt: end },
        createdAt: { $lt: end },
        $and: [
          { $or: [{ kind: 'signing_due' }, { kind: 'stage_due', stage: { $in: ['awaiting_signature', 'partially_signed'] } }] },
          { $or: [{ closedAt: null }, { closedAt: { $gte: end } }] },
        ],
      },
    },
    { $lookup: { from: 'agreements', localField: 'agreementId', foreignField: '_id', as: 'a' } },
    { $unwind: '$a' },
    { $match: scopeA },
    { $unwind: '$a.parties' },
    {
      $match: {
        $expr: {
          $and: [
            { $or: [{ $eq: [{ $ifNull: ['$partyId', null] }, null] }, { $eq: ['$partyId', '$a.parties._id'] }] },
            { $or: [{ $eq: [{ $ifNull: ['$a.parties.signature.signedAt', null] }, null] }, { $gte: ['$a.parties.signature.signedAt', end] }] },
          ],
        },
      },
    },
    {
      $project: {
        _id: 0,
        agreementId: { $toString: '$a._id' },
        code: '$a.code',
        title: '$a.title',
        party: '$a.parties.name',
        signatory: { $ifNull: ['$a.parties.signatory.name', null] },
        dueAt: 1,
        workingDaysOverdue: workingDaysExpr('$dueAt', { $subtract: [end, 1] }, closed),
      },
    },
    { $sort: { dueAt: 1, code: 1, party: 1 } },
    { $limit: LIST_LIMIT },
  ]);
  // A party named by both a signing deadline and its stage's deadline is listed once, by the earlier.
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(`${r.agreementId}|${r.party}`) && seen.add(`${r.agreementId}|${r.party}`));
}

/** Instruments whose term ends, or whose renewal notice falls, within 180 days after the period. */
async function expiringAfter(ctx: DomainContext, scope: Record<string, unknown>, end: Date): Promise<Summary['expiring']> {
  const horizon = new Date(end.getTime() + EXPIRING_DAYS * DAY_MS);
  return aggregate<Summary['expiring'][number]>(ctx.models.Agreement, [
    // A notice can fall in the window for a term that ends up to MAX_NOTICE_DAYS after it.
    { $match: { 'term.expiresAt': { $gte: end, $lt: new Date(horizon.getTime() + MAX_NOTICE_DAYS * DAY_MS) }, stage: { $in: ['signed', 'pending_ratification', 'in_force'] }, ...scope } },
    {
      $project: {
        _id: 0,
        agreementId: { $toString: '$_id' },
        code: 1,
        title: 1,
        expiresAt: '$term.expiresAt',
        noticeAt: { $cond: [{ $gt: [{ $ifNull: ['$term.noticePeriodDays', 0] }, 0] }, { $subtract: ['$term.expiresAt', { $multiply: ['$term.noticePeriodDays', DAY_MS] }] }, null] },
      },
    },
    {
      $addFields: {
        reason: {
          $switch: {
            branches: [
              { case: { $and: [{ $ne: ['$noticeAt', null] }, { $gte: ['$noticeAt', end] }, { $lt: ['$noticeAt', horizon] }] }, then: 'renewal_notice' },
              { case: { $lt: ['$expiresAt', horizon] }, then: 'term_ends' },
            ],
            default: null,
          },
        },
      },
    },
    { $match: { reason: { $ne: null } } },
    { $sort: { expiresAt: 1, code: 1 } },
    { $limit: LIST_LIMIT },
  ]);
}
