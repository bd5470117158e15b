/**
 * Logical sessions: the transaction of each session and the retryable-write reply cache (the same
 * lsid + txnNumber sent twice returns the first reply instead of applying the write again).
 */
import type { Doc } from '../bson/codec.js';
import type { Txn } from './transaction.js';

export interface Session {
  id: string;
  lastUse: number;
  /** Highest txnNumber seen (retryable write or transaction). */
  txnNumber: number;
  txn?: Txn;
  /** Reply of the retryable write with number `txnNumber`. */
  retryReply?: Buffer;
}

export function sessionKey(lsid: Doc | undefined): string | undefined {
  const id = lsid?.id;
  if (!id) return undefined;
  if (id._bsontype === 'Binary') return Buffer.from(id.buffer.subarray(0, id.position)).toString('hex');
  return String(id);
}

export class Sessions {
  map = new Map<string, Session>();

  get(key: string): Session {
    let s = this.map.get(key);
    if (!s) this.map.set(key, (s = { id: key, lastUse: Date.now(), txnNumber: -1 }));
    s.lastUse = Date.now();
    return s;
  }

  peek(key: string): Session | undefined {
    return this.map.get(key);
  }

  end(key: string): Session | undefined {
    const s = this.map.get(key);
    this.map.delete(key);
    return s;
  }

  /** Sessions idle for longer than `idleMs` are forgotten (after their transaction is aborted by the caller). */
  expire(idleMs: number, onExpire: (s: Session) => void): void {
    const limit = Date.now() - idleMs;
    for (const [k, s] of this.map) {
      if (s.lastUse < limit) {
        onExpire(s);
        this.map.delete(k);
      }
    }
  }
}
