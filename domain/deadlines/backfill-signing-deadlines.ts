import mongoose from 'mongoose';
import type { DomainContext } from '../context.js';
import { SYSTEM_ACTOR } from '../accounts/actor.js';
import type { AgreementRecord } from '../../models/agreement.js';
import { inTransaction } from '../../lib/transaction.js';
import { loadBusinessCalendar } from './business-calendar.js';
import { syncSigningDeadlines } from './sync-signing-deadlines.js';

/** Marks that agreements already awaiting signature when signing deadlines were introduced have been given theirs. */
export const SIGNING_DEADLINES_MARKER = 'signing-deadlines:v1';

/**
 * A database written before signing deadlines opened by themselves (including a demo loaded then)
 * has agreements waiting for signatures that nobody is reminded of. Runs at start-up, once per
 * database (a marker records it): each such agreement is treated as just entering signing, which
 * opens a deadline for every party yet to sign that has none open. Returns how many agreements it touched.
 */
export async function backfillSigningDeadlines(ctx: DomainContext): Promise<number> {
  const { Agreement, Counter } = ctx.models;
  if (await Counter.exists({ _id: SIGNING_DEADLINES_MARKER })) return 0;
  const waiting = await Agreement.find({ stage: mongoose.trusted({ $in: ['awaiting_signature', 'partially_signed'] }) }).lean<AgreementRecord[]>();
  const calendar = await loadBusinessCalendar(ctx);
  const at = ctx.clock.now();
  for (const agreement of waiting) {
    await inTransaction(ctx, (session) => syncSigningDeadlines(ctx, { agreement, from: '', to: agreement.stage, actor: SYSTEM_ACTOR, at, calendar }, session));
  }
  await Counter.updateOne({ _id: SIGNING_DEADLINES_MARKER }, { $set: { seq: 1, at } }, { upsert: true });
  return waiting.length;
}
