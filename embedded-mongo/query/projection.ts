/**
 * find() projections: inclusion, exclusion, `_id` handling, $slice, $elemMatch, positional
 * `field.$`, and aggregation expressions (MongoDB 4.4+ semantics), compiled once per query.
 */
import type { Doc } from '../bson/codec.js';
import { isNumeric, isPlainDoc, toNumber } from '../bson/codec.js';
import { MongoError, badValue } from '../errors.js';
import type { Matcher, MatchState } from './matcher.js';
import { compileFilter } from './matcher.js';
import { evalExpression, exprOptions } from './expressions.js';
import { hasOwn } from './path.js';

const LEAF = Symbol('leaf');
/** on a node: some leaf under it is an expression (marked once at compile time, see markExpressions) */
const HAS_EXPR = Symbol('hasExpr');
type Leaf = { [LEAF]?: true } & (
  | { t: 'inc' }
  | { t: 'exc' }
  | { t: 'slice'; skip: number; limit: number | undefined }
  | { t: 'elem'; m: Matcher }
  | { t: 'expr'; expr: any }
  | { t: 'pos' });
interface Node { [k: string]: any; [HAS_EXPR]?: true }
const isLeaf = (x: Node | Leaf): x is Leaf => (x as any)[LEAF] === true;

export interface Projector {
  (doc: Doc, st?: MatchState): Doc;
  /** Needs the query's match position (positional projection). */
  positional: boolean;
}

export function compileProjection(spec: unknown, variables?: Doc): Projector | undefined {
  if (spec === undefined || spec === null) return undefined;
  if (!isPlainDoc(spec)) throw badValue('projection must be an object');
  const keys = Object.keys(spec);
  if (keys.length === 0) return undefined;
  let mode: 'inc' | 'exc' | undefined;
  let idExcluded = false, idIncluded = false;
  const root: Node = Object.create(null); // no inherited names: a field called `constructor` is not a node
  let positional = false;
  let exprOpts: any;
  for (const path of keys) {
    const v = spec[path];
    let leaf: Leaf;
    let p = path;
    if (p.endsWith('.$')) {
      if (positional) throw badValue('Cannot specify more than one positional projection per query.');
      positional = true;
      p = p.slice(0, -2);
      leaf = { t: 'pos' };
      if (!(v === true || (isNumeric(v) && toNumber(v) !== 0))) throw badValue('positional projection must be an inclusion');
    } else if (typeof v === 'boolean' || isNumeric(v)) {
      leaf = (typeof v === 'boolean' ? v : toNumber(v) !== 0) ? { t: 'inc' } : { t: 'exc' };
    } else if (isPlainDoc(v) && hasOwn(v, '$slice') && Object.keys(v).length === 1) {
      const s = v.$slice;
      if (Array.isArray(s)) {
        if (s.length !== 2 || !isNumeric(s[0]) || !isNumeric(s[1])) throw badValue('$slice takes an array of two numbers');
        if (toNumber(s[1]) <= 0) throw badValue('$slice limit must be positive');
        leaf = { t: 'slice', skip: toNumber(s[0]), limit: toNumber(s[1]) };
      } else if (isNumeric(s)) leaf = { t: 'slice', skip: toNumber(s), limit: undefined };
      else {
        exprOpts ??= exprOptions({ variables });
        leaf = { t: 'expr', expr: v };
      }
    } else if (isPlainDoc(v) && hasOwn(v, '$elemMatch') && Object.keys(v).length === 1) {
      if (path.includes('.')) throw badValue('Cannot use $elemMatch projection on a nested field.');
      leaf = { t: 'elem', m: compileFilter(v.$elemMatch) };
    } else if (isPlainDoc(v) && hasOwn(v, '$meta')) {
      throw badValue(`$meta projection (${String(v.$meta)}) is not supported by embedded-mongo`);
    } else {
      exprOpts ??= exprOptions({ variables });
      leaf = { t: 'expr', expr: v };
    }
    if (p === '_id' && (leaf.t === 'inc' || leaf.t === 'exc')) {
      if (leaf.t === 'exc') idExcluded = true; else idIncluded = true;
      continue;
    }
    const kind = leaf.t === 'exc' ? 'exc' : leaf.t === 'inc' || leaf.t === 'expr' || leaf.t === 'pos' || leaf.t === 'elem' ? 'inc' : undefined;
    if (kind) {
      if (mode && mode !== kind) {
        throw new MongoError(31254, kind === 'exc' ? `Cannot do exclusion on field ${p} in inclusion projection` : `Cannot do inclusion on field ${p} in exclusion projection`);
      }
      mode = kind;
    }
    leaf[LEAF] = true;
    insert(root, p.split('.'), leaf, path);
  }
  if (!mode) mode = idIncluded && !idExcluded && Object.keys(root).length === 0 ? 'inc' : 'exc';
  markExpressions(root);
  const m = mode;
  // inclusion with _id kept and not projected itself: start the output with it (same field order,
  // one object per document instead of three)
  const idFirst = m === 'inc' && !idExcluded && root._id === undefined;
  const fn = ((doc: Doc, st?: MatchState) => {
    if (idFirst) return include(doc, root, exprOpts, doc, st, hasOwn(doc, '_id') ? { _id: doc._id } : {});
    const out = m === 'inc' ? include(doc, root, exprOpts, doc, st) : exclude(doc, root, exprOpts, doc, st);
    if (m === 'inc') {
      if (!idExcluded && hasOwn(doc, '_id')) return { _id: doc._id, ...withoutId(out) };
      return out;
    }
    if (idExcluded) delete out._id;
    return out;
  }) as Projector;
  fn.positional = positional;
  return fn;
}

function withoutId(d: Doc): Doc {
  if (!hasOwn(d, '_id')) return d;
  const { _id, ...rest } = d;
  return rest;
}

function insert(root: Node, parts: string[], leaf: Leaf, full: string): void {
  let cur = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i];
    const n = cur[p];
    if (n && isLeaf(n)) throw new MongoError(31250, `Path collision at ${full}`);
    cur = (cur[p] ??= Object.create(null)) as Node;
  }
  const last = parts[parts.length - 1];
  if (cur[last]) throw new MongoError(31250, `Path collision at ${full}`);
  cur[last] = leaf;
}

function slice(v: any, leaf: Extract<Leaf, { t: 'slice' }>): any {
  if (!Array.isArray(v)) return v;
  if (leaf.limit === undefined) return leaf.skip >= 0 ? v.slice(0, leaf.skip) : v.slice(Math.max(0, v.length + leaf.skip));
  const start = leaf.skip >= 0 ? leaf.skip : Math.max(0, v.length + leaf.skip);
  return v.slice(start, start + leaf.limit);
}

function include(doc: Doc, node: Node, exprOpts: any, root: Doc, st?: MatchState, out: Doc = {}): Doc {
  for (const k of Object.keys(doc)) {
    const n = node[k];
    if (!n) continue;
    const v = doc[k];
    if (isLeaf(n)) {
      switch (n.t) {
        case 'inc': out[k] = v; break;
        case 'slice': out[k] = slice(v, n); break;
        case 'elem': {
          if (Array.isArray(v)) { const e = v.find((x) => n.m(isPlainDoc(x) ? x : { '': x })); if (e !== undefined) out[k] = [e]; }
          break;
        }
        case 'pos': {
          if (Array.isArray(v)) {
            if (st?.pos === undefined || st.pos >= v.length) throw badValue('Executor error during find command :: caused by :: positional operator \'.$\' couldn\'t find a matching element in the array');
            out[k] = [v[st.pos]];
          } else out[k] = v;
          break;
        }
        case 'expr': break; // added below, in spec order
      }
    } else if (isPlainDoc(v)) out[k] = include(v, n, exprOpts, root, st);
    else if (Array.isArray(v)) out[k] = includeArray(v, n, exprOpts, root, st);
  }
  if (node[HAS_EXPR]) addExpressions(out, node, exprOpts, root);
  return out;
}

function includeArray(arr: any[], node: Node, exprOpts: any, root: Doc, st?: MatchState): any[] {
  const out: any[] = [];
  for (const e of arr) {
    if (isPlainDoc(e)) out.push(include(e, node, exprOpts, root, st));
    else if (Array.isArray(e)) out.push(includeArray(e, node, exprOpts, root, st));
  }
  return out;
}

function addExpressions(out: Doc, node: Node, exprOpts: any, root: Doc): void {
  for (const k of Object.keys(node)) {
    const n = node[k];
    if (isLeaf(n)) {
      if (n.t === 'expr') {
        const v = evalExpression(root, n.expr, exprOpts);
        if (v !== undefined) out[k] = v;
      }
    } else if (!hasOwn(out, k) && n[HAS_EXPR]) {
      const sub: Doc = {};
      addExpressions(sub, n, exprOpts, root);
      out[k] = sub;
    }
  }
}

/** Sets HAS_EXPR on every node with an expression under it, so plain projections never look for one. */
function markExpressions(n: Node): boolean {
  let found = false;
  for (const k of Object.keys(n)) {
    const c = n[k];
    if (isLeaf(c) ? c.t === 'expr' : markExpressions(c)) found = true;
  }
  if (found) n[HAS_EXPR] = true;
  return found;
}

function exclude(doc: Doc, node: Node, exprOpts: any, root: Doc, st?: MatchState): Doc {
  const out: Doc = {};
  for (const k of Object.keys(doc)) {
    const n = node[k];
    const v = doc[k];
    if (!n) { out[k] = v; continue; }
    if (isLeaf(n)) {
      switch (n.t) {
        case 'exc': break;
        case 'slice': out[k] = slice(v, n); break;
        case 'elem': {
          if (Array.isArray(v)) { const e = v.find((x) => n.m(isPlainDoc(x) ? x : { '': x })); if (e !== undefined) out[k] = [e]; }
          break;
        }
        default: out[k] = v;
      }
    } else if (isPlainDoc(v)) out[k] = exclude(v, n, exprOpts, root, st);
    else if (Array.isArray(v)) out[k] = v.map((e) => (isPlainDoc(e) ? exclude(e, n, exprOpts, root, st) : e));
    else out[k] = v;
  }
  // $elemMatch on a field absent from the document: nothing to add
  return out;
}
