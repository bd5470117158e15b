/**
 * The mingo Context used for aggregation and expressions, with MongoDB-faithful overrides.
 *
 * mingo's built-ins compare BSON values through toString()/constructors (wrong for Decimal128,
 * Long, and cross-type order). Built-ins can only be replaced through `Context.init` (Context.from
 * and addOps keep existing entries), so the whole operator table is assembled here and mingo's
 * base Aggregator (not the `mingo` index one, which re-merges its defaults first) is used.
 */
import { Aggregator } from 'mingo/aggregator';
import { Context, evalExpr } from 'mingo/core';
import { Lazy } from 'mingo/lazy';
import * as accumulatorOps from 'mingo/operators/accumulator';
import * as expressionOps from 'mingo/operators/expression';
import * as pipelineOps from 'mingo/operators/pipeline';
import * as projectionOps from 'mingo/operators/projection';
import * as queryOps from 'mingo/operators/query';
import * as windowOps from 'mingo/operators/window';
import type { Doc } from '../bson/codec.js';
import { Decimal128, Long, ObjectId, cloneDeep, isNumeric, isPlainDoc, toNumber } from '../bson/codec.js';
import { bracket, compareValues, keyString, typeNames } from '../bson/order.js';
import { addNumbers } from '../bson/numeric.js';
import { MongoError, badValue } from '../errors.js';
import { compileFilter } from './matcher.js';
import { parseSort, sortDocs } from './sort.js';
import { extractKeys } from './path.js';
import { makeCollator } from './collation.js';

type AnyFn = (...args: any[]) => any;

/** ComputeOptions is not exported by mingo; it is captured from the first operator call. */
let ComputeOptionsClass: any;

const num = (v: any) => (isNumeric(v) && typeof v !== 'number' ? toNumber(v) : v);
const deepNum = (v: any): any => (Array.isArray(v) ? v.map(deepNum) : num(v));

/** Wraps a numeric expression operator so Long/Decimal128 arguments arrive as JS numbers. */
function numericArgs(orig: AnyFn): AnyFn {
  return (obj: any, expr: any, options: any) => {
    const v = deepNum(evalExpr(obj, expr, options));
    return orig(obj, Array.isArray(v) ? v.map((x) => ({ $literal: x })) : { $literal: v }, options);
  };
}

function cmpExpr(test: (c: number) => boolean): AnyFn {
  return (obj: any, expr: any, options: any) => {
    const args = evalExpr(obj, expr, options);
    if (!Array.isArray(args) || args.length !== 2) throw badValue('comparison expression expects 2 arguments');
    return test(compareValues(args[0], args[1]));
  };
}

function pushValues(coll: any[], expr: any, options: any): any[] {
  return (accumulatorOps as any).$push(coll, expr, options);
}

function sumValues(values: any[]): any {
  let acc: any = 0;
  for (const v of values) if (isNumeric(v)) acc = addNumbers(acc, v);
  return acc;
}

function minMax(values: any[], sign: 1 | -1): any {
  let best: any = null;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (best === null || compareValues(v, best) * sign > 0) best = v;
  }
  return best;
}

const arithmetic = ['$abs', '$add', '$ceil', '$divide', '$exp', '$floor', '$ln', '$log', '$log10', '$mod',
  '$multiply', '$pow', '$round', '$sqrt', '$subtract', '$trunc', '$toInt', '$toDouble', '$toBool', '$toDate', '$isNumber'];

const expressionOverrides: Record<string, AnyFn> = {
  $__captureOptions: (_obj: any, _expr: any, options: any) => {
    ComputeOptionsClass = options.constructor;
    return null;
  },
  $cmp: (obj: any, expr: any, options: any) => {
    const [a, b] = evalExpr(obj, expr, options) as any[];
    return Math.sign(compareValues(a, b));
  },
  $eq: cmpExpr((c) => c === 0),
  $ne: cmpExpr((c) => c !== 0),
  $gt: cmpExpr((c) => c > 0),
  $gte: cmpExpr((c) => c >= 0),
  $lt: cmpExpr((c) => c < 0),
  $lte: cmpExpr((c) => c <= 0),
  $toString: (obj: any, expr: any, options: any) => {
    const v = evalExpr(obj, expr, options) as any;
    if (v === null || v === undefined) return null;
    if (v?._bsontype === 'ObjectId') return v.toHexString();
    if (v?._bsontype === 'Long' || v?._bsontype === 'Decimal128') return v.toString();
    if (v?._bsontype === 'Double' || v?._bsontype === 'Int32') return String(v.value);
    if (v?._bsontype === 'Binary' && v.sub_type === 4) return v.toUUID().toHexString(true);
    if (v instanceof Date) return v.toISOString();
    if (typeof v === 'object' && !(v instanceof RegExp)) throw badValue('Unsupported conversion to string');
    return String(v);
  },
  $toObjectId: (obj: any, expr: any, options: any) => {
    const v = evalExpr(obj, expr, options) as any;
    if (v === null || v === undefined) return null;
    if (v?._bsontype === 'ObjectId') return v;
    if (typeof v === 'string' && /^[0-9a-fA-F]{24}$/.test(v)) return new ObjectId(v);
    throw badValue(`Failed to parse objectId '${String(v)}' in $convert with no onError value`);
  },
  $toLong: (obj: any, expr: any, options: any) => {
    const v = evalExpr(obj, expr, options) as any;
    if (v === null || v === undefined) return null;
    if (v?._bsontype === 'Long') return v;
    if (v instanceof Date) return Long.fromNumber(v.getTime());
    const n = typeof v === 'string' ? Number(v) : toNumber(v, NaN);
    if (!Number.isFinite(n)) throw badValue(`Failed to convert ${String(v)} to long`);
    return Long.fromNumber(Math.trunc(n));
  },
  $toDecimal: (obj: any, expr: any, options: any) => {
    const v = evalExpr(obj, expr, options) as any;
    if (v === null || v === undefined) return null;
    if (v?._bsontype === 'Decimal128') return v;
    if (v instanceof Date) return Decimal128.fromString(String(v.getTime()));
    return Decimal128.fromString(String(typeof v === 'string' ? v : toNumber(v)));
  },
  $type: (obj: any, expr: any, options: any) => {
    const v = evalExpr(obj, expr, options);
    if (v === undefined) return 'missing';
    return typeNames(v)[0];
  },
};
// $sum/$min/$max/$avg used as expressions fall through to the accumulators below (mingo calls
// them with the already-evaluated array and a null expression).
for (const name of arithmetic) {
  const orig = (expressionOps as any)[name];
  if (orig) expressionOverrides[name] = numericArgs(orig);
}

const accumulatorOverrides: Record<string, AnyFn> = {
  $sum: (coll: any[], expr: any, options: any) => {
    if (isNumeric(expr)) return addNumbers(0, toNumber(expr) * coll.length);
    return sumValues(pushValues(coll, expr, options));
  },
  $avg: (coll: any[], expr: any, options: any) => {
    const vals = pushValues(coll, expr, options).filter(isNumeric);
    if (vals.length === 0) return null;
    if (vals.some((v) => v?._bsontype === 'Decimal128')) {
      return Decimal128.fromStringWithRounding(String(toNumber(sumValues(vals)) / vals.length));
    }
    let s = 0;
    for (const v of vals) s += toNumber(v);
    return s / vals.length;
  },
  $min: (coll: any[], expr: any, options: any) => minMax(pushValues(coll, expr, options), -1),
  // mingo evaluates the whole spec, output included, against the group key (an output of
  // { $toString: '$_id' } then fails) and sorts by its own order; MongoDB evaluates only n there.
  $topN: (coll: any[], expr: any, options: any) => topOrBottom(coll, expr, options, 1),
  $bottomN: (coll: any[], expr: any, options: any) => topOrBottom(coll, expr, options, -1),
  $max: (coll: any[], expr: any, options: any) => minMax(pushValues(coll, expr, options), 1),
};

function topOrBottom(coll: any[], expr: any, options: any, direction: 1 | -1): any[] {
  if (!isPlainDoc(expr) || expr.sortBy === undefined || expr.output === undefined || expr.n === undefined) {
    throw badValue(`${direction === 1 ? '$topN' : '$bottomN'} needs n, sortBy and output`);
  }
  const n = toNumber(evalExpr(options?.local?.groupId ?? null, expr.n, options));
  if (!Number.isInteger(n) || n < 1) throw badValue("'n' must be a positive integer");
  const fields = parseSort(expr.sortBy);
  if (!fields) throw badValue('sortBy must have at least one key');
  const sorted = sortDocs([...coll], fields, makeCollator(options.collation));
  const picked = direction === 1 ? sorted.slice(0, n) : sorted.slice(-n);
  return pushValues(picked, expr.output, options);
}

const pipelineOverrides: Record<string, AnyFn> = {
  $match: (coll: any, expr: any, options: any) => {
    const m = compileFilter(expr, { exprOptions: options, collator: makeCollator(options.collation) });
    return coll.filter((o: Doc) => m(o));
  },
  $sort: (coll: any, expr: any, options: any) => {
    const fields = parseSort(expr);
    if (!fields) throw badValue('$sort stage must have at least one sort key');
    const collator = makeCollator(options.collation);
    return coll.transform((docs: Doc[]) => Lazy(sortDocs(docs, fields, collator)));
  },
  $lookup: (coll: any, expr: any, options: any) => indexedLookup(coll, expr, options),
  $count: (coll: any, expr: any) => {
    if (typeof expr !== 'string' || expr === '' || expr[0] === '$' || expr.includes('.')) throw badValue('the count field must be a non-empty string without $ or .');
    return coll.transform((docs: Doc[]) => Lazy(docs.length ? [{ [expr]: docs.length }] : []));
  },
  // mingo puts a value equal to a boundary in the bucket below it and emits empty buckets.
  $bucket: (coll: any, expr: any, options: any) => {
    if (!isPlainDoc(expr) || !Array.isArray(expr.boundaries) || expr.boundaries.length < 2) throw new MongoError(40192, "The $bucket 'boundaries' field must be an array of at least two values");
    const bounds: any[] = expr.boundaries;
    for (let i = 1; i < bounds.length; i++) {
      if (bracket(bounds[i]) !== bracket(bounds[0]) || compareValues(bounds[i], bounds[i - 1]) <= 0) throw new MongoError(40194, "The 'boundaries' option to $bucket must be sorted in ascending order and of the same type");
    }
    const hasDefault = expr.default !== undefined;
    const output = isPlainDoc(expr.output) ? expr.output : { count: { $sum: 1 } };
    return coll.transform((docs: Doc[]) => {
      const groups: Doc[][] = bounds.slice(0, -1).map(() => []);
      const other: Doc[] = [];
      for (const d of docs) {
        const key = evalExpr(d, expr.groupBy, options);
        const inRange = key !== undefined && key !== null && bracket(key) === bracket(bounds[0])
          && compareValues(key, bounds[0]) >= 0 && compareValues(key, bounds[bounds.length - 1]) < 0;
        if (!inRange) {
          if (!hasDefault) throw new MongoError(40066, "$bucket could not find a matching branch for an input, and no default was specified.");
          other.push(d);
          continue;
        }
        let lo = 0, hi = bounds.length - 1;
        while (hi - lo > 1) {
          const mid = (lo + hi) >> 1;
          if (compareValues(bounds[mid], key) <= 0) lo = mid; else hi = mid;
        }
        groups[lo].push(d);
      }
      const out: Doc[] = [];
      const emit = (id: any, members: Doc[]) => {
        if (members.length) out.push({ _id: id, ...(evalExpr(members as any, output, options) as Doc) });
      };
      groups.forEach((g, i) => emit(bounds[i], g));
      if (hasDefault) emit(expr.default, other);
      return Lazy(out);
    });
  },
  $geoNear: () => { throw badValue('$geoNear is not supported by embedded-mongo'); },
  $search: () => { throw badValue('$search is not supported by embedded-mongo'); },
  $out: () => { throw badValue('$out is only allowed as the last stage'); },
  $merge: () => { throw badValue('$merge is only allowed as the last stage'); },
};

export const CONTEXT = Context.init({
  accumulator: { ...(accumulatorOps as any), ...accumulatorOverrides },
  expression: { ...(expressionOps as any), ...expressionOverrides },
  pipeline: { ...(pipelineOps as any), ...pipelineOverrides },
  projection: { ...(projectionOps as any) },
  query: { ...(queryOps as any) },
  window: { ...(windowOps as any) },
});

/**
 * Resolves another collection for $lookup/$unionWith/$graphLookup. `query` lets $lookup use the
 * foreign collection's indexes instead of hashing the whole collection.
 */
export interface Resolver {
  (name: string): Doc[];
  query?: (name: string, filter: Doc) => Doc[];
  /** Whether `field` leads an index of collection `name` (so per-document lookups are cheap). */
  indexed?: (name: string, field: string) => boolean;
}

function computeOptionsClass(): any {
  if (!ComputeOptionsClass) evalExpr({}, { $__captureOptions: 1 }, { context: CONTEXT } as any);
  return ComputeOptionsClass;
}

/** Options object for evaluating expressions/pipelines (copies the context once). */
export function makeOptions(extra: { variables?: Doc; collectionResolver?: Resolver; collation?: Doc } = {}): any {
  return computeOptionsClass().init({
    idKey: '_id',
    useStrictMode: true,
    scriptEnabled: false,
    failOnError: true,
    processingMode: 0,
    context: CONTEXT,
    ...(extra.variables ? { variables: extra.variables } : {}),
    ...(extra.collectionResolver ? { collectionResolver: extra.collectionResolver } : {}),
    ...(extra.collation ? { collation: extra.collation } : {}),
  });
}

let defaultOptions: any;

/** Evaluates an aggregation expression against `doc`. `options` from makeOptions() or a mingo operator. */
export function evalExpression(doc: Doc, expr: any, options?: any): any {
  const base = options ?? (defaultOptions ??= makeOptions());
  const o = computeOptionsClass().init(base).update({ root: doc });
  return evalExpr(doc, expr, o);
}

/** Whether a pipeline stage name is known (MongoDB answers 40324 for unknown stages). */
export function knownStage(name: string): boolean {
  return CONTEXT.getOperator('pipeline' as any, name) !== null;
}

export function runPipeline(docs: Iterable<Doc>, pipeline: Doc[], options: any): Doc[] {
  if (pipeline.length === 0) return Array.isArray(docs) ? docs : [...docs];
  return new Aggregator(pipeline as any, options).run(docs as any) as Doc[];
}

// ---------------------------------------------------------------------------------------------

function setField(doc: Doc, path: string, value: any): Doc {
  const parts = path.split('.');
  const out: Doc = { ...doc };
  let cur: Doc = out;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]];
    cur[parts[i]] = isPlainDoc(next) ? { ...next } : {};
    cur = cur[parts[i]];
  }
  cur[parts[parts.length - 1]] = value;
  return out;
}

function localValues(doc: Doc, path: string): any[] {
  const r = extractKeys(doc, path.split('.'));
  return r.values.map((v: any) => (typeof v === 'symbol' ? null : v));
}

/** Sub-pipeline stages after which mingo does not mutate the documents it received. */
const NON_MUTATING_STAGES = new Set(['$match', '$sort', '$skip', '$limit', '$count', '$group', '$project', '$sortByCount']);

/**
 * $lookup with localField/foreignField: the foreign documents equal to the local value are found
 * through the foreign collection's index when it has one. With a `pipeline` as well (MongoDB 5.0's
 * concise form) the pipeline runs on those documents only, with `let` bound per local document;
 * mingo's own $lookup runs it on the whole foreign collection.
 */
function indexedLookup(coll: any, expr: any, options: any): any {
  const resolver: Resolver | undefined = options.collectionResolver;
  const equality = typeof expr.from === 'string' && typeof expr.localField === 'string' && typeof expr.foreignField === 'string' && resolver?.query;
  const pipeline: Doc[] = Array.isArray(expr.pipeline) ? expr.pipeline : [];
  const indexed = equality && resolver!.indexed?.(expr.from, expr.foreignField);
  if (!equality || (!indexed && pipeline.length === 0)) return (pipelineOps as any).$lookup(coll, expr, options);
  const mutating = pipeline.some((s) => !NON_MUTATING_STAGES.has(Object.keys(s)[0]));
  const agg = pipeline.length ? new Aggregator(pipeline as any, options) : undefined;
  const cache = new Map<string, Doc[]>();
  return coll.map((doc: Doc) => {
    const vals = localValues(doc, expr.localField);
    const key = vals.map(keyString).join('|');
    let matches = vals.length <= 1 ? cache.get(key) : undefined;
    if (!matches) {
      matches = resolver!.query!(expr.from, { [expr.foreignField]: { $in: vals } });
      if (vals.length <= 1 && cache.size < 10000) cache.set(key, matches);
    }
    if (!agg) return setField(doc, expr.as, matches);
    const variables = { ...(options.variables ?? {}), ...(isPlainDoc(expr.let) ? (evalExpr(doc, expr.let, options) as Doc) : {}) };
    const opts = computeOptionsClass().init(options).update({ root: null, variables });
    return setField(doc, expr.as, agg.run(mutating ? matches.map((d) => cloneDeep(d)) : matches, opts) as Doc[]);
  });
}
