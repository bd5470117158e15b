/** find, getMore, killCursors, count, distinct, aggregate (incl. $out/$merge). */
import type { Doc } from '../bson/codec.js';
import { createHash } from 'node:crypto';
import { Binary, Long, isPlainDoc, cloneDeep } from '../bson/codec.js';
import { compareValues, keyString } from '../bson/order.js';
import { MongoError, badValue, failedToParse } from '../errors.js';
import { Cursors, DEFAULT_FIRST_BATCH } from '../cursors.js';
import type { MatchState } from '../query/matcher.js';
import { compileFilter } from '../query/matcher.js';
import type { Resolver } from '../query/pipeline.js';
import { knownStage, makeOptions, runPipeline } from '../query/pipeline.js';
import { extractKeys, hasOwn, isIndexPart, splitPath } from '../query/path.js';
import { compileProjection } from '../query/projection.js';
import { commandVariables } from '../query/expressions.js';
import { collatedCompare, makeCollator } from '../query/collation.js';
import type { SortField } from '../query/sort.js';
import { parseSort } from '../query/sort.js';
import type { Collection } from '../storage/collection.js';
import { skipLimit } from '../storage/reads.js';
import { ensureId } from '../query/update.js';
import { cursorReply } from '../wire/raw.js';
import { openChangeStream, changeStreamGetMore } from '../changestreams/cursor.js';
import type { CmdContext, Handler } from './context.js';
import { searchNotSupported } from './ddl.js';
import { collName, firstBatchReply, optInt } from './context.js';
import { explainPlan } from './explain.js';

function parseFind(cmd: Doc) {
  const filter = cmd.filter ?? {};
  if (!isPlainDoc(filter)) throw badValue("BSON field 'find.filter' is the wrong type, expected type 'object'");
  const sort = parseSort(cmd.sort);
  const skip = optInt(cmd.skip, 'skip');
  if (skip < 0) throw badValue('skip value must be non-negative');
  let limit = optInt(cmd.limit, 'limit');
  let singleBatch = cmd.singleBatch === true;
  if (limit < 0) { limit = -limit; singleBatch = true; }
  const batchSize = cmd.batchSize === undefined ? DEFAULT_FIRST_BATCH : optInt(cmd.batchSize, 'batchSize');
  if (batchSize < 0) throw badValue('batchSize must be non-negative');
  const variables = commandVariables(cmd.let);
  return { filter, sort, skip, limit, singleBatch, batchSize, variables };
}

export const find: Handler = (cmd, ctx) => {
  const name = collName(cmd, ctx);
  const ns = `${ctx.db}.${name}`;
  const f = parseFind(cmd);
  if (cmd.tailable === true) throw badValue('tailable cursors are not supported by embedded-mongo');
  const projection = compileProjection(cmd.projection, f.variables);
  const collator = makeCollator(cmd.collation);
  const coll = ctx.store.getCollection(ctx.db, name);
  if (!coll) {
    compileFilter(f.filter, { variables: f.variables });
    return cursorReply('firstBatch', [], Long.ZERO, ns);
  }
  const bounded = cmd.min !== undefined || cmd.max !== undefined;
  if (bounded && (cmd.hint === undefined || cmd.hint === null)) throw new MongoError(51173, 'When using min()/max() a hint of which index to use must be provided');
  // bounds filter what the hinted index yields, so skip and limit count after them
  const r = ctx.store.find(coll, { filter: f.filter, sort: f.sort, skip: bounded ? 0 : f.skip, limit: bounded ? 0 : f.limit, hint: cmd.hint, variables: f.variables, collator }, ctx.txn);
  const docs = bounded ? skipLimit(filterIter(r.docs, withinKeyBounds(r.plan.index?.spec.key, cmd.min, cmd.max)), f.skip, f.limit) : r.docs;
  let transform: ((d: Doc) => Doc) | undefined;
  if (projection) {
    if (projection.positional) {
      const m = compileFilter(f.filter, { variables: f.variables, collator });
      transform = (d) => { const st: MatchState = {}; m(d, st); return projection(d, st); };
    } else transform = (d) => projection(d);
  }
  if (cmd.returnKey === true) transform = indexKeyOf(r.plan.index?.spec.key);
  return firstBatchReply(ctx, ns, { ns, it: docs, transform, remaining: 0, sessionId: ctx.session?.id, txn: ctx.txn }, f.batchSize, f.singleBatch);
};

/** The first key a document has at each field of an index pattern (null where it has none). */
function keyFields(pattern: Doc | undefined): { paths: string[]; of: (d: Doc) => unknown[] } {
  const fields = pattern ? Object.keys(pattern).map((path) => ({ path, parts: splitPath(path) })) : [];
  return {
    paths: fields.map((x) => x.path),
    of: (d) =>
      fields.map(({ parts }) => {
        const first = extractKeys(d, parts).values[0];
        return first === undefined || typeof first === 'symbol' ? null : first;
      }),
  };
}

/**
 * `min`/`max` on find: the hinted index's keys from `min` (inclusive) to `max` (exclusive), in the
 * index's order (a descending field runs from high to low), as mongod bounds the index scan. Both
 * must name the index's fields in its order.
 */
function withinKeyBounds(pattern: Doc | undefined, min: unknown, max: unknown): (d: Doc) => boolean {
  if (!pattern) throw new MongoError(51174, 'min() and max() need the hint to name an index, not $natural');
  const key = keyFields(pattern);
  const directions = key.paths.map((p) => (pattern[p] === -1 ? -1 : 1));
  const bound = (b: unknown, which: string): unknown[] | undefined => {
    if (b === undefined) return undefined;
    if (!isPlainDoc(b)) throw badValue(`'${which}' must be an object`);
    if (Object.keys(b).join('\u0000') !== key.paths.join('\u0000')) {
      throw new MongoError(51174, `The index chosen is not equal to the pattern specified by ${which}(): ${JSON.stringify(pattern)}`);
    }
    return key.paths.map((p) => b[p]);
  };
  const lower = bound(min, 'min');
  const upper = bound(max, 'max');
  const order = (k: unknown[], b: unknown[]) => {
    for (let i = 0; i < k.length; i++) {
      const c = compareValues(k[i], b[i]) * directions[i];
      if (c !== 0) return c;
    }
    return 0;
  };
  return (d) => {
    const k = key.of(d);
    return (!lower || order(k, lower) >= 0) && (!upper || order(k, upper) < 0);
  };
}

function* filterIter<T>(it: Iterator<T>, keep: (x: T) => boolean): Generator<T> {
  for (let n = it.next(); !n.done; n = it.next()) if (keep(n.value)) yield n.value;
}

/**
 * `returnKey`: each document as the key of the index the query read it through (its fields in the
 * index's order, null where the document has none), and as `{}` when no index was read, as mongod
 * answers. A multikey entry shows the document's first key.
 */
function indexKeyOf(pattern: Doc | undefined): (d: Doc) => Doc {
  const key = keyFields(pattern);
  return (d) => {
    const values = key.of(d);
    return Object.fromEntries(key.paths.map((p, i) => [p, values[i]]));
  };
}

export const getMore: Handler = async (cmd, ctx) => {
  const id = cmd.getMore;
  const name = cmd.collection;
  if (typeof name !== 'string') throw failedToParse("BSON field 'getMore.collection' is missing but a required field");
  const c = ctx.server.cursors.get(id);
  if (!c) throw new MongoError(43, `cursor id ${String(id)} not found`);
  const ns = `${ctx.db}.${name}`;
  if (c.ns !== ns && !c.ns.startsWith(`${ctx.db}.$cmd`)) throw new MongoError(13, `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${c.ns}`);
  c.lastUse = Date.now();
  const batchSize = cmd.batchSize === undefined ? -1 : optInt(cmd.batchSize, 'batchSize') || -1;
  if (c.changeStream) return changeStreamGetMore(ctx, c, batchSize, cmd.maxTimeMS);
  const { docs, done } = Cursors.batch(c, batchSize);
  if (done) ctx.server.cursors.kill(id);
  return cursorReply('nextBatch', docs, done ? Long.ZERO : c.id, c.ns);
};

export const killCursors: Handler = (cmd, _ctx) => {
  const ids = cmd.cursors;
  if (!Array.isArray(ids)) throw failedToParse("BSON field 'killCursors.cursors' is missing but a required field");
  const killed: unknown[] = [], notFound: unknown[] = [];
  for (const id of ids) (_ctx.server.cursors.kill(id) ? killed : notFound).push(id);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

export const count: Handler = (cmd, ctx) => {
  const name = collName(cmd, ctx);
  const query = cmd.query ?? {};
  if (!isPlainDoc(query)) throw badValue('query must be an object');
  const coll = ctx.store.getCollection(ctx.db, name);
  const skip = optInt(cmd.skip, 'skip');
  const limit = Math.abs(optInt(cmd.limit, 'limit'));
  if (skip < 0) throw badValue('skip value is negative in count query');
  const collator = makeCollator(cmd.collation);
  if (!coll) { compileFilter(query); return { n: 0, ok: 1 }; }
  compileFilter(query);
  return { n: ctx.store.count(coll, { filter: query, skip, limit, hint: cmd.hint, collator }, ctx.txn), ok: 1 };
};

/** Values at `parts`, with arrays unwound one level (as distinct does). */
function distinctValues(v: any, parts: string[], i: number, out: any[]): void {
  if (i === parts.length) {
    if (Array.isArray(v)) out.push(...v);
    else out.push(v);
    return;
  }
  if (Array.isArray(v)) {
    if (isIndexPart(parts[i])) { const x = v[Number(parts[i])]; if (x !== undefined) distinctValues(x, parts, i + 1, out); return; }
    for (const e of v) if (isPlainDoc(e) && hasOwn(e, parts[i])) distinctValues(e[parts[i]], parts, i + 1, out);
    return;
  }
  if (isPlainDoc(v) && hasOwn(v, parts[i])) distinctValues(v[parts[i]], parts, i + 1, out);
}

export const distinct: Handler = (cmd, ctx) => {
  const name = collName(cmd, ctx);
  const key = cmd.key;
  if (typeof key !== 'string' || key === '') throw failedToParse("BSON field 'distinct.key' is missing but a required field");
  const query = cmd.query ?? {};
  if (!isPlainDoc(query)) throw badValue('query must be an object');
  const coll = ctx.store.getCollection(ctx.db, name);
  if (!coll) { compileFilter(query); return { values: [], ok: 1 }; }
  const parts = splitPath(key);
  const seen = new Map<string, any>();
  const collator = makeCollator(cmd.collation);
  const r = ctx.store.find(coll, { filter: query, hint: cmd.hint, collator }, ctx.txn);
  for (let it = r.docs.next(); !it.done; it = r.docs.next()) {
    const vals: any[] = [];
    distinctValues(it.value, parts, 0, vals);
    for (const v of vals) {
      const k = collator && typeof v === 'string' ? 's' + collator.key(v) : keyString(v === undefined ? null : v);
      if (!seen.has(k)) seen.set(k, v === undefined ? null : v);
    }
  }
  const values = [...seen.values()].sort(collatedCompare(collator));
  return { values, ok: 1 };
};

// ---------------------------------------------------------------------------------------------
// aggregate

/** Stages after which mingo does not mutate the documents it received. */
const NON_MUTATING = new Set(['$match', '$sort', '$skip', '$limit', '$count', '$group', '$project', '$sortByCount', '$lookup', '$sample']);

function resolverFor(ctx: CmdContext): Resolver {
  const all = (name: string): Doc[] => {
    const c = ctx.store.getCollection(ctx.db, name);
    if (!c) return [];
    const r = ctx.store.find(c, {}, ctx.txn);
    return [...iter(r.docs)];
  };
  const resolver = all as Resolver;
  resolver.indexed = (name: string, field: string) => {
    const c = ctx.store.getCollection(ctx.db, name);
    return !!c && c.indexes.some((ix) => !ix.special && !ix.sparse && !ix.partial && !ix.norm && ix.fields[0].path === field);
  };
  resolver.query = (name: string, filter: Doc, opts = {}) => {
    const c = ctx.store.getCollection(ctx.db, name);
    if (!c) return [];
    const sort = opts.sort === undefined ? undefined : parseSort(opts.sort);
    const hint = opts.joinField === undefined ? undefined : joinIndex(c, opts.joinField, sort);
    return [...iter(ctx.store.find(c, { filter, sort, limit: opts.limit, variables: opts.variables, hint }, ctx.txn).docs)];
  };
  return resolver;
}

/**
 * The index a $lookup sub-pipeline reads for one local value: one led by the join field, and of
 * those the one whose next fields give the sub-pipeline's sort (so `$sort` + `$limit` stop after
 * the first entries). Weighing every index again for each local document cost more than the
 * lookups themselves; the join field's equality is what makes each lookup small, as in MongoDB's
 * cached plan for the sub-pipeline.
 */
function joinIndex(c: Collection, field: string, sort: SortField[] | undefined): Doc | undefined {
  const led = c.indexes.filter((ix) => !ix.special && !ix.sparse && !ix.partial && !ix.norm && ix.fields[0].path === field);
  const gives = (ix: (typeof led)[number]) => {
    if (!sort?.length || ix.fields.length < sort.length + 1) return false;
    const same = sort.every((f, k) => ix.fields[k + 1].path === f.path && ix.fields[k + 1].dir === f.dir);
    const reversed = sort.every((f, k) => ix.fields[k + 1].path === f.path && ix.fields[k + 1].dir === -f.dir);
    return same || reversed;
  };
  const best = led.find(gives) ?? [...led].sort((x, y) => x.fields.length - y.fields.length)[0];
  return best?.spec.key;
}

function* iter<T>(it: Iterator<T>): Generator<T> {
  for (let r = it.next(); !r.done; r = it.next()) yield r.value;
}

function isCountGroup(stage: Doc): Doc | undefined {
  const g = stage.$group;
  if (!isPlainDoc(g)) return undefined;
  const keys = Object.keys(g);
  if (keys.length !== 2 || !keys.includes('_id')) return undefined;
  const id = g._id;
  if (typeof id === 'string' && id.startsWith('$')) return undefined;
  if (isPlainDoc(id) || Array.isArray(id)) return undefined;
  const field = keys.find((k) => k !== '_id')!;
  const acc = g[field];
  if (!isPlainDoc(acc) || Object.keys(acc).length !== 1 || !(acc.$sum === 1 || acc.$count !== undefined)) return undefined;
  if (acc.$count !== undefined && !(isPlainDoc(acc.$count) && Object.keys(acc.$count).length === 0)) return undefined;
  return { id, field };
}

export const aggregate: Handler = async (cmd, ctx) => {
  const target = cmd.aggregate;
  const pipeline = cmd.pipeline;
  if (!Array.isArray(pipeline)) throw failedToParse("BSON field 'aggregate.pipeline' is missing but a required field");
  for (const s of pipeline) {
    if (!isPlainDoc(s) || Object.keys(s).length !== 1) throw new MongoError(40323, 'A pipeline stage specification object must contain exactly one field.');
  }
  if (!isPlainDoc(cmd.cursor) && cmd.explain !== true) throw failedToParse("The 'cursor' option is required, except for aggregate with the explain argument");
  if (pipeline.some((s) => s.$listSearchIndexes !== undefined)) throw searchNotSupported();
  const dbLevel = target === 1 || (typeof target === 'number' && target === 1);
  if (!dbLevel && typeof target !== 'string') throw badValue('aggregate must be a collection name or 1');
  const ns = dbLevel ? `${ctx.db}.$cmd.aggregate` : `${ctx.db}.${target}`;
  const batchSize = isPlainDoc(cmd.cursor) && cmd.cursor.batchSize !== undefined ? optInt(cmd.cursor.batchSize, 'batchSize') : DEFAULT_FIRST_BATCH;

  if (pipeline.length > 0 && hasOwn(pipeline[0], '$changeStream')) {
    return openChangeStream(ctx, cmd, dbLevel ? undefined : (target as string), pipeline, batchSize);
  }
  // $listLocalSessions: the sessions this server holds are the input of the rest of the pipeline
  const sessions = pipeline.length > 0 && hasOwn(pipeline[0], '$listLocalSessions') ? listLocalSessions(ctx, pipeline[0].$listLocalSessions, dbLevel) : undefined;
  for (let i = sessions ? 1 : 0; i < pipeline.length; i++) {
    const name = Object.keys(pipeline[i])[0];
    if (name === '$changeStream') throw badValue('$changeStream is only valid as the first stage in a pipeline');
    if (name === '$listLocalSessions') throw new MongoError(40602, '$listLocalSessions is only valid as the first stage in a pipeline');
    if (name !== '$out' && name !== '$merge' && !knownStage(name)) throw new MongoError(40324, `Unrecognized pipeline stage name: '${name}'`);
  }
  const variables = commandVariables(cmd.let);
  const collator = makeCollator(cmd.collation);
  let stages: Doc[] = pipeline.slice(sessions ? 1 : 0);
  // $out / $merge must be last
  let output: Doc | undefined;
  const lastName = stages.length ? Object.keys(stages[stages.length - 1])[0] : '';
  if (lastName === '$out' || lastName === '$merge') {
    if (ctx.txn) throw new MongoError(263, `${lastName} cannot be used in a transaction`);
    output = stages.pop();
  }
  for (const s of stages) {
    const n = Object.keys(s)[0];
    if (n === '$out' || n === '$merge') throw badValue(`${n} can only be the final stage in the pipeline`);
  }

  const coll = dbLevel ? undefined : ctx.store.getCollection(ctx.db, target as string);
  // Fold the leading $match/$sort/$skip/$limit into an (index-using) find.
  let filter: Doc | undefined;
  let sort: SortField[] | undefined;
  let skip = 0, limit = 0;
  let i = 0;
  const matches: Doc[] = [];
  while (!sessions && i < stages.length && hasOwn(stages[i], '$match')) {
    const m = stages[i].$match;
    if (!isPlainDoc(m)) throw badValue('the match filter must be an expression in an object');
    matches.push(m);
    i++;
  }
  if (matches.length === 1) filter = matches[0];
  else if (matches.length > 1) filter = { $and: matches };
  if (!sessions && i < stages.length && hasOwn(stages[i], '$sort')) { sort = parseSort(stages[i].$sort); i++; }
  if (!sessions && i < stages.length && hasOwn(stages[i], '$skip')) { skip = optInt(stages[i].$skip, '$skip'); if (skip < 0) throw badValue('invalid argument to $skip stage: Expected a non-negative number'); i++; }
  if (!sessions && i < stages.length && hasOwn(stages[i], '$limit')) { limit = optInt(stages[i].$limit, '$limit'); if (limit <= 0) throw badValue('the limit must be positive'); i++; }
  stages = stages.slice(i);

  if (cmd.explain === true) {
    const ex = explainPlan(ctx, coll, filter, sort, limit, cmd.hint);
    return { ...ex, stages: pipeline, ok: 1 };
  }

  let results: Doc[];
  const countGroup = stages.length === 1 && !sort ? isCountGroup(stages[0]) : undefined;
  if (countGroup && coll) {
    compileFilter(filter, { variables });
    const n = ctx.store.count(coll, { filter, variables, skip, limit, hint: cmd.hint, collator }, ctx.txn);
    results = n > 0 ? [{ _id: countGroup.id, [countGroup.field]: n }] : [];
  } else {
    let source: Iterable<Doc>;
    if (coll) {
      const r = ctx.store.find(coll, { filter, sort, skip, limit, hint: cmd.hint, variables, collator }, ctx.txn);
      source = iter(r.docs);
    } else {
      compileFilter(filter, { variables });
      source = sessions ?? [];
    }
    if (stages.length === 0) results = [...source];
    else {
      const mutating = stages.some((s) => !NON_MUTATING.has(Object.keys(s)[0]));
      const input = mutating ? [...source].map((d) => cloneDeep(d)) : source;
      const options = makeOptions({ variables, collectionResolver: resolverFor(ctx), collation: collator ? cmd.collation : undefined });
      results = runPipeline(input, stages, options);
    }
  }
  if (output) {
    writeOutput(ctx, output, results);
    return { cursor: { firstBatch: [], id: Long.ZERO, ns }, ok: 1 };
  }
  const it = results[Symbol.iterator]();
  return firstBatchReply(ctx, ns, { ns, it, remaining: 0, sessionId: ctx.session?.id }, batchSize, false);
};

/**
 * `$listLocalSessions` documents: `{}` and `{allUsers: true}` list every session this server holds
 * (the sessions are not owned by a user here: without authentication mongod lists them all as
 * the unauthenticated user's, whose uid is the SHA-256 of the empty name); `{users: [...]}`
 * names users, who own none of them.
 */
function listLocalSessions(ctx: CmdContext, spec: unknown, dbLevel: boolean): Doc[] {
  if (!dbLevel) throw new MongoError(73, '$listLocalSessions must be run against the database with {aggregate: 1}, not a collection');
  if (!isPlainDoc(spec)) throw new MongoError(14, "BSON field '$listLocalSessions' is the wrong type, expected type 'object'");
  if (spec.users !== undefined && !Array.isArray(spec.users)) throw new MongoError(14, "BSON field '$listLocalSessions.users' is the wrong type, expected type 'array'");
  if (Array.isArray(spec.users)) return [];
  const out: Doc[] = [];
  for (const s of ctx.server.txns.sessions.map.values()) {
    const id = /^[0-9a-f]{32}$/.test(s.id) ? new Binary(Buffer.from(s.id, 'hex'), 4) : s.id;
    out.push({ _id: { id, uid: ANONYMOUS_UID }, lastUse: new Date(s.lastUse) });
  }
  return out;
}

const ANONYMOUS_UID = new Binary(createHash('sha256').update('').digest(), 0);

function writeOutput(ctx: CmdContext, stage: Doc, results: Doc[]): void {
  const store = ctx.store;
  if (hasOwn(stage, '$out')) {
    const spec = stage.$out;
    const db = isPlainDoc(spec) ? String(spec.db ?? ctx.db) : ctx.db;
    const name = isPlainDoc(spec) ? String(spec.coll) : String(spec);
    const [target] = store.ensureCollection(db, name);
    // Validate uniqueness before replacing anything: build into a scratch collection first.
    const docs = results.map((d) => ensureId(d));
    const seen = new Set<string>();
    for (const d of docs) {
      const k = keyString(d._id);
      if (seen.has(k)) throw new MongoError(11000, `E11000 duplicate key error collection: ${db}.${name} index: _id_ dup key: { _id: ${k} }`, { keyPattern: { _id: 1 }, keyValue: { _id: d._id } });
      seen.add(k);
    }
    for (const rec of [...target.records.values()]) store.delete(target, rec.doc);
    for (const d of docs) store.insert(target, d);
    return;
  }
  const spec = stage.$merge;
  const into = isPlainDoc(spec) ? spec.into : spec;
  const db = isPlainDoc(into) ? String(into.db ?? ctx.db) : ctx.db;
  const name = isPlainDoc(into) ? String(into.coll) : String(into);
  const on: string[] = isPlainDoc(spec) && spec.on !== undefined ? (Array.isArray(spec.on) ? spec.on : [spec.on]) : ['_id'];
  const whenMatched = isPlainDoc(spec) ? spec.whenMatched ?? 'merge' : 'merge';
  const whenNotMatched = isPlainDoc(spec) ? spec.whenNotMatched ?? 'insert' : 'insert';
  const [target] = store.ensureCollection(db, name);
  for (const raw of results) {
    const d = on.includes('_id') ? ensureId(raw) : raw;
    const filter: Doc = {};
    for (const f of on) filter[f] = d[f] === undefined ? null : d[f];
    const r = store.find(target, { filter, limit: 1 });
    const hit = r.docs.next();
    if (hit.done) {
      if (whenNotMatched === 'insert') store.insert(target, ensureId(d));
      else if (whenNotMatched === 'fail') throw new MongoError(13113, 'Found no matching document in the target collection');
      continue;
    }
    const existing = hit.value as Doc;
    if (whenMatched === 'keepExisting') continue;
    if (whenMatched === 'fail') throw new MongoError(11000, `E11000 duplicate key error collection: ${db}.${name}`, { keyPattern: { _id: 1 }, keyValue: { _id: existing._id } });
    let next: Doc;
    if (whenMatched === 'replace') next = { ...d, _id: existing._id };
    else if (whenMatched === 'merge') next = { ...existing, ...d, _id: existing._id };
    else if (Array.isArray(whenMatched)) {
      const vars = { new: d, ...(isPlainDoc(spec) && isPlainDoc(spec.let) ? spec.let : {}) };
      next = runPipeline([cloneDeep(existing)], whenMatched, makeOptions({ variables: vars }))[0];
      next = { ...next, _id: existing._id };
    } else throw badValue(`Enumeration value '${String(whenMatched)}' for field 'whenMatched' is not a valid value.`);
    store.update(target, existing, next, 'replace');
  }
}

