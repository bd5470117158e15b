import type { ClientSession, Connection } from 'mongoose';

/** What a transaction needs from the caller's context (a DomainContext has it). */
export interface TransactionScope {
  connection: Connection;
}

/**
 * The write concern of writes that must survive the loss of the primary (history, stage changes,
 * reminder deliveries): acknowledged by a majority of the replica set, so a failover never rolls
 * them back. A majority that cannot answer within the timeout fails the write rather than leaving
 * the request hanging (the write may still have been applied: every such write is idempotent or
 * conditional). On one node (the embedded server) the node is its own majority.
 */
export const MAJORITY_WRITE = { w: 'majority', wtimeoutMS: 10_000 } as const;

/**
 * Transactions read from and commit on the primary (the only member that accepts them), and their
 * commit waits for a majority: everything written in one (stage changes and their history
 * events, signatures, documents) is as durable as MAJORITY_WRITE.
 */
const TRANSACTION_OPTIONS = { readPreference: 'primary', writeConcern: MAJORITY_WRITE } as const;

/**
 * Runs the work in one transaction (mongoose retries it on TransientTransactionError). When the
 * caller already holds a session, the work joins it instead of nesting.
 */
export async function inTransaction<T>(ctx: TransactionScope, work: (session: ClientSession) => Promise<T>, session?: ClientSession): Promise<T> {
  if (session) return work(session);
  // The driver's withTransaction (retries on TransientTransactionError and unknown commit results)
  // rather than connection.transaction(), whose bookkeeping only serves document.save().
  const own = await ctx.connection.startSession();
  try {
    return await own.withTransaction(() => work(own), TRANSACTION_OPTIONS);
  } finally {
    await own.endSession();
  }
}

/** True for a duplicate-key error (E11000), optionally on a given field. */
export function isDuplicateKey(err: unknown, field?: string): boolean {
  const e = err as { code?: number; keyPattern?: Record<string, unknown>; keyValue?: Record<string, unknown>; message?: string } | undefined;
  if (!e || (e.code !== 11000 && e.code !== 11001)) return false;
  if (!field) return true;
  const keys = Object.keys(e.keyPattern ?? e.keyValue ?? {});
  return keys.length ? keys.includes(field) : String(e.message ?? '').includes(field);
}
