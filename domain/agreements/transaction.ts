import type { ClientSession } from 'mongoose';
import type { DomainContext } from '../context.js';

/**
 * Runs the work in one transaction (mongoose retries it on TransientTransactionError). When the
 * caller already holds a session, the work joins it instead of nesting.
 */
export function inTransaction<T>(ctx: DomainContext, work: (session: ClientSession) => Promise<T>, session?: ClientSession): Promise<T> {
  if (session) return work(session);
  return ctx.connection.transaction(work);
}

/** True for a duplicate-key error (E11000), optionally on a given field. */
export function isDuplicateKey(err: unknown, field?: string): boolean {
  const e = err as { code?: number; keyPattern?: Record<string, unknown>; keyValue?: Record<string, unknown>; message?: string } | undefined;
  if (!e || (e.code !== 11000 && e.code !== 11001)) return false;
  if (!field) return true;
  const keys = Object.keys(e.keyPattern ?? e.keyValue ?? {});
  return keys.length ? keys.includes(field) : String(e.message ?? '').includes(field);
}
