/**
 * Query planner: turns a filter (+ sort/limit) into a source of candidate record ids.
 *
 * Plans:
 *  - hash:  equality / $in on every field of an index -> hash-map lookups (O(1) per key)
 *  - range: equality prefix and/or a range ($gt/$gte/$lt/$lte) on the next index field ->
 *           a contiguous slice of the ordered index (O(log n) to find, then the matches)
 *  - walk:  an index whose order provides the requested sort: entries are produced in sort order
 *           so `limit` stops the walk early (cost grows with the matches, not the collection)
 *  - union: every $or branch indexable -> union of their candidates
 *  - scan:  everything else
 * Candidate counts are computed exactly (hash set sizes, block-summed range widths), so the
 * smallest candidate set wins. The full filter is always re-applied to candidates unless the
 * plan is "exact" (the index bounds express the whole filter), which lets count() skip documents.
 */
import type { Doc } from '../bson/codec.js';
import { isPlainDoc } from '../bson/codec.js';
import { B_ARRAY, B_MAXKEY, B_MINKEY, B_NULL, B_OBJECT, B_REGEX, B_STRING, bracket, compareValues, keyString } from '../bson/order.js';
import { badValue } from '../errors.js';
import { isOperatorDoc } from '../query/matcher.js';
import type { SortField } from '../query/sort.js';
import type { Collection } from './collection.js';
import type { Entry, Index } from './indexes.js';
import { BracketEdge, compareKeyPart } from './indexes.js';
import type { Cursor } from './sortedlist.js';

interface Bound { v: any; incl: boolean }
interface FieldPred {
  /** Alternatives from equality/$in (set when the field has an indexable equality). */
  eq?: any[];
  lo?: Bound;
  hi?: Bound;
  /** Some condition on this field is not expressed by eq/lo/hi. */
  residual: boolean;
  /** eq contains null (matches missing too): never exact, unusable with sparse indexes. */
  hasNull: boolean;
}

export interface Analysis {
  fields: Map<string, FieldPred>;
  /** Conditions outside `fields` ($or, $expr, $nor, unindexable field conditions...). */
  residual: boolean;
  or?: Doc[];
}

/** False while analysing a query with a non-simple collation: binary string keys do not apply. */
let stringsIndexable = true;

export function analyze(filter: Doc | undefined, collated = false): Analysis {
  const a: Analysis = { fields: new Map(), residual: false };
  stringsIndexable = !collated;
  try {
    if (filter) addConjuncts(filter, a);
  } finally {
    stringsIndexable = true;
  }
  return a;
}

function addConjuncts(filter: Doc, a: Analysis): void {
  for (const key of Object.keys(filter)) {
    const cond = filter[key];
    if (key === '$and' && Array.isArray(cond)) {
      for (const sub of cond) if (isPlainDoc(sub)) addConjuncts(sub, a); else a.residual = true;
      continue;
    }
    if (key === '$or' && Array.isArray(cond) && !a.or) { a.or = cond; a.residual = true; continue; }
    if (key === '$comment') continue;
    if (key[0] === '$') { a.residual = true; continue; }
    let fp = a.fields.get(key);
    if (!fp) a.fields.set(key, (fp = { residual: false, hasNull: false }));
    addFieldCond(fp, cond);
  }
}

function indexableValue(v: any): boolean {
  const b = bracket(v);
  if (!stringsIndexable && (b === B_STRING || b === B_OBJECT)) return false;
  return b !== B_ARRAY && b !== B_REGEX && b !== B_MINKEY && b !== B_MAXKEY && typeof v !== 'symbol';
}

function setEq(fp: FieldPred, values: any[]): void {
  if (fp.eq) { fp.residual = true; if (values.length >= fp.eq.length) return; }
  fp.eq = values;
  fp.hasNull = values.some((v) => v === null || v === undefined);
}

/**
 * The literal prefix of an anchored, case-sensitive regex (`/^abc/`, `^2026-`), which bounds an
 * index range scan: every match lies in [prefix, prefix with its last character incremented).
 */
export function regexPrefix(source: string, flags: string): string | undefined {
  if (!source.startsWith('^') || /[im]/.test(flags) || flags.includes('x')) return undefined;
  let out = '';
  for (let i = 1; i < source.length; i++) {
    let c = source[i];
    if (c === '\\') {
      const n = source[i + 1];
      if (n === undefined || /[A-Za-z0-9]/.test(n)) break; // \d, \w, \b...: not a literal
      c = n;
      i++;
    } else if ('.^$|()[]{}*+?'.includes(c)) {
      if ((c === '*' || c === '?' || c === '{') && out.length) out = out.slice(0, -1); // last char optional
      break;
    }
    const next = source[i + 1];
    if (next === '*' || next === '?' || next === '{') break;
    out += c;
  }
  return out.length ? out : undefined;
}

function addRegexBounds(fp: FieldPred, re: RegExp | { source: string; flags: string }): void {
  fp.residual = true;
  const prefix = regexPrefix(re.source, re.flags);
  if (!prefix || fp.lo || fp.hi || fp.eq) return;
  const last = prefix.charCodeAt(prefix.length - 1);
  fp.lo = { v: prefix, incl: true };
  if (last < 0xffff) fp.hi = { v: prefix.slice(0, -1) + String.fromCharCode(last + 1), incl: false };
}

function addFieldCond(fp: FieldPred, cond: any): void {
  if (!isOperatorDoc(cond)) {
    if (cond instanceof RegExp) { addRegexBounds(fp, cond); return; }
    if (!indexableValue(cond)) { fp.residual = true; return; }
    setEq(fp, [cond]);
    return;
  }
  for (const op of Object.keys(cond)) {
    const v = cond[op];
    switch (op) {
      case '$eq':
        if (!indexableValue(v)) fp.residual = true; else setEq(fp, [v]);
        break;
      case '$in':
        if (!Array.isArray(v) || !v.every(indexableValue) || v.length > 5000) fp.residual = true;
        else setEq(fp, v);
        break;
      case '$gt': case '$gte':
        if (!indexableValue(v) || bracket(v) === B_NULL) { fp.residual = true; break; }
        if (fp.lo) fp.residual = true;
        else fp.lo = { v, incl: op === '$gte' };
        break;
      case '$lt': case '$lte':
        if (!indexableValue(v) || bracket(v) === B_NULL) { fp.residual = true; break; }
        if (fp.hi) fp.residual = true;
        else fp.hi = { v, incl: op === '$lte' };
        break;
      case '$comment': break;
      case '$regex': {
        const opts = typeof cond.$options === 'string' ? cond.$options : undefined;
        if (v instanceof RegExp) addRegexBounds(fp, { source: v.source, flags: opts ?? v.flags });
        else if (typeof v === 'string') addRegexBounds(fp, { source: v, flags: opts ?? '' });
        else fp.residual = true;
        break;
      }
      case '$options': break;
      default: fp.residual = true;
    }
  }
  // A range whose two ends are in different type brackets matches nothing through the index
  // bounds we build; let the matcher decide.
  if (fp.lo && fp.hi && bracket(fp.lo.v) !== bracket(fp.hi.v)) { fp.residual = true; fp.hi = undefined; }
}

// ---------------------------------------------------------------------------------------------

export interface Plan {
  kind: 'hash' | 'range' | 'walk' | 'scan' | 'union' | 'ids';
  index?: Index;
  /** Candidate record ids (may repeat for multikey plans: consumers dedupe when `dedupe`). */
  rids: () => Iterable<number>;
  /** Upper bound on the number of candidates (exact for hash/range). */
  count: number;
  /** Candidates are produced in the requested sort order. */
  ordered: boolean;
  /** The index bounds express the whole filter: no residual filtering needed. */
  exact: boolean;
  dedupe: boolean;
  /** Index entries visited so far (explain). */
  stats: { n: number };
}

const MAX_COMBOS = 1000;

function cartesian(lists: any[][]): any[][] | undefined {
  let out: any[][] = [[]];
  for (const l of lists) {
    if (out.length * l.length > MAX_COMBOS) return undefined;
    const next: any[][] = [];
    for (const t of out) for (const v of l) next.push([...t, v]);
    out = next;
  }
  return out;
}

/** Whether a partial index's filter is implied by the query's predicates. */
function impliesPartial(pfe: Doc, a: Analysis): boolean {
  const pa = analyze(pfe);
  if (pa.residual) return false;
  for (const [path, pp] of pa.fields) {
    const qp = a.fields.get(path);
    if (!qp) return false;
    if (pp.residual) {
      // only {$exists: true} (possibly with other things) is recognised
      const cond = pfe[path];
      if (!(isPlainDoc(cond) && cond.$exists === true && Object.keys(cond).length === 1)) return false;
      if (!((qp.eq && !qp.hasNull) || qp.lo || qp.hi)) return false;
      continue;
    }
    if (pp.eq) {
      if (!qp.eq || qp.eq.length !== 1 || pp.eq.length !== 1 || keyString(qp.eq[0]) !== keyString(pp.eq[0])) {
        if (!(qp.eq && pp.eq.length > 1 && qp.eq.every((v) => pp.eq!.some((w) => keyString(v) === keyString(w))))) return false;
      }
      continue;
    }
    if (pp.lo) {
      const ql = qp.lo ?? (qp.eq && qp.eq.length === 1 ? { v: qp.eq[0], incl: true } : undefined);
      if (!ql || bracket(ql.v) !== bracket(pp.lo.v)) return false;
      const c = compareValues(ql.v, pp.lo.v);
      if (c < 0 || (c === 0 && ql.incl && !pp.lo.incl)) return false;
    }
    if (pp.hi) {
      const qh = qp.hi ?? (qp.eq && qp.eq.length === 1 ? { v: qp.eq[0], incl: true } : undefined);
      if (!qh || bracket(qh.v) !== bracket(pp.hi.v)) return false;
      const c = compareValues(qh.v, pp.hi.v);
      if (c > 0 || (c === 0 && qh.incl && !pp.hi.incl)) return false;
    }
  }
  return true;
}

function usable(ix: Index, a: Analysis): boolean {
  if (ix.special || ix.norm) return false;
  if (ix.partial && !impliesPartial(ix.spec.partialFilterExpression as Doc, a)) return false;
  return true;
}

/** Compares entry `e` against a key prefix `p` in index order. */
function cmpPrefix(ix: Index, e: Entry, p: any[]): number {
  for (let i = 0; i < p.length; i++) {
    const c = compareKeyPart(e.k[i], p[i]);
    if (c !== 0) return ix.fields[i].dir === 1 ? c : -c;
  }
  return 0;
}

/** [start, end) positions of entries whose key starts with `prefix`, optionally bounded on the next field. */
export function rangePositions(ix: Index, prefix: any[], lo?: Bound, hi?: Bound): [Cursor, Cursor] {
  const tree = ix.tree;
  const j = prefix.length;
  if (!lo && !hi) {
    return [tree.lowerBound((e) => cmpPrefix(ix, e, prefix) || 0), tree.lowerBound((e) => cmpPrefix(ix, e, prefix) || -1)];
  }
  const br = bracket((lo ?? hi)!.v);
  const low: Bound = lo ?? { v: new BracketEdge(br, -1), incl: true };
  const high: Bound = hi ?? { v: new BracketEdge(br, 1), incl: true };
  // In index order a descending field is visited from high to low.
  const [first, last] = ix.fields[j].dir === 1 ? [low, high] : [high, low];
  const pFirst = [...prefix, first.v], pLast = [...prefix, last.v];
  const start = tree.lowerBound((e) => cmpPrefix(ix, e, pFirst) || (first.incl ? 0 : -1));
  const end = tree.lowerBound((e) => cmpPrefix(ix, e, pLast) || (last.incl ? -1 : 0));
  return [start, end];
}

/**
 * Yields the rids of entries in [start, end) (or reversed), re-seeking after the last yielded entry
 * if the index changed while the consumer was paused (cursors resume across getMore).
 */
function* walkRange(ix: Index, prefix: any[], lo: Bound | undefined, hi: Bound | undefined, reverse: boolean, counter: { n: number }): Generator<number> {
  const tree = ix.tree;
  let [start, end] = rangePositions(ix, prefix, lo, hi);
  let version = tree.version;
  let last: Entry | undefined;
  const cmp = tree.cmp;
  for (;;) {
    if (version !== tree.version && last) {
      // resume after `last`
      [start, end] = rangePositions(ix, prefix, lo, hi);
      const l = last;
      if (!reverse) {
        const after = tree.lowerBound((e) => (cmp(e, l) <= 0 ? -1 : 1));
        if (after.b > start.b || (after.b === start.b && after.i > start.i)) start = after;
      } else {
        const before = tree.lowerBound((e) => (cmp(e, l) < 0 ? -1 : 1));
        if (before.b < end.b || (before.b === end.b && before.i < end.i)) end = before;
      }
      version = tree.version;
    }
    const gen = reverse ? tree.rangeReverse(start, end) : tree.range(start, end);
    let interrupted = false;
    for (const e of gen) {
      last = e;
      counter.n++;
      yield e.rid;
      if (version !== tree.version) { interrupted = true; break; }
    }
    if (!interrupted) return;
  }
}

interface Candidate extends Plan { providesSort?: boolean }

function planForIndex(coll: Collection, ix: Index, a: Analysis): Candidate | undefined {
  const n = ix.fields.length;
  const preds = ix.fields.map((f) => a.fields.get(f.path));
  let j = 0;
  while (j < n && preds[j]?.eq) j++;
  const next = j < n ? preds[j] : undefined;
  const hasRange = !!next && (!!next.lo || !!next.hi);
  if (j === 0 && !hasRange) return undefined;
  for (let i = 0; i < j; i++) {
    if (preds[i]!.hasNull && (ix.sparse || ix.partial)) return undefined;
  }
  if (ix.sparse && j === 0 && !hasRange) return undefined;

  // Exact when every predicate of the filter is expressed by this index's bounds.
  const used = new Set(ix.fields.slice(0, j + (hasRange ? 1 : 0)).map((f) => f.path));
  let exact = !a.residual && !ix.multikey && !ix.partial;
  if (exact) {
    for (const [path, fp] of a.fields) {
      if (!used.has(path) || fp.residual || fp.hasNull) { exact = false; break; }
      // a range on an eq-prefix field or an eq on the range field is not in the bounds
      if (ix.fields.findIndex((f) => f.path === path) < j && (fp.lo || fp.hi)) { exact = false; break; }
    }
  }
  const dedupe = ix.multikey;
  const counter = { n: 0 };

  if (j === n) {
    const tuples = cartesian(preds.map((p) => p!.eq!));
    if (tuples) {
      let count = 0;
      for (const t of tuples) count += ix.lookupCount(t);
      return {
        kind: 'hash', index: ix, count, ordered: false, exact, dedupe, stats: counter,
        rids: function* () {
          for (const t of tuples) for (const r of ix.lookup(t)) { counter.n++; yield r; }
        },
      };
    }
  }
  const prefixes = cartesian(preds.slice(0, j).map((p) => p!.eq!));
  if (!prefixes) return undefined;
  // With a multikey index, lo and hi may be satisfied by different elements: use one bound only.
  const lo = hasRange ? next!.lo : undefined;
  let hi = hasRange ? next!.hi : undefined;
  if (ix.multikey && lo && hi) { hi = undefined; exact = false; }
  let count = 0;
  for (const p of prefixes) {
    const [s, e] = rangePositions(ix, p, lo, hi);
    count += ix.tree.countBetween(s, e);
  }
  return {
    kind: 'range', index: ix, count, ordered: false, exact, dedupe, stats: counter,
    rids: function* () {
      for (const p of prefixes) yield* walkRange(ix, p, lo, hi, false, counter);
    },
  };
}

/**
 * An index-order walk producing documents in `sort` order: an equality prefix (single values),
 * then the sort fields in index order (all same or all opposite direction).
 */
function walkPlan(coll: Collection, ix: Index, a: Analysis, sort: SortField[]): Candidate | undefined {
  if (ix.multikey || ix.sparse) return undefined;
  const n = ix.fields.length;
  let j = 0;
  const prefix: any[] = [];
  // sort fields fixed by a single-value equality do not constrain the order
  const sortRest = sort.filter((s) => { const p = a.fields.get(s.path); return !(p?.eq?.length === 1 && !p.hasNull); });
  while (j < n) {
    const p = a.fields.get(ix.fields[j].path);
    if (!(p?.eq?.length === 1) || sortRest.some((s) => s.path === ix.fields[j].path)) break;
    prefix.push(p.eq[0]);
    j++;
  }
  if (sortRest.length === 0 || j + sortRest.length > n) return undefined;
  let reverse: boolean | undefined;
  for (let i = 0; i < sortRest.length; i++) {
    const f = ix.fields[j + i];
    if (f.path !== sortRest[i].path) return undefined;
    const same = f.dir === sortRest[i].dir;
    if (reverse === undefined) reverse = !same;
    else if (reverse === same) return undefined;
  }
  const rp = a.fields.get(ix.fields[j].path);
  const lo = rp && !rp.eq ? rp.lo : undefined;
  const hi = rp && !rp.eq ? rp.hi : undefined;
  const [s, e] = rangePositions(ix, prefix, lo, hi);
  const count = ix.tree.countBetween(s, e);
  const counter = { n: 0 };
  return {
    kind: 'walk', index: ix, count, ordered: true, exact: false, dedupe: false, stats: counter, providesSort: true,
    rids: () => walkRange(ix, prefix, lo, hi, !!reverse, counter),
  };
}

function scanPlan(coll: Collection): Plan {
  return {
    kind: 'scan', count: coll.size, ordered: false, exact: false, dedupe: false, stats: { n: 0 },
    rids: function* () { for (const rid of coll.records.keys()) yield rid; },
  };
}

/** Threshold under which fetching candidates and sorting in memory beats walking an index. */
const SMALL_CANDIDATES = 2000;

export interface PlanOptions {
  /** The query has a non-simple collation: string predicates and index order are not usable. */
  collated?: boolean;
  sort?: SortField[];
  /** skip + limit, when bounded. */
  need?: number;
  hint?: unknown;
}

export function plan(coll: Collection, filter: Doc | undefined, opts: PlanOptions = {}): Plan {
  const a = analyze(filter, opts.collated);
  if (opts.hint !== undefined && opts.hint !== null) {
    const forced = hintedPlan(coll, a, opts);
    if (forced) return forced;
  }
  let best: Candidate | undefined;
  for (const ix of coll.indexes) {
    if (!usable(ix, a)) continue;
    const c = planForIndex(coll, ix, a);
    if (c && (!best || c.count < best.count || (c.count === best.count && c.exact && !best.exact))) best = c;
  }
  if (a.or && (!best || best.count > SMALL_CANDIDATES)) {
    const u = unionPlan(coll, a.or, a);
    if (u && (!best || u.count < best.count)) best = u;
  }
  if (opts.sort && !opts.collated) {
    let walk: Candidate | undefined;
    for (const ix of coll.indexes) {
      if (!usable(ix, a)) continue;
      const w = walkPlan(coll, ix, a, opts.sort);
      if (w && (!walk || w.count < walk.count)) walk = w;
    }
    if (walk) {
      if (!best || walk.count <= best.count) return walk;
      if (best.count <= SMALL_CANDIDATES) return best;
      if (opts.need !== undefined) return walk;
      return best;
    }
  }
  return best ?? scanPlan(coll);
}

function unionPlan(coll: Collection, branches: Doc[], _outer: Analysis): Plan | undefined {
  const subs: Plan[] = [];
  for (const b of branches) {
    if (!isPlainDoc(b)) return undefined;
    const p = plan(coll, b, { collated: !stringsIndexable });
    if (p.kind === 'scan') return undefined;
    subs.push(p);
  }
  const count = subs.reduce((s, p) => s + p.count, 0);
  return {
    kind: 'union', count, ordered: false, exact: false, dedupe: true, stats: { n: 0 },
    rids: function* () { for (const p of subs) yield* p.rids(); },
  };
}

function hintedPlan(coll: Collection, a: Analysis, opts: PlanOptions): Plan | undefined {
  const h = opts.hint;
  let ix: Index | undefined;
  if (typeof h === 'string') ix = coll.getIndex(h);
  else if (isPlainDoc(h)) {
    if (h.$natural !== undefined) return scanPlan(coll);
    const ks = JSON.stringify(h);
    ix = coll.indexes.find((i) => JSON.stringify(i.spec.key) === ks);
  }
  if (!ix) throw badValue('hint provided does not correspond to an existing index');
  if (opts.sort && !opts.collated) {
    const w = walkPlan(coll, ix, a, opts.sort);
    if (w) return w;
  }
  const c = planForIndex(coll, ix, a);
  if (c) return c;
  const counter = { n: 0 };
  return {
    kind: 'range', index: ix, count: ix.tree.size, ordered: false, exact: false, dedupe: ix.multikey, stats: counter,
    rids: () => walkRange(ix!, [], undefined, undefined, false, counter),
  };
}
