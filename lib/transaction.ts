import type { ClientSession, Connection } from 'mongoose';

/** What a transaction needs from the caller's context (a DomainContext has it). */
export interface TransactionScope {
  connection: Connection;
}

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
    return await own.withTransaction(() => work(own));
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
