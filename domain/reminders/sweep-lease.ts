import crypto from 'node:crypto';
import mongoose from 'mongoose';
import type { DomainContext } from '../context.js';

export const SWEEP_LEASE = 'reminder-sweep';

const instanceIds = new WeakMap<object, string>();

/** A random id per service instance (per context), naming the lease owner and delivery claims. */
export function instanceId(ctx: DomainContext): string {
  let id = instanceIds.get(ctx);
  if (!id) {
    id = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
    instanceIds.set(ctx, id);
  }
  return id;
}

/**
 * Takes (or renews) the named lease until now + ttl. One conditional upsert: when another
 * owner holds an unexpired lease the filter matches nothing, the upsert collides on _id, and
 * the answer is false.
 */
export async function acquireLease(ctx: DomainContext, owner: string, ttlMs: number, name = SWEEP_LEASE): Promise<boolean> {
  const now = ctx.clock.now();
  try {
    const doc = await ctx.models.SweepLease.findOneAndUpdate(
      { _id: name, $or: [{ expiresAt: mongoose.trusted({ $lte: now }) }, { owner }] },
      { $set: { owner, expiresAt: new Date(now.getTime() + ttlMs), acquiredAt: now } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    return doc?.owner === owner;
  } catch (err: any) {
    if (err?.code === 11000) return false;
    throw err;
  }
}

export async function releaseLease(ctx: DomainContext, owner: string, name = SWEEP_LEASE): Promise<void> {
  await ctx.models.SweepLease.updateOne({ _id: name, owner }, { $set: { expiresAt: new Date(0) } });
}
