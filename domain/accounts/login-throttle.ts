import ipaddr from 'ipaddr.js';
import mongoose from 'mongoose';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import type { Bilingual } from '../../workflows/types.js';

/**
 * Slows down password guessing without handing strangers a way to lock the owner out.
 *
 * Three counters, each allowing `free` failures in a window; after that every failure locks it
 * for a doubling time (2 s, 4 s, 8 s, ... capped at 15 min):
 * - an account from one client address: a guesser at one address is slowed, and nobody else;
 * - a client address across all accounts: one address spraying many accounts is slowed;
 * - an account from everywhere: its lock holds back every address except those the account has
 *   signed in from in the last 30 days (knownAddressMs). A guesser spread over many addresses is held
 *   to the account's lock as one, while the owner at their usual desk still gets to try: a lock
 *   that refused everyone let anybody keep any account closed with a few requests a minute. (An
 *   exception for addresses that had not failed yet gave each of a botnet's addresses a fresh
 *   guess every window.) The owner at a new address waits out the lock like anyone else.
 * An attempt is counted *before* the password is checked, so a parallel burst cannot run many
 * guesses while the first ones are still hashing: beyond the free allowance only one attempt at a
 * time gets through.
 */
export const THROTTLE = {
  /** both for an account from one address and for an account from everywhere */
  account: { free: 5 },
  ip: { free: 20 },
  windowMs: 15 * 60_000,
  maxLockMs: 15 * 60_000,
  /** how long an address the account signed in from stays known to it */
  knownAddressMs: 30 * 24 * 60 * 60_000,
} as const;

export type ThrottleKind = 'account-from-address' | 'address' | 'account';

export interface ThrottleKey {
  key: string;
  free: number;
  kind: ThrottleKind;
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

/**
 * The counters one attempt is held to, the account-from-address one first (the account one reads
 * its count) and the account one last (it never needs its count given back when another refuses).
 * Without a client address (a script calling the domain) the attempt counts as from one unknown
 * address, so it can still be slowed and still cannot hold back real clients.
 */
export function throttleKeys(email: string, clientIp: string | undefined): ThrottleKey[] {
  const address = clientIp ? clientAddress(clientIp) : 'unknown';
  const keys: ThrottleKey[] = [{ key: `ip:${address}|account:${email}`, free: THROTTLE.account.free, kind: 'account-from-address' }];
  if (clientIp) keys.push({ key: `ip:${address}`, free: THROTTLE.ip.free, kind: 'address' });
  keys.push({ key: `account:${email}`, free: THROTTLE.account.free, kind: 'account' });
  return keys;
}

/**
 * The unit a client is counted by: an IPv4 address, or the /64 of an IPv6 one. A /64 is what one
 * subscriber gets; counting its 2^64 addresses apart would give a guesser a fresh allowance per
 * attempt. IPv4 clients on a dual-stack socket arrive as IPv4-mapped IPv6 and count as IPv4.
 */
export function clientAddress(ip: string): string {
  const bare = ip.split('%')[0];
  if (!ipaddr.isValid(bare)) return bare;
  // process() turns an IPv4-mapped IPv6 address back into its IPv4 one
  const addr = ipaddr.process(bare);
  if (addr.kind() === 'ipv4') return addr.toString();
  return `${(addr as ipaddr.IPv6).parts.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/**
 * Whether a key's lock (or a count past its allowance) holds back this attempt: the account
 * counter's holds back every address the account has not signed in from lately.
 */
function holdsBack(k: ThrottleKey, knownAddress: boolean): boolean {
  return k.kind !== 'account' || !knownAddress;
}

/** The marker of an address the account signed in from (a row of the same collection, without failures). */
const knownKeyOf = (keys: ThrottleKey[]) => {
  const fromHere = keys.find((k) => k.kind === 'account-from-address');
  return fromHere ? `known:${fromHere.key}` : undefined;
};

/**
 * The refusal of an attempt the counters hold back (429), saying how long to wait: "later" left the
 * owner guessing between two seconds and fifteen minutes (the wait doubles after each failure).
 * `failed` says what failed, as a sentence without its full stop. Every form that asks for a
 * password is held back by these counters, so the wait is worded here, once.
 */
export function heldBack(seconds: number, failed: Bilingual): AppError {
  const minutes = Math.ceil(seconds / 60);
  const [en, id] = seconds < 60 ? [`${seconds} second${seconds === 1 ? '' : 's'}`, `${seconds} detik`] : [`${minutes} minute${minutes === 1 ? '' : 's'}`, `${minutes} menit`];
  return new AppError('too_many_requests', `${failed.en}. Try again in ${en}. / ${failed.id}. Coba lagi dalam ${id}.`, { retryAfterSeconds: seconds });
}

/** Checks every key and counts this attempt against each, or says how long to wait. */
export async function reserveLoginAttempt(ctx: DomainContext, keys: ThrottleKey[]): Promise<ReserveResult> {
  const { LoginAttempt } = ctx.models;
  const now = ctx.clock.now();
  const knownKey = knownKeyOf(keys);
  // every counter and the known-address marker in one read
  const docs = await LoginAttempt.find({ key: mongoose.trusted({ $in: [...keys.map((k) => k.key), ...(knownKey ? [knownKey] : [])] }) }).lean();
  const byKey = new Map(docs.map((d) => [d.key, d]));
  const before = new Map<string, { failures: number; lockedUntil?: Date }>();
  for (const k of keys) {
    const doc = byKey.get(k.key);
    const live = doc && doc.expiresAt > now ? doc : null;
    if (doc && !live) await LoginAttempt.deleteOne({ key: k.key, expiresAt: mongoose.trusted({ $lte: now }) });
    before.set(k.key, { failures: live?.failures ?? 0, lockedUntil: live?.lockedUntil ?? undefined });
  }
  const known = knownKey ? byKey.get(knownKey) : undefined;
  const knownAddress = Boolean(known && known.expiresAt > now);
  for (const k of keys) {
    const lockedUntil = before.get(k.key)!.lockedUntil;
    if (lockedUntil && lockedUntil > now && holdsBack(k, knownAddress)) {
      return { allowed: false, retryAfterSeconds: secondsUntil(lockedUntil, now) };
    }
  }
  const reservations: Reservation[] = [];
  for (const k of keys) {
    const doc = await upsertIncrement(ctx, k.key, now);
    const count = doc.failures;
    reservations.push({ key: k, count });
    const previous = before.get(k.key)!;
    // Beyond the allowance, only the first attempt after a lock has run out may go ahead; any
    // other is a parallel attempt racing those still being checked.
    const oneAfterLock = Boolean(previous.lockedUntil) && count === previous.failures + 1;
    if (count > k.free && !oneAfterLock && holdsBack(k, knownAddress)) {
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

/**
 * The attempt succeeded, so this address knew the password: it becomes known to the account
 * for 30 days (knownAddressMs), and its failures for the account were the owner's slips, not guesses. They start afresh there and are given back to the account's
 * count from everywhere; the address across accounts gives back only this attempt. The account's
 * count keeps everyone else's failures: the owner signing in does not pardon a guesser.
 */
export async function recordLoginSuccess(ctx: DomainContext, reservations: Reservation[]): Promise<void> {
  const { LoginAttempt } = ctx.models;
  const knownKey = knownKeyOf(reservations.map((r) => r.key));
  if (knownKey) {
    const expiresAt = new Date(ctx.clock.now().getTime() + THROTTLE.knownAddressMs);
    await LoginAttempt.updateOne({ key: knownKey }, { $set: { expiresAt }, $setOnInsert: { failures: 0 } }, { upsert: true }).catch((err) => {
      // two sign-ins from one address at once: the other has marked it
      if (err?.code !== 11000) throw err;
    });
  }
  const fromHere = reservations.find((r) => r.key.kind === 'account-from-address')?.count ?? 1;
  for (const r of reservations) {
    if (r.key.kind === 'account-from-address') {
      await LoginAttempt.deleteOne({ key: r.key.key });
    } else {
      const giveBack = r.key.kind === 'account' ? fromHere : 1;
      await LoginAttempt.updateOne({ key: r.key.key, failures: mongoose.trusted({ $gt: 0 }) }, { $inc: { failures: -giveBack } });
      await LoginAttempt.updateOne({ key: r.key.key, failures: mongoose.trusted({ $lt: 0 }) }, { $set: { failures: 0 } });
    }
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
