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
  /** That write while it is still running (a retry arriving meanwhile shares its outcome). */
  retryPending?: Promise<Buffer>;
  /** Keeps the session's snapshot reads (readConcern snapshot outside transactions) readable. */
  snapshotPin?: Txn;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Hex of the lsid's UUID bytes (every command carries one, so this avoids Buffer churn). */
export function sessionKey(lsid: Doc | undefined): string | undefined {
  const id = lsid?.id;
  if (!id) return undefined;
  if (id._bsontype === 'Binary') {
    const b: Uint8Array = id.buffer;
    const n = id.position ?? b.length;
    let s = '';
    for (let i = 0; i < n; i++) s += HEX[b[i]];
    return s;
  }
  return String(id);
}

export class Sessions {
  map = new Map<string, Session>();
  /** Coarse clock (refreshed by the server's maintenance tick): idle expiry needs no precision. */
  now = Date.now();

  get(key: string): Session {
    let s = this.map.get(key);
    if (!s) this.map.set(key, (s = { id: key, lastUse: this.now, txnNumber: -1 }));
    s.lastUse = this.now;
    return s;
  }

  end(key: string): Session | undefined {
    const s = this.map.get(key);
    this.map.delete(key);
    return s;
  }

  /** Sessions idle for longer than `idleMs` are forgotten (after their transaction is aborted by the caller). */
  expire(idleMs: number, onExpire: (s: Session) => void): void {
    this.now = Date.now();
    const limit = this.now - idleMs;
    for (const [k, s] of this.map) {
      if (s.lastUse < limit) {
        onExpire(s);
        this.map.delete(k);
      }
    }
  }
}
