/**
 * The write path: document validation, plain writes (applied and committed at once, capped
 * collections trimmed) and transactional writes (buffered in the transaction, checked for write
 * conflicts and unique keys, applied atomically by commitTxn under one commit timestamp).
 */
import type { Doc } from '../bson/codec.js';
import { bsonSize, isPlainDoc, toNumber } from '../bson/codec.js';
import { keyString } from '../bson/order.js';
import { MongoError, writeConflict } from '../errors.js';
import type { Matcher } from '../query/matcher.js';
import { compileFilter } from '../query/matcher.js';
import type { Txn, TxnWrite } from '../txn/transaction.js';
import type { ChangeOp } from './catalog.js';
import type { Collection, Rec } from './collection.js';
import type { Keys } from './indexes.js';
import { UNCHANGED, duplicateKeyError } from './indexes.js';
import { Versions } from './versions.js';

type Validator = { m: Matcher; action: string; level: string } | null;

export abstract class WritePath extends Versions {
  /** Compiled validators per collection, for the options object they were compiled from. */
  private validators = new WeakMap<Collection, { options: Doc; v: Validator }>();

  private validator(coll: Collection): Validator {
    const cached = this.validators.get(coll);
    if (cached !== undefined && cached.options === coll.options) return cached.v;
    const spec = coll.options.validator;
    const v = spec && isPlainDoc(spec) && Object.keys(spec).length > 0 && coll.options.validationLevel !== 'off'
      ? { m: compileFilter(spec), action: String(coll.options.validationAction ?? 'error'), level: String(coll.options.validationLevel ?? 'strict') }
      : null;
    this.validators.set(coll, { options: coll.options, v });
    return v;
  }


  private validate(coll: Collection, doc: Doc, before: Doc | null, bypass?: boolean): void {
    if (bypass) return;
    const v = this.validator(coll);
    if (!v || v.action === 'warn') return;
    if (v.level === 'moderate' && before && !v.m(before)) return;
    if (!v.m(doc)) {
      throw new MongoError(121, 'Document failed validation', { errInfo: { failingDocumentId: doc._id, details: {} } });
    }
  }

  /**
   * Safety net: the write commands wait for a transaction holding the document or key before
   * writing (see blockerFor); internal writers ($out/$merge, capped trimming) do not, so a plain
   * write that still meets a lock aborts the holder rather than corrupting its snapshot.
   */
  private breakLocks(coll: Collection, idKey: string, keys: (Keys | null)[] | null): void {
    if (this.activeTxns.size === 0) return;
    const holder = coll.locks.get(idKey) as Txn | undefined;
    if (holder) this.abortTxn(holder, writeConflict('Write conflict: a non-transactional write touched a document locked by this transaction'));
    if (keys && coll.pendingKeys.size > 0) {
      coll.indexes.forEach((ix, i) => {
        if (!ix.refusesNewDuplicates || !keys[i]) return;
        for (const ks of keys[i]!.s) {
          const t = coll.pendingKeys.get(ix.name + '\u0002' + ks) as Txn | undefined;
          if (t) this.abortTxn(t, writeConflict());
        }
      });
    }
  }

  // Writes. `before` is the document as the caller read it (for updates/deletes).

  insert(coll: Collection, doc: Doc, txn?: Txn, bypassValidation?: boolean): void {
    this.validate(coll, doc, null, bypassValidation);
    if (txn) return this.txnWrite(coll, txn, null, doc, 'insert');
    const keys = coll.prepare(doc, undefined);
    this.breakLocks(coll, keyString(doc._id), keys);
    const ts = ++this.clock;
    const rec = coll.insertRec(doc, keys, ts);
    this.recordHistory(coll, rec.rid, null, ts);
    this.commit([{ op: 'i', db: coll.db, c: coll.name, doc }], undefined, ts);
    if (coll.options.capped === true) this.enforceCap(coll, doc);
  }

  /** Capped collections: remove the oldest documents beyond `max` documents or `size` bytes. */
  private enforceCap(coll: Collection, inserted: Doc): void {
    const max = toNumber(coll.options.max, 0);
    const size = toNumber(coll.options.size, 0);
    let bytes = 0;
    if (size > 0) {
      // running total, recomputed only when something other than this insert changed the data
      const c = coll.cappedBytes;
      if (c && c.mutations === coll.mutations - 1) bytes = c.bytes + bsonSize(inserted);
      else for (const r of coll.records.values()) bytes += bsonSize(r.doc);
    }
    while (coll.size > 1 && ((max > 0 && coll.size > max) || (size > 0 && bytes > size))) {
      const oldest = coll.records.values().next().value!;
      if (size > 0) bytes -= bsonSize(oldest.doc);
      this.delete(coll, oldest.doc);
    }
    if (size > 0) coll.cappedBytes = { mutations: coll.mutations, bytes };
  }

  update(coll: Collection, before: Doc, after: Doc, kind: 'update' | 'replace', txn?: Txn, bypassValidation?: boolean): void {
    this.validate(coll, after, before, bypassValidation);
    if (txn) return this.txnWrite(coll, txn, before, after, kind);
    const rec = coll.getById(before._id);
    // The caller read `before` and computes `after` synchronously, so this cannot happen; refuse
    // rather than overwrite a newer version (a lost update).
    if (!rec || rec.doc !== before) throw writeConflict('document changed between read and write');
    const keys = coll.prepare(after, rec.rid, undefined, rec.doc);
    this.breakLocks(coll, keyString(before._id), keys);
    const ts = ++this.clock;
    this.recordHistory(coll, rec.rid, rec.doc, ts);
    coll.replaceRec(rec, after, keys, ts);
    this.commit([{ op: 'u', db: coll.db, c: coll.name, doc: after, before, kind }], undefined, ts);
  }

  delete(coll: Collection, before: Doc, txn?: Txn): void {
    if (txn) return this.txnWrite(coll, txn, before, null, 'delete');
    const rec = coll.getById(before._id);
    if (!rec) return;
    this.breakLocks(coll, keyString(before._id), null);
    const ts = ++this.clock;
    this.recordHistory(coll, rec.rid, rec.doc, ts);
    if (this.activeTxns.size > 0) coll.recentDeletes.set(keyString(before._id), ts);
    coll.deleteRec(rec);
    this.commit([{ op: 'd', db: coll.db, c: coll.name, id: before._id, before }], undefined, ts);
  }

  private txnWrite(coll: Collection, txn: Txn, before: Doc | null, after: Doc | null, op: TxnWrite['op']): void {
    this.assertActive(txn);
    const id = (after ?? before)!._id;
    const idKey = keyString(id);
    let ws = txn.writes.get(coll);
    const prev = ws?.get(idKey);
    const holder = coll.locks.get(idKey) as Txn | undefined;
    if (holder && holder !== txn) this.failTxn(txn, writeConflict());
    if (!prev) {
      // First write of this document by the transaction: it must be unchanged since the snapshot.
      const current = coll.getByKey(idKey);
      if (before === null) {
        if (current) {
          if (current.ts > txn.snapshot) this.failTxn(txn, writeConflict());
          throw duplicateKeyError(coll.ns, coll.idIndex, [id]);
        }
        // a document with this _id that existed at the snapshot but was deleted since
        const del = coll.recentDeletes.get(idKey);
        if (del !== undefined && del > txn.snapshot) this.failTxn(txn, writeConflict());
      } else if (!current || current.doc !== before) {
        this.failTxn(txn, writeConflict());
      }
    } else if (before === null && prev.doc !== null) {
      throw duplicateKeyError(coll.ns, coll.idIndex, [id]);
    }
    const pending: string[] = [];
    if (after) {
      // Unique checks against committed data (minus what we rewrite), our other writes, other txns.
      const mine = ws;
      const ignore = (rid: number) => {
        const r = coll.records.get(rid);
        return !!r && !!mine && mine.has(keyString(r.doc._id));
      };
      // a first write can skip the indexes whose fields it leaves as committed (its own keys)
      const keys = this.prepareInTxn(coll, txn, after, ignore, prev ? undefined : before ?? undefined);
      // Our own other writes hold their unique keys in pendingKeys too (owner: this transaction),
      // so a clash with one of them is found by key, not by walking every write of the
      // transaction: that walk made a transaction of n inserts cost n² (10,000 imported
      // agreements took minutes and timed out the driver's monitor).
      coll.indexes.forEach((ix, i) => {
        if (!ix.refusesNewDuplicates || !keys[i] || ix.isId) return;
        // keys a first write leaves as committed are held too, so a later insert of ours meets them here
        const held = keys[i] === UNCHANGED ? ix.keysOf(after) : keys[i];
        // (a prepared index holds only the keys new to the document: others may share its committed ones)
        const own = held && ix.newKeys(held, coll.getByKey(idKey)?.doc);
        if (!own) return;
        for (let j = 0; j < own.s.length; j++) {
          const pk = ix.name + '\u0002' + own.s[j];
          const owner = coll.pendingKeys.get(pk) as Txn | undefined;
          if (owner && owner !== txn) this.failTxn(txn, writeConflict());
          if (owner === txn && !prev?.pending.includes(pk)) throw duplicateKeyError(coll.ns, ix, own.t[j]);
          pending.push(pk);
        }
      });
    }
    // record
    if (!ws) txn.writes.set(coll, (ws = new Map()));
    if (prev) for (const pk of prev.pending) if (coll.pendingKeys.get(pk) === txn) coll.pendingKeys.delete(pk);
    for (const pk of pending) coll.pendingKeys.set(pk, txn);
    const base = prev ? prev.base : before;
    let kind: TxnWrite['op'] = op;
    if (prev) {
      if (prev.op === 'insert' && after) kind = 'insert';
      else if (after && prev.op !== 'delete') kind = prev.op === 'replace' || op === 'replace' ? 'replace' : 'update';
    }
    if (prev && prev.op === 'insert' && !after) {
      ws.delete(idKey); // insert then delete inside the transaction: nothing to commit
      if (coll.locks.get(idKey) === txn) coll.locks.delete(idKey);
      return;
    }
    ws.set(idKey, { doc: after, base, pending, op: kind });
    coll.locks.set(idKey, txn);
  }

  private prepareInTxn(coll: Collection, txn: Txn, doc: Doc, ignore: (rid: number) => boolean, old?: Doc): (Keys | null)[] {
    const keys: (Keys | null)[] = [];
    const selfRid = coll.ridById(doc._id);
    for (let i = 0; i < coll.indexes.length; i++) {
      const ix = coll.indexes[i];
      if (old && ix.keysUnchanged(old, doc)) { keys.push(UNCHANGED); continue; }
      const k = ix.keysOf(doc);
      keys.push(k);
      if (!k || !ix.refusesNewDuplicates || ix.isId) continue;
      const c = ix.findConflict(ix.newKeys(k, selfRid === undefined ? undefined : coll.records.get(selfRid)?.doc), selfRid, ignore);
      if (c) {
        const rec = coll.records.get(c.rid)!;
        if (rec.ts > txn.snapshot) this.failTxn(txn, writeConflict());
        throw duplicateKeyError(coll.ns, ix, c.key);
      }
    }
    return keys;
  }

  commitTxn(txn: Txn): void {
    this.assertActive(txn);
    // Validate everything before applying anything (atomic commit).
    const plans: { coll: Collection; idKey: string; w: TxnWrite; rec?: Rec; keys?: (Keys | null)[] }[] = [];
    for (const [coll, ws] of txn.writes) {
      if (this.getCollection(coll.db, coll.name) !== coll) this.failTxn(txn, writeConflict());
      const touched = new Set<number>();
      for (const idKey of ws.keys()) {
        const rid = coll.ridByKey(idKey);
        if (rid !== undefined) touched.add(rid);
      }
      for (const [idKey, w] of ws) {
        const rec = coll.getByKey(idKey);
        if (w.base ? rec?.doc !== w.base : rec !== undefined) this.failTxn(txn, writeConflict());
        let keys: (Keys | null)[] | undefined;
        if (w.doc) {
          try {
            keys = coll.prepare(w.doc, rec?.rid, (r) => touched.has(r), rec?.doc);
          } catch (e) {
            this.failTxn(txn, writeConflict(`Write conflict at commit: ${(e as Error).message}`));
          }
        }
        plans.push({ coll, idKey, w, rec, keys });
      }
    }
    const ts = ++this.clock;
    const ops: ChangeOp[] = [];
    for (const { coll, idKey, w, rec, keys } of plans) {
      if (!w.doc) {
        if (rec) {
          this.recordHistory(coll, rec.rid, rec.doc, ts);
          if (this.activeTxns.size > 1) coll.recentDeletes.set(idKey, ts);
          coll.deleteRec(rec);
          ops.push({ op: 'd', db: coll.db, c: coll.name, id: w.base!._id, before: w.base! });
        }
      } else if (rec) {
        this.recordHistory(coll, rec.rid, rec.doc, ts);
        coll.replaceRec(rec, w.doc, keys!, ts);
        ops.push({ op: 'u', db: coll.db, c: coll.name, doc: w.doc, before: w.base!, kind: w.op === 'replace' ? 'replace' : 'update' });
      } else {
        const r = coll.insertRec(w.doc, keys!, ts);
        this.recordHistory(coll, r.rid, null, ts);
        ops.push({ op: 'i', db: coll.db, c: coll.name, doc: w.doc });
      }
    }
    txn.state = 'committed';
    this.releaseTxn(txn);
    this.commit(ops, txn, ts);
  }
}
