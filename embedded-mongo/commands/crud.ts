/** insert, update, delete, findAndModify. */
import type { Doc } from '../bson/codec.js';
import { isPlainDoc, serialize, toNumber } from '../bson/codec.js';
import { MongoError } from '../errors.js';
import { asMongoError, badValue, failedToParse } from '../errors.js';
import type { MatchState, Matcher } from '../query/matcher.js';
import { compileFilter } from '../query/matcher.js';
import { compileProjection } from '../query/projection.js';
import { commandVariables } from '../query/expressions.js';
import { makeCollator } from '../query/collation.js';
import { parseSort } from '../query/sort.js';
import type { Updater } from '../query/update.js';
import { buildUpsertDoc, compileUpdate, ensureId, validateIdValue } from '../query/update.js';
import type { Collection } from '../storage/collection.js';
import type { CmdContext, Handler } from './context.js';
import { collName } from './context.js';

/** Errors that doom the transaction are returned top-level (with their labels), not as writeErrors. */
function isFatal(e: MongoError): boolean {
  return e.code === 112 || e.code === 251 || !!e.errorLabels?.length;
}

/**
 * A plain (non-transactional) write that touches a document or unique key held by an open
 * transaction must wait for that transaction to end; the statement is then re-run from its query
 * (nothing was applied yet). Returns the promise to wait on, or undefined — synchronously, so
 * that between reading the documents and applying the write no other request can run.
 */
function blocked(ctx: CmdContext, coll: Collection | undefined, items: { id: unknown; doc: Doc | null }[]): Promise<void> | undefined {
  if (ctx.txn || !coll) return undefined;
  const holder = ctx.store.blockerFor(coll, items);
  return holder ? holder.done : undefined;
}

/**
 * Runs `run` on every statement of a write command in order, collecting per-statement failures as
 * writeErrors (stopping at the first when `ordered`); errors that doom a transaction are thrown.
 */
async function eachStatement(statements: unknown[], ordered: boolean, run: (spec: unknown, i: number) => Promise<void>): Promise<Doc[]> {
  const writeErrors: Doc[] = [];
  for (let i = 0; i < statements.length; i++) {
    try {
      await run(statements[i], i);
    } catch (e) {
      const me = asMongoError(e);
      if (isFatal(me)) throw me;
      writeErrors.push(me.toWriteError(i));
      if (ordered) break;
    }
  }
  return writeErrors;
}

function writeCollection(ctx: CmdContext, name: string, create: boolean): Collection | undefined {
  const c = ctx.store.getCollection(ctx.db, name);
  if (c || !create) return c;
  return ctx.store.ensureCollection(ctx.db, name, {}, ctx.txn)[0];
}

export const insert: Handler = async (cmd, ctx) => {
  const name = collName(cmd, ctx);
  const docs = cmd.documents;
  if (!Array.isArray(docs)) throw failedToParse("BSON field 'insert.documents' is missing but a required field");
  const ordered = cmd.ordered !== false;
  const bypass = cmd.bypassDocumentValidation === true;
  const coll = writeCollection(ctx, name, docs.length > 0)!;
  let n = 0;
  const writeErrors = await eachStatement(docs, ordered, async (raw) => {
    if (!isPlainDoc(raw)) throw badValue('document to insert must be an object');
    const doc = ensureId(raw);
    validateIdValue(doc);
    for (let w = blocked(ctx, coll, [{ id: doc._id, doc }]); w; w = blocked(ctx, coll, [{ id: doc._id, doc }])) await w;
    ctx.store.insert(coll, doc, ctx.txn, bypass);
    n++;
  });
  if (writeErrors.length === 0 && n === 1) return ONE_INSERTED;
  const reply: Doc = { n, ok: 1 };
  if (writeErrors.length) reply.writeErrors = writeErrors;
  return reply;
};

/** The reply of every single-document insert (serialized once; replies are never mutated). */
const ONE_INSERTED = serialize({ n: 1, ok: 1 });

/**
 * Applies `updater` to `doc`; a positional (`$`) update takes the array position from running the
 * statement's compiled filter (with its `let` variables and collation) on the document.
 */
function applyUpdate(updater: Updater, matcher: Matcher, doc: Doc) {
  let pos: number | undefined;
  if (updater.positional) {
    const st: MatchState = {};
    matcher(doc, st);
    pos = st.pos;
  }
  return updater.apply(doc, { pos });
}

export const update: Handler = async (cmd, ctx) => {
  const name = collName(cmd, ctx);
  const updates = cmd.updates;
  if (!Array.isArray(updates)) throw failedToParse("BSON field 'update.updates' is missing but a required field");
  const ordered = cmd.ordered !== false;
  const bypass = cmd.bypassDocumentValidation === true;
  const variables = commandVariables(cmd.let);
  let nMatched = 0, nModified = 0;
  const upserted: Doc[] = [];
  // the statements are parsed whole before any runs, as mongod's command parser does: a `sort`
  // (MongoDB 8.0) is an unknown field for the 7.0 this server reports
  if (updates.some((spec) => isPlainDoc(spec) && spec.sort !== undefined)) throw new MongoError(40415, "BSON field 'update.updates.sort' is an unknown field.");
  const writeErrors = await eachStatement(updates, ordered, async (spec, i) => {
    if (!isPlainDoc(spec)) throw failedToParse('update statement must be an object');
    const q = spec.q ?? {};
    if (!isPlainDoc(q)) throw failedToParse('q must be an object');
    const multi = spec.multi === true;
    const upsert = spec.upsert === true;
    const updater = compileUpdate(spec.u, spec.arrayFilters, isPlainDoc(spec.c) ? { ...variables, ...spec.c } : variables);
    if (multi && updater.kind === 'replace') throw failedToParse('multi update is not supported for replacement-style update');
    const collator = makeCollator(spec.collation);
    const matcher = compileFilter(q, { variables, collator });
    const coll = writeCollection(ctx, name, upsert);
    for (;;) {
      const matched: Doc[] = [];
      if (coll) {
        const r = ctx.store.find(coll, { filter: q, limit: multi ? 0 : 1, hint: spec.hint, variables, collator }, ctx.txn);
        for (let it = r.docs.next(); !it.done; it = r.docs.next()) matched.push(it.value);
      }
      if (matched.length > 0) {
        // compute every new document first, so waiting/retrying never half-applies a statement
        const results = matched.map((doc) => applyUpdate(updater, matcher, doc));
        const w = blocked(ctx, coll, matched.map((d, k) => ({ id: d._id, doc: results[k].modified ? results[k].doc : null })));
        if (w) { await w; continue; }
        for (let k = 0; k < matched.length; k++) {
          nMatched++;
          if (results[k].modified) {
            ctx.store.update(coll!, matched[k], results[k].doc, updater.kind === 'replace' ? 'replace' : 'update', ctx.txn, bypass);
            nModified++;
          }
        }
      } else if (upsert) {
        const doc = buildUpsertDoc(q, updater);
        validateIdValue(doc);
        const w = blocked(ctx, coll, [{ id: doc._id, doc }]);
        if (w) { await w; continue; }
        ctx.store.insert(coll!, doc, ctx.txn, bypass);
        upserted.push({ index: i, _id: doc._id });
      }
      break;
    }
  });
  const reply: Doc = { n: nMatched + upserted.length, nModified, ok: 1 };
  if (upserted.length) reply.upserted = upserted;
  if (writeErrors.length) reply.writeErrors = writeErrors;
  return reply;
};

export const del: Handler = async (cmd, ctx) => {
  const name = collName(cmd, ctx);
  const deletes = cmd.deletes;
  if (!Array.isArray(deletes)) throw failedToParse("BSON field 'delete.deletes' is missing but a required field");
  const ordered = cmd.ordered !== false;
  const variables = commandVariables(cmd.let);
  let n = 0;
  const coll = ctx.store.getCollection(ctx.db, name);
  const writeErrors = await eachStatement(deletes, ordered, async (spec) => {
    if (!isPlainDoc(spec)) throw failedToParse('delete statement must be an object');
    const q = spec.q ?? {};
    if (!isPlainDoc(q)) throw failedToParse('q must be an object');
    const limit = toNumber(spec.limit, 0);
    if (limit !== 0 && limit !== 1) throw failedToParse(`The limit field in delete objects must be 0 or 1. Got ${limit}`);
    if (!coll) { compileFilter(q); return; }
    let victims: Doc[];
    const collator = makeCollator(spec.collation);
    for (;;) {
      const r = ctx.store.find(coll, { filter: q, limit, hint: spec.hint, variables, collator }, ctx.txn);
      victims = [];
      for (let it = r.docs.next(); !it.done; it = r.docs.next()) victims.push(it.value);
      const w = blocked(ctx, coll, victims.map((d) => ({ id: d._id, doc: null })));
      if (!w) break;
      await w;
    }
    for (const d of victims) {
      ctx.store.delete(coll, d, ctx.txn);
      n++;
    }
  });
  const reply: Doc = { n, ok: 1 };
  if (writeErrors.length) reply.writeErrors = writeErrors;
  return reply;
};

export const findAndModify: Handler = async (cmd, ctx) => {
  const name = collName(cmd, ctx);
  const query = cmd.query ?? {};
  if (!isPlainDoc(query)) throw failedToParse('query must be an object');
  const remove = cmd.remove === true;
  const hasUpdate = cmd.update !== undefined && cmd.update !== null;
  const upsert = cmd.upsert === true;
  const returnNew = cmd.new === true;
  if (remove && hasUpdate) throw failedToParse('Cannot specify both an update and remove=true');
  if (!remove && !hasUpdate) throw failedToParse('Either an update or remove=true must be specified');
  if (remove && upsert) throw failedToParse('Cannot specify both upsert=true and remove=true');
  if (remove && returnNew) throw failedToParse('Cannot specify both new=true and remove=true; \'remove\' always returns the deleted document');
  const variables = commandVariables(cmd.let);
  const sort = parseSort(cmd.sort);
  const project = compileProjection(cmd.fields, variables);
  const updater = hasUpdate ? compileUpdate(cmd.update, cmd.arrayFilters, variables) : undefined;
  const bypass = cmd.bypassDocumentValidation === true;
  const coll = writeCollection(ctx, name, upsert);
  const collator = makeCollator(cmd.collation);
  const matcher = compileFilter(query, { variables, collator });
  const out = (d: Doc | null | undefined) => (d ? (project ? project(d) : d) : null);
  for (;;) {
    let doc: Doc | undefined;
    if (coll) {
      const r = ctx.store.find(coll, { filter: query, sort, limit: 1, hint: cmd.hint, variables, collator }, ctx.txn);
      const it = r.docs.next();
      if (!it.done) doc = it.value;
    }
    if (remove) {
      if (!doc) return { lastErrorObject: { n: 0 }, value: null, ok: 1 };
      const w = blocked(ctx, coll, [{ id: doc._id, doc: null }]);
      if (w) { await w; continue; }
      ctx.store.delete(coll!, doc, ctx.txn);
      return { lastErrorObject: { n: 1 }, value: out(doc), ok: 1 };
    }
    if (doc) {
      const res = applyUpdate(updater!, matcher, doc);
      const w = blocked(ctx, coll, [{ id: doc._id, doc: res.modified ? res.doc : null }]);
      if (w) { await w; continue; }
      if (res.modified) ctx.store.update(coll!, doc, res.doc, updater!.kind === 'replace' ? 'replace' : 'update', ctx.txn, bypass);
      return { lastErrorObject: { n: 1, updatedExisting: true }, value: out(returnNew ? res.doc : doc), ok: 1 };
    }
    if (upsert) {
      const nd = buildUpsertDoc(query, updater!);
      validateIdValue(nd);
      const w = blocked(ctx, coll, [{ id: nd._id, doc: nd }]);
      if (w) { await w; continue; }
      ctx.store.insert(coll!, nd, ctx.txn, bypass);
      return { lastErrorObject: { n: 1, updatedExisting: false, upserted: nd._id }, value: returnNew ? out(nd) : null, ok: 1 };
    }
    return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  }
};

