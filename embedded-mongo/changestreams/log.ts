/**
 * The change log: a bounded in-memory log of committed changes, fed by the Store's commit hook,
 * that change-stream cursors (cursor.ts) read. Resume tokens encode the log sequence number, so
 * resumeAfter / startAfter continue exactly after an event. Documents are immutable, so the log
 * keeps plain references.
 */
import type { Doc, Timestamp } from '../bson/codec.js';
import { isPlainDoc } from '../bson/codec.js';
import { MongoError } from '../errors.js';
import type { ChangeOp, CommitInfo } from '../storage/store.js';

export interface LogEvent {
  seq: number;
  /** clusterTime seconds and increment (the Timestamp object is built when read). */
  t: number;
  i: number;
  wall: Date;
  op: ChangeOp;
  txn?: { lsid: string; txnNumber: number };
  /** The collection recorded pre- and post-images for this event (changeStreamPreAndPostImages on at the commit). */
  images: boolean;
}

const TOKEN_PREFIX = '8200';

export function tokenFor(seq: number): Doc {
  return { _data: TOKEN_PREFIX + seq.toString(16).toUpperCase().padStart(16, '0') };
}

export function seqOfToken(tok: unknown): number {
  const data = isPlainDoc(tok) ? tok._data : undefined;
  if (typeof data !== 'string' || !data.startsWith(TOKEN_PREFIX)) throw new MongoError(260, 'Invalid resume token: not produced by embedded-mongo');
  const n = parseInt(data.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + 16), 16);
  if (!Number.isFinite(n)) throw new MongoError(260, 'Invalid resume token');
  return n;
}

export class ChangeLog {
  private events: LogEvent[] = [];
  private seq = 0;
  private waiters = new Set<() => void>();

  /** Whether a collection has changeStreamPreAndPostImages enabled (asked at each commit). */
  imagesEnabled: (db: string, coll: string) => boolean = () => false;

  constructor(private capacity = 10_000) {}

  get lastSeq(): number { return this.seq; }
  get firstSeq(): number { return this.events.length ? this.events[0].seq : this.seq + 1; }

  append(ops: ChangeOp[], info: CommitInfo): void {
    let added = false;
    for (const op of ops) {
      if (op.op === 'cc' || op.op === 'ci' || op.op === 'di') continue;
      // every event of a commit carries the commit's cluster time, as in MongoDB
      const images = (op.op === 'u' || op.op === 'd') && this.imagesEnabled(op.db, op.c);
      this.events.push({ seq: ++this.seq, t: info.t, i: info.ts, wall: info.wall, op, txn: info.txn, images });
      added = true;
    }
    if (this.events.length > this.capacity * 1.25) this.events.splice(0, this.events.length - this.capacity);
    if (added && this.waiters.size) this.wakeAll();
  }

  /** The retained events, oldest first. */
  get entries(): readonly LogEvent[] { return this.events; }

  /** Index in `entries` of the first event with seq >= `seq` (entries.length when none). */
  indexFrom(seq: number): number {
    const ev = this.events;
    if (ev.length === 0 || seq > ev[ev.length - 1].seq) return ev.length;
    let lo = 0, hi = ev.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ev[mid].seq < seq) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  firstAtOrAfter(ts: Timestamp): number {
    const t = ts.high >>> 0, i = ts.low >>> 0;
    for (const e of this.events) if (e.t > t || (e.t === t && e.i >= i)) return e.seq;
    return this.seq + 1;
  }

  /** Resolves when a new event is appended or after `ms`. */
  wait(ms: number, register: (cancel: () => void) => void): Promise<void> {
    return new Promise((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.waiters.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.waiters.add(finish);
      register(finish);
    });
  }

  /** Wakes every waiter (server shutdown). */
  wakeAll(): void {
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w();
  }
}
