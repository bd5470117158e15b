/**
 * The database state: catalog of databases and collections, the commit clock, the single write
 * path (non-transactional and transactional), and the read path (planner + MVCC for
 * transactions). Every committed change goes through `commit()` so the journal, the change-stream
 * log and the transaction history see exactly the same sequence.
 */
import type { Doc } from '../bson/codec.js';
import { Timestamp, bsonSize, isPlainDoc, toNumber } from '../bson/codec.js';
import { keyString } from '../bson/order.js';
import { MongoError, writeConflict, noSuchTransaction } from '../errors.js';
import type { Matcher } from '../query/matcher.js';
import { compileFilter } from '../query/matcher.js';
import type { SortField } from '../query/sort.js';
import type { Collator } from '../query/collation.js';
import { sortDocs, sortDocsTopK } from '../query/sort.js';
import { Txn } from '../txn/transaction.js';
import type { TxnWrite } from '../txn/transaction.js';
import type { Rec } from './collection.js';
import { Collection, assertValidCollName, assertValidDbName } from './collection.js';
import type { IndexSpec } from './indexes.js';
import type { Index, Keys } from './indexes.js';
import { UNCHANGED, duplicateKeyError } from './indexes.js';
import type { Plan } from './planner.js';
import { plan as makePlan } from './planner.js';

/** One committed change, as journaled and as fed to change streams. */
export type ChangeOp =
  | { op: 'i'; db: string; c: string; doc: Doc; rid?: number }
  | { op: 'u'; db: string; c: string; doc: Doc; before: Doc; kind: 'update' | 'replace' }
  | { op: 'd'; db: string; c: string; id: unknown; before: Doc }
  | { op: 'cc'; db: string; c: string; options: Doc; uuid: string; idIndex?: IndexSpec }
  | { op: 'dc'; db: string; c: string }
  | { op: 'ci'; db: string; c: string; spec: IndexSpec }
  | { op: 'di'; db: string; c: string; name: string }
  | { op: 'dd'; db: string }
  | { op: 'rc'; db: string; c: string; toDb: string; toC: string };

/**
 * `ts` is the commit clock; the commit's cluster time is the Timestamp (t, ts): `t` the wall-clock
 * second, never going back, and the clock as the increment, so cluster times order as commits do
 * and a Timestamp this server handed out names its commit exactly.
 */
export interface CommitInfo { ts: number; t: number; wall: Date; txn?: { lsid: string; txnNumber: number } }

export interface StoreHooks {
  /** Called for every committed change group (journal + change streams). */
  onCommit?: (ops: ChangeOp[], info: CommitInfo) => void;
}

export interface FindSpec {
  filter?: Doc;
  collator?: Collator;
  sort?: SortField[];
  skip?: number;
  limit?: number;
  hint?: unknown;
  variables?: Doc;
}

export interface FindResult {
  docs: Iterator<Doc>;
  plan: Plan;
  stats: { docsExamined: number };
}

export class Store {
  dbs = new Map<string, Map<string, Collection>>();
  /** Commit clock: every commit unit gets the next value. */
  clock = 0;
  /** Seconds of the last commit's cluster time (see CommitInfo). */
  clockSeconds = Math.floor(Date.now() / 1000);
  activeTxns = new Set<Txn>();
  hooks: StoreHooks = {};
  /** Cached validators per collection. */
  private validators = new WeakMap<Collection, { m: Matcher; action: string; level: string } | null>();

  // -------------------------------------------------------------------------------------------
  // Catalog

  getCollection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  listDatabases(): string[] {
    return [...this.dbs.keys()].filter((d) => (this.dbs.get(d)?.size ?? 0) > 0);
  }

  listCollections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  /** Registers `coll` in the catalog under its current db and name (no commit record). */
  attach(coll: Collection): void {
    let m = this.dbs.get(coll.db);
    if (!m) this.dbs.set(coll.db, (m = new Map()));
    m.set(coll.name, coll);
  }

  /** Removes db.name from the catalog, and the database once empty (no commit record). */
  detach(db: string, name: string): Collection | undefined {
    const m = this.dbs.get(db);
    const coll = m?.get(name);
    if (!coll) return undefined;
    m!.delete(name);
    if (m!.size === 0) this.dbs.delete(db);
    return coll;
  }

  /** Creates the collection if needed; returns [collection, created]. */
  ensureCollection(db: string, name: string, options: Doc = {}): [Collection, boolean] {
    const existing = this.getCollection(db, name);
    if (existing) return [existing, false];
    assertValidDbName(db);
    assertValidCollName(name);
    if (name.startsWith('system.') && !['system.js', 'system.views', 'system.profile'].includes(name)) {
      throw new MongoError(73, `Invalid system namespace: ${db}.${name}`);
    }
    const coll = new Collection(db, name, options);
    this.attach(coll);
    this.commit([{ op: 'cc', db, c: name, options, uuid: coll.uuid.toHexString() }]);
    return [coll, true];
  }

  createCollection(db: string, name: string, options: Doc): Collection {
    if (this.getCollection(db, name)) throw new MongoError(48, `Collection ${db}.${name} already exists.`);
    return this.ensureCollection(db, name, options)[0];
  }

  dropCollection(db: string, name: string): Collection | undefined {
    const coll = this.getCollection(db, name);
    if (!coll) return undefined;
    this.abortTxnsTouching(coll);
    this.detach(db, name);
    this.commit([{ op: 'dc', db, c: name }]);
    return coll;
  }

  dropDatabase(db: string): void {
    const m = this.dbs.get(db);
    if (!m) return;
    for (const c of m.values()) this.abortTxnsTouching(c);
    this.dbs.delete(db);
    this.commit([{ op: 'dd', db }]);
  }

  renameCollection(db: string, name: string, toDb: string, toName: string, dropTarget: boolean): void {
    const coll = this.getCollection(db, name);
    if (!coll) throw new MongoError(26, `Source collection ${db}.${name} does not exist`);
    assertValidDbName(toDb);
    assertValidCollName(toName);
    if (db === toDb && name === toName) throw new MongoError(20, "Can't rename a collection to itself");
    const target = this.getCollection(toDb, toName);
    if (target) {
      if (!dropTarget) throw new MongoError(48, 'target namespace exists');
      this.dropCollection(toDb, toName);
    }
    this.abortTxnsTouching(coll);
    this.detach(db, name);
    coll.db = toDb;
    coll.name = toName;
    this.attach(coll);
    this.commit([{ op: 'rc', db, c: name, toDb, toC: toName }]);
  }

  createIndex(coll: Collection, spec: IndexSpec): Index {
    const ix = coll.addIndex(spec);
    this.commit([{ op: 'ci', db: coll.db, c: coll.name, spec }]);
    return ix;
  }

  /** collMod of an index option (TTL): journaled as the index's new spec. */
  updateIndexSpec(coll: Collection, ix: Index, spec: IndexSpec): void {
    ix.setExpireAfterSeconds(spec.expireAfterSeconds);
    this.commit([{ op: 'ci', db: coll.db, c: coll.name, spec: ix.spec }]);
  }

  dropIndex(coll: Collection, name: string): void {
    coll.indexes = coll.indexes.filter((i) => i.name !== name);
    this.commit([{ op: 'di', db: coll.db, c: coll.name, name }]);
  }

  // -------------------------------------------------------------------------------------------
  // Commit plumbing

  private commit(ops: ChangeOp[], txn?: Txn, ts = ++this.clock): void {
    if (ops.length === 0) return;
    const wall = new Date();
    this.clockSeconds = Math.max(this.clockSeconds, Math.floor(wall.getTime() / 1000));
    this.hooks.onCommit?.(ops, { ts, t: this.clockSeconds, wall, txn: txn ? { lsid: txn.sessionId, txnNumber: txn.txnNumber } : undefined });
  }

  /** The cluster time of the last commit: what replies carry as operationTime and $clusterTime. */
  clusterTime(): Timestamp {
    return new Timestamp({ t: this.clockSeconds, i: this.clock });
  }

  /**
   * The commit clock a cluster time names (the last commit at or before it), or undefined when it
   * is later than the last commit.
   */
  clockAt(ts: Timestamp): number | undefined {
    const t = ts.high >>> 0, i = ts.low >>> 0;
    if (t > this.clockSeconds || (t === this.clockSeconds && i > this.clock)) return undefined;
    return Math.min(i, this.clock);
  }

  /** Remember the superseded version for open transactions that may still read it. */
  private recordHistory(coll: Collection, rid: number, oldDoc: Doc | null, ts: number): void {
    if (this.activeTxns.size > 0) coll.pushHistory(rid, oldDoc, ts);
  }

  private validator(coll: Collection): { m: Matcher; action: string; level: string } | null {
    let v = this.validators.get(coll);
    if (v === undefined) {
      const spec = coll.options.validator;
      v = spec && isPlainDoc(spec) && Object.keys(spec).length > 0 && coll.options.validationLevel !== 'off'
        ? { m: compileFilter(spec), action: String(coll.options.validationAction ?? 'error'), level: String(coll.options.validationLevel ?? 'strict') }
        : null;
      this.validators.set(coll, v);
    }
    return v;
  }

  setCollectionOptions(coll: Collection, options: Doc): void {
    coll.options = options;
    this.validators.delete(coll);
    this.commit([{ op: 'cc', db: coll.db, c: coll.name, options, uuid: coll.uuid.toHexString() }]);
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
        if (!ix.unique || !keys[i]) return;
        for (const ks of keys[i]!.s) {
          const t = coll.pendingKeys.get(ix.name + '\u0002' + ks) as Txn | undefined;
          if (t) this.abortTxn(t, writeConflict());
        }
      });
    }
  }

  // -------------------------------------------------------------------------------------------
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

  // -------------------------------------------------------------------------------------------
  // Transactions

  beginTxn(sessionId: string, txnNumber: number): Txn {
    const t = new Txn(sessionId, txnNumber, this.clock);
    this.activeTxns.add(t);
    return t;
  }

  /**
   * Keeps the versions current at commit `clock` readable, as an open transaction does, for
   * snapshot reads outside transactions (a pin writes nothing; abortTxn releases it).
   */
  pinSnapshot(sessionId: string, clock: number): Txn {
    const t = new Txn(sessionId, -1, clock);
    this.activeTxns.add(t);
    return t;
  }

  /** Whether every version current at commit `clock` can still be read (an open snapshot at or before it keeps them). */
  historyKeptSince(clock: number): boolean {
    for (const t of this.activeTxns) if (t.snapshot <= clock) return true;
    return false;
  }

  assertActive(txn: Txn): void {
    if (txn.state === 'active') return;
    if (txn.abortError) throw txn.abortError;
    throw noSuchTransaction(txn.txnNumber);
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
      coll.indexes.forEach((ix, i) => {
        if (!ix.unique || !keys[i] || ix.isId) return;
        for (const ks of keys[i]!.s) {
          const pk = ix.name + '\u0002' + ks;
          const owner = coll.pendingKeys.get(pk) as Txn | undefined;
          if (owner && owner !== txn) this.failTxn(txn, writeConflict());
          pending.push(pk);
        }
      });
      if (mine) {
        for (const [k, w] of mine) {
          if (k === idKey || !w.doc) continue;
          for (let i = 1; i < coll.indexes.length; i++) {
            const ix = coll.indexes[i];
            if (!ix.unique || !keys[i]) continue;
            const other = ix.keysOf(w.doc);
            if (!other) continue;
            const os = new Set(other.s);
            const mineKeys = keys[i]!;
            for (let j = 0; j < mineKeys.s.length; j++) if (os.has(mineKeys.s[j])) throw duplicateKeyError(coll.ns, ix, mineKeys.t[j]);
          }
        }
      }
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
      if (!k || !ix.unique || ix.isId) continue;
      const c = ix.findConflict(k, selfRid, ignore);
      if (c) {
        const rec = coll.records.get(c.rid)!;
        if (rec.ts > txn.snapshot) this.failTxn(txn, writeConflict());
        throw duplicateKeyError(coll.ns, ix, c.key);
      }
    }
    return keys;
  }

  /** Aborts `txn` with `e` and throws it (the server aborts a transaction on a write conflict). */
  private failTxn(txn: Txn, e: MongoError): never {
    this.abortTxn(txn, e);
    throw e;
  }

  abortTxn(txn: Txn, reason?: MongoError): void {
    if (txn.state !== 'active') return;
    txn.state = 'aborted';
    if (reason) txn.abortError = reason;
    this.releaseTxn(txn);
  }

  private releaseTxn(txn: Txn): void {
    for (const [coll, ws] of txn.writes) {
      for (const [idKey, w] of ws) {
        if (coll.locks.get(idKey) === txn) coll.locks.delete(idKey);
        for (const pk of w.pending) if (coll.pendingKeys.get(pk) === txn) coll.pendingKeys.delete(pk);
      }
    }
    this.activeTxns.delete(txn);
    this.pruneHistory();
    txn.finished();
  }

  /**
   * The open transaction (if any) that holds one of these documents or unique keys. A plain write
   * must wait for it to end, as in MongoDB (callers check before applying anything, then retry).
   */
  blockerFor(coll: Collection, items: { id: unknown; doc: Doc | null }[]): Txn | undefined {
    if (coll.locks.size === 0 && coll.pendingKeys.size === 0) return undefined;
    for (const { id, doc } of items) {
      const holder = coll.locks.get(keyString(id)) as Txn | undefined;
      if (holder && holder.state === 'active') return holder;
      if (!doc || coll.pendingKeys.size === 0) continue;
      for (const ix of coll.indexes) {
        if (!ix.unique || ix.isId) continue;
        const keys = ix.keysOf(doc);
        if (!keys) continue;
        for (const ks of keys.s) {
          const t = coll.pendingKeys.get(ix.name + '\u0002' + ks) as Txn | undefined;
          if (t && t.state === 'active') return t;
        }
      }
    }
    return undefined;
  }

  pruneHistory(): void {
    let min = Infinity;
    for (const t of this.activeTxns) if (t.snapshot < min) min = t.snapshot;
    for (const m of this.dbs.values()) for (const c of m.values()) if (c.history.size > 0) c.pruneHistory(min);
  }

  private abortTxnsTouching(coll: Collection): void {
    for (const t of [...this.activeTxns]) {
      if (t.writes.has(coll)) this.abortTxn(t, writeConflict('collection dropped or renamed during the transaction'));
    }
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

  // -------------------------------------------------------------------------------------------
  // Reads

  /**
   * Documents matching `spec`, in order, lazily. With a transaction that has written to this
   * collection, or that sees commits made after its snapshot, reads go through the MVCC path.
   */
  find(coll: Collection, spec: FindSpec, txn?: Txn): FindResult {
    const matcher = compileFilter(spec.filter, { variables: spec.variables, collator: spec.collator });
    const mvcc = !!txn && (txn.writes.has(coll) || coll.changedAfter(txn.snapshot));
    if (!spec.sort && spec.hint === undefined && !spec.collator && !spec.skip && !mvcc) {
      const quick = quickEquality(coll, spec.filter);
      // large result sets go through the lazy general path (cursor batches)
      if (quick && (quick.rids.length <= 1000 || spec.limit)) {
        const stats = { docsExamined: 0 };
        const docs: Doc[] = [];
        for (const rid of quick.rids) {
          const rec = coll.records.get(rid);
          stats.docsExamined++;
          if (rec && matcher(rec.doc)) {
            docs.push(rec.doc);
            if (spec.limit && docs.length >= spec.limit) break;
          }
        }
        const plan: Plan = { kind: 'hash', index: quick.index, rids: () => quick.rids, count: quick.rids.length, ordered: false, exact: false, dedupe: false, stats: { n: quick.rids.length } };
        return { docs: docs[Symbol.iterator](), plan, stats };
      }
    }
    const skip = spec.skip ?? 0;
    const need = spec.limit ? skip + spec.limit : undefined;
    // An MVCC read sorts what it reads, so an ordered walk would be read whole: plan it unsorted.
    let plan = makePlan(coll, spec.filter, { sort: mvcc ? undefined : spec.sort, need, hint: spec.hint, collated: !!spec.collator });
    const stats = { docsExamined: 0 };
    let src: Iterable<Doc> | undefined;
    if (!mvcc && plan.fallback) {
      const got = trialWalk(coll, plan, residualMatcher(spec, plan, matcher), stats, need!);
      if (got) src = got;
      else plan = plan.fallback;
    }
    if (!src) {
      const rest = residualMatcher(spec, plan, matcher);
      src = mvcc ? this.mvccSource(coll, plan, rest, matcher, txn!, stats) : committedSource(coll, plan, rest, stats);
      if (spec.sort && (mvcc || !plan.ordered || spec.collator)) {
        src = need !== undefined && need < 1000 ? sortDocsTopK(src, spec.sort, need, spec.collator) : sortDocs([...src], spec.sort, spec.collator);
      }
    }
    const docs = skip === 0 && !spec.limit ? src[Symbol.iterator]() : skipLimit(src, skip, spec.limit ?? 0);
    return { docs, plan, stats };
  }

  /**
   * The candidates at the snapshot: records unchanged since it are read as they are now (so the
   * plan's index entries are right for them), the few changed since from their history.
   */
  private *mvccSource(coll: Collection, plan: Plan, rest: Matcher, matcher: Matcher, txn: Txn, stats: { docsExamined: number }): Generator<Doc> {
    const ws = txn.writes.get(coll);
    const changed = coll.changedRidsAfter(txn.snapshot);
    const mine = new Set<number>();
    if (ws) for (const idKey of ws.keys()) { const rid = coll.ridByKey(idKey); if (rid !== undefined) mine.add(rid); }
    yield* committedSource(coll, plan, rest, stats, (rid) => changed.has(rid) || mine.has(rid));
    // older versions are not what the index holds: the whole filter
    for (const rid of changed) {
      if (mine.has(rid)) continue;
      const doc = coll.versionAt(rid, txn.snapshot);
      if (!doc) continue;
      if (ws && ws.has(keyString(doc._id))) continue;
      stats.docsExamined++;
      if (matcher(doc)) yield doc;
    }
    if (ws) for (const w of ws.values()) if (w.doc && matcher(w.doc)) yield w.doc;
  }

  /**
   * Count of matching documents (`spec.sort` is ignored); from the index alone when the plan is
   * exact. `skip`/`limit` apply to the count as the count command and $skip/$limit do.
   */
  count(coll: Collection, spec: FindSpec, txn?: Txn): number {
    const { filter, hint } = spec;
    const skip = spec.skip ?? 0, limit = spec.limit ?? 0;
    const mvcc = !!txn && (txn.writes.has(coll) || coll.changedAfter(txn.snapshot));
    if (!mvcc) {
      if (hint === undefined && (!filter || Object.keys(filter).length === 0)) return applySkipLimit(coll.size, skip, limit);
      const p = makePlan(coll, filter, { collated: !!spec.collator, hint });
      if (p.exact && !p.dedupe && hint === undefined) return applySkipLimit(p.count, skip, limit);
      // no cursor, no generators of our own: candidates straight into the matcher
      const m = p.exact ? undefined : residualMatcher(spec, p, compileFilter(filter, { variables: spec.variables, collator: spec.collator }));
      const cap = limit > 0 ? skip + limit : Infinity;
      const seen = p.dedupe ? new Set<number>() : undefined;
      let n = 0;
      for (const rid of p.rids()) {
        if (seen) {
          if (seen.has(rid)) continue;
          seen.add(rid);
        }
        const rec = coll.records.get(rid);
        if (rec && (!m || m(rec.doc)) && ++n >= cap) break;
      }
      return applySkipLimit(n, skip, limit);
    }
    let n = 0;
    // with a limit, stop reading after skip + limit matches
    const r = this.find(coll, { filter, hint, variables: spec.variables, collator: spec.collator, limit: limit > 0 ? skip + limit : undefined }, txn);
    for (let it = r.docs.next(); !it.done; it = r.docs.next()) n++;
    return applySkipLimit(n, skip, limit);
  }
}

const QUICK_TYPES = new Set(['ObjectId', 'ObjectID', 'Long', 'Double', 'Decimal128', 'Binary', 'Int32']);

/**
 * `{field: value}` (or `{field: {$eq: value}}`) with a scalar value and a single-field index on
 * `field`: the hash lookup directly, skipping the general planner (findOne/findById/exists).
 */
function quickEquality(coll: Collection, filter: Doc | undefined): { index: Index; rids: number[] } | undefined {
  if (!filter) return undefined;
  let field: string | undefined;
  let n = 0;
  for (const k in filter) {
    field = k;
    if (++n > 1) return undefined;
  }
  if (field === undefined || field.charCodeAt(0) === 36 /* $ */) return undefined;
  let v = filter[field];
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    if (v._bsontype === undefined) {
      let only: string | undefined;
      let m = 0;
      for (const k in v) { only = k; if (++m > 1) return undefined; }
      if (only !== '$eq') return undefined;
      v = v.$eq;
      if (v !== null && typeof v === 'object' && !(v instanceof Date) && !QUICK_TYPES.has(v._bsontype)) return undefined;
    } else if (!QUICK_TYPES.has(v._bsontype)) return undefined;
  }
  if (v === null || v === undefined || typeof v === 'symbol') return undefined;
  const index = coll.eqIndex(field);
  if (!index) return undefined;
  const h = index.hash.get(keyString(v));
  const rids = h === undefined ? [] : typeof h === 'number' ? [h] : [...h];
  return { index, rids };
}

function applySkipLimit(n: number, skip: number, limit: number): number {
  n = Math.max(0, n - skip);
  return limit > 0 ? Math.min(n, limit) : n;
}

/** The plan's documents that pass `matcher` (each once), leaving out the records `skip` names. */
function* committedSource(coll: Collection, plan: Plan, matcher: Matcher, stats: { docsExamined: number }, skip?: (rid: number) => boolean): Generator<Doc> {
  const seen = plan.dedupe ? new Set<number>() : undefined;
  for (const rid of plan.rids()) {
    if (skip !== undefined && skip(rid)) continue;
    if (seen) {
      if (seen.has(rid)) continue;
      seen.add(rid);
    }
    const rec = coll.records.get(rid);
    if (!rec) continue;
    stats.docsExamined++;
    if (plan.exact || matcher(rec.doc)) yield rec.doc;
  }
}

/** The filter without the top-level fields the plan's index guarantees for its candidates. */
function residualMatcher(spec: { filter?: Doc; variables?: Doc; collator?: Collator }, plan: Plan, full: Matcher): Matcher {
  const implied = plan.implied;
  if (!implied || implied.length === 0 || !spec.filter) return full;
  const rest: Doc = {};
  let dropped = false;
  for (const k of Object.keys(spec.filter)) {
    if (implied.includes(k)) dropped = true;
    else rest[k] = spec.filter[k];
  }
  return dropped ? compileFilter(rest, { variables: spec.variables, collator: spec.collator }) : full;
}

/**
 * Runs a walk chosen on an estimate (see planner chooseWalk) until it has `need` matches, or
 * returns undefined once it has cost more than the fallback plan would: index entries visited
 * (entryCost each) plus documents examined. Nothing is yielded before the outcome is known.
 */
function trialWalk(coll: Collection, plan: Plan, matcher: Matcher, stats: { docsExamined: number }, need: number): Doc[] | undefined {
  const out: Doc[] = [];
  const budget = plan.budget!, entryCost = plan.entryCost!, entries = plan.stats;
  const member = plan.fallback!.member;
  const n0 = entries.n;
  let fetched = 0, over = false;
  // checked on every entry, including those the candidate filter skips without yielding
  const pre = (rid: number) => {
    if ((entries.n - n0) * entryCost + fetched > budget) { over = true; return true; }
    return member === undefined || member(rid);
  };
  for (const rid of plan.walkWith!(pre)) {
    if (over) return undefined;
    const rec = coll.records.get(rid);
    if (!rec) continue;
    fetched++;
    stats.docsExamined++;
    if (matcher(rec.doc)) {
      out.push(rec.doc);
      if (out.length >= need) break;
    }
  }
  return out;
}

function* skipLimit(src: Iterable<Doc>, skip: number, limit: number): Generator<Doc> {
  if (skip === 0 && limit === 0) { yield* src; return; }
  let i = 0, n = 0;
  for (const d of src) {
    if (i++ < skip) continue;
    yield d;
    if (limit > 0 && ++n >= limit) return;
  }
}
