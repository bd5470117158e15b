import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import type { Actor, Role } from './actor.js';
import { tokenHash } from './tokens.js';
import { toActor } from './user-view.js';
import type { CachedSession } from '../read-caches.js';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,200}$/;

interface TokenWithUser {
  expiresAt: Date;
  user: Array<{ _id: unknown; email: string; name: string; role: Role; unit: string; disabled?: boolean }>;
}

/**
 * Resolves a bearer token to the acting user. The token and its user come back in one round trip
 * (a $lookup from the token to the user) and are then kept in the sessions read cache, which any
 * change to a token or a user empties: a deleted or disabled user, a revoked token or a changed
 * role takes effect on this instance at once and on the others as soon as their change streams
 * deliver it (milliseconds). Expiry is checked against the clock on every request.
 */
export async function authenticateToken(ctx: DomainContext, token: string | undefined): Promise<Actor> {
  if (!token || !TOKEN_SHAPE.test(token)) throw invalidToken();
  const hash = tokenHash(token);
  const cache = ctx.services.readCaches?.sessions;
  const session = cache ? await cache.get(hash, () => loadSession(ctx, hash), (s) => s !== null) : await loadSession(ctx, hash);
  if (!session || session.expiresAt <= ctx.clock.now()) throw invalidToken();
  return session.actor;
}

async function loadSession(ctx: DomainContext, hash: string): Promise<CachedSession | null> {
  const { AuthToken, User } = ctx.models;
  const [session] = await AuthToken.aggregate<TokenWithUser>([
    { $match: { tokenHash: hash } },
    { $limit: 1 },
    { $lookup: { from: User.collection.collectionName, localField: 'userId', foreignField: '_id', as: 'user' } },
    { $project: { _id: 0, expiresAt: 1, 'user._id': 1, 'user.email': 1, 'user.name': 1, 'user.role': 1, 'user.unit': 1, 'user.disabled': 1 } },
  ]);
  const user = session?.user[0];
  if (!session || !user || user.disabled) return null;
  return { expiresAt: session.expiresAt, actor: toActor(user) };
}

function invalidToken(): AppError {
  return new AppError('unauthenticated', 'Invalid or expired token / Token tidak valid atau kedaluwarsa');
}
