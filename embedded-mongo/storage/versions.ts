/**
 * Versions (MVCC): the open transactions and snapshot pins, the superseded versions kept for
 * them (recorded with the commit that ended them, pruned as the oldest snapshot advances), and
 * the locks transactions hold on documents and unique keys until they end.
 */
import type { Doc } from '../bson/codec.js';
import { keyString } from '../bson/order.js';
import { writeConflict, noSuchTransaction } from '../errors.js';
import type { MongoError } from '../errors.js';
import { Txn } from '../txn/transaction.js';
import { Catalog } from './catalog.js';
import type { Collection } from './collection.js';

export abstract class Versions extends Catalog {
  activeTxns = new Set<Txn>();

  /** Remember the superseded version for open transactions that may still read it. */
  protected recordHistory(coll: Collection, rid: number, oldDoc: Doc | null, ts: number): void {
    if (this.activeTxns.size > 0) coll.pushHistory(rid, oldDoc, ts);
  }

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

  abortTxn(txn: Txn, reason?: MongoError): void {
    if (txn.state !== 'active') return;
    txn.state = 'aborted';
    if (reason) txn.abortError = reason;
    this.releaseTxn(txn);
    this.undoCreated(txn);
  }

  /**
   * An aborted transaction's collections and indexes go, newest first. A collection it created
   * that holds documents by then was written by someone else as well, and stays with them.
   */
  private undoCreated(txn: Txn): void {
    for (const { coll, index } of [...txn.created].reverse()) {
      if (this.getCollection(coll.db, coll.name) !== coll) continue; // dropped or renamed since
      if (index !== undefined) {
        if (coll.getIndex(index)) this.dropIndex(coll, index);
      } else if (coll.size === 0) this.dropCollection(coll.db, coll.name);
    }
  }

  /**
   * Whether an open transaction other than `viewer` created `coll` (or, with `index`, that index):
   * until it commits, nobody else sees it in listCollections or listIndexes.
   */
  createdElsewhere(coll: Collection, viewer: Txn | undefined, index?: string): boolean {
    for (const t of this.activeTxns) {
      if (t === viewer || t.state !== 'active') continue;
      if (t.created.some((c) => c.coll === coll && (c.index === undefined || c.index === index))) return true;
    }
    return false;
  }

  protected releaseTxn(txn: Txn): void {
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
        if (!ix.refusesNewDuplicates || ix.isId) continue;
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

  protected abortTxnsTouching(coll: Collection): void {
    for (const t of [...this.activeTxns]) {
      if (t.writes.has(coll)) this.abortTxn(t, writeConflict('collection dropped or renamed during the transaction'));
    }
  }

  /** Aborts `txn` with `e` and throws it (the server aborts a transaction on a write conflict). */
  protected failTxn(txn: Txn, e: MongoError): never {
    this.abortTxn(txn, e);
    throw e;
  }
}
