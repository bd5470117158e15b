import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { burnPasswordCheck, verifyPassword } from './password.js';
import { newToken, tokenHash } from './tokens.js';
import { toUserView, type UserView } from './user-view.js';
import { heldBack, recordLoginFailure, recordLoginSuccess, reserveLoginAttempt, throttleKeys } from './login-throttle.js';

export interface LogInInput {
  email: string;
  password: string;
  /** the client address as the edge determined it (trusting only the configured proxy hops) */
  clientIp?: string;
}

export interface LogInResult {
  token: string;
  expiresAt: Date;
  user: UserView;
}

const INVALID = 'Invalid e-mail or password / E-mail atau kata sandi salah';

const HELD_BACK = { en: 'Too many failed sign-ins', id: 'Terlalu banyak percobaan masuk yang gagal' };

/**
 * Exchanges credentials for a bearer token. Unknown e-mail, wrong password and disabled account
 * answer alike (and take alike long), so the answer does not reveal which accounts exist.
 */
export async function logIn(ctx: DomainContext, input: LogInInput): Promise<LogInResult> {
  const email = input.email.trim().toLowerCase();
  const reserved = await reserveLoginAttempt(ctx, throttleKeys(email, input.clientIp));
  if (!reserved.allowed) throw heldBack(reserved.retryAfterSeconds, HELD_BACK);
  const user = await ctx.models.User.findOne({ email }).lean();
  let ok = false;
  if (user) ok = (await verifyPassword(input.password, user.passwordHash)) && !user.disabled;
  else await burnPasswordCheck(input.password);
  if (!ok || !user) {
    await recordLoginFailure(ctx, reserved.reservations);
    throw new AppError('unauthenticated', INVALID);
  }
  await recordLoginSuccess(ctx, reserved.reservations);

  const token = newToken();
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + ctx.config.tokenTtlMinutes * 60_000);
  await ctx.models.AuthToken.create({ tokenHash: tokenHash(token), userId: user._id, createdAt: now, expiresAt, ip: input.clientIp });
  return { token, expiresAt, user: toUserView(user) };
}
