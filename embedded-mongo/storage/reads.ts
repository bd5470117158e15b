/**
 * The read path: the documents matching a query, in order and lazily, and counts. Committed data
 * is read through the planner's plan; a transaction (or snapshot pin) that wrote to the
 * collection or sees commits made after its snapshot reads through its versions (MVCC).
 */
import type { Doc } from '../bson/codec.js';
import { keyString } from '../bson/order.js';
import type { Matcher } from '../query/matcher.js';
import { compileFilter } from '../query/matcher.js';
import type { Collator } from '../query/collation.js';
import type { SortField } from '../query/sort.js';
import { sortDocs, sortDocsTopK } from '../query/sort.js';
import type { Txn } from '../txn/transaction.js';
import type { Collection } from './collection.js';
import type { Index } from './indexes.js';
import type { Plan } from './planner.js';
import { plan as makePlan } from './planner.js';

export interface FindSpec {
  filter?: Doc;
  collator?: Collator;
  sort?: SortField[];
  skip?: number;
  limit?: number;
  hint?: unknown;
  variables?: Doc;
}

export interface FindResult {
  docs: Iterator<Doc>;
  plan: Plan;
  stats: { docsExamined: number };
}


/**
 * Documents matching `spec`, in order, lazily. With a transaction that has written to this
 * collection, or that sees commits made after its snapshot, reads go through the MVCC path.
 */
export function find(coll: Collection, spec: FindSpec, txn?: Txn): FindResult {
  const matcher = compileFilter(spec.filter, { variables: spec.variables, collator: spec.collator });
  const mvcc = !!txn && (txn.writes.has(coll) || coll.changedAfter(txn.snapshot));
  if (!spec.sort && spec.hint === undefined && !spec.collator && !spec.skip && !mvcc) {
    const quick = quickEquality(coll, spec.filter);
    // large result sets go through the lazy general path (cursor batches)
    if (quick && (quick.rids.length <= 1000 || spec.limit)) {
      const stats = { docsExamined: 0 };
      const docs: Doc[] = [];
      for (const rid of quick.rids) {
        const rec = coll.records.get(rid);
        stats.docsExamined++;
        if (rec && matcher(rec.doc)) {
          docs.push(rec.doc);
          if (spec.limit && docs.length >= spec.limit) break;
        }
      }
      const plan: Plan = { kind: 'hash', index: quick.index, rids: () => quick.rids, count: quick.rids.length, ordered: false, exact: false, dedupe: false, stats: { n: quick.rids.length } };
      return { docs: docs[Symbol.iterator](), plan, stats };
    }
  }
  const skip = spec.skip ?? 0;
  const need = spec.limit ? skip + spec.limit : undefined;
  // An MVCC read sorts what it reads, so an ordered walk would be read whole: plan it unsorted.
  let plan = makePlan(coll, spec.filter, { sort: mvcc ? undefined : spec.sort, need, hint: spec.hint, collated: !!spec.collator });
  const stats = { docsExamined: 0 };
  let src: Iterable<Doc> | undefined;
  if (!mvcc && plan.fallback) {
    const got = trialWalk(coll, plan, residualMatcher(spec, plan, matcher), stats, need!);
    if (got) src = got;
    else plan = plan.fallback;
  }
  if (!src) {
    const rest = residualMatcher(spec, plan, matcher);
    src = mvcc ? mvccSource(coll, plan, rest, matcher, txn!, stats) : committedSource(coll, plan, rest, stats);
    if (spec.sort && (mvcc || !plan.ordered || spec.collator)) {
      src = need !== undefined && need < 1000 ? sortDocsTopK(src, spec.sort, need, spec.collator) : sortDocs([...src], spec.sort, spec.collator);
    }
  }
  const docs = skip === 0 && !spec.limit ? src[Symbol.iterator]() : skipLimit(src, skip, spec.limit ?? 0);
  return { docs, plan, stats };
}

/**
 * The candidates at the snapshot: records unchanged since it are read as they are now (so the
 * plan's index entries are right for them), the few changed since from their history.
 */
function* mvccSource(coll: Collection, plan: Plan, rest: Matcher, matcher: Matcher, txn: Txn, stats: { docsExamined: number }): Generator<Doc> {
  const ws = txn.writes.get(coll);
  const changed = coll.changedRidsAfter(txn.snapshot);
  const mine = new Set<number>();
  if (ws) for (const idKey of ws.keys()) { const rid = coll.ridByKey(idKey); if (rid !== undefined) mine.add(rid); }
  yield* committedSource(coll, plan, rest, stats, (rid) => changed.has(rid) || mine.has(rid));
  // older versions are not what the index holds: the whole filter
  for (const rid of changed) {
    if (mine.has(rid)) continue;
    const doc = coll.versionAt(rid, txn.snapshot);
    if (!doc) continue;
    if (ws && ws.has(keyString(doc._id))) continue;
    stats.docsExamined++;
    if (matcher(doc)) yield doc;
  }
  if (ws) for (const w of ws.values()) if (w.doc && matcher(w.doc)) yield w.doc;
}

/**
 * Count of matching documents (`spec.sort` is ignored); from the index alone when the plan is
 * exact. `skip`/`limit` apply to the count as the count command and $skip/$limit do.
 */
export function count(coll: Collection, spec: FindSpec, txn?: Txn): number {
  const { filter, hint } = spec;
  const skip = spec.skip ?? 0, limit = spec.limit ?? 0;
  const mvcc = !!txn && (txn.writes.has(coll) || coll.changedAfter(txn.snapshot));
  if (!mvcc) {
    if (hint === undefined && (!filter || Object.keys(filter).length === 0)) return applySkipLimit(coll.size, skip, limit);
    const p = makePlan(coll, filter, { collated: !!spec.collator, hint });
    if (p.exact && !p.dedupe && hint === undefined) return applySkipLimit(p.count, skip, limit);
    // no cursor, no generators of our own: candidates straight into the matcher
    const m = p.exact ? undefined : residualMatcher(spec, p, compileFilter(filter, { variables: spec.variables, collator: spec.collator }));
    const cap = limit > 0 ? skip + limit : Infinity;
    const seen = p.dedupe ? new Set<number>() : undefined;
    let n = 0;
    for (const rid of p.rids()) {
      if (seen) {
        if (seen.has(rid)) continue;
        seen.add(rid);
      }
      const rec = coll.records.get(rid);
      if (rec && (!m || m(rec.doc)) && ++n >= cap) break;
    }
    return applySkipLimit(n, skip, limit);
  }
  let n = 0;
  // with a limit, stop reading after skip + limit matches
  const r = find(coll, { filter, hint, variables: spec.variables, collator: spec.collator, limit: limit > 0 ? skip + limit : undefined }, txn);
  for (let it = r.docs.next(); !it.done; it = r.docs.next()) n++;
  return applySkipLimit(n, skip, limit);
}

const QUICK_TYPES = new Set(['ObjectId', 'ObjectID', 'Long', 'Double', 'Decimal128', 'Binary', 'Int32']);

/**
 * `{field: value}` (or `{field: {$eq: value}}`) with a scalar value and a single-field index on
 * `field`: the hash lookup directly, skipping the general planner (findOne/findById/exists).
 */
function quickEquality(coll: Collection, filter: Doc | undefined): { index: Index; rids: number[] } | undefined {
  if (!filter) return undefined;
  let field: string | undefined;
  let n = 0;
  for (const k in filter) {
    field = k;
    if (++n > 1) return undefined;
  }
  if (field === undefined || field.charCodeAt(0) === 36 /* $ */) return undefined;
  let v = filter[field];
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    if (v._bsontype === undefined) {
      let only: string | undefined;
      let m = 0;
      for (const k in v) { only = k; if (++m > 1) return undefined; }
      if (only !== '$eq') return undefined;
      v = v.$eq;
      if (v !== null && typeof v === 'object' && !(v instanceof Date) && !QUICK_TYPES.has(v._bsontype)) return undefined;
    } else if (!QUICK_TYPES.has(v._bsontype)) return undefined;
  }
  if (v === null || v === undefined || typeof v === 'symbol') return undefined;
  const index = coll.eqIndex(field);
  if (!index) return undefined;
  const h = index.hash.get(keyString(v));
  const rids = h === undefined ? [] : typeof h === 'number' ? [h] : [...h];
  return { index, rids };
}

function applySkipLimit(n: number, skip: number, limit: number): number {
  n = Math.max(0, n - skip);
  return limit > 0 ? Math.min(n, limit) : n;
}

/** The plan's documents that pass `matcher` (each once), leaving out the records `skip` names. */
function* committedSource(coll: Collection, plan: Plan, matcher: Matcher, stats: { docsExamined: number }, skip?: (rid: number) => boolean): Generator<Doc> {
  const seen = plan.dedupe ? new Set<number>() : undefined;
  for (const rid of plan.rids()) {
    if (skip !== undefined && skip(rid)) continue;
    if (seen) {
      if (seen.has(rid)) continue;
      seen.add(rid);
    }
    const rec = coll.records.get(rid);
    if (!rec) continue;
    stats.docsExamined++;
    if (plan.exact || matcher(rec.doc)) yield rec.doc;
  }
}

/** The filter without the top-level fields the plan's index guarantees for its candidates. */
function residualMatcher(spec: { filter?: Doc; variables?: Doc; collator?: Collator }, plan: Plan, full: Matcher): Matcher {
  const implied = plan.implied;
  if (!implied || implied.length === 0 || !spec.filter) return full;
  const rest: Doc = {};
  let dropped = false;
  for (const k of Object.keys(spec.filter)) {
    if (implied.includes(k)) dropped = true;
    else rest[k] = spec.filter[k];
  }
  return dropped ? compileFilter(rest, { variables: spec.variables, collator: spec.collator }) : full;
}

/**
 * Runs a walk chosen on an estimate (see planner chooseWalk) until it has `need` matches, or
 * returns undefined once it has cost more than the fallback plan would: index entries visited
 * (entryCost each) plus documents examined. Nothing is yielded before the outcome is known.
 */
function trialWalk(coll: Collection, plan: Plan, matcher: Matcher, stats: { docsExamined: number }, need: number): Doc[] | undefined {
  const out: Doc[] = [];
  const budget = plan.budget!, entryCost = plan.entryCost!, entries = plan.stats;
  const member = plan.fallback!.member;
  const n0 = entries.n;
  let fetched = 0, over = false;
  // checked on every entry, including those the candidate filter skips without yielding
  const pre = (rid: number) => {
    if ((entries.n - n0) * entryCost + fetched > budget) { over = true; return true; }
    return member === undefined || member(rid);
  };
  for (const rid of plan.walkWith!(pre)) {
    if (over) return undefined;
    const rec = coll.records.get(rid);
    if (!rec) continue;
    fetched++;
    stats.docsExamined++;
    if (matcher(rec.doc)) {
      out.push(rec.doc);
      if (out.length >= need) break;
    }
  }
  return out;
}

/** `src` after its first `skip` documents, at most `limit` of them (0: no limit). */
export function* skipLimit(src: Iterable<Doc>, skip: number, limit: number): Generator<Doc> {
  if (skip === 0 && limit === 0) { yield* src; return; }
  let i = 0, n = 0;
  for (const d of src) {
    if (i++ < skip) continue;
    yield d;
    if (limit > 0 && ++n >= limit) return;
  }
}
