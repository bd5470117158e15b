import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import type { Actor } from './actor.js';
import { hashPassword, verifyPassword } from './password.js';
import { assertAcceptablePassword } from './password-policy.js';
import { revokeCredentials } from './revoke-credentials.js';
import { heldBack, recordLoginFailure, recordLoginSuccess, reserveLoginAttempt, throttleKeys } from './login-throttle.js';
import { inTransaction } from '../../lib/transaction.js';

export interface ChangeOwnPasswordInput {
  actor: Actor;
  currentPassword: string;
  newPassword: string;
  /** the bearer token of this request: the one session that stays signed in */
  keepToken: string;
  /** the client address as the edge determined it, for the attempt counters */
  clientIp?: string;
}

export interface ChangeOwnPasswordResult {
  passwordChangedAt: Date;
  /** how many other sessions of the account were signed out */
  otherSessionsEnded: number;
  /** whether the account's secret calendar feed URL was revoked (the person takes a new one) */
  calendarFeedRevoked: boolean;
}

const WRONG_CURRENT = 'The current password is not correct / Kata sandi saat ini salah';
const HELD_BACK = { en: 'Too many wrong password attempts', id: 'Terlalu banyak percobaan kata sandi yang salah' };
const SAME_AS_CURRENT = 'The new password must differ from the current one / Kata sandi baru harus berbeda dari kata sandi saat ini';

/**
 * A person replaces their own password (the first one an administrator gave them, or any since).
 *
 * The current password is asked for, so a session left open on a shared desk cannot take the
 * account over. Guessing it is slowed by the very counters that slow log-ins (login-throttle.ts):
 * a stolen session gets no guesses beyond those the login form allows, and a wrong one here counts
 * there too. The new password meets the same rule as any other (password-policy.ts) and must not be
 * the current one. Every other session of the account is signed out, and its secret calendar feed
 * URL revoked, in the same transaction as the new hash is stored (revoke-credentials.ts): whoever
 * knew the old password is out; this session stays.
 */
export async function changeOwnPassword(ctx: DomainContext, input: ChangeOwnPasswordInput): Promise<ChangeOwnPasswordResult> {
  const { User } = ctx.models;
  const reserved = await reserveLoginAttempt(ctx, throttleKeys(input.actor.email, input.clientIp));
  if (!reserved.allowed) throw heldBack(reserved.retryAfterSeconds, HELD_BACK);
  const user = await User.findById(input.actor.id, { email: 1, name: 1, passwordHash: 1 }).lean();
  // the token resolved a moment ago; an account deleted since is no account to change
  if (!user) throw new AppError('unauthenticated', 'Invalid or expired token / Token tidak valid atau kedaluwarsa');
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    await recordLoginFailure(ctx, reserved.reservations);
    throw wrongField('currentPassword', WRONG_CURRENT, 'password.wrong_current');
  }
  await recordLoginSuccess(ctx, reserved.reservations);

  // compared as the hash sees them (password.ts normalises to NFKC)
  if (input.newPassword.normalize('NFKC') === input.currentPassword.normalize('NFKC')) {
    throw wrongField('newPassword', SAME_AS_CURRENT, 'password.same_as_current');
  }
  assertAcceptablePassword(input.newPassword, { email: user.email, name: user.name }, 'newPassword');

  const passwordHash = await hashPassword(input.newPassword);
  const passwordChangedAt = ctx.clock.now();
  const revoked = await inTransaction(ctx, async (session) => {
    // conditional on the hash just checked: of two changes racing from the same old password, one wins
    const changed = await User.updateOne({ _id: user._id, passwordHash: user.passwordHash }, { $set: { passwordHash, passwordChangedAt } }, { session });
    if (changed.modifiedCount !== 1) throw wrongField('currentPassword', WRONG_CURRENT, 'password.wrong_current');
    return revokeCredentials(ctx, user._id, session, { keepToken: input.keepToken });
  });
  return { passwordChangedAt, otherSessionsEnded: revoked.sessionsEnded, calendarFeedRevoked: revoked.calendarFeedRevoked };
}

function wrongField(field: string, message: string, type: string): AppError {
  return new AppError('validation_failed', message, [{ field, message, type }]);
}
