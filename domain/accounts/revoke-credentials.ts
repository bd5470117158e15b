import mongoose, { type ClientSession } from 'mongoose';
import type { DomainContext } from '../context.js';
import { tokenHash } from './tokens.js';

export interface RevokedCredentials {
  /** how many sessions (bearer tokens) ended */
  sessionsEnded: number;
  /** whether the account had a secret calendar feed URL, which no longer works */
  calendarFeedRevoked: boolean;
}

/**
 * Ends everything issued to an account that works without its password: its sessions and its
 * secret calendar feed URL (one that leaked with the password would otherwise keep handing out the
 * account's deadlines). A new password, disabling and deleting all call this inside the
 * transaction of their own change, so a credential added later is revoked by each of them, and
 * none is left working when the change fails. `keepToken` is the session that made the change.
 */
export async function revokeCredentials(
  ctx: DomainContext,
  userId: mongoose.Types.ObjectId,
  session: ClientSession,
  options: { keepToken?: string } = {},
): Promise<RevokedCredentials> {
  const keep = options.keepToken === undefined ? {} : { tokenHash: mongoose.trusted({ $ne: tokenHash(options.keepToken) }) };
  const sessions = await ctx.models.AuthToken.deleteMany({ userId, ...keep }, { session });
  // a calendar token names its owner by the id's string (models/calendar-token.ts)
  const feeds = await ctx.models.CalendarToken.deleteMany({ userId: String(userId) }, { session });
  return { sessionsEnded: sessions.deletedCount, calendarFeedRevoked: feeds.deletedCount > 0 };
}
