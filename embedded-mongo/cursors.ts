/**
 * Server-side cursors. A cursor wraps a lazy iterator of documents (so a sorted index walk with a
 * limit never reads past what the client fetches) and cuts batches by count and by size, with
 * every result document serialized exactly once (see wire/raw.ts).
 */
import type { Doc } from './bson/codec.js';
import { Long, serialize } from './bson/codec.js';
import { MongoError } from './errors.js';
import type { Txn } from './txn/transaction.js';

export const DEFAULT_FIRST_BATCH = 101;
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

export interface ServerCursor {
  id: Long;
  key: string;
  ns: string;
  it: Iterator<Doc>;
  transform?: (d: Doc) => Doc;
  /** Documents still allowed by the query's limit (0 = unlimited). */
  remaining: number;
  lastUse: number;
  sessionId?: string;
  txn?: Txn;
  /** A document read from the iterator that did not fit in the previous batch. */
  pending?: Buffer;
  /** Change-stream cursors handle their own batches. */
  changeStream?: unknown;
}

export class Cursors {
  map = new Map<string, ServerCursor>();
  private next = BigInt(Math.floor(Math.random() * 2 ** 40)) + 1000n;

  create(init: Omit<ServerCursor, 'id' | 'key' | 'lastUse'>): ServerCursor {
    const n = this.next++;
    const id = Long.fromBigInt(n);
    const c: ServerCursor = { ...init, id, key: n.toString(), lastUse: Date.now() };
    this.map.set(c.key, c);
    return c;
  }

  get(id: unknown): ServerCursor | undefined {
    return this.map.get(keyOf(id));
  }

  kill(id: unknown): boolean {
    return this.map.delete(keyOf(id));
  }

  expire(): void {
    const limit = Date.now() - IDLE_TIMEOUT_MS;
    for (const [k, c] of this.map) if (c.lastUse < limit) this.map.delete(k);
  }

  killForSession(sessionId: string): void {
    for (const [k, c] of this.map) if (c.sessionId === sessionId) this.map.delete(k);
  }

  /**
   * Pulls the next batch. Returns serialized docs and whether the cursor is exhausted.
   */
  static batch(c: Pick<ServerCursor, 'it' | 'transform' | 'remaining' | 'pending'>, batchSize: number): { docs: Buffer[]; done: boolean } {
    const docs: Buffer[] = [];
    let bytes = 0;
    const max = batchSize >= 0 ? batchSize : Infinity;
    if (c.pending) {
      docs.push(c.pending);
      bytes += c.pending.length;
      c.pending = undefined;
      if (c.remaining > 0 && --c.remaining === 0) return { docs, done: true };
    }
    while (docs.length < max) {
      const r = c.it.next();
      if (r.done) return { docs, done: true };
      const d = c.transform ? c.transform(r.value) : r.value;
      const buf = serialize(d);
      if (bytes + buf.length > MAX_BATCH_BYTES && docs.length > 0) {
        c.pending = buf;
        return { docs, done: false };
      }
      docs.push(buf);
      bytes += buf.length;
      if (c.remaining > 0 && --c.remaining === 0) return { docs, done: true };
    }
    // Peek one document ahead so an exhausted cursor is reported now (id 0) instead of costing
    // the client a getMore/killCursors round trip.
    const r = c.it.next();
    if (r.done) return { docs, done: true };
    c.pending = serialize(c.transform ? c.transform(r.value) : r.value);
    return { docs, done: false };
  }
}

export function keyOf(id: unknown): string {
  if (typeof id === 'number' || typeof id === 'bigint') return BigInt(id).toString();
  if (id && typeof id === 'object' && (id as any)._bsontype === 'Double' && Number.isInteger((id as any).value)) return BigInt((id as any).value).toString();
  if (id && typeof id === 'object' && (id as any)._bsontype === 'Long') return (id as Long).toBigInt().toString();
  throw new MongoError(14, `cursor id must be a long`);
}
