import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import type { Actor, Role } from './actor.js';
import { tokenHash } from './tokens.js';
import { toActor } from './user-view.js';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,200}$/;

interface TokenWithUser {
  expiresAt: Date;
  user: Array<{ _id: unknown; email: string; name: string; role: Role; unit: string; disabled?: boolean }>;
}

/**
 * Resolves a bearer token to the acting user, read fresh on every request: a deleted or
 * disabled user, or a changed role, takes effect at once. The token and its user come back in
 * one round trip (a $lookup from the token to the user), since every authenticated request pays
 * for it; nothing is cached, so several service instances never disagree about a user.
 */
export async function authenticateToken(ctx: DomainContext, token: string | undefined): Promise<Actor> {
  if (!token || !TOKEN_SHAPE.test(token)) throw invalidToken();
  const { AuthToken, User } = ctx.models;
  const [session] = await AuthToken.aggregate<TokenWithUser>([
    { $match: { tokenHash: tokenHash(token) } },
    { $limit: 1 },
    { $lookup: { from: User.collection.collectionName, localField: 'userId', foreignField: '_id', as: 'user' } },
    { $project: { _id: 0, expiresAt: 1, 'user._id': 1, 'user.email': 1, 'user.name': 1, 'user.role': 1, 'user.unit': 1, 'user.disabled': 1 } },
  ]);
  if (!session || session.expiresAt <= ctx.clock.now()) throw invalidToken();
  const user = session.user[0];
  if (!user || user.disabled) throw invalidToken();
  return toActor(user);
}

function invalidToken(): AppError {
  return new AppError('unauthenticated', 'Invalid or expired token / Token tidak valid atau kedaluwarsa');
}
