/**
 * Aggregation pipelines: mingo's stages with MongoDB-faithful overrides on top of the expression
 * operators (expressions.ts). `$match` uses the server's matcher, `$sort` the BSON order,
 * `$lookup` on local/foreign fields the foreign collection's indexes. mingo's base Aggregator (not
 * the `mingo` index one, which re-merges its defaults first) runs them.
 */
// before mingo: see the module
import './mingo-plain-exports.js';
import { Aggregator } from 'mingo/aggregator';
import { Context, evalExpr } from 'mingo/core';
import { Lazy } from 'mingo/lazy';
import * as pipelineOps from 'mingo/operators/pipeline';
import type { Doc } from '../bson/codec.js';
import { cloneDeep, isNumeric, isPlainDoc } from '../bson/codec.js';
import { bracket, compareValues, keyString } from '../bson/order.js';
import { MongoError, badValue } from '../errors.js';
import type { AnyFn } from './expressions.js';
import { OPERATORS, computeOptionsClass, exprOptions } from './expressions.js';
import { compileFilter } from './matcher.js';
import { compileProjection } from './projection.js';
import { parseSort, sortDocs } from './sort.js';
import { extractKeys } from './path.js';
import { makeCollator } from './collation.js';
import type { Resolver } from './resolver.js';

export type { Resolver };

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
  // Inclusion and exclusion alone mean the same in $project as in a find projection, so they take
  // find's compiled projector (one pass per document); anything else (expressions, nested specs)
  // stays with mingo's $project.
  $project: (coll: any, expr: any, options: any) => {
    if (!isFlagProjection(expr)) return (pipelineOps as any).$project(coll, expr, options);
    const project = compileProjection(expr)!;
    return coll.map((doc: Doc) => project(doc));
  },
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

/** Only `path: 0|1|true|false` entries, with plain field paths (no `$`, no empty part). */
function isFlagProjection(expr: unknown): expr is Doc {
  if (!isPlainDoc(expr)) return false;
  const keys = Object.keys(expr);
  if (keys.length === 0) return false;
  for (const key of keys) {
    const v = expr[key];
    if (typeof v !== 'boolean' && !isNumeric(v)) return false;
    if (key.includes('$') || key.split('.').includes('')) return false;
  }
  return true;
}

const CONTEXT = Context.init({ ...OPERATORS, pipeline: { ...(pipelineOps as any), ...pipelineOverrides } });

/** Options object for running pipelines (and evaluating expressions within them). */
export function makeOptions(extra: { variables?: Doc; collectionResolver?: Resolver; collation?: Doc } = {}): any {
  return exprOptions(extra, CONTEXT);
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
 * The leading `$match` stages of a $lookup sub-pipeline, then a `$sort` and a `$limit`, which run
 * as one find on the foreign collection (as MongoDB's planner takes them), and the stages after.
 */
function foldedPrefix(pipeline: Doc[]): { matches: Doc[]; sort?: Doc; limit?: number; rest: Doc[] } {
  let i = 0;
  const matches: Doc[] = [];
  while (i < pipeline.length && isPlainDoc(pipeline[i].$match)) matches.push(pipeline[i++].$match);
  let sort: Doc | undefined;
  let limit: number | undefined;
  if (i < pipeline.length && isPlainDoc(pipeline[i].$sort) && parseSort(pipeline[i].$sort)) sort = pipeline[i++].$sort;
  if (i < pipeline.length && pipeline[i].$limit !== undefined) {
    const n = pipeline[i].$limit;
    if (typeof n === 'number' && Number.isInteger(n) && n > 0) { limit = n; i++; }
  }
  return { matches, sort, limit, rest: pipeline.slice(i) };
}

/**
 * $lookup with localField/foreignField: the foreign documents equal to the local value are found
 * through the foreign collection's index when it has one. With a `pipeline` as well (MongoDB 5.0's
 * concise form) its leading $match/$sort/$limit join that find, with `let` bound per local
 * document (e.g. the previous event of the same agreement is an ordered walk of the
 * {agreementId, seq} index that stops at the first match), and the rest of the pipeline runs on
 * what it returns; mingo's own $lookup would run it on the whole foreign collection.
 */
function indexedLookup(coll: any, expr: any, options: any): any {
  const resolver: Resolver | undefined = options.collectionResolver;
  const equality = typeof expr.from === 'string' && typeof expr.localField === 'string' && typeof expr.foreignField === 'string' && resolver?.query;
  const pipeline: Doc[] = Array.isArray(expr.pipeline) ? expr.pipeline : [];
  const indexed = equality && resolver!.indexed?.(expr.from, expr.foreignField);
  if (!equality || (!indexed && pipeline.length === 0)) return (pipelineOps as any).$lookup(coll, expr, options);
  // a collation applies to the sub-pipeline's string comparisons, which the store's find would not honour
  const folded = pipeline.length && !options.collation ? foldedPrefix(pipeline) : { matches: [], rest: pipeline };
  const plain = folded.matches.length === 0 && folded.sort === undefined && folded.limit === undefined;
  const rest = folded.rest;
  const mutating = rest.some((s) => !NON_MUTATING_STAGES.has(Object.keys(s)[0]));
  const agg = rest.length ? new Aggregator(rest as any, options) : undefined;
  const cache = new Map<string, Doc[]>();
  const hasLet = isPlainDoc(expr.let) && Object.keys(expr.let).length > 0;
  return coll.map((doc: Doc) => {
    const vals = localValues(doc, expr.localField);
    const variables = pipeline.length ? { ...(options.variables ?? {}), ...(hasLet ? (evalExpr(doc, expr.let, options) as Doc) : {}) } : undefined;
    let matches: Doc[] | undefined;
    if (plain) {
      const key = vals.map(keyString).join('|');
      matches = vals.length <= 1 ? cache.get(key) : undefined;
      if (!matches) {
        matches = resolver!.query!(expr.from, { [expr.foreignField]: { $in: vals } });
        if (vals.length <= 1 && cache.size < 10000) cache.set(key, matches);
      }
    } else {
      const filter = { $and: [{ [expr.foreignField]: { $in: vals } }, ...folded.matches] };
      matches = resolver!.query!(expr.from, filter, { sort: folded.sort, limit: folded.limit, variables, joinField: expr.foreignField });
    }
    if (!agg) return setField(doc, expr.as, matches);
    const opts = computeOptionsClass().init(options).update({ root: null, variables });
    return setField(doc, expr.as, agg.run(mutating ? matches.map((d) => cloneDeep(d)) : matches, opts) as Doc[]);
  });
}
