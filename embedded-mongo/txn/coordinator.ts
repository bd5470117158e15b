/**
 * Sessions, transactions and retryable writes: the state machine every command passes through.
 *
 * - `autocommit: false` runs the command inside the session's transaction (`startTransaction`
 *   begins one; commitTransaction/abortTransaction resolve it by txnNumber); only the commands the
 *   command table allows in a transaction may run there, and an error aborts it, as on mongod.
 * - `readConcern` outside a transaction is checked (readconcern.ts); a snapshot read runs through
 *   a pin that keeps its versions readable.
 * - A retryable write (lsid + txnNumber) sent twice answers the first execution's reply; a retry
 *   arriving while the first still runs shares its outcome; an older txnNumber gets 225.
 *
 * The Store does the transactional reads and writes; this module decides which transaction, if
 * any, a command runs in, and ends transactions and sessions (commands, expiry, stop).
 */
import type { Doc, Timestamp } from '../bson/codec.js';
import { serialize, toNumber } from '../bson/codec.js';
import type { Cursors } from '../cursors.js';
import { MongoError, asMongoError, noSuchTransaction } from '../errors.js';
import type { Store } from '../storage/store.js';
import { readConcernOutsideTxn } from './readconcern.js';
import type { Session } from './sessions.js';
import { Sessions, sessionKey } from './sessions.js';
import type { Txn } from './transaction.js';

type Reply = Doc | Buffer;

/** What the command table says about a command, as far as sessions are concerned. */
export interface TxnRules {
  /** May run inside a multi-document transaction. */
  inTransaction?: boolean;
  /** commitTransaction / abortTransaction: resolves the transaction without starting or continuing one. */
  endsTransaction?: boolean;
  /** A retryable write: the same lsid + txnNumber twice answers the first reply. */
  retryable?: boolean;
}

/** Where a command runs: filled in by `run` before the handler is called (the command context). */
export interface TxnScope {
  session?: Session;
  txn?: Txn;
  /** A snapshot read outside a transaction: the cluster time it reads at (txn is its pin). */
  atClusterTime?: Timestamp;
}

/** Idle sessions are forgotten after mongod's default logicalSessionTimeoutMinutes. */
const SESSION_IDLE_MS = 30 * 60 * 1000;

function newerStarted(txnNumber: number, session: Session): MongoError {
  return new MongoError(225, `Cannot start transaction ${txnNumber} on session because a newer transaction ${session.txnNumber} has already started`);
}

export class TxnCoordinator {
  readonly sessions = new Sessions();

  constructor(private readonly store: Store, private readonly cursors: Cursors) {}

  /** Runs `execute` in the session, transaction or snapshot `body` names, after filling in `scope`. */
  async run(name: string, body: Doc, rules: TxnRules, scope: TxnScope, execute: () => Reply | Promise<Reply>): Promise<Reply> {
    const key = sessionKey(body.lsid);
    const session = key ? this.sessions.get(key) : undefined;
    scope.session = session;
    const txnNumber = body.txnNumber !== undefined ? toNumber(body.txnNumber) : undefined;

    if (body.autocommit === false || body.autocommit === 0) {
      if (!session || txnNumber === undefined) throw new MongoError(72, 'Transactions require a session (lsid) and a txnNumber');
      if (rules.endsTransaction) {
        if (txnNumber < session.txnNumber) throw newerStarted(txnNumber, session);
        scope.txn = session.txn && session.txn.txnNumber === txnNumber ? session.txn : undefined;
        return execute();
      }
      const txn = this.transactionFor(session, key!, txnNumber, body.startTransaction === true);
      if (!rules.inTransaction) throw new MongoError(263, `Cannot run '${name}' in a multi-document transaction.`);
      scope.txn = txn;
      try {
        const r = await execute();
        if (!Buffer.isBuffer(r) && Array.isArray(r.writeErrors) && r.writeErrors.length) this.store.abortTxn(txn);
        return r;
      } catch (e) {
        this.store.abortTxn(txn, asMongoError(e).code === 112 ? asMongoError(e) : undefined);
        throw e;
      }
    }

    const snapshot = readConcernOutsideTxn(this.store, name, body, session, key);
    if (snapshot) {
      scope.txn = snapshot.pin;
      scope.atClusterTime = snapshot.at;
      const r = await execute();
      // distinct says at which cluster time it read in the reply itself; cursors in `cursor`
      return Buffer.isBuffer(r) ? r : { ...r, atClusterTime: snapshot.at };
    }

    if (txnNumber !== undefined && session && rules.retryable) return this.retryable(session, txnNumber, execute);
    return execute();
  }

  /** The session's transaction `txnNumber`: begun when `start`, else the one in progress. */
  private transactionFor(session: Session, key: string, txnNumber: number, start: boolean): Txn {
    if (start) {
      if (txnNumber < session.txnNumber) throw newerStarted(txnNumber, session);
      if (session.txn && session.txn.txnNumber === txnNumber) throw new MongoError(251, `Transaction with { txnNumber: ${txnNumber} } has already been started`, {}, ['TransientTransactionError']);
      if (session.txn?.state === 'active') this.store.abortTxn(session.txn);
      session.txn = this.store.beginTxn(key, txnNumber);
      session.txnNumber = txnNumber;
      session.retryReply = undefined;
      return session.txn;
    }
    const t = session.txn;
    if (!t || t.txnNumber !== txnNumber) {
      if (txnNumber < session.txnNumber) throw new MongoError(225, `Cannot continue transaction ${txnNumber}: a newer transaction ${session.txnNumber} has started`);
      throw noSuchTransaction(txnNumber, 'does not match any in-progress transactions');
    }
    if (t.state !== 'active') throw t.abortError ?? noSuchTransaction(txnNumber);
    return t;
  }

  private async retryable(session: Session, txnNumber: number, execute: () => Reply | Promise<Reply>): Promise<Reply> {
    if (txnNumber === session.txnNumber) {
      if (session.retryReply) return session.retryReply;
      if (session.retryPending) return session.retryPending;
    }
    if (txnNumber < session.txnNumber) throw new MongoError(225, `Retryable write with txnNumber ${txnNumber} is prohibited on session because a newer retryable write with txnNumber ${session.txnNumber} has already started on this session.`);
    session.txnNumber = txnNumber;
    session.retryReply = undefined;
    const run = (async () => {
      const r = await execute();
      const buf = Buffer.isBuffer(r) ? r : serialize(r);
      if (session.txnNumber === txnNumber) session.retryReply = buf;
      return buf;
    })();
    session.retryPending = run;
    try {
      return await run;
    } finally {
      if (session.retryPending === run) session.retryPending = undefined;
    }
  }

  /** Whether `body` repeats the session's last retryable write (a fail point may treat retries apart). */
  isRetry(body: Doc): boolean {
    if (body.txnNumber === undefined) return false;
    const key = sessionKey(body.lsid);
    const session = key ? this.sessions.map.get(key) : undefined;
    return !!session && session.txnNumber === toNumber(body.txnNumber) && (!!session.retryReply || !!session.retryPending);
  }

  /** commitTransaction: `txn` is what `run` resolved for the command's txnNumber. */
  commit(txn: Txn | undefined, txnNumber: unknown): Doc {
    if (!txn) throw noSuchTransaction(String(txnNumber ?? '?'), 'does not match any in-progress transactions');
    if (txn.state === 'committed') return txn.committedReply ?? { ok: 1 };
    if (txn.state === 'aborted') throw noSuchTransaction(txn.txnNumber);
    this.store.commitTxn(txn);
    txn.committedReply = { ok: 1 };
    return { ok: 1 };
  }

  /** abortTransaction: `txn` is what `run` resolved for the command's txnNumber. */
  abort(txn: Txn | undefined, txnNumber: unknown): Doc {
    if (!txn) throw noSuchTransaction(String(txnNumber ?? '?'), 'does not match any in-progress transactions');
    if (txn.state === 'committed') throw new MongoError(256, 'Transaction committed');
    if (txn.state === 'aborted') throw noSuchTransaction(txn.txnNumber);
    this.store.abortTxn(txn);
    return { ok: 1 };
  }

  /** endSessions / killSessions: aborts the session's transaction, releases its snapshot, kills its cursors. */
  endSession(key: string): void {
    const s = this.sessions.end(key);
    if (s?.txn && s.txn.state === 'active') this.store.abortTxn(s.txn);
    if (s?.snapshotPin) this.store.abortTxn(s.snapshotPin);
    this.cursors.killForSession(key);
  }

  endAllSessions(): void {
    for (const k of [...this.sessions.map.keys()]) this.endSession(k);
  }

  /** Maintenance: transactions older than `lifetimeMs` are aborted, idle sessions forgotten. */
  expire(now: number, lifetimeMs: number): void {
    this.sessions.now = now;
    for (const t of [...this.store.activeTxns]) {
      if (now - t.startedAt > lifetimeMs) {
        this.store.abortTxn(t, noSuchTransaction(t.txnNumber, 'has been aborted because it exceeded the transaction lifetime limit'));
      }
    }
    this.sessions.expire(SESSION_IDLE_MS, (s) => {
      if (s.txn?.state === 'active') this.store.abortTxn(s.txn);
      if (s.snapshotPin) this.store.abortTxn(s.snapshotPin);
    });
  }

  /** stop(): every open transaction and snapshot is aborted (their locks released). */
  abortAll(): void {
    for (const t of [...this.store.activeTxns]) this.store.abortTxn(t);
  }
}
