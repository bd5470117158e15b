/** Small helpers shared by the conformance files (no server knowledge in here). */
import { expect } from 'chai';
import { Long } from 'mongodb';

/** Awaits `promise`, fails the test if it resolves, and returns what it rejected with. */
export async function rejection(promise: Promise<unknown>, what = 'operation'): Promise<any> {
  let value: unknown;
  try {
    value = await promise;
  } catch (err) {
    return err;
  }
  expect.fail(`expected the ${what} to fail, but it resolved with ${safeJson(value)}`);
}

/** The `_id`s of `docs`, in order. */
export function ids(docs: ReadonlyArray<{ _id?: unknown }>): unknown[] {
  return docs.map((d) => d._id);
}

/** Numeric `_id`s sorted ascending (for result sets whose order MongoDB does not define). */
export function sortedIds(docs: ReadonlyArray<{ _id?: unknown }>): number[] {
  return docs.map((d) => Number(d._id)).sort((a, b) => a - b);
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Cursor ids travel as int64; the driver may have promoted a small one to a number. */
export function toLong(id: unknown): Long {
  if (Long.isLong(id)) return id;
  if (typeof id === 'bigint') return Long.fromBigInt(id);
  if (typeof id === 'number') return Long.fromNumber(id);
  throw new Error(`not a cursor id: ${safeJson(id)}`);
}

/** Write errors as an array whatever the driver handed back (one error or many). */
export function writeErrorsOf(err: any): any[] {
  const we = err?.writeErrors;
  if (we == null) return [];
  return Array.isArray(we) ? we : [we];
}

export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  } catch {
    return String(value);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
