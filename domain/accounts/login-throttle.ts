import mongoose from 'mongoose';
import type { DomainContext } from '../context.js';

/**
 * Slows down password guessing, per account and per client address.
 *
 * Each key allows `free` failures in a window; after that every failure locks the key for a
 * doubling time (2 s, 4 s, 8 s, ... capped at 15 min). An attempt is counted *before* the
 * password is checked, so a parallel burst cannot run many guesses while the first ones are
 * still hashing: beyond the free allowance only one attempt at a time gets through.
 */
export const THROTTLE = {
  account: { free: 5 },
  ip: { free: 20 },
  windowMs: 15 * 60_000,
  maxLockMs: 15 * 60_000,
} as const;

export interface ThrottleKey {
  key: string;
  free: number;
}

export interface Reservation {
  key: ThrottleKey;
  /** failures counted including this attempt */
  count: number;
}

export type ReserveResult = { allowed: true; reservations: Reservation[] } | { allowed: false; retryAfterSeconds: number };

export function lockMsAfter(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(2 ** (failures - free + 1) * 1000, THROTTLE.maxLockMs);
}

export function throttleKeys(email: string, clientIp: string | undefined): ThrottleKey[] {
  const keys: ThrottleKey[] = [{ key: `account:${email}`, free: THROTTLE.account.free }];
  if (clientIp) keys.push({ key: `ip:${clientIp}`, free: THROTTLE.ip.free });
  return keys;
}

/** Checks every key and counts this attempt against each, or says how long to wait. */
export async function reserveLoginAttempt(ctx: DomainContext, keys: ThrottleKey[]): Promise<ReserveResult> {
  const { LoginAttempt } = ctx.models;
  const now = ctx.clock.now();
  const before = new Map<string, { failures: number; lockPassed: boolean }>();
  for (const k of keys) {
    const doc = await LoginAttempt.findOne({ key: k.key }).lean();
    const live = doc && doc.expiresAt > now ? doc : null;
    if (doc && !live) await LoginAttempt.deleteOne({ key: k.key, expiresAt: mongoose.trusted({ $lte: now }) });
    if (live?.lockedUntil && live.lockedUntil > now) {
      return { allowed: false, retryAfterSeconds: secondsUntil(live.lockedUntil, now) };
    }
    before.set(k.key, { failures: live?.failures ?? 0, lockPassed: Boolean(live?.lockedUntil) });
  }
  const reservations: Reservation[] = [];
  for (const k of keys) {
    const doc = await upsertIncrement(ctx, k.key, now);
    const count = doc.failures;
    reservations.push({ key: k, count });
    const previous = before.get(k.key) ?? { failures: 0, lockPassed: false };
    // Beyond the allowance, only the first attempt after a lock has run out may go ahead; any
    // other is a parallel attempt racing those still being checked.
    const oneAfterLock = previous.lockPassed && count === previous.failures + 1;
    if (count > k.free && !oneAfterLock) {
      const lockedUntil = new Date(now.getTime() + lockMsAfter(count, k.free));
      await LoginAttempt.updateOne({ key: k.key }, { $set: { lockedUntil } });
      for (const r of reservations.slice(0, -1)) {
        await LoginAttempt.updateOne({ key: r.key.key, failures: mongoose.trusted({ $gt: 0 }) }, { $inc: { failures: -1 } });
      }
      return { allowed: false, retryAfterSeconds: secondsUntil(lockedUntil, now) };
    }
  }
  return { allowed: true, reservations };
}

/** The attempt failed: its count stays, and past the allowance the key locks. */
export async function recordLoginFailure(ctx: DomainContext, reservations: Reservation[]): Promise<void> {
  const now = ctx.clock.now();
  for (const r of reservations) {
    const ms = lockMsAfter(r.count, r.key.free);
    if (ms > 0) await ctx.models.LoginAttempt.updateOne({ key: r.key.key }, { $set: { lockedUntil: new Date(now.getTime() + ms) } });
  }
}

/** The attempt succeeded: the account starts afresh; the address gives back only this attempt. */
export async function recordLoginSuccess(ctx: DomainContext, reservations: Reservation[]): Promise<void> {
  for (const r of reservations) {
    if (r.key.key.startsWith('account:')) await ctx.models.LoginAttempt.deleteOne({ key: r.key.key });
    else await ctx.models.LoginAttempt.updateOne({ key: r.key.key, failures: mongoose.trusted({ $gt: 0 }) }, { $inc: { failures: -1 } });
  }
}

async function upsertIncrement(ctx: DomainContext, key: string, now: Date) {
  const expiresAt = new Date(now.getTime() + THROTTLE.windowMs);
  const update = { $inc: { failures: 1 }, $set: { expiresAt } };
  try {
    return (await ctx.models.LoginAttempt.findOneAndUpdate({ key }, update, { upsert: true, returnDocument: 'after' }).lean())!;
  } catch (err: any) {
    // Two first attempts raced to insert the counter: the loser increments the winner's.
    if (err?.code !== 11000) throw err;
    return (await ctx.models.LoginAttempt.findOneAndUpdate({ key }, update, { upsert: true, returnDocument: 'after' }).lean())!;
  }
}

function secondsUntil(at: Date, now: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
}
