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
 * smallest candidate set wins — except that with sort + limit a walk filtered by the smallest
 * hash candidate set may win on estimated cost (see chooseWalk). The full filter is always re-applied to candidates unless the
 * plan is "exact" (the index bounds express the whole filter), which lets count() skip documents.
 */
import type { Doc } from '../bson/codec.js';
import { isPlainDoc } from '../bson/codec.js';
import { B_ARRAY, B_MAXKEY, B_MINKEY, B_NULL, B_OBJECT, B_REGEX, B_STRING, bracket, compareValues, keyString } from '../bson/order.js';
import { badValue } from '../errors.js';
import { isOperatorDoc } from '../query/matcher.js';
import type { SortField } from '../query/sort.js';
import type { Collection } from './collection.js';
import type { Entry } from './indexes.js';
import { Index } from './indexes.js';
import type { Bound } from './indexes.js';

interface FieldPred {
  /** Alternatives from equality/$in (set when the field has an indexable equality). */
  eq?: any[];
  lo?: Bound;
  hi?: Bound;
  /** Some condition on this field is not expressed by eq/lo/hi. */
  residual: boolean;
  /** eq contains null (matches missing too): never exact, unusable with sparse indexes. */
  hasNull: boolean;
  /** lo/hi both come from one anchored regex, so one array element satisfies both. */
  regexBounds?: boolean;
}

export interface Analysis {
  fields: Map<string, FieldPred>;
  /** Conditions outside `fields` ($or, $expr, $nor, unindexable field conditions...). */
  residual: boolean;
  or?: Doc[];
}

/** `collated`: the query has a non-simple collation, so binary string keys do not apply. */
export function analyze(filter: Doc | undefined, collated = false): Analysis {
  const a: Analysis = { fields: new Map(), residual: false };
  if (filter) addConjuncts(filter, a, collated);
  return a;
}

function addConjuncts(filter: Doc, a: Analysis, collated: boolean): void {
  for (const key of Object.keys(filter)) {
    const cond = filter[key];
    if (key === '$and' && Array.isArray(cond)) {
      for (const sub of cond) if (isPlainDoc(sub)) addConjuncts(sub, a, collated); else a.residual = true;
      continue;
    }
    if (key === '$or' && Array.isArray(cond) && !a.or) { a.or = cond; a.residual = true; continue; }
    if (key === '$comment') continue;
    if (key[0] === '$') { a.residual = true; continue; }
    let fp = a.fields.get(key);
    if (!fp) a.fields.set(key, (fp = { residual: false, hasNull: false }));
    addFieldCond(fp, cond, collated);
  }
}

function indexableValue(v: any, collated: boolean): boolean {
  const b = bracket(v);
  if (collated && (b === B_STRING || b === B_OBJECT)) return false;
  return b !== B_ARRAY && b !== B_REGEX && b !== B_MINKEY && b !== B_MAXKEY && typeof v !== 'symbol';
}

function setEq(fp: FieldPred, values: any[]): void {
  if (values.length > 1) {
    // $in duplicates would yield a document twice and double an index count
    const seen = new Set<string>();
    values = values.filter((v) => { const k = keyString(v); if (seen.has(k)) return false; seen.add(k); return true; });
  }
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
  fp.regexBounds = true;
  if (last < 0xffff) fp.hi = { v: prefix.slice(0, -1) + String.fromCharCode(last + 1), incl: false };
}

function addFieldCond(fp: FieldPred, cond: any, collated: boolean): void {
  if (!isOperatorDoc(cond)) {
    if (cond instanceof RegExp) { addRegexBounds(fp, cond); return; }
    if (!indexableValue(cond, collated)) { fp.residual = true; return; }
    setEq(fp, [cond]);
    return;
  }
  for (const op of Object.keys(cond)) {
    const v = cond[op];
    switch (op) {
      case '$eq':
        if (!indexableValue(v, collated)) fp.residual = true; else setEq(fp, [v]);
        break;
      case '$in':
        if (!Array.isArray(v) || !v.every((x) => indexableValue(x, collated)) || v.length > 5000) fp.residual = true;
        else setEq(fp, v);
        break;
      case '$gt': case '$gte':
        if (!indexableValue(v, collated) || bracket(v) === B_NULL) { fp.residual = true; break; }
        if (fp.lo) fp.residual = true;
        else { fp.lo = { v, incl: op === '$gte' }; fp.regexBounds = false; }
        break;
      case '$lt': case '$lte':
        if (!indexableValue(v, collated) || bracket(v) === B_NULL) { fp.residual = true; break; }
        if (fp.hi) fp.residual = true;
        else { fp.hi = { v, incl: op === '$lte' }; fp.regexBounds = false; }
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
  /**
   * Hash plans: whether record `rid` is a candidate, read live from the index (a walk uses it to
   * skip, for the price of a set lookup, the entries it would otherwise fetch and match).
   */
  member?: (rid: number) => boolean;
  /**
   * A walk chosen on an estimate: run it as a trial and switch to `fallback` (fetch the candidates,
   * sort the top k) once it has cost more than `budget` document examinations, counting
   * `entryCost` per index entry visited — MongoDB's multi-planner makes the same bet by trial.
   */
  fallback?: Plan;
  budget?: number;
  entryCost?: number;
  /**
   * Top-level filter fields every candidate the plan yields satisfies, as read from the index
   * (the matcher may leave them out for those candidates; not for older MVCC versions).
   */
  implied?: string[];
  /** Walks: the rids, skipping entries whose rid fails `pre`. */
  walkWith?: (pre: (rid: number) => boolean) => Iterable<number>;
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
/**
 * Yields the rids of entries in [start, end) (or reversed), re-seeking after the last visited entry
 * if the index changed while the consumer was paused (cursors resume across getMore). Entries
 * whose rid fails `pre` are skipped. Iterates the blocks directly: this loop is the hot one of
 * every walk.
 */
function* walkRange(ix: Index, prefix: any[], lo: Bound | undefined, hi: Bound | undefined, reverse: boolean, counter: { n: number }, pre?: (rid: number) => boolean): Generator<number> {
  const tree = ix.tree;
  let [start, end] = ix.positions(prefix, lo, hi);
  let version = tree.version;
  let last: Entry | undefined;
  const cmp = tree.cmp;
  for (;;) {
    if (version !== tree.version && last) {
      // resume after `last`
      [start, end] = ix.positions(prefix, lo, hi);
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
    const blocks = tree.blocks;
    let interrupted = false;
    if (!reverse) {
      outer: for (let b = start.b; b < blocks.length && b <= end.b; b++) {
        const blk = blocks[b];
        const stop = b === end.b ? end.i : blk.length;
        for (let i = b === start.b ? start.i : 0; i < stop; i++) {
          const e = blk[i];
          last = e;
          counter.n++;
          if (pre !== undefined && !pre(e.rid)) continue;
          yield e.rid;
          if (version !== tree.version) { interrupted = true; break outer; }
        }
      }
    } else {
      let b = Math.min(end.b, blocks.length - 1);
      let i = end.b < blocks.length ? end.i - 1 : (blocks[b]?.length ?? 0) - 1;
      outer: for (; b >= start.b && b >= 0; b--) {
        const blk = blocks[b];
        if (i === Infinity) i = blk.length - 1;
        const stop = b === start.b ? start.i : 0;
        for (; i >= stop; i--) {
          const e = blk[i];
          last = e;
          counter.n++;
          if (pre !== undefined && !pre(e.rid)) continue;
          yield e.rid;
          if (version !== tree.version) { interrupted = true; break outer; }
        }
        i = Infinity;
      }
    }
    if (!interrupted) return;
  }
}

/**
 * The fields of the first `j` (equality) index fields whose whole condition is that equality
 * or $in: an entry's key holds one of the values, which is what the condition tests (the same
 * reasoning that makes plans exact; null is left out, as it also matches a missing field).
 */
function impliedFields(ix: Index, preds: (FieldPred | undefined)[], j: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < j; i++) {
    const p = preds[i]!;
    if (!p.residual && !p.lo && !p.hi && !p.hasNull) out.push(ix.fields[i].path);
  }
  return out;
}

interface Candidate extends Plan {
  providesSort?: boolean;
  /** Walks: the equality-prefix fields. */
  prefixPaths?: string[];
}

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

  // Each document appears at most once among the entries read when every field an array was
  // ever indexed under is pinned to one value (a document's key tuples are distinct and differ
  // only in its one array field).
  let eachOnce = true;
  for (let i = 0; i < n; i++) {
    if (ix.multikeyFields[i] && !(i < j && preds[i]!.eq!.length === 1)) { eachOnce = false; break; }
  }
  // Exact when every predicate of the filter is expressed by this index's bounds.
  const used = new Set(ix.fields.slice(0, j + (hasRange ? 1 : 0)).map((f) => f.path));
  let exact = !a.residual && eachOnce && !ix.partial;
  if (exact) {
    for (const [path, fp] of a.fields) {
      if (!used.has(path) || fp.residual || fp.hasNull) { exact = false; break; }
      // a range on an eq-prefix field or an eq on the range field is not in the bounds
      if (ix.fields.findIndex((f) => f.path === path) < j && (fp.lo || fp.hi)) { exact = false; break; }
    }
  }
  const dedupe = ix.multikey && !eachOnce;
  const counter = { n: 0 };
  const implied = impliedFields(ix, preds, j);

  if (j === n) {
    const tuples = cartesian(preds.map((p) => p!.eq!));
    if (tuples) {
      let count = 0;
      for (const t of tuples) count += ix.lookupCount(t);
      const keys = tuples.map((t) => Index.keyStr(t));
      let seen = -1;
      let sets: (number | Set<number> | undefined)[] = [];
      return {
        kind: 'hash', index: ix, count, ordered: false, exact, dedupe, stats: counter, implied,
        rids: function* () {
          for (const t of tuples) for (const r of ix.lookup(t)) { counter.n++; yield r; }
        },
        member: (rid) => {
          if (seen !== ix.tree.version) { seen = ix.tree.version; sets = keys.map((k) => ix.hash.get(k)); }
          for (let i = 0; i < sets.length; i++) {
            const h = sets[i];
            if (h === rid || (typeof h === 'object' && h.has(rid))) return true;
          }
          return false;
        },
      };
    }
  }
  const prefixes = cartesian(preds.slice(0, j).map((p) => p!.eq!));
  if (!prefixes) return undefined;
  // On an array field, lo and hi may be satisfied by different elements: use one bound only
  // (unless both come from one anchored regex, which one element must satisfy whole).
  const lo = hasRange ? next!.lo : undefined;
  let hi = hasRange ? next!.hi : undefined;
  if (ix.multikeyFields[j] && lo && hi && !next!.regexBounds) { hi = undefined; exact = false; }
  let count = 0;
  for (const p of prefixes) {
    const [s, e] = ix.positions(p, lo, hi);
    count += ix.tree.countBetween(s, e);
  }
  return {
    kind: 'range', index: ix, count, ordered: false, exact, dedupe, stats: counter, implied,
    rids: function* () {
      for (const p of prefixes) yield* walkRange(ix, p, lo, hi, false, counter);
    },
  };
}

/** No document holds an array at `path` (some full index on it has never met one). */
function knownScalar(coll: Collection, path: string): boolean {
  if (path === '_id') return true;
  for (const ix of coll.indexes) {
    if (ix.partial || ix.special) continue;
    const k = ix.fields.findIndex((f) => f.path === path);
    if (k >= 0 && !ix.multikeyFields[k]) return true;
  }
  return false;
}

/**
 * An index-order walk producing documents in `sort` order: an equality prefix (single values),
 * then the sort fields in index order (all same or all opposite direction). A prefix field may
 * hold arrays (one value pins each document to one entry, as MongoDB walks a multikey index);
 * the sort fields and those after them may not (a document would appear once per element).
 */
function walkPlan(coll: Collection, ix: Index, a: Analysis, sort: SortField[]): Candidate | undefined {
  if (ix.sparse) return undefined;
  const n = ix.fields.length;
  let j = 0;
  const prefix: any[] = [];
  // A sort field fixed by a single-value equality does not constrain the order — unless some
  // document holds an array there, since an array sorts by its smallest/largest element.
  const sortRest = sort.filter((s) => { const p = a.fields.get(s.path); return !(p?.eq?.length === 1 && !p.hasNull && knownScalar(coll, s.path)); });
  while (j < n) {
    const p = a.fields.get(ix.fields[j].path);
    if (!(p?.eq?.length === 1) || sortRest.some((s) => s.path === ix.fields[j].path)) break;
    prefix.push(p.eq[0]);
    j++;
  }
  if (sortRest.length === 0 || j + sortRest.length > n) return undefined;
  for (let i = j; i < n; i++) if (ix.multikeyFields[i]) return undefined;
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
  const [s, e] = ix.positions(prefix, lo, hi);
  const count = ix.tree.countBetween(s, e);
  const counter = { n: 0 };
  const prefixPaths = ix.fields.slice(0, j).map((f) => f.path);
  const implied = impliedFields(ix, ix.fields.map((f) => a.fields.get(f.path)), j);
  return {
    kind: 'walk', index: ix, count, ordered: true, exact: false, dedupe: false, stats: counter, providesSort: true, prefixPaths, implied,
    rids: () => walkRange(ix, prefix, lo, hi, !!reverse, counter),
    walkWith: (pre) => walkRange(ix, prefix, lo, hi, !!reverse, counter, pre),
  };
}

function scanPlan(coll: Collection): Plan {
  return {
    kind: 'scan', count: coll.size, ordered: false, exact: false, dedupe: false, stats: { n: 0 },
    rids: function* () { for (const rid of coll.records.keys()) yield rid; },
  };
}

/** An $or is planned as a union only when the best single index leaves more candidates than this. */
const SMALL_CANDIDATES = 2000;
/** Visiting an index entry and checking its rid against a candidate set, in document examinations. */
const ENTRY_COST = 0.1;
/** Walks with skip + limit up to this run as a trial that can switch plans (results are buffered). */
const TRIAL_MAX = 1000;

/**
 * Sort + limit with both an ordered walk and a smaller candidate set: fetching every candidate
 * and keeping the top k costs about one examination per candidate; the walk visits about
 * need x (walk range / candidates in it) entries before it has `need` matches, each one a set
 * lookup when the candidates come from a hash (skipped entries are never fetched), a full
 * examination otherwise. Candidates are assumed spread evenly over the walk's range (over the
 * whole collection when their index does not share the walk's equality prefix). The estimate
 * ignores the residual filter, so the walk runs as a trial bounded by the other plan's cost.
 */
function chooseWalk(coll: Collection, walk: Candidate, best: Candidate, need: number): Plan {
  const c = Math.max(best.count, 1);
  const shares = !!best.index && walk.prefixPaths!.every((p) => best.index!.fields.some((f) => f.path === p));
  const span = shares ? walk.count : Math.max(coll.size, walk.count);
  const visits = Math.min(walk.count, (need * span) / c);
  const member = best.member;
  const entryCost = member ? ENTRY_COST : 1;
  const walkCost = visits * entryCost + (member ? (visits * c) / span : 0);
  const hashCost = c;
  if (walkCost >= hashCost) return best;
  const chosen: Plan = member ? { ...walk, rids: () => walk.walkWith!(member), implied: [...walk.implied!, ...best.implied!] } : walk;
  if (need <= TRIAL_MAX) { chosen.fallback = best; chosen.budget = hashCost; chosen.entryCost = entryCost; }
  return chosen;
}

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
    const u = unionPlan(coll, a.or, opts.collated ?? false);
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
      if (opts.need === undefined) return best;
      return chooseWalk(coll, walk, best, opts.need);
    }
  }
  return best ?? scanPlan(coll);
}

function unionPlan(coll: Collection, branches: Doc[], collated: boolean): Plan | undefined {
  const subs: Plan[] = [];
  for (const b of branches) {
    if (!isPlainDoc(b)) return undefined;
    const p = plan(coll, b, { collated });
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
