/**
 * Change-stream cursors: open (aggregate with $changeStream) and getMore over the change log
 * (log.ts). Update descriptions are computed lazily when an event is read.
 */
import type { Doc } from '../bson/codec.js';
import { Binary, Long, Timestamp, isPlainDoc, serialize, toNumber } from '../bson/codec.js';
import { MongoError, badValue } from '../errors.js';
import type { CmdContext } from '../commands/context.js';
import { DEFAULT_FIRST_BATCH } from '../cursors.js';
import type { ServerCursor } from '../cursors.js';
import { knownStage, makeOptions, runPipeline } from '../query/pipeline.js';
import { identical } from '../query/update.js';
import { cursorReply } from '../wire/raw.js';
import type { LogEvent } from './log.js';
import { seqOfToken, tokenFor } from './log.js';

interface StreamState {
  db: string;
  coll?: string;
  allDbs: boolean;
  /** Sequence number of the next event to read (the last one read is nextSeq - 1). */
  nextSeq: number;
  stages: Doc[];
  fullDocument: string;
  beforeChange: string;
  invalidated: boolean;
}

/** postBatchResumeToken: just after the last event the stream has read. */
function resumePoint(st: StreamState): Doc {
  return { postBatchResumeToken: tokenFor(st.nextSeq - 1) };
}

function diff(before: Doc, after: Doc, prefix: string, updated: Doc, removed: string[]): void {
  for (const k of Object.keys(after)) {
    const a = after[k];
    if (!Object.prototype.hasOwnProperty.call(before, k)) { updated[prefix + k] = a; continue; }
    const b = before[k];
    if (a === b) continue;
    if (isPlainDoc(a) && isPlainDoc(b)) diff(b, a, prefix + k + '.', updated, removed);
    else if (!identical(a, b)) updated[prefix + k] = a;
  }
  for (const k of Object.keys(before)) if (!Object.prototype.hasOwnProperty.call(after, k)) removed.push(prefix + k);
}

function relevant(st: StreamState, e: LogEvent): boolean {
  const op = e.op;
  if (op.op === 'dd') return st.allDbs || (op.db === st.db && !st.coll);
  if (!st.allDbs && op.db !== st.db) return false;
  if (st.coll && op.c !== st.coll) return false;
  return true;
}

function eventDoc(ctx: CmdContext, st: StreamState, e: LogEvent): Doc | undefined {
  const op = e.op;
  const base: Doc = { _id: tokenFor(e.seq) };
  const common = (type: string, extra: Doc): Doc => {
    const d: Doc = { ...base, operationType: type, clusterTime: new Timestamp({ t: e.t, i: e.i }), wallTime: e.wall, ...extra };
    if (e.txn) {
      d.txnNumber = Long.fromNumber(e.txn.txnNumber);
      d.lsid = /^[0-9a-f]{32}$/.test(e.txn.lsid) ? { id: new Binary(Buffer.from(e.txn.lsid, 'hex'), 4) } : { id: e.txn.lsid };
    }
    return d;
  };
  switch (op.op) {
    case 'i':
      return common('insert', { ns: { db: op.db, coll: op.c }, documentKey: { _id: op.doc._id }, fullDocument: op.doc });
    case 'u': {
      const extra: Doc = { ns: { db: op.db, coll: op.c }, documentKey: { _id: op.doc._id } };
      if (op.kind === 'replace') extra.fullDocument = op.doc;
      else {
        const updatedFields: Doc = {}, removedFields: string[] = [];
        diff(op.before, op.doc, '', updatedFields, removedFields);
        extra.updateDescription = { updatedFields, removedFields, truncatedArrays: [] };
        if (st.fullDocument === 'updateLookup') {
          extra.fullDocument = ctx.store.getCollection(op.db, op.c)?.getById(op.doc._id)?.doc ?? null;
        } else if (st.fullDocument === 'whenAvailable' || st.fullDocument === 'required') {
          if (!e.images && st.fullDocument === 'required') {
            throw new MongoError(47, `Change stream was configured to require a post-image for all update events, but the post-image was not found for event: ${e.seq}`);
          }
          extra.fullDocument = e.images ? op.doc : null;
        }
      }
      addPreImage(st, e, op.before, extra);
      return common(op.kind === 'replace' ? 'replace' : 'update', extra);
    }
    case 'd': {
      const extra: Doc = { ns: { db: op.db, coll: op.c }, documentKey: { _id: op.id } };
      addPreImage(st, e, op.before, extra);
      return common('delete', extra);
    }
    case 'dc':
      return common('drop', { ns: { db: op.db, coll: op.c } });
    case 'rc':
      return common('rename', { ns: { db: op.db, coll: op.c }, to: { db: op.toDb, coll: op.toC } });
    case 'dd':
      return common('dropDatabase', { ns: { db: op.db } });
  }
  return undefined;
}

/** fullDocumentBeforeChange: only collections with changeStreamPreAndPostImages recorded one. */
function addPreImage(st: StreamState, e: LogEvent, before: Doc, extra: Doc): void {
  if (st.beforeChange !== 'whenAvailable' && st.beforeChange !== 'required') return;
  if (!e.images && st.beforeChange === 'required') {
    throw new MongoError(51770, `Change stream was configured to require a pre-image for all update, delete and replace events, but pre-image id was not available for event: ${e.seq}`);
  }
  extra.fullDocumentBeforeChange = e.images ? before : null;
}

/** Builds documents for events from st.nextSeq on; stops after an invalidating event. */
function collect(ctx: CmdContext, st: StreamState, max: number): Doc[] {
  const out: Doc[] = [];
  const log = ctx.server.changeLog;
  if (st.invalidated) return out;
  const events = log.entries;
  const raw: Doc[] = [];
  for (let k = log.indexFrom(st.nextSeq); k < events.length; k++) {
    const e = events[k];
    st.nextSeq = e.seq + 1;
    if (!relevant(st, e)) continue;
    const d = eventDoc(ctx, st, e);
    if (!d) continue;
    raw.push(d);
    const op = e.op.op;
    const invalidates = (st.coll && (op === 'dc' || op === 'rc')) || (!st.coll && !st.allDbs && op === 'dd');
    if (invalidates) {
      raw.push({ _id: { _data: tokenFor(e.seq)._data + '01' }, operationType: 'invalidate', clusterTime: new Timestamp({ t: e.t, i: e.i }), wallTime: e.wall });
      st.invalidated = true;
      break;
    }
    if (raw.length >= max) break;
  }
  if (raw.length === 0) return out;
  const filtered = st.stages.length ? runPipeline(raw, st.stages, makeOptions()) : raw;
  for (const d of filtered) {
    if (!isPlainDoc(d._id) || typeof d._id._data !== 'string') {
      // resuming cannot help: the same pipeline would remove the token again
      throw new MongoError(280, 'Encountered an event whose _id field, which contains the resume token, was modified by the pipeline.', {}, ['NonResumableChangeStreamError']);
    }
    out.push(d);
  }
  return out;
}

const ALLOWED_STAGES = new Set(['$match', '$project', '$addFields', '$set', '$unset', '$replaceRoot', '$replaceWith', '$redact']);

export function openChangeStream(ctx: CmdContext, cmd: Doc, coll: string | undefined, pipeline: Doc[], batchSize: number): Buffer {
  if (ctx.txn) throw new MongoError(263, 'Operation not permitted in transaction: $changeStream');
  const spec = pipeline[0].$changeStream;
  if (!isPlainDoc(spec)) throw badValue('$changeStream stage must be an object');
  const stages = pipeline.slice(1);
  for (const s of stages) {
    const n = Object.keys(s)[0];
    if (!ALLOWED_STAGES.has(n)) {
      if (!knownStage(n)) throw new MongoError(40324, `Unrecognized pipeline stage name: '${n}'`);
      throw new MongoError(20, `${n} is not permitted in a $changeStream pipeline`);
    }
  }
  const allDbs = spec.allChangesForCluster === true;
  if (allDbs && ctx.db !== 'admin') throw badValue("$changeStream may only be opened on the 'admin' database if allChangesForCluster is true");
  const log = ctx.server.changeLog;
  let nextSeq = log.lastSeq + 1;
  const token = spec.resumeAfter ?? spec.startAfter;
  if (token !== undefined) {
    const s = seqOfToken(token);
    if (s + 1 < log.firstSeq && s < log.lastSeq) throw new MongoError(286, 'Resume of change stream was not possible, as the resume point may no longer be in the oplog.');
    nextSeq = s + 1;
  } else if (spec.startAtOperationTime !== undefined) {
    const ts = spec.startAtOperationTime;
    if (ts?._bsontype !== 'Timestamp') throw badValue('startAtOperationTime must be a timestamp');
    nextSeq = log.firstAtOrAfter(ts);
  }
  const st: StreamState = {
    db: ctx.db,
    coll,
    allDbs,
    nextSeq,
    stages,
    fullDocument: String(spec.fullDocument ?? 'default'),
    beforeChange: String(spec.fullDocumentBeforeChange ?? 'off'),
    invalidated: false,
  };
  const ns = coll ? `${ctx.db}.${coll}` : `${ctx.db}.$cmd.aggregate`;
  const docs = collect(ctx, st, batchSize > 0 ? batchSize : DEFAULT_FIRST_BATCH);
  const cursor = ctx.server.cursors.create({ ns, it: [][Symbol.iterator](), remaining: 0, sessionId: ctx.session?.id, changeStream: st });
  return cursorReply('firstBatch', docs.map(serialize), cursor.id, ns, resumePoint(st));
}

export async function changeStreamGetMore(ctx: CmdContext, c: ServerCursor, batchSize: number, maxTimeMS: unknown): Promise<Buffer> {
  const st = c.changeStream as StreamState;
  const max = batchSize > 0 ? batchSize : 1000;
  if (st.invalidated) {
    ctx.server.cursors.kill(c.id);
    return cursorReply('nextBatch', [], Long.ZERO, c.ns, resumePoint(st));
  }
  let docs = collect(ctx, st, max);
  if (docs.length === 0 && !ctx.server.stopping) {
    const wait = maxTimeMS !== undefined ? Math.max(0, Math.min(toNumber(maxTimeMS, 1000), 60_000)) : 1000;
    await ctx.server.changeLog.wait(wait, (cancel) => ctx.server.trackWaiter(cancel));
    if (!ctx.server.cursors.get(c.id)) return cursorReply('nextBatch', [], Long.ZERO, c.ns, resumePoint(st));
    docs = collect(ctx, st, max);
  }
  c.lastUse = Date.now();
  const id = st.invalidated && docs.length === 0 ? Long.ZERO : c.id;
  if (id === Long.ZERO) ctx.server.cursors.kill(c.id);
  return cursorReply('nextBatch', docs.map(serialize), id, c.ns, resumePoint(st));
}
