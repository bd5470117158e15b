/** What every command handler receives, plus small shared helpers. */
import type { Doc } from '../bson/codec.js';
import { Long } from '../bson/codec.js';
import type { Authenticator } from '../auth/scram.js';
import type { ChangeLog } from '../changestreams/log.js';
import type { FailPoints } from '../failpoints.js';
import type { Connection } from '../wire/connection.js';
import type { Store } from '../storage/store.js';
import type { TxnCoordinator, TxnScope } from '../txn/coordinator.js';
import { Cursors } from '../cursors.js';
import type { ServerCursor } from '../cursors.js';
import { cursorReply } from '../wire/raw.js';
import { badValue } from '../errors.js';
import { toNumber, isNumeric } from '../bson/codec.js';

/** The parts of the server that handlers use (server.ts implements it). */
export interface ServerServices {
  readonly options: { readonly dataDir?: string };
  readonly replicaSetName: string | undefined;
  readonly advertisedHost: string;
  readonly startedAt: number;
  readonly connectionCount: number;
  readonly stopping: boolean;
  readonly authenticator: Authenticator | undefined;
  readonly cursors: Cursors;
  readonly changeLog: ChangeLog;
  readonly txns: TxnCoordinator;
  readonly failPoints: FailPoints;
  /** Registers a cancel function that stop() calls (a getMore waiting for change events). */
  trackWaiter(cancel: () => void): void;
}

/** One command's context; session, txn and atClusterTime come from the TxnCoordinator (TxnScope). */
export interface CmdContext extends TxnScope {
  server: ServerServices;
  store: Store;
  conn?: Connection;
  db: string;
  name: string;
}

export type Reply = Doc | Buffer;
export type Handler = (cmd: Doc, ctx: CmdContext) => Reply | Promise<Reply>;

/** The collection name argument (value of the command's first field). */
export function collName(cmd: Doc, ctx: CmdContext): string {
  const v = cmd[ctx.name];
  if (typeof v !== 'string' || v.length === 0) throw badValue(`collection name has invalid type ${typeof v}`);
  return v;
}

export function optInt(v: unknown, what: string, dflt = 0): number {
  if (v === undefined || v === null) return dflt;
  if (!isNumeric(v)) throw badValue(`${what} must be a number`);
  const n = toNumber(v);
  if (!Number.isFinite(n)) throw badValue(`${what} must be a finite number`);
  return Math.trunc(n);
}

/** First batch of a new cursor; the cursor stays registered only if more documents may follow. */
export function firstBatchReply(ctx: CmdContext, ns: string, cur: Omit<ServerCursor, 'id' | 'key' | 'lastUse'>, batchSize: number, singleBatch: boolean): Buffer {
  const { docs, done } = Cursors.batch(cur, batchSize);
  const extra = ctx.atClusterTime ? { atClusterTime: ctx.atClusterTime } : undefined;
  if (done || singleBatch) return cursorReply('firstBatch', docs, Long.ZERO, ns, extra);
  const c = ctx.server.cursors.create(cur);
  return cursorReply('firstBatch', docs, c.id, ns, extra);
}

export function arrayCursorReply(ns: string, docs: Doc[]): Doc {
  return { cursor: { firstBatch: docs, id: Long.ZERO, ns }, ok: 1 };
}
