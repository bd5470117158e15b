/**
 * Multi-document transaction state. The logic (reads at the snapshot, write conflicts, commit)
 * lives in the Store; this is the bookkeeping it works on.
 *
 * - Snapshot isolation: reads see committed data as of `snapshot` (the commit clock at the first
 *   operation) plus the transaction's own writes, using the collections' version history.
 * - Writes are buffered in `writes` and applied atomically at commit with one journal record.
 * - First writer wins: a document written by another transaction (locked) or committed after the
 *   snapshot yields WriteConflict (112, TransientTransactionError), and this transaction aborts.
 */
import type { Doc } from '../bson/codec.js';
import type { MongoError } from '../errors.js';
import type { Collection } from '../storage/collection.js';

export interface TxnWrite {
  /** The document after this transaction's writes (null = deleted). */
  doc: Doc | null;
  /** The committed document this write replaces (null = insert of a new _id). */
  base: Doc | null;
  /** Unique-key reservations held in coll.pendingKeys. */
  pending: string[];
  /** Operation kind for change events at commit. */
  op: 'insert' | 'update' | 'replace' | 'delete';
}

let nextTxnId = 1;

/** Whether `txn` created the collection `coll` itself. */
export const createdBy = (txn: Txn, coll: Collection): boolean => txn.created.some((c) => c.coll === coll && c.index === undefined);

export class Txn {
  readonly id = nextTxnId++;
  state: 'active' | 'committed' | 'aborted' = 'active';
  /** Set when the transaction was aborted by the server (conflict, expiry, error). */
  abortError?: MongoError;
  readonly startedAt = Date.now();
  /** coll -> (idKey -> write) in first-write order. */
  writes = new Map<Collection, Map<string, TxnWrite>>();
  /**
   * Collections (no `index`) and indexes this transaction created, in order: others do not see
   * them until it commits, and an abort removes them (collection-and-index DDL in a transaction,
   * MongoDB 4.4).
   */
  created: Array<{ coll: Collection; index?: string }> = [];
  /** Reply of a successful commit, for a retried commitTransaction. */
  committedReply?: Doc;
  /** Resolves when the transaction commits or aborts (plain writes blocked by its locks wait on it). */
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(readonly sessionId: string, readonly txnNumber: number, readonly snapshot: number) {
    this.done = new Promise((r) => { this.resolveDone = r; });
  }

  /** Called once the transaction has released its locks. */
  finished(): void {
    this.resolveDone();
  }
}
