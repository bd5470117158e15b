/**
 * Update documents: operator updates ($set, $inc, $push... with positional `$`, `$[]`, `$[id]` and
 * arrayFilters), replacement documents and aggregation-pipeline updates.
 *
 * Written here rather than using mingo's updater because MongoDB's errors matter to callers:
 * unknown operator (9), conflicting paths (40), $inc on a string (14), $push on a non-array (2),
 * changing _id (66), and $setOnInsert, which mingo lacks. Stored documents are immutable: the
 * working copy clones only the containers on modified paths and shares everything else.
 */
import type { Doc } from '../bson/codec.js';
import { ObjectId, Timestamp, Long, cloneDeep, isNumeric, isPlainDoc, toNumber } from '../bson/codec.js';
import { MISSING, compareValues, typeNames, valuesEqual } from '../bson/order.js';
import { addNumbers, mulNumbers, zeroLike } from '../bson/numeric.js';
import { MongoError, badValue, failedToParse, typeMismatch } from '../errors.js';
import { formatValue } from '../bson/format.js';
import type { Matcher } from './matcher.js';
import { compileFilter, isOperatorDoc } from './matcher.js';
import { makeOptions, runPipeline } from './pipeline.js';
import { hasOwn, isIndexPart, splitPath } from './path.js';
import { parseSort, sortDocs } from './sort.js';

const OPERATORS = new Set(['$set', '$unset', '$inc', '$mul', '$min', '$max', '$rename', '$currentDate', '$push',
  '$addToSet', '$pop', '$pull', '$pullAll', '$bit', '$setOnInsert']);

const PIPELINE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

interface OpEntry { op: string; path: string; parts: string[]; value: any; to?: string[] }

export interface ApplyOptions {
  isUpsertInsert?: boolean;
  /** Position of the matched array element (positional `$`). */
  pos?: number;
}

export interface Updater {
  kind: 'ops' | 'replace' | 'pipeline';
  /** Whether the update uses the positional `$` (needs the match position). */
  positional: boolean;
  apply(doc: Doc, opts?: ApplyOptions): { doc: Doc; modified: boolean };
}

export function compileUpdate(u: unknown, arrayFilters?: unknown, variables?: Doc): Updater {
  if (Array.isArray(u)) return compilePipeline(u, variables);
  if (!isPlainDoc(u)) throw failedToParse('Update argument must be either an object or an array');
  const keys = Object.keys(u);
  if (keys.length === 0 || keys[0][0] !== '$') {
    if (arrayFilters !== undefined && Array.isArray(arrayFilters) && arrayFilters.length) {
      throw failedToParse('arrayFilters may only be specified with update operators');
    }
    return compileReplacement(u);
  }
  return compileOps(u, arrayFilters);
}

// ---------------------------------------------------------------------------------------------
// Replacement

function compileReplacement(repl: Doc): Updater {
  for (const k of Object.keys(repl)) {
    if (k[0] === '$') throw badValue(`The dollar ($) prefixed field '${k}' in '${k}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`);
  }
  return {
    kind: 'replace',
    positional: false,
    apply(doc) {
      const out: Doc = {};
      if (hasOwn(repl, '_id')) {
        if (hasOwn(doc, '_id') && !identical(doc._id, repl._id)) throw immutableId();
        out._id = repl._id;
      } else if (hasOwn(doc, '_id')) out._id = doc._id;
      for (const k of Object.keys(repl)) if (k !== '_id') out[k] = repl[k];
      return { doc: out, modified: !identical(doc, out) };
    },
  };
}

function immutableId(): MongoError {
  return new MongoError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
}

// ---------------------------------------------------------------------------------------------
// Pipeline

function compilePipeline(stages: unknown[], variables?: Doc): Updater {
  for (const s of stages) {
    if (!isPlainDoc(s) || Object.keys(s).length !== 1) throw failedToParse('Each pipeline stage must be an object with a single field');
    const name = Object.keys(s)[0];
    if (!PIPELINE_STAGES.has(name)) throw new MongoError(72, `${name} is not allowed to be used within an update`);
  }
  return {
    kind: 'pipeline',
    positional: false,
    apply(doc) {
      const [out] = runPipeline([cloneDeep(doc)], stages as Doc[], makeOptions({ variables }));
      if (!isPlainDoc(out)) throw badValue('pipeline update must produce a document');
      let result = out;
      if (hasOwn(doc, '_id')) {
        if (!hasOwn(out, '_id')) result = { _id: doc._id, ...out };
        else if (!identical(out._id, doc._id)) throw immutableId();
      }
      return { doc: result, modified: !identical(doc, result) };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Operators

function compileOps(u: Doc, arrayFiltersRaw: unknown): Updater {
  const entries: OpEntry[] = [];
  for (const op of Object.keys(u)) {
    if (!OPERATORS.has(op)) {
      throw failedToParse(op[0] === '$' ? `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`
        : `The dollar ($) prefixed field '${op}' ... mixing update operators and fields is not allowed`);
    }
    const args = u[op];
    if (!isPlainDoc(args)) throw failedToParse(`Modifiers operate on fields but we found type ${typeNames(args)[0]} instead. For example: {$mod: {<field>: ...}} not {${op}: ${formatValue(args)}}`);
    for (const path of Object.keys(args)) {
      validatePath(path);
      const value = args[path];
      const e: OpEntry = { op, path, parts: splitPath(path), value };
      validateOp(e);
      entries.push(e);
    }
  }
  checkConflicts(entries);
  const filters = compileArrayFilters(arrayFiltersRaw, entries);
  const positional = entries.some((e) => e.parts.includes('$') || (e.to?.includes('$') ?? false));
  return {
    kind: 'ops',
    positional,
    apply(doc, opts = {}) {
      const w = new Work(doc);
      for (const e of entries) {
        if (e.op === '$setOnInsert' && !opts.isUpsertInsert) continue;
        if (e.op === '$rename') { applyRename(w, e); continue; }
        for (const parts of expand(w.root, e.parts, 0, filters, opts.pos, e.path)) applyOp(w, e, parts);
      }
      if (hasOwn(doc, '_id') && (!hasOwn(w.root, '_id') || !identical(doc._id, w.root._id))) throw immutableId();
      return { doc: w.root, modified: w.changed };
    },
  };
}

function validatePath(path: string): void {
  if (path === '') throw new MongoError(56, 'An empty update path is not valid.');
  const parts = path.split('.');
  if (parts.some((p) => p === '')) throw new MongoError(56, `The update path '${path}' contains an empty field name, which is not allowed.`);
}

function validateOp(e: OpEntry): void {
  const { op, value, path } = e;
  switch (op) {
    case '$inc': case '$mul':
      if (!isNumeric(value)) throw typeMismatch(`Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${formatValue(value)}}`);
      break;
    case '$rename':
      if (typeof value !== 'string') throw badValue(`The 'to' field for $rename must be a string: ${path}: ${formatValue(value)}`);
      if (value === path) throw badValue(`The source and target field for $rename must differ: ${path}: "${value}"`);
      if (path.split('.').some((p) => p[0] === '$') || value.split('.').some((p) => p[0] === '$')) throw badValue('The source and target field for $rename must not contain positional operators');
      validatePath(value);
      e.to = splitPath(value);
      break;
    case '$currentDate':
      if (!(value === true || value === false || (isPlainDoc(value) && (value.$type === 'date' || value.$type === 'timestamp')))) {
        throw badValue(`${path} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({$type: 'timestamp/date'}).`);
      }
      break;
    case '$pop': {
      const n = toNumber(value, NaN);
      if (n !== 1 && n !== -1) throw failedToParse(`$pop expects 1 or -1, found: ${formatValue(value)}`);
      break;
    }
    case '$pullAll':
      if (!Array.isArray(value)) throw badValue(`$pullAll requires an array argument but was given a ${typeNames(value)[0]}`);
      break;
    case '$bit':
      if (!isPlainDoc(value) || Object.keys(value).length === 0) throw badValue(`The $bit modifier is not compatible with a ${typeNames(value)[0]}. You must pass in an embedded document: {$bit: {field: {and/or/xor: #}}`);
      for (const k of Object.keys(value)) {
        if (k !== 'and' && k !== 'or' && k !== 'xor') throw badValue(`The $bit modifier only supports 'and', 'or', and 'xor', not '${k}' which is an unknown operator: {${k}: ${formatValue(value[k])}}`);
        const v = value[k];
        if (!(typeof v === 'number' && Number.isInteger(v)) && v?._bsontype !== 'Long') throw badValue(`The $bit modifier field must be an Integer(32/64 bit); a '${typeNames(v)[0]}' is not supported here: {${k}: ${formatValue(v)}}`);
      }
      break;
    case '$push': case '$addToSet':
      if (isPlainDoc(value) && hasOwn(value, '$each')) {
        if (!Array.isArray(value.$each)) throw badValue(`The argument to $each in ${op} must be an array but it was of type: ${typeNames(value.$each)[0]}`);
        for (const k of Object.keys(value)) {
          if (op === '$addToSet' && k !== '$each') throw badValue(`Found unexpected fields after $each in $addToSet: ${formatValue(value)}`);
          if (!['$each', '$slice', '$sort', '$position'].includes(k)) throw badValue(`Unrecognized clause in $push: ${k}`);
        }
        if (value.$slice !== undefined && !(isNumeric(value.$slice) && Number.isInteger(toNumber(value.$slice)))) throw badValue('The value for $slice must be an integer value');
        if (value.$position !== undefined && !(isNumeric(value.$position) && Number.isInteger(toNumber(value.$position)))) throw badValue('The value for $position must be an integer value');
        if (value.$sort !== undefined) {
          const s = value.$sort;
          if (!(isNumeric(s) && Math.abs(toNumber(s)) === 1) && !isPlainDoc(s)) throw badValue('The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields');
        }
      }
      break;
  }
}

function checkConflicts(entries: OpEntry[]): void {
  const paths: string[] = [];
  for (const e of entries) {
    paths.push(e.path);
    if (e.to) paths.push(e.to.join('.'));
  }
  const sorted = paths.map((p, i) => ({ p, i })).sort((a, b) => (a.p < b.p ? -1 : a.p > b.p ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1].p, b = sorted[i].p;
    if (a === b || b.startsWith(a + '.')) {
      throw new MongoError(40, `Updating the path '${b}' would create a conflict at '${a}'`);
    }
  }
}

interface ArrayFilter { id: string; m: Matcher }

function compileArrayFilters(raw: unknown, entries: OpEntry[]): Map<string, ArrayFilter> {
  const out = new Map<string, ArrayFilter>();
  if (raw !== undefined && raw !== null) {
    if (!Array.isArray(raw)) throw failedToParse('arrayFilters must be an array');
    for (const f of raw) {
      if (!isPlainDoc(f) || Object.keys(f).length === 0) throw failedToParse('Cannot use an expression without a top-level field name in arrayFilters');
      let id: string | undefined;
      for (const k of Object.keys(f)) {
        const top = k.split('.')[0];
        if (k[0] === '$') throw failedToParse('Cannot use an expression without a top-level field name in arrayFilters');
        if (id !== undefined && id !== top) throw failedToParse(`Error parsing array filter :: caused by :: Expected a single top-level field name, found '${id}' and '${top}'`);
        id = top;
      }
      if (!/^[a-z][a-zA-Z0-9]*$/.test(id!)) throw badValue(`Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric string beginning with a lowercase letter, found '${id}'`);
      if (out.has(id!)) throw failedToParse(`Found multiple array filters with the same top-level field name ${id}`);
      out.set(id!, { id: id!, m: compileFilter(f) });
    }
  }
  const used = new Set<string>();
  for (const e of entries) {
    for (const p of [...e.parts, ...(e.to ?? [])]) {
      const m = /^\$\[(.*)\]$/.exec(p);
      if (m && m[1] !== '') {
        if (!out.has(m[1])) throw badValue(`No array filter found for identifier '${m[1]}' in path '${e.path}'`);
        used.add(m[1]);
      }
    }
  }
  for (const id of out.keys()) {
    if (!used.has(id)) throw failedToParse(`The array filter for identifier '${id}' was not used in the update ${'{ ... }'}`);
  }
  return out;
}

/** Expands positional elements of `parts` against the current document into concrete paths. */
function expand(root: any, parts: string[], i: number, filters: Map<string, ArrayFilter>, pos: number | undefined, path: string): string[][] {
  let j = i;
  while (j < parts.length && parts[j][0] !== '$') j++;
  if (j === parts.length) return [parts.slice(i)];
  const head = parts.slice(i, j);
  const p = parts[j];
  // value at head (relative to root)
  let v: any = root;
  for (const h of head) {
    if (Array.isArray(v) && isIndexPart(h)) v = v[Number(h)];
    else if (isPlainDoc(v) && hasOwn(v, h)) v = v[h];
    else { v = MISSING; break; }
  }
  if (p === '$') {
    if (pos === undefined) throw badValue('The positional operator did not find the match needed from the query.');
    return expand(v, parts, j + 1, filters, undefined, path).map((rest) => [...head, String(pos), ...rest]);
  }
  const m = /^\$\[(.*)\]$/.exec(p);
  if (!m) return [parts.slice(i)]; // a $-prefixed field name: let the op deal with it
  if (!Array.isArray(v)) {
    if (v === MISSING) throw badValue(`The path '${[...parts.slice(0, j)].join('.')}' must exist in the document in order to apply array updates.`);
    throw badValue(`Cannot apply array updates to non-array element ${head[head.length - 1] ?? ''}: ${formatValue(v)}`);
  }
  const out: string[][] = [];
  const f = m[1] === '' ? undefined : filters.get(m[1])!;
  for (let k = 0; k < v.length; k++) {
    if (f && !f.m({ [f.id]: v[k] })) continue;
    for (const rest of expand(v[k], parts, j + 1, filters, pos, path)) out.push([...head, String(k), ...rest]);
  }
  return out;
}

/** Working copy: containers are cloned the first time they are modified. */
class Work {
  root: Doc;
  changed = false;
  private owned = new Set<object>();
  constructor(doc: Doc) {
    this.root = { ...doc };
    this.owned.add(this.root);
  }
  own(parent: any, key: string | number): any {
    const c = parent[key];
    if (this.owned.has(c)) return c;
    const copy = Array.isArray(c) ? c.slice() : { ...c };
    this.owned.add(copy);
    parent[key] = copy;
    return copy;
  }
  fresh<T extends object>(o: T): T {
    this.owned.add(o);
    return o;
  }
}

function describeElem(key: string, v: any): string {
  return `{${key}: ${formatValue(v)}}`;
}

/** Finds (creating if `create`) the container holding the last path element. */
function navigate(w: Work, parts: string[], create: boolean): { parent: any; key: string } | null {
  let cur: any = w.root;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i];
    const isArray = Array.isArray(cur);
    if (isArray && !isIndexPart(p)) {
      if (!create) return null;
      throw new MongoError(28, `Cannot create field '${p}' in element ${describeElem(parts[i - 1] ?? '', cur)}`);
    }
    const key = isArray ? Number(p) : p;
    const child = getChild(cur, p);
    if (child === MISSING) {
      if (!create) return null;
      if (isArray) while (cur.length < (key as number)) cur.push(null);
      cur = cur[key] = w.fresh({});
      continue;
    }
    if (isPlainDoc(child) || Array.isArray(child)) { cur = w.own(cur, key); continue; }
    if (!create) return null;
    throw new MongoError(28, `Cannot create field '${parts[i + 1]}' in element ${describeElem(p, child)}`);
  }
  const last = parts[parts.length - 1];
  if (Array.isArray(cur) && !isIndexPart(last)) {
    if (!create) return null;
    throw new MongoError(28, `Cannot create field '${last}' in element ${describeElem(parts[parts.length - 2] ?? '', cur)}`);
  }
  return { parent: cur, key: last };
}

function getChild(parent: any, key: string): any {
  if (Array.isArray(parent)) {
    const i = Number(key);
    return i < parent.length ? parent[i] : MISSING;
  }
  return hasOwn(parent, key) ? parent[key] : MISSING;
}

function setChild(w: Work, parent: any, key: string, value: any): void {
  if (Array.isArray(parent)) {
    const i = Number(key);
    while (parent.length < i) parent.push(null);
    parent[i] = value;
  } else parent[key] = value;
  w.changed = true;
}

/** Same value and same BSON type (MongoDB compares updated values binary-wise). */
export function identical(a: any, b: any): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b) return false;
  if (typeof a !== 'object' || a === null || b === null) return typeof a === 'number' && a !== a && b !== b;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!identical(a[i], b[i])) return false;
    return true;
  }
  if (isPlainDoc(a)) {
    if (!isPlainDoc(b)) return false;
    const ka = Object.keys(a), kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i] || !identical(a[ka[i]], b[kb[i]])) return false;
    return true;
  }
  return typeNames(a)[0] === typeNames(b)[0] && valuesEqual(a, b);
}

function idOf(w: Work): string {
  return hasOwn(w.root, '_id') ? `{_id: ${formatValue(w.root._id)}}` : '{}';
}

function applyOp(w: Work, e: OpEntry, parts: string[]): void {
  const field = parts.join('.');
  switch (e.op) {
    case '$set': case '$setOnInsert': {
      const nav = navigate(w, parts, true)!;
      const old = getChild(nav.parent, nav.key);
      if (old !== MISSING && identical(old, e.value)) return;
      setChild(w, nav.parent, nav.key, e.value);
      return;
    }
    case '$unset': {
      const nav = navigate(w, parts, false);
      if (!nav) return;
      if (Array.isArray(nav.parent)) {
        const i = Number(nav.key);
        if (i < nav.parent.length && nav.parent[i] !== null) { nav.parent[i] = null; w.changed = true; }
      } else if (hasOwn(nav.parent, nav.key)) {
        delete nav.parent[nav.key];
        w.changed = true;
      }
      return;
    }
    case '$inc': case '$mul': {
      const nav = navigate(w, parts, true)!;
      const old = getChild(nav.parent, nav.key);
      if (old === MISSING) {
        setChild(w, nav.parent, nav.key, e.op === '$inc' ? e.value : zeroLike(e.value));
        return;
      }
      if (!isNumeric(old)) {
        throw typeMismatch(`Cannot apply ${e.op} to a value of non-numeric type. ${idOf(w)} has the field '${nav.key}' of non-numeric type ${typeNames(old)[0]}`);
      }
      const nv = e.op === '$inc' ? addNumbers(old, e.value) : mulNumbers(old, e.value);
      if (identical(old, nv)) return;
      setChild(w, nav.parent, nav.key, nv);
      return;
    }
    case '$min': case '$max': {
      const nav = navigate(w, parts, true)!;
      const old = getChild(nav.parent, nav.key);
      if (old === MISSING) { setChild(w, nav.parent, nav.key, e.value); return; }
      const c = compareValues(e.value, old);
      if (e.op === '$min' ? c < 0 : c > 0) setChild(w, nav.parent, nav.key, e.value);
      return;
    }
    case '$currentDate': {
      const nav = navigate(w, parts, true)!;
      const ts = isPlainDoc(e.value) && e.value.$type === 'timestamp';
      const now = Date.now();
      setChild(w, nav.parent, nav.key, ts ? new Timestamp({ t: Math.floor(now / 1000), i: 1 }) : new Date(now));
      return;
    }
    case '$push': case '$addToSet': {
      const nav = navigate(w, parts, true)!;
      const old = getChild(nav.parent, nav.key);
      if (old !== MISSING && !Array.isArray(old)) {
        throw badValue(`The field '${field}' must be an array but is of type ${typeNames(old)[0]} in document ${idOf(w)}`);
      }
      const arr: any[] = old === MISSING ? [] : old.slice();
      const spec = e.value;
      const each = isPlainDoc(spec) && hasOwn(spec, '$each');
      const values: any[] = each ? spec.$each : [spec];
      let changed = old === MISSING;
      if (e.op === '$addToSet') {
        for (const v of values) if (!arr.some((x) => valuesEqual(x, v) && identical(x, v))) { arr.push(v); changed = true; }
      } else {
        let position = each && spec.$position !== undefined ? toNumber(spec.$position) : arr.length;
        if (position < 0) position = Math.max(0, arr.length + position);
        position = Math.min(position, arr.length);
        arr.splice(position, 0, ...values);
        if (values.length) changed = true;
        let result = arr;
        if (each && spec.$sort !== undefined) {
          result = sortArray(result, spec.$sort);
          changed = true;
        }
        if (each && spec.$slice !== undefined) {
          const n = toNumber(spec.$slice);
          const before = result.length;
          result = n >= 0 ? result.slice(0, n) : result.slice(Math.max(0, result.length + n));
          if (result.length !== before) changed = true;
        }
        if (changed || old === MISSING) setChild(w, nav.parent, nav.key, w.fresh(result));
        return;
      }
      if (changed) setChild(w, nav.parent, nav.key, w.fresh(arr));
      return;
    }
    case '$pop': {
      const nav = navigate(w, parts, false);
      if (!nav) return;
      const old = getChild(nav.parent, nav.key);
      if (old === MISSING) return;
      if (!Array.isArray(old)) throw typeMismatch(`Path '${field}' contains an element of non-array type '${typeNames(old)[0]}'`);
      if (old.length === 0) return;
      setChild(w, nav.parent, nav.key, w.fresh(toNumber(e.value) === 1 ? old.slice(0, -1) : old.slice(1)));
      return;
    }
    case '$pull': case '$pullAll': {
      const nav = navigate(w, parts, false);
      if (!nav) return;
      const old = getChild(nav.parent, nav.key);
      if (old === MISSING) return;
      if (!Array.isArray(old)) throw badValue(`Cannot apply ${e.op} to a non-array value`);
      const test = e.op === '$pullAll' ? ((x: any) => e.value.some((v: any) => valuesEqual(x, v))) : pullPredicate(e.value);
      const kept = old.filter((x) => !test(x));
      if (kept.length !== old.length) setChild(w, nav.parent, nav.key, w.fresh(kept));
      return;
    }
    case '$bit': {
      const nav = navigate(w, parts, true)!;
      const old = getChild(nav.parent, nav.key);
      const cur = old === MISSING ? 0 : old;
      if (!(typeof cur === 'number' && Number.isInteger(cur)) && cur?._bsontype !== 'Long') {
        throw badValue(`Cannot apply $bit to a value of non-integral type.${idOf(w)} has the field ${nav.key} of non-integer type ${typeNames(cur)[0]}`);
      }
      const isLong = cur?._bsontype === 'Long' || Object.values(e.value).some((v: any) => v?._bsontype === 'Long');
      let acc = BigInt(typeof cur === 'number' ? cur : cur.toString());
      for (const [k, v] of Object.entries(e.value as Doc)) {
        const b = BigInt(typeof v === 'number' ? v : (v as any).toString());
        acc = k === 'and' ? acc & b : k === 'or' ? acc | b : acc ^ b;
      }
      const nv = isLong ? Long.fromBigInt(BigInt.asIntN(64, acc)) : Number(BigInt.asIntN(32, acc));
      if (old !== MISSING && identical(old, nv)) return;
      setChild(w, nav.parent, nav.key, nv);
      return;
    }
  }
}

function pullPredicate(cond: any): (x: any) => boolean {
  if (isPlainDoc(cond)) {
    if (isOperatorDoc(cond)) {
      const m = compileFilter({ x: cond });
      return (x) => m({ x });
    }
    const m = compileFilter(cond);
    return (x) => isPlainDoc(x) && m(x);
  }
  if (cond instanceof RegExp) return (x) => typeof x === 'string' && cond.test(x);
  return (x) => valuesEqual(x, cond);
}

function sortArray(arr: any[], spec: any): any[] {
  if (isNumeric(spec)) {
    const dir = toNumber(spec);
    return arr.slice().sort((a, b) => compareValues(a, b) * dir);
  }
  const fields = parseSort(spec)!;
  const docs = arr.map((x) => (isPlainDoc(x) ? x : {}));
  const order = sortDocs(docs.map((d, i) => ({ ...d, __i: i })), fields);
  return order.map((d: any) => arr[d.__i]);
}

function applyRename(w: Work, e: OpEntry): void {
  // source: no arrays allowed on the path
  let v: any = w.root;
  for (const p of e.parts) {
    if (Array.isArray(v)) throw badValue(`The source field cannot be an array element, '${e.path}' in doc with ${idOf(w)} has an array field called '${p}'`);
    if (!isPlainDoc(v) || !hasOwn(v, p)) return; // missing source: no-op
    v = v[p];
  }
  const value = v;
  // destination must not go through arrays
  let d: any = w.root;
  for (const p of e.to!.slice(0, -1)) {
    if (!isPlainDoc(d) || !hasOwn(d, p)) break;
    d = d[p];
    if (Array.isArray(d)) throw badValue(`The destination field cannot be an array element, '${e.to!.join('.')}' in doc with ${idOf(w)} has an array field called '${p}'`);
  }
  const src = navigate(w, e.parts, false)!;
  delete src.parent[src.key];
  const dst = navigate(w, e.to!, true)!;
  setChild(w, dst.parent, dst.key, value);
}

// ---------------------------------------------------------------------------------------------
// Upserts

/** The document an upsert starts from: the query's equality conditions. */
export function upsertSeed(query: Doc | undefined): Doc {
  const out: Doc = {};
  if (!query) return out;
  const add = (q: Doc) => {
    for (const k of Object.keys(q)) {
      const c = q[k];
      if (k === '$and' && Array.isArray(c)) { for (const s of c) if (isPlainDoc(s)) add(s); continue; }
      if (k[0] === '$') continue;
      let value: any;
      if (isOperatorDoc(c)) {
        if (!hasOwn(c, '$eq')) continue;
        value = c.$eq;
      } else if (c instanceof RegExp) continue;
      else value = c;
      setSeed(out, k.split('.'), value);
    }
  };
  add(query);
  return out;
}

function setSeed(doc: Doc, parts: string[], value: any): void {
  let cur = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i];
    if (!isPlainDoc(cur[p])) {
      if (hasOwn(cur, p)) throw new MongoError(54, `cannot infer query fields to set, path '${parts.join('.')}' is matched twice`);
      cur[p] = {};
    }
    cur = cur[p];
  }
  const last = parts[parts.length - 1];
  if (hasOwn(cur, last)) throw new MongoError(54, `cannot infer query fields to set, path '${parts.join('.')}' is matched twice`);
  cur[last] = value;
}

/** Builds the document inserted by an upsert. */
export function buildUpsertDoc(query: Doc | undefined, updater: Updater): Doc {
  let doc: Doc;
  if (updater.kind === 'replace') {
    const seed = upsertSeed(query);
    doc = updater.apply(hasOwn(seed, '_id') ? { _id: seed._id } : {}, { isUpsertInsert: true }).doc;
  } else {
    doc = updater.apply(upsertSeed(query), { isUpsertInsert: true }).doc;
  }
  return ensureId(doc);
}

/** _id first, generated if absent (what the server does for inserts). */
export function ensureId(doc: Doc): Doc {
  if (hasOwn(doc, '_id')) {
    if (Object.keys(doc)[0] === '_id') return doc;
    const { _id, ...rest } = doc;
    return { _id, ...rest };
  }
  return { _id: new ObjectId(), ...doc };
}

export function validateIdValue(doc: Doc): void {
  if (!hasOwn(doc, '_id')) return;
  const id = doc._id;
  if (Array.isArray(id)) throw new MongoError(2, `The '_id' value cannot be of type array`);
  if (id instanceof RegExp) throw new MongoError(2, `The '_id' value cannot be of type regex`);
  if (id === undefined) throw new MongoError(2, `The '_id' value cannot be of type undefined`);
  if (isPlainDoc(id)) assertNoDollarFields(id);
}

/** mongod allows `$`-prefixed field names in documents since 5.0, but not inside `_id` (DBRef fields aside). */
function assertNoDollarFields(v: Doc): void {
  for (const k of Object.keys(v)) {
    if (k.charCodeAt(0) === 36 /* $ */ && k !== '$ref' && k !== '$id' && k !== '$db') {
      throw new MongoError(52, `_id fields may not contain '$'-prefixed fields: ${k} is not valid for storage.`);
    }
    const x = v[k];
    if (isPlainDoc(x)) assertNoDollarFields(x);
    else if (Array.isArray(x)) for (const e of x) if (isPlainDoc(e)) assertNoDollarFields(e);
  }
}
