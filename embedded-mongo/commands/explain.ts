/** explain: the plan the query planner picks for a find, count, aggregate or write, with execution stats. */
import type { Doc } from '../bson/codec.js';
import { isPlainDoc, toNumber } from '../bson/codec.js';
import { MongoError } from '../errors.js';
import { parseSort } from '../query/sort.js';
import type { SortField } from '../query/sort.js';
import type { Collection } from '../storage/collection.js';
import { plan as planQuery } from '../storage/planner.js';
import type { CmdContext, Handler } from './context.js';

export function explainPlan(ctx: CmdContext, coll: Collection | undefined, filter: Doc | undefined, sort: SortField[] | undefined, limit: number, hint: unknown, forCount = false): Doc {
  if (!coll) return { queryPlanner: { winningPlan: { stage: 'EOF' } }, executionStats: { nReturned: 0, totalKeysExamined: 0, totalDocsExamined: 0 }, ok: 1 };
  const r = ctx.store.find(coll, { filter, sort, limit, hint }, ctx.txn);
  let n = 0;
  for (let it = r.docs.next(); !it.done; it = r.docs.next()) n++;
  // count() answers exact index plans from the index alone (see Store.count)
  const p = forCount && hint === undefined ? planQuery(coll, filter, {}) : r.plan;
  if (forCount && p.exact && !p.dedupe) r.stats.docsExamined = 0;
  const ixStage = p.index ? { stage: 'IXSCAN', indexName: p.index.name, keyPattern: p.index.spec.key, isMultiKey: p.index.multikey, direction: 'forward', planKind: p.kind } : undefined;
  const winningPlan = p.kind === 'scan' ? { stage: 'COLLSCAN' } : p.exact ? { stage: 'COUNT_SCAN', inputStage: ixStage } : { stage: 'FETCH', inputStage: ixStage ?? { stage: p.kind.toUpperCase() } };
  return {
    queryPlanner: { namespace: coll.ns, parsedQuery: filter ?? {}, winningPlan, rejectedPlans: [] },
    executionStats: { executionSuccess: true, nReturned: n, totalKeysExamined: p.stats.n, totalDocsExamined: r.stats.docsExamined },
    ok: 1,
  };
}

export const explain: Handler = (cmd, ctx) => {
  const inner = cmd.explain;
  if (!isPlainDoc(inner)) throw new MongoError(9, 'explain command requires a nested object');
  const name = Object.keys(inner)[0];
  const collName = inner[name];
  const coll = typeof collName === 'string' ? ctx.store.getCollection(ctx.db, collName) : undefined;
  if (name === 'find') return explainPlan(ctx, coll, inner.filter, parseSort(inner.sort), toNumber(inner.limit, 0), inner.hint);
  if (name === 'count') return explainPlan(ctx, coll, inner.query, undefined, 0, inner.hint, true);
  if (name === 'aggregate') {
    const first = Array.isArray(inner.pipeline) && isPlainDoc(inner.pipeline[0]) ? inner.pipeline[0].$match : undefined;
    return explainPlan(ctx, coll, first, undefined, 0, inner.hint);
  }
  if (name === 'update' || name === 'delete') {
    const list = inner[name === 'update' ? 'updates' : 'deletes'];
    return explainPlan(ctx, coll, Array.isArray(list) ? list[0]?.q : undefined, undefined, 0, undefined);
  }
  if (name === 'findAndModify' || name === 'distinct') return explainPlan(ctx, coll, inner.query, parseSort(inner.sort), 1, inner.hint);
  throw new MongoError(59, `Explain is not supported for command '${name}'`);
};
