/**
 * The catalog: databases and their collections, indexes and options, and the commit clock. Every
 * committed change goes through `commit()`, so the journal, the change-stream log and cluster
 * times see exactly the same sequence. The layers above (versions.ts, writes.ts, store.ts) add
 * transactions, the write path and reads; dropping or renaming a collection ends the
 * transactions that wrote to it, which the versions layer knows (abortTxnsTouching).
 */
import type { Doc } from '../bson/codec.js';
import { Timestamp } from '../bson/codec.js';
import { MongoError } from '../errors.js';
import { createdBy, type Txn } from '../txn/transaction.js';
import { Collection, assertValidCollName, assertValidDbName } from './collection.js';
import type { Index, IndexSpec } from './indexes.js';

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

export abstract class Catalog {
  dbs = new Map<string, Map<string, Collection>>();
  /** Commit clock: every commit unit gets the next value. */
  clock = 0;
  /** Seconds of the last commit's cluster time (see CommitInfo). */
  clockSeconds = Math.floor(Date.now() / 1000);
  hooks: StoreHooks = {};

  /** Aborts the open transactions that wrote to `coll` (it is being dropped or renamed). */
  protected abstract abortTxnsTouching(coll: Collection): void;

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

  /** Creates the collection if needed (inside `txn`: as that transaction's, see Txn.created); returns [collection, created]. */
  ensureCollection(db: string, name: string, options: Doc = {}, txn?: Txn): [Collection, boolean] {
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
    txn?.created.push({ coll });
    return [coll, true];
  }

  createCollection(db: string, name: string, options: Doc, txn?: Txn): Collection {
    if (this.getCollection(db, name)) throw new MongoError(48, `Collection ${db}.${name} already exists.`);
    return this.ensureCollection(db, name, options, txn)[0];
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

  /** Builds an index (inside `txn`, on a collection it created: goes with that collection). */
  createIndex(coll: Collection, spec: IndexSpec, txn?: Txn): Index {
    const ix = coll.addIndex(spec);
    this.commit([{ op: 'ci', db: coll.db, c: coll.name, spec }]);
    if (txn && !createdBy(txn, coll)) txn.created.push({ coll, index: ix.name });
    return ix;
  }

  /** collMod of an index option (TTL, prepareUnique, unique): journaled as the index's new spec. */
  updateIndexSpec(coll: Collection, ix: Index, spec: IndexSpec): void {
    ix.setExpireAfterSeconds(spec.expireAfterSeconds);
    ix.setUniqueness(Boolean(spec.unique), Boolean(spec.prepareUnique));
    this.commit([{ op: 'ci', db: coll.db, c: coll.name, spec: ix.spec }]);
  }

  dropIndex(coll: Collection, name: string): void {
    coll.indexes = coll.indexes.filter((i) => i.name !== name);
    this.commit([{ op: 'di', db: coll.db, c: coll.name, name }]);
  }

  protected commit(ops: ChangeOp[], txn?: Txn, ts = ++this.clock): void {
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


  setCollectionOptions(coll: Collection, options: Doc): void {
    coll.options = options;
    this.commit([{ op: 'cc', db: coll.db, c: coll.name, options, uuid: coll.uuid.toHexString() }]);
  }
}
