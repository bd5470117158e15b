/**
 * Cluster time and read concerns, as a one-member replica set answers them.
 *
 * - Every reply carries `operationTime` and `$clusterTime` (the cluster time of the last commit),
 *   so the driver's causally consistent sessions send `afterClusterTime`; on one node every
 *   acknowledged write is already visible, so that wait is always satisfied.
 * - `readConcern: {level: 'snapshot'}` outside a transaction (MongoDB 5.0+): find, aggregate and
 *   distinct read the data as of one commit (`atClusterTime`, given or the latest) and say which in
 *   the reply; the version history is kept from that commit on by a pin (a read-only transaction
 *   with no writes) held for the session. Every other command refuses the level, as mongod does.
 * - `linearizable` cannot be combined with `$out`/`$merge`.
 */
import type { Doc, Timestamp } from '../bson/codec.js';
import { Binary, Long, isPlainDoc } from '../bson/codec.js';
import { MongoError } from '../errors.js';
import type { Store } from '../storage/store.js';
import type { Txn } from './transaction.js';
import type { Session } from './sessions.js';
import { appendFields } from '../wire/raw.js';

/** Commands that accept readConcern level snapshot outside a transaction (mongod 5.0+). */
const SNAPSHOT_READS = new Set(['find', 'aggregate', 'distinct']);

/** No keys sign cluster times on a server without authentication keys: mongod sends these zeros. */
const UNSIGNED = { hash: new Binary(Buffer.alloc(20), 0), keyId: Long.ZERO };

/** `reply` with the cluster time fields every replica-set member adds to its replies. */
export function withClusterTime<R extends Doc | Buffer>(reply: R, store: Store): R {
  const time = store.clusterTime();
  const fields = { $clusterTime: { clusterTime: time, signature: UNSIGNED }, operationTime: time };
  if (Buffer.isBuffer(reply)) return appendFields(reply, fields) as R;
  return { ...reply, ...fields } as R;
}

function pipelineWrites(cmd: Doc): string | undefined {
  const p = cmd.pipeline;
  if (!Array.isArray(p) || p.length === 0 || !isPlainDoc(p[p.length - 1])) return undefined;
  const last = Object.keys(p[p.length - 1])[0];
  return last === '$out' || last === '$merge' ? last : undefined;
}

function describe(rc: Doc): string {
  return `{ readConcern: { level: "${String(rc.level)}" } }`;
}

/**
 * Checks the command's read concern outside a transaction. Returns the pin and cluster time of a
 * snapshot read (the caller reads through the pin as through a transaction), else undefined.
 */
export function readConcernOutsideTxn(store: Store, name: string, cmd: Doc, session: Session | undefined, sessionId: string | undefined): { pin: Txn; at: Timestamp } | undefined {
  const rc = cmd.readConcern;
  if (!isPlainDoc(rc)) return undefined;
  const writes = name === 'aggregate' ? pipelineWrites(cmd) : undefined;
  if (rc.level === 'linearizable' && writes) {
    throw new MongoError(72, `${writes} cannot be used with a 'linearizable' read concern level`);
  }
  if (rc.level !== 'snapshot') {
    if (rc.atClusterTime !== undefined) throw new MongoError(72, 'atClusterTime is only supported with readConcern level snapshot');
    return undefined;
  }
  if (!SNAPSHOT_READS.has(name) || writes) throw new MongoError(72, `Command ${name} does not support ${describe(rc)}`);
  let clock = store.clock;
  let at = store.clusterTime();
  if (rc.atClusterTime !== undefined) {
    const ts = rc.atClusterTime as Timestamp;
    if (ts?._bsontype !== 'Timestamp') throw new MongoError(14, "BSON field 'atClusterTime' is the wrong type, expected type 'timestamp'");
    const c = store.clockAt(ts);
    if (c === undefined) throw new MongoError(72, `readConcern atClusterTime value ${ts.toString()} must not be greater than the current clusterTime ${at.toString()}`);
    if (c < store.clock && !store.historyKeptSince(c)) {
      throw new MongoError(239, `Read timestamp ${ts.toString()} is older than the oldest available timestamp.`);
    }
    clock = c;
    at = ts;
  }
  const held = session?.snapshotPin;
  if (held && held.state === 'active' && held.snapshot === clock) return { pin: held, at };
  // the new pin first: releasing the old one prunes the history no other reader holds
  const pin = store.pinSnapshot(sessionId ?? '', clock);
  if (held) store.abortTxn(held);
  if (session) session.snapshotPin = pin;
  return { pin, at };
}
