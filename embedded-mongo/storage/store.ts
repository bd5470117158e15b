/**
 * The database state, in four layers, each in its own file and each built on the one before:
 *
 *   catalog.ts   databases, collections, indexes, options; the commit clock and commit hook
 *   versions.ts  open transactions and snapshot pins, superseded versions, locks (MVCC)
 *   writes.ts    validation, plain and transactional writes, commit
 *   reads.ts     find and count, through the planner, or through the versions for a transaction
 *
 * Store is the one object the commands, persistence and the TTL sweep use.
 */
import type { Txn } from '../txn/transaction.js';
import type { Collection } from './collection.js';
import type { FindResult, FindSpec } from './reads.js';
import { count, find } from './reads.js';
import { WritePath } from './writes.js';

export type { ChangeOp, CommitInfo, StoreHooks } from './catalog.js';
export type { FindResult, FindSpec } from './reads.js';

export class Store extends WritePath {
  /** Documents matching `spec`, in order, lazily (see reads.ts). */
  find(coll: Collection, spec: FindSpec, txn?: Txn): FindResult {
    return find(coll, spec, txn);
  }

  /** Count of matching documents; from the index alone when the plan is exact (see reads.ts). */
  count(coll: Collection, spec: FindSpec, txn?: Txn): number {
    return count(coll, spec, txn);
  }
}
