/**
 * Aggregation expressions and accumulators: mingo's operators with MongoDB-faithful overrides,
 * and how to evaluate an expression against a document. The matcher ($expr) and projections use
 * this module only; pipelines (pipeline.ts) add their stages on top, so expressions never depend
 * on the matcher and the matcher never on pipelines.
 *
 * mingo's built-ins compare BSON values through toString()/constructors (wrong for Decimal128,
 * Long, and cross-type order). Built-ins can only be replaced through `Context.init` (Context.from
 * and addOps keep existing entries), so the operator tables are assembled here.
 */
// before mingo: see the module
import './mingo-plain-exports.js';
import { Context, evalExpr } from 'mingo/core';
import * as accumulatorOps from 'mingo/operators/accumulator';
import * as expressionOps from 'mingo/operators/expression';
import * as projectionOps from 'mingo/operators/projection';
import * as queryOps from 'mingo/operators/query';
import * as windowOps from 'mingo/operators/window';
import type { Doc } from '../bson/codec.js';
import { Decimal128, Long, ObjectId, isNumeric, isPlainDoc, toNumber } from '../bson/codec.js';
import { compareValues, typeNames } from '../bson/order.js';
import { addNumbers } from '../bson/numeric.js';
import { badValue } from '../errors.js';
import { parseSort, sortDocs } from './sort.js';
import { makeCollator } from './collation.js';
import type { Resolver } from './resolver.js';

export type AnyFn = (...args: any[]) => any;

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
/** Every operator table but the pipeline stages, which pipeline.ts adds. */
export const OPERATORS = {
  accumulator: { ...(accumulatorOps as any), ...accumulatorOverrides },
  expression: { ...(expressionOps as any), ...expressionOverrides },
  projection: { ...(projectionOps as any) },
  query: { ...(queryOps as any) },
  window: { ...(windowOps as any) },
};

const EXPRESSIONS = Context.init(OPERATORS);

/** mingo's ComputeOptions class (captured by the first evaluation). */
export function computeOptionsClass(): any {
  if (!ComputeOptionsClass) evalExpr({}, { $__captureOptions: 1 }, { context: EXPRESSIONS } as any);
  return ComputeOptionsClass;
}

/** Options object for evaluating expressions (and, with pipeline.ts's context, pipelines). */
export function exprOptions(extra: { variables?: Doc; collectionResolver?: Resolver; collation?: Doc } = {}, context: Context = EXPRESSIONS): any {
  return computeOptionsClass().init({
    idKey: '_id',
    useStrictMode: true,
    scriptEnabled: false,
    failOnError: true,
    processingMode: 0,
    context,
    ...(extra.variables ? { variables: extra.variables } : {}),
    ...(extra.collectionResolver ? { collectionResolver: extra.collectionResolver } : {}),
    ...(extra.collation ? { collation: extra.collation } : {}),
  });
}

let defaultOptions: any;

/** Evaluates an aggregation expression against `doc`. `options` from exprOptions() or a mingo operator. */
export function evalExpression(doc: Doc, expr: any, options?: any): any {
  const base = options ?? (defaultOptions ??= exprOptions());
  const o = computeOptionsClass().init(base).update({ root: doc });
  return evalExpr(doc, expr, o);
}

/**
 * A command's `let` (find, aggregate, update, delete, findAndModify): each value is an expression
 * that mongod evaluates once, before the command reads anything, so `{ $literal: '$bar' }` is the
 * string '$bar' and `{ $rand: {} }` one number shared by every document.
 */
export function commandVariables(spec: unknown): Doc | undefined {
  if (!isPlainDoc(spec)) return undefined;
  const out: Doc = {};
  for (const [name, expr] of Object.entries(spec)) out[name] = evalExpression({}, expr);
  return out;
}
