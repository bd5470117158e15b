import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import type { Actor } from './actor.js';
import { tokenHash } from './tokens.js';
import { toActor } from './user-view.js';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,200}$/;

/**
 * Resolves a bearer token to the acting user, read fresh on every request: a deleted or
 * disabled user, or a changed role, takes effect at once.
 */
export async function authenticateToken(ctx: DomainContext, token: string | undefined): Promise<Actor> {
  if (!token || !TOKEN_SHAPE.test(token)) throw invalidToken();
  const session = await ctx.models.AuthToken.findOne({ tokenHash: tokenHash(token) }, { userId: 1, expiresAt: 1 }).lean();
  if (!session || session.expiresAt <= ctx.clock.now()) throw invalidToken();
  const user = await ctx.models.User.findById(session.userId, { email: 1, name: 1, role: 1, unit: 1, disabled: 1 }).lean();
  if (!user || user.disabled) throw invalidToken();
  return toActor(user);
}

function invalidToken(): AppError {
  return new AppError('unauthenticated', 'Invalid or expired token / Token tidak valid atau kedaluwarsa');
}
