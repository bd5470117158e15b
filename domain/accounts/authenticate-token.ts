import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import type { Actor } from './actor.js';
import type { Role } from '../../workflows/permissions.js';
import { tokenHash } from './tokens.js';
import { toActor } from './user-view.js';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,200}$/;

interface TokenWithUser {
  expiresAt: Date;
  user: Array<{ _id: unknown; email: string; name: string; role: Role; unit: string; disabled?: boolean }>;
}

/** A resolved bearer token: who it is and until when. */
interface Session {
  expiresAt: Date;
  actor: Actor;
}

/**
 * Resolves a bearer token to the acting user, from the database on every request: the token and
 * its user come back in one round trip (a $lookup from the token to the user), so a deleted or
 * disabled user, a revoked token or a changed role takes effect on the very next request, on
 * every instance.
 */
export async function authenticateToken(ctx: DomainContext, token: string | undefined): Promise<Actor> {
  if (!token || !TOKEN_SHAPE.test(token)) throw invalidToken();
  const hash = tokenHash(token);
  const session = await loadSession(ctx, hash);
  if (!session || session.expiresAt <= ctx.clock.now()) throw invalidToken();
  return session.actor;
}

async function loadSession(ctx: DomainContext, hash: string): Promise<Session | null> {
  const { AuthToken, User } = ctx.models;
  // through the driver: mongoose's Aggregate wrapper adds nothing to this read and runs on every request
  const [session] = (await AuthToken.collection.aggregate([
    { $match: { tokenHash: hash } },
    { $limit: 1 },
    { $lookup: { from: User.collection.collectionName, localField: 'userId', foreignField: '_id', as: 'user' } },
    { $project: { _id: 0, expiresAt: 1, 'user._id': 1, 'user.email': 1, 'user.name': 1, 'user.role': 1, 'user.unit': 1, 'user.disabled': 1 } },
  ]).toArray()) as TokenWithUser[];
  const user = session?.user[0];
  if (!session || !user || user.disabled) return null;
  return { expiresAt: session.expiresAt, actor: toActor(user) };
}

function invalidToken(): AppError {
  return new AppError('unauthenticated', 'Invalid or expired token / Token tidak valid atau kedaluwarsa');
}
