import type { DomainContext } from '../context.js';
import { tokenHash } from './tokens.js';

/** Revokes the token: it stops working at once, on every instance. */
export async function logOut(ctx: DomainContext, token: string): Promise<void> {
  await ctx.models.AuthToken.deleteOne({ tokenHash: tokenHash(token) });
}
